/**
 * The plan's state in the shared store, kept current by the plan workflow: every task's summary
 * it hears of by `taskChangedSignal` is written through an activity, a few seconds of workflow
 * time after the change, many tasks to a write. The pages read it there (`web/plans.ts`), on any
 * page server, in one query, instead of asking the workflow. What grows by itself (lateness) is
 * not written: readers apply `currentSummary` to the stored state, as the workflow's queries do.
 *
 * Each write carries a revision taken from the workflow's clock, rising from write to write and
 * from run to run, and the store keeps a task's newer state over an older one: a retried or
 * belated write never undoes a later one.
 */
import * as wf from '@temporalio/workflow';
import type { Patch } from './code-version.ts';
import type { IsoDate } from '../plan/dates.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { PlanChangeRecord, TaskProgressEntry, TaskState, TaskSummary } from './messages.ts';
import { overdueFrom, progressOf } from './task-summary.ts';

/** The plan workflow keeps the store's read model. Plans started by earlier code do not: the pages ask them. */
export const READ_MODEL_PATCH = 'read-model' satisfies Patch;

/** One task as the store keeps it: its changing part, and the day it falls overdue, for counting. */
export interface StoredTaskState {
  task: string;
  state: TaskState;
  overdueFrom: IsoDate | null;
  progress: TaskProgressEntry;
}

/** What the store keeps of the plan itself: what its status says, and how to find its today. */
export interface PlanStatusHeading {
  plan: string;
  title: string;
  timezone: string;
  clockShiftMs: number;
  started: number;
  total: number;
  changes: PlanChangeRecord[] | null;
}

/** One write of the read model. */
export interface PlanStateBatch {
  planKey: string;
  revision: number;
  tasks: StoredTaskState[];
  /** With the last batch of a write: the plan's row, and its counts taken again. */
  plan?: PlanStatusHeading;
  /** A run on a plan the store may not have: its tasks; the rows of any other task go. */
  keep?: string[];
}

export interface ReadModelActivities {
  /** Writes a batch of the read model; a task's state with an older revision than the store's is left out. */
  writePlanStates(batch: PlanStateBatch): Promise<void>;
}

const { writePlanStates } = wf.proxyActivities<ReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  // A store that stays down: the batch goes back to wait, and is tried again with the next write.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** Tasks per write: a plan of 5,200 tasks in a few, each well under the payload limit. */
export const READ_MODEL_BATCH = 1_000;
/** How long changes gather before they are written: the pages are this much behind, at most, plus a write. */
export const READ_MODEL_DELAY_MS = 2_000;
/** After a failed write, the next try waits this long. */
const RETRY_DELAY_MS = 60_000;

export interface ReadModelSource {
  planKey: string;
  tasks: readonly ScheduledTask[];
  calendar: ProductionCalendar;
  summary(task: string): TaskSummary;
  heading(): PlanStatusHeading;
  /** The last revision an earlier run of the plan wrote, or 0. */
  revision: number;
  /** Write every task (a first run, or a run on a changed plan); else only what changes. */
  sync: boolean;
}

export interface ReadModelWriter {
  /** A task has changed (or the heading, without an id): it is written with the next write. */
  changed(task?: string): void;
  /** Writes what is waiting now and waits for it; `false` when the store would not take it. */
  settle(): Promise<boolean>;
  /** The last revision written. */
  revision(): number;
}

/**
 * Starts the plan's writer: a loop of the workflow that waits for changes, lets them gather for
 * `READ_MODEL_DELAY_MS`, and writes them in batches. Call it when the run follows `READ_MODEL_PATCH` (`follows`).
 */
export function keepReadModel(source: ReadModelSource): ReadModelWriter {
  const waiting = new Set<string>(source.sync ? source.tasks.map((task) => task.task) : []);
  const scheduled = new Map(source.tasks.map((task) => [task.task, task]));
  let headingChanged = true;
  let keep = source.sync ? source.tasks.map((task) => task.task) : null;
  let revision = source.revision;
  let writing = false;
  let urgent = false;
  let failures = 0;

  const pending = () => waiting.size > 0 || headingChanged;
  const stateOf = (id: string): StoredTaskState => {
    const summary = source.summary(id);
    return { task: id, state: summary.state, overdueFrom: overdueFrom(summary, source.calendar), progress: progressOf(summary, scheduled.get(id)!) };
  };

  /** Writes everything waiting, batch by batch; the plan's row goes with the last. */
  const write = async (): Promise<boolean> => {
    writing = true;
    try {
      while (pending()) {
        const ids = [...waiting].slice(0, READ_MODEL_BATCH);
        for (const id of ids) waiting.delete(id);
        const last = waiting.size === 0;
        // The workflow's clock: later than any write of an earlier run, and rising within this one.
        revision = Math.max(revision + 1, Date.now());
        const batch: PlanStateBatch = { planKey: source.planKey, revision, tasks: ids.filter((id) => scheduled.has(id)).map(stateOf), ...(last ? { plan: source.heading() } : {}), ...(keep ? { keep } : {}) };
        if (last) headingChanged = false;
        try {
          await writePlanStates(batch);
          keep = null;
        } catch (error) {
          if (!(error instanceof wf.ActivityFailure)) throw error;
          for (const id of ids) waiting.add(id);
          if (last) headingChanged = true;
          return false;
        }
      }
      return true;
    } finally {
      writing = false;
    }
  };

  void (async () => {
    for (;;) {
      await wf.condition(() => pending() && !writing);
      // Changes gather a while, so a burst of them (the 09:00 start of many tasks) is one write.
      await wf.condition(() => urgent, failures > 0 ? RETRY_DELAY_MS : READ_MODEL_DELAY_MS);
      if (writing) continue;
      failures = (await write()) ? 0 : failures + 1;
    }
  })();

  return {
    changed(task) {
      if (task === undefined) headingChanged = true;
      else waiting.add(task);
    },
    async settle() {
      await wf.condition(() => !writing);
      urgent = true;
      try {
        return pending() ? await write() : true;
      } finally {
        urgent = false;
      }
    },
    revision: () => revision,
  };
}

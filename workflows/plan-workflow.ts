/**
 * A plan of one year as a durable workflow: it starts a task workflow per task, tells each
 * task when what it waits for is done, keeps every task's state for the office, and sends
 * the office a weekly digest. It continues as new when its history grows long.
 */
import * as wf from '@temporalio/workflow';
import { CODE_VERSION, follows, type Patch } from './code-version.ts';
import { taskStartBatch, type TaskStart, type TaskStartBatch } from './task-starts.ts';
import type { CalendarYear } from '../plan/calendar-data.ts';
import { addDays, dayOfWeek, type IsoDate } from '../plan/dates.ts';
import { MailFailure, type DigestNotification, type PlanRef, type Recipient, type TaskLine, type TaskNotification } from '../plan/notifications.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { personRecipient, recipientsOf } from '../plan/recipients.ts';
import { schedulePlan, type ScheduledTask } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';
import { occurrenceIdOf, taskName, taskNames, type TaskNames } from '../plan/task-names.ts';
import { readWithin } from '../plan/within.ts';
import { dateOf, isoInstant, slotOf, slotOnOrAfter, timeOf } from './clock.ts';
import { byExecutor, doneBeforeStartProblems, doneOnBeforeStart, lateAtStart, type DoneBeforeStart, type LateAtStart } from './mid-year.ts';
import { DocumentDataError } from '../documents/document-errors.ts';
import { issueContextOf, ordersForTask } from '../documents/plan-documents.ts';
import { planProgressQuery, planStartedQuery, planStatusQuery, planWorkflowId, prerequisiteDoneSignal, reopenTaskUpdate, taskChangedSignal, taskDocumentsQuery, TaskState, taskWorkflowId, type PlanChangeRecord, type PlanProgress, type PlanStatus, type TaskDocumentsPlan, type TaskSummary } from './messages.ts';
import { currentSummary, initialSummary, progressOf } from './task-summary.ts';
import { handlePlanChanges } from './plan-change-update.ts';
import { keepReadModel, READ_MODEL_PATCH } from './read-model.ts';
import type { MailActivities, TaskInput } from './task-workflow.ts';

export interface PlanInput {
  plan: Plan;
  /** The version of the code that started the plan: the changes it follows without a marker (`code-version.ts`). */
  codeVersion?: number;
  /** The id the plan runs under: the plan id, or `<id>-in-<year>` when laid over another year. */
  planKey: string;
  /** Lay the plan over this (school) year. */
  year?: number;
  /** The production calendar years the plan needs. */
  calendar: CalendarYear[];
  clockShiftMs: number;
  indexed: boolean;
  /**
   * Joining mid-year: the tasks (by task id) the office says were done before the plan started,
   * with their results. They are recorded as done and get no letters.
   */
  doneBeforeStart?: Record<string, DoneBeforeStart>;
  /**
   * Execution control: executors' reports wait for the office's check, except on items with
   * `check: false`. Plans started before it have none: their tasks close on the report.
   */
  executionControl?: boolean;
  /** Carried over by continue-as-new. */
  state?: CarriedPlanState;
}

export type { DoneBeforeStart } from './mid-year.ts';

export interface PlanState {
  /** How many tasks (in schedule order) have been started. */
  started: number;
  tasks: Record<string, TaskSummary>;
  relayed: string[];
  digests: IsoDate[];
  /** Joining mid-year: the tasks already late at the start, and the slot of their one letter per executor. */
  late?: LateTasksLetters;
}

export interface LateTasksLetters {
  /** The plan-clock instant of the letters: the first mail slot after the start. */
  at: number;
  tasks: LateAtStart[];
  /**
   * Tasks a change of the plan has given a deadline other than the one they were late with: their
   * own workflows hand them out as any other task, so the letters leave them out (lateAfterChange).
   */
  moved?: string[];
  /** Whether they have gone out. */
  sent: boolean;
}

/**
 * The state continue-as-new carries: of each task only what differs from the plan (its state,
 * dates, result…), so a plan of thousands of tasks stays well under the payload limit.
 */
export interface CarriedPlanState {
  started: number;
  /** Runs before this form carried every summary whole. */
  tasks?: Record<string, TaskSummary>;
  changed?: Record<string, Partial<TaskSummary>>;
  /** Done tasks whose dependents have been told. */
  relayed: string[];
  /** Weeks (their Monday) whose digest went out. */
  digests: IsoDate[];
  late?: LateTasksLetters;
  /** The plan's history of changes while it runs. */
  changes?: PlanChangeRecord[];
  /** The read model: the last revision written, and whether the store holds every task of this plan. */
  readModel?: { revision: number; synced: boolean };
}

export interface TaskStarterActivities {
  /** Starts task workflows; one already started (or finished) is left as it is. */
  startTaskWorkflows(tasks: TaskStartBatch | TaskStart[]): Promise<{ started: number; existing: number }>;
  /**
   * Runs a finished task again (an administrator reopened it): its new run starts from `input`
   * with the finished run's history and reports. Once only: a run already reopened is left as it is.
   */
  reopenTaskWorkflow(request: { workflowId: string; input: TaskInput; reason: string; by?: string }): Promise<void>;
}

const { startTaskWorkflows, reopenTaskWorkflow } = wf.proxyActivities<TaskStarterActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const { sendNotification } = wf.proxyActivities<MailActivities>({
  // nodemailer gives up within 10 s to connect or greet and 30 s on a silent socket.
  startToCloseTimeout: '45 seconds',
  // The office's digest and letters go ahead of the thousands of task letters due at the same
  // 09:00 (1 is the highest; tasks' letters have the default 3), on a server with task-queue priorities.
  priority: { priorityKey: 1 },
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 50 },
});

/** A plan of earlier code continued as new on a change without writing its row first. */
export const CHANGE_ANSWERED_PATCH = 'change-answered-before-continue' satisfies Patch;

/** Tasks started per activity call: small enough for the payload limit, large enough to be quick. */
const START_BATCH = 100;
/** Start activities in flight at once: a big plan's tasks start several batches at a time. */
const START_LANES = 4;
/** Several batches at a time. Replaying a plan started one batch at a time must go on so. */
export const PARALLEL_START_PATCH = 'start-batches-in-parallel' satisfies Patch;

/**
 * Joining mid-year: tasks marked done before the start, and one letter per executor for the tasks
 * already late. A plan started by earlier code took neither path: replaying it must not either.
 */
export const JOIN_MID_YEAR_PATCH = 'join-mid-year' satisfies Patch;

export async function planWorkflow(input: PlanInput): Promise<PlanStatus> {
  const { plan, planKey } = input;
  const calendar = new ProductionCalendar(input.calendar);
  const schedule = schedulePlan(plan, calendar, input.year !== undefined ? { year: input.year } : {});
  const zone = plan.timezone;
  const ref: PlanRef = { id: plan.id, key: planKey, title: plan.title ?? plan.id, timezone: zone };
  const selfId = planWorkflowId(planKey);
  const now = () => Date.now() + input.clockShiftMs;
  const today = () => dateOf(now(), zone);
  const office: Recipient | null = plan.office === undefined ? null : personRecipient(plan, plan.office);

  const state: PlanState = restoreState(input.state, plan, schedule.tasks);
  const relayed = new Set(state.relayed);
  const dependents = new Map<string, string[]>();
  for (const task of schedule.tasks) for (const id of task.after) dependents.set(id, [...(dependents.get(id) ?? []), task.task]);
  const scheduledById = new Map(schedule.tasks.map((task) => [task.task, task]));
  /** The tasks as people name them, for the letters: data only, the same on every replay. */
  const names = taskNames(plan, schedule.tasks);

  // Decided once, at the first start; a continued run carries the outcome in its state.
  if (input.state === undefined && follows(input, JOIN_MID_YEAR_PATCH)) joinMidYear();

  const readModel = follows(input, READ_MODEL_PATCH)
    ? keepReadModel({
        planKey,
        tasks: schedule.tasks,
        calendar,
        summary: (id) => state.tasks[id]!,
        heading: () => ({ plan: plan.id, title: ref.title, timezone: zone, clockShiftMs: input.clockShiftMs, started: state.started, total: schedule.tasks.length, changes: changeHistory.length > 0 ? changeHistory : null }),
        revision: input.state?.readModel?.revision ?? 0,
        sync: input.state?.readModel?.synced !== true,
      })
    : null;
  /** Carried to the next run: what the store holds, once what waits is written. */
  const carriedReadModel = async (synced: boolean): Promise<Pick<CarriedPlanState, 'readModel'>> => {
    if (!readModel) return {};
    const written = await readModel.settle();
    return { readModel: { revision: readModel.revision(), synced: synced && written } };
  };

  wf.setHandler(taskChangedSignal, (summary) => {
    state.tasks[summary.task] = summary;
    readModel?.changed(summary.task);
  });
  /** A task as of now: tasks report changes of state, and lateness grows by itself. */
  const current = (id: string, asOf = today()): TaskSummary => currentSummary(state.tasks[id]!, asOf, calendar);
  const status = (serverNow?: number): PlanStatus => {
    const asOf = serverNow === undefined ? today() : dateOf(serverNow + input.clockShiftMs, zone);
    return { plan: plan.id, key: planKey, title: ref.title, asOf, started: state.started, total: schedule.tasks.length, ...(changeHistory.length > 0 ? { changes: changeHistory } : {}), tasks: schedule.tasks.map((task) => current(task.task, asOf)) };
  };
  wf.setHandler(planStatusQuery, (serverNow) => status(serverNow));
  wf.setHandler(planStartedQuery, () => ({ started: state.started, total: schedule.tasks.length }));
  wf.setHandler(planProgressQuery, (serverNow): PlanProgress => {
    const { tasks, ...rest } = status(serverNow);
    return { ...rest, tasks: tasks.map((summary, index) => progressOf(summary, schedule.tasks[index]!)) };
  });

  const taskInput = (task: ScheduledTask): TaskInput => taskInputOf(input, task, state, names);

  // An administrator reopens a task accepted by mistake: its workflow runs again, its history kept.
  wf.setHandler(
    reopenTaskUpdate,
    async ({ task, reason, by }) => {
      const { doneBeforeStart: _marked, lateAtStart: _late, ...fresh } = taskInput(scheduledById.get(task)!);
      await reopenTaskWorkflow({ workflowId: taskWorkflowId(planKey, task), input: fresh, reason: reason.trim(), ...(by ? { by } : {}) });
      const reopened = state.tasks[task]!;
      // Until the new run reports itself: open again, without the result it had.
      if (reopened.state === TaskState.done) {
        state.tasks[task] = { ...reopened, state: TaskState.active, result: null, comment: null, doneOn: null, daysLate: 0 };
        readModel?.changed(task);
      }
      return current(task);
    },
    {
      validator: ({ task, reason }) => {
        const summary = typeof task === 'string' ? state.tasks[task] : undefined;
        if (!summary || !scheduledById.has(task)) throw wf.ApplicationFailure.create({ type: 'NoSuchTask', nonRetryable: true, message: `в плане нет задачи «${String(task)}»` });
        if (summary.state === TaskState.review) throw wf.ApplicationFailure.create({ type: 'NotDone', nonRetryable: true, message: 'отчёт по задаче ещё на проверке: верните его на доработку' });
        if (summary.state !== TaskState.done) throw wf.ApplicationFailure.create({ type: 'NotDone', nonRetryable: true, message: 'задача не выполнена: возобновлять нечего' });
        if (typeof reason !== 'string' || reason.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidReason', nonRetryable: true, message: 'укажите основание: исполнитель прочтёт его в письме' });
        if (reason.length > 4000) throw wf.ApplicationFailure.create({ type: 'InvalidReason', nonRetryable: true, message: 'основание слишком длинное' });
      },
    },
  );

  wf.setHandler(taskDocumentsQuery, ({ task, asOf }): TaskDocumentsPlan => {
    const scheduled = schedule.tasks.find((entry) => entry.task === task);
    const item = scheduled && plan.items.find((entry) => entry.id === scheduled.item);
    if (!scheduled || !item) return { ok: false, problems: [`в плане нет задачи «${task}»`] };
    const paperwork = { plan, planKey, span: schedule.span };
    try {
      const orders = ordersForTask(paperwork, item.documents ?? [], scheduled.school, schedule.tasks.map((entry) => current(entry.task, asOf)), asOf);
      return { ok: true, ...issueContextOf(paperwork), orders };
    } catch (error) {
      if (error instanceof DocumentDataError) return { ok: false, problems: error.problems.map((problem) => `${problem.field}: ${problem.message}`) };
      throw error;
    }
  });

  const changeHistory: PlanChangeRecord[] = input.state?.changes ?? [];
  const changes = handlePlanChanges({
    input,
    schedule,
    state,
    history: changeHistory,
    relayed: () => [...relayed],
    now,
    carry: (next, carried, side) => carryState(next, carried, side.plan, side.tasks),
  });

  /** Continues as new when the history grows long, or on the new plan once the office changed it. */
  const continueIfLong = async () => {
    if (!wf.workflowInfo().continueAsNewSuggested && !changes.pending()) return;
    await wf.condition(wf.allHandlersFinished);
    const changed = await changes.next();
    if (changed) {
      // The plan's row is written before it goes on: the change's update then completes in a
      // workflow task of its own, ahead of the continue-as-new (the time-skipping test server
      // lost the outcome of an update completed in the task that continued as new).
      if (readModel && follows(input, CHANGE_ANSWERED_PATCH)) readModel.changed();
      // On a changed plan the next run writes every task again: tasks come and go, dates move.
      await wf.continueAsNew<typeof planWorkflow>(readModel ? { ...changed, state: { ...changed.state!, ...(await carriedReadModel(false)) } } : changed);
    }
    // Written first: the state carried is then the state written, with no signal heard in between.
    const written = await carriedReadModel(true);
    await wf.continueAsNew<typeof planWorkflow>({ ...input, state: { ...carryState(state, [...relayed], plan, schedule.tasks), ...(changeHistory.length > 0 ? { changes: changeHistory } : {}), ...written } });
  };

  const lanes = state.started < schedule.tasks.length && follows(input, PARALLEL_START_PATCH) ? START_LANES : 1;
  while (state.started < schedule.tasks.length) {
    const group = schedule.tasks.slice(state.started, state.started + lanes * START_BATCH);
    const batches = Array.from({ length: Math.ceil(group.length / START_BATCH) }, (_, i) => group.slice(i * START_BATCH, (i + 1) * START_BATCH));
    await Promise.all(batches.map((batch) => startTaskWorkflows(taskStartBatch(batch.map((task) => ({ workflowId: taskWorkflowId(planKey, task.task), input: taskInput(task) }))))));
    state.started += group.length;
    readModel?.changed();
    await continueIfLong();
  }

  const allDone = () => schedule.tasks.every((task) => state.tasks[task.task]?.state === TaskState.done);
  const unrelayed = () => schedule.tasks.filter((task) => state.tasks[task.task]?.state === TaskState.done && !relayed.has(task.task));

  while (!allDone() || unrelayed().length > 0) {
    const digestAt = nextDigestSlot();
    const lettersDue = state.late && !state.late.sent ? state.late : null;
    const wakeAt = lettersDue ? Math.min(digestAt, lettersDue.at) : digestAt;
    await wf.condition(() => unrelayed().length > 0 || allDone() || changes.pending(), Math.max(0, wakeAt - now()));
    for (const task of unrelayed()) {
      const doneOn = state.tasks[task.task]!.doneOn ?? today();
      await Promise.all(
        (dependents.get(task.task) ?? []).map((dependent) =>
          wf.getExternalWorkflowHandle(taskWorkflowId(planKey, dependent)).signal(prerequisiteDoneSignal, { task: task.task, doneOn }).catch(() => undefined),
        ),
      );
      relayed.add(task.task);
    }
    if (lettersDue && now() >= lettersDue.at) await sendLateLetters(lettersDue);
    if (now() >= digestAt && !allDone()) await sendDigest(digestAt);
    await continueIfLong();
  }
  await readModel?.settle();
  return status();

  /**
   * The office's word at a mid-year start: the tasks it marked done are recorded done before any
   * task starts (so their dependents start knowing it, and nobody is told of them), and the tasks
   * already late at the first mail slot are set aside for one letter per executor.
   */
  function joinMidYear(): void {
    const startDay = today();
    const doneOn: Record<string, IsoDate> = {};
    for (const task of schedule.tasks) {
      const marked = input.doneBeforeStart?.[task.task];
      // The client refuses an empty result before starting; a plan never fails on one.
      if (!marked || typeof marked.result !== 'string' || marked.result.trim() === '') continue;
      doneOn[task.task] = doneOnBeforeStart(task, startDay);
      state.tasks[task.task] = { ...state.tasks[task.task]!, state: TaskState.done, result: marked.result.trim(), comment: marked.comment?.trim() || null, doneOn: doneOn[task.task]!, daysLate: 0 };
      // Their dependents start with them done: there is nothing to relay.
      relayed.add(task.task);
    }
    const at = slotOnOrAfter(now(), calendar, zone);
    // Late as of the letters' day, not the start's: a plan started after 09:00 writes the next
    // morning, by which time a task due on the start day is late too and belongs in the letter.
    const late = lateAtStart(plan, schedule.tasks, doneOn, dateOf(at, zone), calendar);
    if (late.length > 0) state.late = { at, tasks: late, sent: false };
  }

  /**
   * One letter to each executor listing their tasks still late and not done, the office, the
   * schools' curators and the co-executors in copy: what the start letter and the first overdue
   * notice with its escalation say of one task, said once for all of them.
   */
  async function sendLateLetters(late: LateTasksLetters): Promise<void> {
    late.sent = true;
    const sendDate = dateOf(late.at, zone);
    // Done, or given a deadline still to come, since the start: not late any more. Moved by a
    // change of the plan: handed out by its own workflow.
    const open = late.tasks.filter((entry) => {
      const summary = state.tasks[entry.task];
      if (late.moved?.includes(entry.task)) return false;
      return summary && summary.state !== TaskState.done && !(summary.due !== null && summary.due >= sendDate);
    });
    for (const { executor, entries } of byExecutor(open, (entry) => state.tasks[entry.task]!.executor)) {
      const tasks = entries.map((entry) => lateLineOf(state.tasks[entry.task]!, entry.due, sendDate));
      const everyone = entries.map((entry) => recipientsOf(plan, scheduledById.get(entry.task)!));
      const copied = new Map<string, Recipient>();
      for (const person of [office, ...everyone.map((recipients) => recipients.curator), ...everyone.flatMap((recipients) => recipients.coExecutors)]) {
        if (person && person.email !== '' && person.email !== executor.email && !copied.has(person.email)) copied.set(person.email, person);
      }
      const letter: TaskNotification = {
        kind: 'late-at-start',
        key: `${selfId}:late-at-start:${executor.id || executor.email}`,
        sendDate,
        sendTime: timeOf(late.at, zone),
        sendAt: isoInstant(late.at, zone),
        to: [executor],
        cc: [...copied.values()],
        plan: ref,
        task: tasks[0]!,
        tasks,
      };
      let rejected: string[];
      let failure: string;
      try {
        const delivery = await sendNotification(letter);
        if (delivery.rejected.length === 0) continue;
        rejected = delivery.rejected;
        failure = 'почтовый сервер отказался принять письмо для этого адреса';
      } catch (error) {
        // A letter that cannot go must not stop the plan; the office hears of a refused address.
        if (!(error instanceof wf.ActivityFailure)) throw error;
        if (!(error.cause instanceof wf.ApplicationFailure) || error.cause.type !== MailFailure.recipientRejected) continue;
        rejected = [executor.email];
        failure = error.cause.message;
      }
      if (!office || rejected.includes(office.email)) continue;
      await sendNotification({
        ...letter,
        kind: 'undeliverable',
        key: `${letter.key}:undeliverable`,
        to: [office],
        cc: [],
        tasks: undefined,
        details: { failedAddress: rejected.join(', '), failure: `${failure} (${tasks.length === 1 ? 'мероприятие' : 'мероприятия'} ${tasks.map((line) => `«${taskName(line.title, line.occurrence, line.schoolName)}»`).join(', ')})`, failedKind: 'late-at-start' },
      }).catch(() => undefined);
    }
  }

  /** A late task as its executor's letter lists it: due `due`, late as of `sendDate`. */
  function lateLineOf(summary: TaskSummary, due: IsoDate, sendDate: IsoDate): TaskLine {
    return { ...lineOf(summary, names), due, result: null, daysLate: calendar.workingDaysBetween(due, sendDate) };
  }

  /** 09:00 of the first working day of the week after the last digest (or of the plan's first week). */
  function nextDigestSlot(): number {
    let monday = mondayOf(maxIso(today(), schedule.span.start));
    while (state.digests.includes(monday) || slotOf(firstWorkingDayOfWeek(monday), zone) < now()) monday = addDays(monday, 7);
    return slotOf(firstWorkingDayOfWeek(monday), zone);
  }

  function firstWorkingDayOfWeek(monday: IsoDate): IsoDate {
    const day = calendar.workingDayOnOrAfter(monday);
    return day <= addDays(monday, 6) ? day : addDays(monday, 7);
  }

  async function sendDigest(at: number): Promise<void> {
    const weekOf = mondayOf(dateOf(at, zone));
    state.digests.push(weekOf);
    if (!office) return;
    const weekEnd = addDays(weekOf, 6);
    const lastWeek = addDays(weekOf, -7);
    const summaries = schedule.tasks.map((task) => current(task.task));
    const lines = (filter: (summary: TaskSummary) => boolean) => summaries.filter(filter).map((summary) => lineOf(summary, names));
    const digest: DigestNotification = {
      kind: 'digest',
      key: `${selfId}:digest:${weekOf}`,
      sendDate: dateOf(at, zone),
      sendTime: timeOf(at, zone),
      sendAt: isoInstant(at, zone),
      to: [office],
      cc: [],
      plan: ref,
      weekOf,
      started: lines((summary) => summary.start !== null && summary.start >= lastWeek && summary.start < weekOf && summary.state !== TaskState.planned),
      dueThisWeek: lines((summary) => summary.state !== TaskState.done && summary.state !== TaskState.review && summary.due !== null && summary.due >= weekOf && summary.due <= weekEnd),
      overdue: lines((summary) => summary.state === TaskState.overdue),
      done: lines((summary) => summary.doneOn !== null && summary.doneOn >= lastWeek && summary.doneOn < weekOf),
    };
    const awaitingCheck = lines((summary) => summary.state === TaskState.review);
    if (awaitingCheck.length > 0) digest.awaitingCheck = awaitingCheck;
    if (digest.started.length + digest.dueThisWeek.length + digest.overdue.length + digest.done.length + awaitingCheck.length === 0) return;
    await sendNotification(digest);
  }
}

/**
 * The input a task's workflow starts with: the plan's part that concerns the task, as the plan
 * stands in `state` (what its prerequisites already did, the office's word at a mid-year start);
 * `state` is `null` for a plan none of whose tasks has done anything yet; `names` names the
 * task's occurrence for its letters.
 */
export function taskInputOf(input: PlanInput, task: ScheduledTask, state: PlanState | null, names: Pick<TaskNames, 'occurrence'>): TaskInput {
  const { plan, planKey } = input;
  const item = plan.items.find((entry) => entry.id === task.item)!;
  const within = item.within === undefined ? null : readWithin(item.within);
  const doneBefore = Object.fromEntries(task.after.flatMap((id) => (state?.tasks[id]?.doneOn ? [[id, state.tasks[id]!.doneOn!]] : [])));
  // Before its workflow starts, a task can only be done by the office's word at the start.
  const own = state?.tasks[task.task];
  const marked = input.doneBeforeStart?.[task.task];
  const late = state?.late?.tasks.find((entry) => entry.task === task.task);
  return {
    plan: { id: plan.id, key: planKey, title: plan.title ?? plan.id, timezone: plan.timezone },
    planWorkflowId: planWorkflowId(planKey),
    task,
    within: within?.ok ? within.within : null,
    recipients: recipientsOf(plan, task),
    reminders: { ...plan.reminders, ...item.reminders },
    // The days only: a task counts working days and never quotes the decree (`source`) or its totals.
    calendar: input.calendar.map(({ year, replace, holidays, daysOff, workingDays, shortDays }) => ({ year, replace, holidays, daysOff, workingDays, shortDays })),
    doneBefore,
    clockShiftMs: input.clockShiftMs,
    indexed: input.indexed,
    codeVersion: CODE_VERSION,
    ...(item.documents && item.documents.length > 0 ? { documents: item.documents } : {}),
    ...(input.executionControl ? { check: item.check !== false } : {}),
    occurrence: names.occurrence(occurrenceIdOf(task.task)),
    ...(marked && own?.state === TaskState.done && own.doneOn !== null ? { doneBeforeStart: { result: own.result ?? marked.result, ...(own.comment ? { comment: own.comment } : {}), doneOn: own.doneOn } } : {}),
    ...(late && state?.late ? { lateAtStart: { letterAt: state.late.at, due: late.due } } : {}),
  };
}

export function restoreState(carried: CarriedPlanState | undefined, plan: Plan, tasks: readonly ScheduledTask[]): PlanState {
  const summaries = Object.fromEntries(tasks.map((task) => [task.task, { ...initialSummary(plan, task), ...carried?.changed?.[task.task] }]));
  return { started: carried?.started ?? 0, tasks: carried?.tasks ?? summaries, relayed: carried?.relayed ?? [], digests: carried?.digests ?? [], ...(carried?.late ? { late: carried.late } : {}) };
}

/** What continue-as-new carries: each task's fields that differ from its summary at the start. */
export function carryState(state: PlanState, relayed: string[], plan: Plan, tasks: readonly ScheduledTask[]): CarriedPlanState {
  const changed: Record<string, Partial<TaskSummary>> = {};
  for (const task of tasks) {
    const initial = initialSummary(plan, task) as unknown as Record<string, unknown>;
    const current = state.tasks[task.task] as unknown as Record<string, unknown> | undefined;
    if (!current) continue;
    const delta = Object.fromEntries(Object.entries(current).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(initial[key])));
    if (Object.keys(delta).length > 0) changed[task.task] = delta as Partial<TaskSummary>;
  }
  return { started: state.started, changed, relayed, digests: state.digests, ...(state.late ? { late: state.late } : {}) };
}

/** A task as a letter lists it, named as the pages name it. */
function lineOf(summary: TaskSummary, names: Pick<TaskNames, 'occurrence'>): TaskLine {
  return {
    task: summary.task,
    title: summary.title,
    occurrence: names.occurrence(occurrenceIdOf(summary.task)),
    period: summary.period,
    start: summary.start,
    due: summary.due,
    executorName: summary.executor.name,
    schoolName: summary.schoolName,
    target: summary.target,
    result: summary.result,
    daysLate: summary.daysLate,
  };
}

function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

function maxIso(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

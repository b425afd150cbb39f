/**
 * A plan of one year as a durable workflow: it starts a task workflow per task, tells each
 * task when what it waits for is done, keeps every task's state for the office, and sends
 * the office a weekly digest. It continues as new when its history grows long.
 */
import * as wf from '@temporalio/workflow';
import type { CalendarYear } from '../plan/calendar-data.ts';
import { addDays, dayOfWeek, type IsoDate } from '../plan/dates.ts';
import type { DigestNotification, PlanRef, Recipient, TaskLine } from '../plan/notifications.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { personRecipient, recipientsOf } from '../plan/recipients.ts';
import { schedulePlan, type ScheduledTask } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';
import { readWithin } from '../plan/within.ts';
import { dateOf, isoInstant, slotOf, timeOf } from './clock.ts';
import { DocumentDataError } from '../documents/document-errors.ts';
import { issueContextOf, ordersForTask } from '../documents/plan-documents.ts';
import { planProgressQuery, planStatusQuery, planWorkflowId, prerequisiteDoneSignal, taskChangedSignal, taskDocumentsQuery, TaskState, taskWorkflowId, type PlanChangeRecord, type PlanProgress, type PlanStatus, type TaskDocumentsPlan, type TaskSummary } from './messages.ts';
import { initialSummary, progressOf } from './task-summary.ts';
import { handlePlanChanges } from './plan-change-update.ts';
import type { MailActivities, TaskInput } from './task-workflow.ts';

export interface PlanInput {
  plan: Plan;
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
  /** Carried over by continue-as-new. */
  state?: CarriedPlanState;
}

export interface DoneBeforeStart {
  result: string;
  comment?: string;
}

export interface PlanState {
  /** How many tasks (in schedule order) have been started. */
  started: number;
  tasks: Record<string, TaskSummary>;
  relayed: string[];
  digests: IsoDate[];
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
  /** The plan's history of changes while it runs. */
  changes?: PlanChangeRecord[];
}

export interface TaskStarterActivities {
  /** Starts task workflows; one already started (or finished) is left as it is. */
  startTaskWorkflows(tasks: { workflowId: string; input: TaskInput }[]): Promise<{ started: number; existing: number }>;
}

const { startTaskWorkflows } = wf.proxyActivities<TaskStarterActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const { sendNotification } = wf.proxyActivities<MailActivities>({
  // nodemailer gives up within 10 s to connect or greet and 30 s on a silent socket.
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 50 },
});

/** Tasks started per activity call: small enough for the payload limit, large enough to be quick. */
const START_BATCH = 100;

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

  wf.setHandler(taskChangedSignal, (summary) => {
    state.tasks[summary.task] = summary;
  });
  /** A task as of now: tasks report changes of state, and lateness grows by itself. */
  const current = (id: string, asOf = today()): TaskSummary => {
    const summary = state.tasks[id]!;
    if (summary.state === TaskState.done || summary.due === null) return summary;
    const daysLate = calendar.workingDaysBetween(summary.due, asOf);
    return daysLate > 0 ? { ...summary, daysLate, state: summary.state === TaskState.unscheduled ? summary.state : TaskState.overdue } : summary;
  };
  const status = (serverNow?: number): PlanStatus => {
    const asOf = serverNow === undefined ? today() : dateOf(serverNow + input.clockShiftMs, zone);
    return { plan: plan.id, key: planKey, title: ref.title, asOf, started: state.started, total: schedule.tasks.length, ...(changeHistory.length > 0 ? { changes: changeHistory } : {}), tasks: schedule.tasks.map((task) => current(task.task, asOf)) };
  };
  wf.setHandler(planStatusQuery, (serverNow) => status(serverNow));
  wf.setHandler(planProgressQuery, (serverNow): PlanProgress => {
    const { tasks, ...rest } = status(serverNow);
    return { ...rest, tasks: tasks.map((summary, index) => progressOf(summary, schedule.tasks[index]!)) };
  });

  const taskInput = (task: ScheduledTask): TaskInput => {
    const item = plan.items.find((entry) => entry.id === task.item)!;
    const within = item.within === undefined ? null : readWithin(item.within);
    const doneBefore = Object.fromEntries(task.after.flatMap((id) => (state.tasks[id]?.doneOn ? [[id, state.tasks[id]!.doneOn!]] : [])));
    return {
      plan: ref,
      planWorkflowId: selfId,
      task,
      within: within?.ok ? within.within : null,
      recipients: recipientsOf(plan, task),
      reminders: { ...plan.reminders, ...item.reminders },
      calendar: input.calendar,
      doneBefore,
      clockShiftMs: input.clockShiftMs,
      indexed: input.indexed,
      ...(item.documents && item.documents.length > 0 ? { documents: item.documents } : {}),
    };
  };

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
    if (changed) await wf.continueAsNew<typeof planWorkflow>(changed);
    await wf.continueAsNew<typeof planWorkflow>({ ...input, state: { ...carryState(state, [...relayed], plan, schedule.tasks), ...(changeHistory.length > 0 ? { changes: changeHistory } : {}) } });
  };

  while (state.started < schedule.tasks.length) {
    const batch = schedule.tasks.slice(state.started, state.started + START_BATCH);
    await startTaskWorkflows(batch.map((task) => ({ workflowId: taskWorkflowId(planKey, task.task), input: taskInput(task) })));
    state.started += batch.length;
    await continueIfLong();
  }

  const allDone = () => schedule.tasks.every((task) => state.tasks[task.task]?.state === TaskState.done);
  const unrelayed = () => schedule.tasks.filter((task) => state.tasks[task.task]?.state === TaskState.done && !relayed.has(task.task));

  while (!allDone() || unrelayed().length > 0) {
    const digestAt = nextDigestSlot();
    await wf.condition(() => unrelayed().length > 0 || allDone() || changes.pending(), Math.max(0, digestAt - now()));
    for (const task of unrelayed()) {
      const doneOn = state.tasks[task.task]!.doneOn ?? today();
      await Promise.all(
        (dependents.get(task.task) ?? []).map((dependent) =>
          wf.getExternalWorkflowHandle(taskWorkflowId(planKey, dependent)).signal(prerequisiteDoneSignal, { task: task.task, doneOn }).catch(() => undefined),
        ),
      );
      relayed.add(task.task);
    }
    if (now() >= digestAt && !allDone()) await sendDigest(digestAt);
    await continueIfLong();
  }
  return status();

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
    const lines = (filter: (summary: TaskSummary) => boolean) => summaries.filter(filter).map(lineOf);
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
      dueThisWeek: lines((summary) => summary.state !== TaskState.done && summary.due !== null && summary.due >= weekOf && summary.due <= weekEnd),
      overdue: lines((summary) => summary.state === TaskState.overdue),
      done: lines((summary) => summary.doneOn !== null && summary.doneOn >= lastWeek && summary.doneOn < weekOf),
    };
    if (digest.started.length + digest.dueThisWeek.length + digest.overdue.length + digest.done.length === 0) return;
    await sendNotification(digest);
  }
}

export function restoreState(carried: CarriedPlanState | undefined, plan: Plan, tasks: readonly ScheduledTask[]): PlanState {
  const summaries = Object.fromEntries(tasks.map((task) => [task.task, { ...initialSummary(plan, task), ...carried?.changed?.[task.task] }]));
  return { started: carried?.started ?? 0, tasks: carried?.tasks ?? summaries, relayed: carried?.relayed ?? [], digests: carried?.digests ?? [] };
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
  return { started: state.started, changed, relayed, digests: state.digests };
}

function lineOf(summary: TaskSummary): TaskLine {
  return {
    task: summary.task,
    title: summary.title,
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

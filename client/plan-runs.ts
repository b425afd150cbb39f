/**
 * Running plans on Temporal from the outside: start a plan, ask how it stands, report a
 * task done, move a deadline. Used by the command line and the pages.
 */
import { ApplicationFailure, Connection, Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { LoadedPlan } from '../activities/plan-files.ts';
import { yearOf, type IsoDate } from '../plan/dates.ts';
import { dateOf, slotOnOrAfter } from '../workflows/clock.ts';
import { doneBeforeStartProblems, doneOnBeforeStart, lateAtStart, type LateAtStart } from '../workflows/mid-year.ts';
import {
  acceptReportUpdate,
  changePlanUpdate,
  completeTaskUpdate,
  reopenTaskUpdate,
  reportTaskUpdate,
  returnReportUpdate,
  type AcceptReportInput,
  type ReopenTaskInput,
  type ReportTaskInput,
  type ReturnReportInput,
  type TaskSummary,
  declineExtensionUpdate,
  extendDeadlineUpdate,
  planProgressQuery,
  planStatusQuery,
  planWorkflowId,
  reassignTaskUpdate,
  requestExtensionUpdate,
  taskStatusQuery,
  taskWorkflowId,
  type CompleteTaskInput,
  type DeclineExtensionInput,
  type ExtendDeadlineInput,
  type PlanChangeSummary,
  type PlanStatus,
  type ReassignTaskInput,
  type RequestExtensionInput,
  type TaskStatus,
} from '../workflows/messages.ts';
import type { PlanInput, planWorkflow } from '../workflows/plan-workflow.ts';
import { PlanChangeFailure } from '../workflows/plan-change-update.ts';
import { summaryFromProgress } from '../workflows/task-summary.ts';
import { CODE_VERSION } from '../workflows/code-version.ts';
import { PlanAttribute, StatusAttribute } from '../workflows/search-attributes.ts';
import { connectionOptions, temporalSettings } from './temporal-settings.ts';

export const TASK_QUEUE = 'plangraf';

/** Where Temporal is, for messages: its address, namespace and how it is reached. */
export function temporalAddress(env: NodeJS.ProcessEnv = process.env): string {
  return temporalSettings(env).description;
}

/**
 * A client of Temporal as the environment says (`client/temporal-settings.ts`: address,
 * namespace, TLS, API key); `address` overrides the address alone (the main job's dev server).
 */
export async function connectClient(address?: string, env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const settings = temporalSettings(env);
  const connection = await Connection.connect({ ...connectionOptions(settings), ...(address ? { address } : {}), connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: settings.namespace });
}

/** The key a plan runs under: its id, or `<id>-in-<year>` when laid over another year. */
export function planKeyOf(loaded: LoadedPlan, year?: number): string {
  const own = loaded.plan.year ?? loaded.plan.schoolYear!;
  return year === undefined || year === own ? loaded.plan.id : `${loaded.plan.id}-in-${year}`;
}

/** Tasks marked done before the start that the plan cannot take: the plan is not started. */
export class DoneBeforeStartRefused extends Error {}

/**
 * Refuses, in Russian and before anything is recorded or started, tasks marked done before the
 * start that the plan has no task for or that lack a result.
 * @throws DoneBeforeStartRefused naming every such task
 */
export function checkDoneBeforeStart(loaded: LoadedPlan, done: PlanInput['doneBeforeStart'] = {}): void {
  const problems = doneBeforeStartProblems(loaded.schedule.tasks, done);
  if (problems.length === 0) return;
  throw new DoneBeforeStartRefused(`отметки о выполнении до запуска плана «${loaded.plan.id}» не приняты: ${problems.join('; ')}. План не запущен. Номера задач — в plangraf schedule.`);
}

/**
 * What a start at `at` (this machine's clock, shifted as the plan's will be) would find late: the
 * tasks whose deadline is before the day of the first letters and that are not marked done, as the
 * plan workflow counts them.
 */
export function lateIfStartedAt(loaded: LoadedPlan, done: PlanInput['doneBeforeStart'] = {}, at = Date.now()): { letterDay: IsoDate; late: LateAtStart[] } {
  const zone = loaded.plan.timezone;
  const startDay = dateOf(at, zone);
  const doneOn = Object.fromEntries(loaded.schedule.tasks.filter((task) => task.task in done).map((task) => [task.task, doneOnBeforeStart(task, startDay)]));
  const letterDay = dateOf(slotOnOrAfter(at, loaded.calendar, zone), zone);
  return { letterDay, late: lateAtStart(loaded.plan, loaded.schedule.tasks, doneOn, letterDay, loaded.calendar) };
}

/**
 * The plan workflow's input: the plan, and the calendar years its tasks may reach (its span and the year after, for late tasks).
 * @throws DoneBeforeStartRefused when `doneBeforeStart` names a task the plan has not, or gives no result
 */
export function planInputOf(loaded: LoadedPlan, options: { year?: number; clockShiftMs?: number; indexed?: boolean; doneBeforeStart?: PlanInput['doneBeforeStart'] } = {}): PlanInput {
  checkDoneBeforeStart(loaded, options.doneBeforeStart);
  const { span } = loaded.schedule;
  const first = yearOf(span.start);
  const years = Array.from({ length: yearOf(span.end) - first + 2 }, (_, index) => first + index);
  return {
    plan: loaded.plan,
    planKey: planKeyOf(loaded, options.year),
    ...(options.year !== undefined ? { year: options.year } : {}),
    calendar: loaded.calendar.yearsData(years),
    clockShiftMs: options.clockShiftMs ?? 0,
    indexed: options.indexed ?? true,
    ...(options.doneBeforeStart && Object.keys(options.doneBeforeStart).length > 0 ? { doneBeforeStart: options.doneBeforeStart } : {}),
    executionControl: true,
    codeVersion: CODE_VERSION,
  };
}

export type StartOutcome = { started: true; workflowId: string } | { started: false; workflowId: string };

/** Starts a plan; starting it again changes nothing and says so. */
export async function startPlan(client: Client, input: PlanInput, taskQueue = TASK_QUEUE): Promise<StartOutcome> {
  const workflowId = planWorkflowId(input.planKey);
  try {
    await client.workflow.start<typeof planWorkflow>('planWorkflow', {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...(input.indexed ? { typedSearchAttributes: [{ key: PlanAttribute, value: input.planKey }, { key: StatusAttribute, value: 'running' }] } : {}),
    });
    return { started: true, workflowId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { started: false, workflowId };
    throw error;
  }
}

/**
 * The plan as of `serverNow` (the server's clock; a time-skipping server's differs from this
 * machine's). With the plan at hand, the workflow sends only what changes of each task and the
 * rest is filled in from the plan: a plan of thousands of tasks stays far below the message limit.
 */
export async function planStatus(client: Client, planKey: string, serverNow = Date.now(), loaded?: LoadedPlan): Promise<PlanStatus> {
  const handle = client.workflow.getHandle(planWorkflowId(planKey));
  if (!loaded) return handle.query(planStatusQuery, serverNow);
  const progress = await handle.query(planProgressQuery, serverNow);
  const { plan, schedule } = loaded;
  const byTask = new Map(progress.tasks.map((entry) => [entry.task, entry]));
  return {
    ...progress,
    tasks: schedule.tasks.flatMap((task) => {
      const entry = byTask.get(task.task);
      return entry ? [summaryFromProgress(plan, task, entry)] : [];
    }),
  };
}

export async function taskStatus(client: Client, planKey: string, task: string, serverNow = Date.now()): Promise<TaskStatus> {
  const handle = client.workflow.getHandle(taskWorkflowId(planKey, task));
  return handle.query(taskStatusQuery, serverNow);
}

/** Why an update was refused, in the validator's own words. */
export class TaskActionRefused extends Error {}

/**
 * Runs an update on a task. A task workflow ends when the task is done, so an update to a done
 * task finds no running workflow: it is refused in the same words the workflow would use.
 */
async function update<T>(client: Client, planKey: string, task: string, run: (handle: WorkflowHandle) => Promise<T>, whenDone: (done: TaskStatus) => string): Promise<T> {
  const handle = client.workflow.getHandle(taskWorkflowId(planKey, task));
  try {
    return await run(handle);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new TaskActionRefused((error.cause as Error | undefined)?.message ?? error.message);
    const described = await handle.describe().catch(() => undefined);
    if (described?.status.name === 'COMPLETED') throw new TaskActionRefused(whenDone((await handle.result()) as TaskStatus));
    throw error;
  }
}

export async function completeTask(client: Client, planKey: string, task: string, input: CompleteTaskInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(completeTaskUpdate, { args: [input] }), (done) => `задача уже выполнена ${done.doneOn}`);
}

/** The executor's report: «на проверке» until the office accepts or returns it, or done when the item's reports need no check. */
export async function reportTask(client: Client, planKey: string, task: string, input: ReportTaskInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(reportTaskUpdate, { args: [input] }), (done) => `задача уже выполнена ${done.doneOn}`);
}

/** The office accepts the report on check: the task is done («снято с контроля»). */
export async function acceptReport(client: Client, planKey: string, task: string, input: AcceptReportInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(acceptReportUpdate, { args: [input] }), (done) => `задача уже снята с контроля ${done.doneOn}`);
}

/** The office returns the report for rework with a reason; the executor gets a letter with fresh links. */
export async function returnReport(client: Client, planKey: string, task: string, input: ReturnReportInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(returnReportUpdate, { args: [input] }), (done) => `задача уже снята с контроля ${done.doneOn}`);
}

/** An administrator reopens a done task, with a reason: its workflow runs again, its history kept. */
export async function reopenTask(client: Client, planKey: string, input: ReopenTaskInput): Promise<TaskSummary> {
  const handle = client.workflow.getHandle(planWorkflowId(planKey));
  try {
    return await handle.executeUpdate(reopenTaskUpdate, { args: [input] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new TaskActionRefused((error.cause as Error | undefined)?.message ?? error.message);
    const described = await handle.describe().catch(() => undefined);
    if (described && described.status.name !== 'RUNNING') throw new TaskActionRefused('план завершён: все его задачи сняты с контроля, возобновить задачу нельзя');
    throw error;
  }
}

export async function extendTask(client: Client, planKey: string, task: string, input: ExtendDeadlineInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(extendDeadlineUpdate, { args: [input] }), () => 'задача уже выполнена: переносить нечего');
}

export async function reassignTask(client: Client, planKey: string, task: string, input: ReassignTaskInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(reassignTaskUpdate, { args: [input] }), () => 'задача уже выполнена: передавать нечего');
}

export async function requestExtension(client: Client, planKey: string, task: string, input: RequestExtensionInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(requestExtensionUpdate, { args: [input] }), () => 'задача уже выполнена: переносить нечего');
}

export async function declineExtension(client: Client, planKey: string, task: string, input: DeclineExtensionInput): Promise<TaskStatus> {
  return update(client, planKey, task, (handle) => handle.executeUpdate(declineExtensionUpdate, { args: [input] }), () => 'задача уже выполнена');
}

/** Why a change of a running plan was refused: each reason a Russian sentence naming the task or item. */
export class PlanChangeRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('\n'));
  }
}

/**
 * Changes a running plan to the plan of `next` (its plan-graph and calendar; built by
 * `planInputOf` from the new version of the plan): new tasks start, removed ones that have not
 * begun are withdrawn, moved dates, executors and reminders reach the running tasks, done tasks
 * stay as they are, and the plan's history records the change. Recording the new version of the
 * plan in the store is the caller's, once this returns.
 * @returns what changed; `lines` is empty when the new plan changes nothing
 * @throws PlanChangeRefused with the reasons, when the change would move a done task, remove a
 *   begun one, break a dependency, or change the plan's id or year; or when the plan has ended
 * @throws WorkflowNotFoundError when the plan was never started
 */
export async function changeRunningPlan(client: Client, planKey: string, next: PlanInput, by?: string): Promise<PlanChangeSummary> {
  const handle = client.workflow.getHandle(planWorkflowId(planKey));
  try {
    return await handle.executeUpdate(changePlanUpdate, { args: [{ plan: next.plan, calendar: next.calendar, ...(next.year !== undefined ? { year: next.year } : {}), ...(by !== undefined ? { by } : {}) }] });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === PlanChangeFailure.refused) {
      const [reasons] = (cause.details ?? []) as [string[] | undefined];
      throw new PlanChangeRefused(Array.isArray(reasons) ? reasons : [cause.message]);
    }
    const described = await handle.describe().catch(() => undefined);
    if (described && described.status.name !== 'RUNNING') throw new PlanChangeRefused([`план «${planKey}» уже завершён: изменять нечего`]);
    throw error;
  }
}

export { WorkflowNotFoundError };

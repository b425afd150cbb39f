/**
 * The messages the plan's workflows understand, shared by the workflows and their clients
 * (the command line, the pages).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '../plan/dates.ts';
import type { DocumentOrder } from '../documents/plan-documents.ts';
import type { DocumentTemplateId } from '../plan/document-numbering.ts';
import type { NotificationKind, Recipient } from '../plan/notifications.ts';
import type { CalendarYear } from '../plan/calendar-data.ts';
import type { Plan, Reminders } from '../plan/schema.ts';
import type { Within } from '../plan/within.ts';

export const TaskState = {
  /** Before its start day. */
  planned: 'planned',
  /** Its start day has come, but it waits for the tasks in `after`. */
  waiting: 'waiting',
  active: 'active',
  overdue: 'overdue',
  /** «на проверке»: the executor reported it; the office has yet to accept the report or return it. */
  review: 'review',
  /** Accepted («снято с контроля»), or reported on an item whose reports need no check. */
  done: 'done',
  /** «по отдельному графику»: no dates yet. */
  unscheduled: 'unscheduled',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

export interface TaskHistoryEntry {
  /** Calendar date and time in the plan's time zone. */
  date: IsoDate;
  time: string;
  kind: NotificationKind | 'completed' | 'extension' | 'reassignment' | 'started' | 'documents' | 'extension-request' | 'extension-refusal' | 'replan' | 'reported' | 'accepted' | 'report-returned' | 'reopening';
  /** Addresses a message went to, or who acted. */
  to?: string[];
  detail?: string;
}

export interface TaskStatus {
  task: string;
  item: string;
  title: string;
  period: string;
  school: string | null;
  schoolName: string | null;
  executor: Recipient;
  coExecutors: Recipient[];
  start: IsoDate | null;
  due: IsoDate | null;
  plannedDue: IsoDate | null;
  state: TaskState;
  target: string | null;
  result: string | null;
  comment: string | null;
  doneOn: IsoDate | null;
  /** «на проверке»: the day of the report the office has yet to check (`result` and `comment` are the report's). */
  reportedOn?: IsoDate | null;
  /** Working days past the due date: today's for an open task, at the report or completion for a reported or done one. */
  daysLate: number;
  /** The task's today: the day in the plan's time zone the state is given for. */
  asOf?: IsoDate;
  /** The executor's request for more time, while the office has not decided on it. */
  extensionRequest?: ExtensionRequest | null;
  /** Whether the executor's reports wait for the office's check (execution control); absent for tasks started before it. */
  checked?: boolean;
  /** Reports made so far (the one on review included): numbers each report and the files it came with. */
  reports?: number;
  /** The office's last return of a report for rework, while the task is open again. */
  returned?: ReportReturn | null;
  history: TaskHistoryEntry[];
}

export interface ReportReturn {
  reason: string;
  on: IsoDate;
  by?: string;
}

export interface ExtensionRequest {
  to: IsoDate;
  reason: string;
  /** When it was asked. */
  on: IsoDate;
  by?: string;
}

/** What a task tells its plan whenever it changes. */
export type TaskSummary = Omit<TaskStatus, 'history' | 'coExecutors' | 'asOf' | 'extensionRequest' | 'checked' | 'reports' | 'returned'>;

export interface CompleteTaskInput {
  result: string;
  comment?: string;
  /** Who reports it: an executor's id, `office`, or the command line's user. */
  by?: string;
}

/** The executor's report: it waits for the office's check, unless the item's reports need none. */
export interface ReportTaskInput {
  result: string;
  comment?: string;
  /** The executor's id. */
  by?: string;
}

/** The office accepts the report on check («снять с контроля»). */
export interface AcceptReportInput {
  by?: string;
}

/** The office returns the report for rework («вернуть на доработку»); the executor reads the reason. */
export interface ReturnReportInput {
  reason: string;
  by?: string;
}

/** An administrator reopens a task whose wrong result was accepted by mistake. */
export interface ReopenTaskInput {
  task: string;
  reason: string;
  by?: string;
}

export interface ExtendDeadlineInput {
  to: IsoDate;
  reason: string;
  by?: string;
}

export interface RequestExtensionInput {
  to: IsoDate;
  reason: string;
  by?: string;
}

export interface DeclineExtensionInput {
  /** What the office answers; the executor reads it. */
  reason: string;
  by?: string;
}

export interface ReassignTaskInput {
  executor: Recipient;
  reason?: string;
  by?: string;
}

/** The office marks the task done itself (accepting any report on check). */
export const completeTaskUpdate = defineUpdate<TaskStatus, [CompleteTaskInput]>('completeTask');
/** The executor reports the task done: «на проверке», or done when the item's reports need no check. */
export const reportTaskUpdate = defineUpdate<TaskStatus, [ReportTaskInput]>('reportTask');
export const acceptReportUpdate = defineUpdate<TaskStatus, [AcceptReportInput]>('acceptReport');
export const returnReportUpdate = defineUpdate<TaskStatus, [ReturnReportInput]>('returnReport');
/** To the plan: run a done task again, its history kept; the executor is told why. */
export const reopenTaskUpdate = defineUpdate<TaskSummary, [ReopenTaskInput]>('reopenTask');
export const extendDeadlineUpdate = defineUpdate<TaskStatus, [ExtendDeadlineInput]>('extendDeadline');
export const reassignTaskUpdate = defineUpdate<TaskStatus, [ReassignTaskInput]>('reassignTask');
/** The executor asks for more time; the office is told and decides. */
export const requestExtensionUpdate = defineUpdate<TaskStatus, [RequestExtensionInput]>('requestExtension');
/** The office turns a request for more time down; the executor is told. */
export const declineExtensionUpdate = defineUpdate<TaskStatus, [DeclineExtensionInput]>('declineExtension');
/**
 * The task as of an instant of the server's clock (default: the workflow's last wake-up, which
 * in a query is not "now": pass `Date.now()` for a live view).
 */
export const taskStatusQuery = defineQuery<TaskStatus, [number?]>('taskStatus');
/** From the plan: a task this one waits for is done. */
export const prerequisiteDoneSignal = defineSignal<[{ task: string; doneOn: IsoDate }]>('prerequisiteDone');

/** From a task to its plan. */
export const taskChangedSignal = defineSignal<[TaskSummary]>('taskChanged');
/** Every task as of an instant of the server's clock, as for `taskStatusQuery`. */
export const planStatusQuery = defineQuery<PlanStatus, [number?]>('planStatus');
/**
 * The plan as of an instant, each task by what changes as the year goes only; the rest is the
 * plan's, which the asker has. A plan of thousands of tasks answers in a fraction of the bytes.
 */
export const planProgressQuery = defineQuery<PlanProgress, [number?]>('planProgress');
/** How many of the plan's tasks have their workflows started: what a starter waits for, without the tasks' states. */
export const planStartedQuery = defineQuery<{ started: number; total: number }>('planStarted');

/** A task's changing part: `executor` only when it is no longer the plan's, empty fields left out. */
export interface TaskProgressEntry {
  task: string;
  state: TaskState;
  start: IsoDate | null;
  due: IsoDate | null;
  executor?: Recipient;
  result?: string;
  comment?: string;
  doneOn?: IsoDate;
  reportedOn?: IsoDate;
  daysLate?: number;
}

/** The compact status: the same heading, each task's changing part only. */
export interface PlanProgress extends PlanHeading {
  tasks: TaskProgressEntry[];
}

/** What a task's start asks its plan for: the documents of its item, as of a day. */
export interface TaskDocumentsRequest {
  task: string;
  asOf: IsoDate;
}

/** The documents to issue for a task, and how the plan numbers them; or why they cannot be made. */
export type TaskDocumentsPlan =
  | { ok: true; planKey: string; year: number; numbering: Partial<Record<DocumentTemplateId, string>>; orders: DocumentOrder[] }
  | { ok: false; problems: string[] };

/** From a task's documents activity to its plan: the plan knows the schools, the people and every task's state. */
export const taskDocumentsQuery = defineQuery<TaskDocumentsPlan, [TaskDocumentsRequest]>('taskDocuments');

/** What a plan's status says of the plan itself. */
export interface PlanHeading {
  plan: string;
  key: string;
  title: string;
  /** The plan's today: the day in its time zone the states are given for. */
  asOf: IsoDate;
  started: number;
  total: number;
  /** The plan's history of changes while it runs, oldest first; absent while it has none. */
  changes?: PlanChangeRecord[];
}

export interface PlanStatus extends PlanHeading {
  tasks: TaskSummary[];
}

/** Workflow ids: business ids, never random. */
export function planWorkflowId(planKey: string): string {
  return `plan:${planKey}`;
}

export function taskWorkflowId(planKey: string, task: string): string {
  return `task:${planKey}:${task}`;
}

/**
 * From a plan whose plan-graph was changed to one of its running tasks: the task as the new
 * plan has it. A signal, as a workflow cannot run another's update; the plan's validator has
 * already refused what the task could not take (a done task moved, a started one given new
 * prerequisites).
 */
export const replanTaskSignal = defineSignal<[ReplanTaskInput]>('replanTask');

export interface ReplanTaskInput {
  /** The plan change's number, counted over the plan's life: keys the letters it causes. */
  change: number;
  start: IsoDate | null;
  due: IsoDate | null;
  /** The period as the new plan words it. */
  period: string;
  /** A relative deadline: the due date is counted from the prerequisites' completion. */
  within: Within | null;
  executor: Recipient;
  reminders: Reminders;
  /** The tasks it waits for, and those of them already done. */
  after: string[];
  doneBefore: Record<string, IsoDate>;
  /** Who changed the plan. */
  by?: string;
}

/** The office changes the running plan: the new plan-graph, validated and scheduled by the workflow. */
export const changePlanUpdate = defineUpdate<PlanChangeSummary, [ChangePlanInput]>('changePlan');

export interface ChangePlanInput {
  plan: Plan;
  /** The production calendar years the new plan needs. */
  calendar: CalendarYear[];
  /** The year the plan is laid over; it must be the running plan's. */
  year?: number;
  /** Who changes it: a login, `cli:<user>`. */
  by?: string;
}

/** What a change did, task by task, and in Russian lines for the office. */
export interface PlanChangeSummary {
  added: string[];
  removed: string[];
  moved: string[];
  reassigned: string[];
  reminders: string[];
  dependencies: string[];
  /** One Russian sentence per change; empty when the new plan changes nothing. */
  lines: string[];
}

/** One entry of the plan's «история изменений». */
export interface PlanChangeRecord {
  /** Calendar date and time in the plan's time zone. */
  date: IsoDate;
  time: string;
  by: string | null;
  lines: string[];
}

/**
 * One task of a plan as a durable workflow: it waits for its start day and for the tasks it
 * depends on, e-mails its executor, reminds before the deadline, chases when late and
 * escalates to the office, until the executor reports it done.
 */
import * as wf from '@temporalio/workflow';
import { follows, type Patch } from './code-version.ts';
import type { CalendarYear } from '../plan/calendar-data.ts';
import { maxDate, type IsoDate } from '../plan/dates.ts';
import type { DocumentTemplateId } from '../plan/document-numbering.ts';
import { MailFailure, type Attachment, type DeliveryReport, type Notification, type NotificationKind, type PlanRef, type Recipient, type TaskLine, type TaskNotification } from '../plan/notifications.ts';
import { sharedCalendar } from '../plan/production-calendar.ts';
import type { TaskRecipients } from '../plan/recipients.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { Reminders } from '../plan/schema.ts';
import { deadlineAfter, type Within } from '../plan/within.ts';
import { dateOf, instantOf, isoInstant, slotOf, slotOnOrAfter, timeOf } from './clock.ts';
import {
  completeTaskUpdate,
  declineExtensionUpdate,
  extendDeadlineUpdate,
  acceptReportUpdate,
  reportTaskUpdate,
  returnReportUpdate,
  requestExtensionUpdate,
  prerequisiteDoneSignal,
  reassignTaskUpdate,
  replanTaskSignal,
  taskChangedSignal,
  TaskState,
  taskStatusQuery,
  type ExtensionRequest,
  type ReportReturn,
  type TaskHistoryEntry,
  type TaskStatus,
} from './messages.ts';
import { DueAttribute, ExecutorAttribute, PlanAttribute, StatusAttribute } from './search-attributes.ts';

export interface TaskInput {
  plan: PlanRef;
  /** The plan workflow to report changes to; `null` for a task run on its own. */
  planWorkflowId: string | null;
  task: ScheduledTask;
  /** A relative deadline, counted from when the tasks in `after` were really done. */
  within: Within | null;
  recipients: TaskRecipients;
  reminders: Reminders;
  /** The production calendar years the task may need. */
  calendar: CalendarYear[];
  /** Tasks of `after` already done when this one was started. */
  doneBefore: Record<string, IsoDate>;
  /**
   * Milliseconds added to the workflow clock: 0 in production; `simulate` runs a past year on
   * the time-skipping server, whose clock starts today.
   */
  clockShiftMs: number;
  /** Keep the search attributes up to date (the dev server has them registered; the test server does not). */
  indexed: boolean;
  /** Documents the task's start produces (the item's `documents:`), sent with the assignment. */
  documents?: DocumentTemplateId[];
  /** Joining mid-year: the office marked the task done before the plan started. It is recorded done as of `doneOn`, and nobody is written to. */
  doneBeforeStart?: { result: string; comment?: string; doneOn: IsoDate };
  /**
   * Joining mid-year: the task was already late (due `due`) when the plan started. The plan lists
   * it in one letter to its executor at `letterAt`, which stands for this task's start letter,
   * its first overdue notice and its escalation; the chasing goes on from that letter.
   */
  lateAtStart?: { letterAt: number; due: IsoDate };
  /** Execution control: the executor's report waits for the office's check («на проверке»). Absent before it: a report closes the task. */
  check?: boolean;
  /** The version of the code that started the task: the changes it follows without a marker (`code-version.ts`). */
  codeVersion?: number;
  /**
   * The occurrence of a repeated activity as people name it («2-й квартал»; `''` for an activity
   * done once), for the letters to name the task by. Absent from tasks started before it: their
   * letters name the task by its title and school.
   */
  occurrence?: string;
  /** An administrator reopened the task, done in its previous run: that run's history and result, and why. */
  reopened?: Reopening;
  /** The task as its previous run left it when its history grew long and it continued as new. */
  carried?: CarriedTask;
  /** The history length past which the task continues as new (default `CONTINUE_AFTER_EVENTS`); tests make it short. */
  continueAfterEvents?: number;
}

/**
 * Everything a task knows that its input does not: what a run hands the next when it continues
 * as new. The next run takes it up in its main loop, where the previous one left off.
 */
export interface CarriedTask {
  reminders: Reminders;
  within: Within | null;
  period: string;
  plannedDue: IsoDate | null;
  countedFrom: IsoDate | null;
  replans: number;
  start: IsoDate | null;
  due: IsoDate | null;
  executor: Recipient;
  extensionRequest: ExtensionRequest | null;
  assignedAt: number;
  changes: number;
  depsDone: Record<string, IsoDate>;
  /** The keys of the letters sent. */
  sent: string[];
  outbox: TaskNotification[];
  documents: TaskDocument[] | null;
  history: TaskHistoryEntry[];
  chaseFrom: { due: IsoDate; day: IsoDate } | null;
  review: { result: string; comment: string | null; on: IsoDate; by?: string } | null;
  reports: number;
  returned: ReportReturn | null;
  /** What the plan and the index were last told. */
  reported: string;
}

/**
 * A task chased all year grows ~11 events a letter; past this many it continues as new with its
 * state (`CarriedTask`), so a worker waking it replays a short history, not a year's.
 */
export const CONTINUE_AFTER_EVENTS = 400;
/** A task of earlier code told its plan nothing when an update ended a wait with no letter due. */
export const REPORT_AFTER_WAIT_PATCH = 'report-after-wait' satisfies Patch;
/** Tasks of earlier code never continued as new: replaying one must not either. */
export const CONTINUE_AS_NEW_PATCH = 'task-continues-as-new' satisfies Patch;

/** What a reopened task's new run starts from. */
export interface Reopening {
  reason: string;
  by?: string;
  /** The previous run's history, to which this run's adds. */
  history: TaskHistoryEntry[];
  /** Reports the previous run had: this run's number on. */
  reports: number;
  previous: { result: string | null; doneOn: IsoDate | null };
}

export interface MailActivities {
  sendNotification(notification: Notification): Promise<DeliveryReport>;
}

/** A document issued for a task: attached to its mail, and sent to those it concerns. */
export interface TaskDocument extends Attachment {
  template: DocumentTemplateId;
  /** Who must receive it besides the executor: a contract's two directors. */
  recipients: Recipient[];
}

export interface DocumentActivities {
  /** Issues (once) the documents of the task's item as of a day, asking the plan for their data. */
  issueTaskDocuments(request: { planWorkflowId: string; task: string; asOf: IsoDate }): Promise<TaskDocument[]>;
}

/** Failure types of the document activities. */
export const DocumentFailure = {
  /** The plan's data or a template cannot make the documents: retrying will not help. */
  refused: 'DocumentsRefused',
} as const;

/** More attachments than this and the assignment lists the documents without carrying them. */
const MAX_ATTACHMENTS = 20;

/** A task that starts as its plan has it does not signal the plan at its start; earlier runs did. */
export const QUIET_START_PATCH = 'quiet-start' satisfies Patch;

/**
 * A task's letters are local activities: the worker running the task sends the letter within
 * the workflow task that decided it, and records the outcome in that task's completion, rather
 * than scheduling an activity, waiting for a worker to pick it up and a workflow task to hear
 * its result: an activity task and a workflow task fewer per letter. A task's letter is one short SMTP
 * exchange through the worker's pool (a plan's letters stay activities of the queue). Tasks of
 * earlier code sent them as activities, and do so until they run live.
 */
export const LOCAL_MAIL_PATCH = 'mail-as-local-activity' satisfies Patch;

const MAIL_OPTIONS = {
  // nodemailer gives up within 10 s to connect or greet and 30 s on a silent socket.
  startToCloseTimeout: '45 seconds',
  // SMTP down is a passing trouble: keep trying, backing off to every half hour.
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: [MailFailure.recipientRejected] },
} satisfies wf.ActivityOptions;

const { sendNotification: sendNotificationAsActivity } = wf.proxyActivities<MailActivities>(MAIL_OPTIONS);
const { sendNotification: sendNotificationLocally } = wf.proxyLocalActivities<MailActivities>({
  ...MAIL_OPTIONS,
  // Every wait between tries is a timer in the history: a worker that restarts keeps it, and
  // nothing holds the workflow task open while SMTP is down.
  localRetryThreshold: '1 second',
});

const { issueTaskDocuments } = wf.proxyActivities<DocumentActivities>({
  startToCloseTimeout: '5 minutes',
  // A passing trouble is retried a while; then the task is assigned without its documents, and says so.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 6, nonRetryableErrorTypes: [DocumentFailure.refused] },
});

interface Completion {
  result: string;
  comment: string | null;
  doneOn: IsoDate;
}

interface PlannedMail {
  at: number;
  notifications: TaskNotification[];
}

export async function taskWorkflow(input: TaskInput): Promise<TaskStatus> {
  const calendar = sharedCalendar(input.calendar);
  const { task, plan, carried } = input;
  // What a change of the running plan may change (replanTaskSignal); the rest of the task is fixed.
  let reminders = carried ? carried.reminders : input.reminders;
  let within = carried ? carried.within : input.within;
  let period = carried ? carried.period : task.period;
  let plannedDue = carried ? carried.plannedDue : task.due;
  /** The completion a `within` deadline was counted from, once counted. */
  let countedFrom: IsoDate | null = carried ? carried.countedFrom : null;
  /** Bumped by every change of the plan that reaches this task. */
  let replans = carried ? carried.replans : 0;
  const zone = plan.timezone;
  const workflowId = wf.workflowInfo().workflowId;
  const now = () => Date.now() + input.clockShiftMs;
  const today = () => dateOf(now(), zone);

  let start = carried ? carried.start : task.start;
  let due = carried ? carried.due : within ? null : task.due;
  let executor = carried ? carried.executor : input.recipients.executor;
  let completion: Completion | null = null;
  let extensionRequest: ExtensionRequest | null = carried ? carried.extensionRequest : null;
  let assignedAt: number | null = carried ? carried.assignedAt : null;
  /** Bumped by every update that changes what is due when: the main loop re-plans. */
  let changes = carried ? carried.changes : 0;
  const depsDone: Record<string, IsoDate> = { ...(carried ? carried.depsDone : input.doneBefore) };
  const pending = new Set(task.after.filter((id) => !(id in depsDone)));
  const sent = new Set<string>(carried?.sent ?? []);
  const outbox: TaskNotification[] = carried ? [...carried.outbox] : [];
  /** Issued at the assignment; `null` until then (and `[]` for a task without documents). */
  let documents: TaskDocument[] | null = carried ? carried.documents : input.documents && input.documents.length > 0 && input.planWorkflowId !== null ? null : [];
  const history: TaskHistoryEntry[] = carried ? [...carried.history] : input.reopened ? [...input.reopened.history] : [];
  /**
   * A letter that stood for the first overdue notice of a deadline (the plan's letter of late
   * tasks, a report returned or a task reopened after it): while that deadline holds, the
   * chasing counts from the letter's day.
   */
  let chaseFrom: { due: IsoDate; day: IsoDate } | null = carried ? carried.chaseFrom : null;
  /** Execution control: the executor's report the office has yet to check. */
  let review: { result: string; comment: string | null; on: IsoDate; by?: string } | null = carried ? carried.review : null;
  /** Reports made, over the task's runs: numbers each report (and the files that came with it). */
  let reports = carried ? carried.reports : (input.reopened?.reports ?? 0);
  let returned: ReportReturn | null = carried ? carried.returned : null;

  const record = (kind: TaskHistoryEntry['kind'], detail?: string, to?: string[]) => {
    const at = now();
    history.push({ date: dateOf(at, zone), time: timeOf(at, zone), kind, ...(detail !== undefined ? { detail } : {}), ...(to ? { to } : {}) });
  };

  const state = (at = now()): TaskState => {
    if (completion) return TaskState.done;
    if (review) return TaskState.review;
    if (start === null && due === null && !within) return TaskState.unscheduled;
    if (due !== null && dateOf(at, zone) > due) return TaskState.overdue;
    if (assignedAt === null) return pending.size > 0 && start !== null && at >= instantOf(start, '00:00', zone) ? TaskState.waiting : TaskState.planned;
    return TaskState.active;
  };

  const daysLate = (at = now()) => (due === null ? 0 : calendar.workingDaysBetween(due, completion?.doneOn ?? review?.on ?? dateOf(at, zone)));

  /** @param serverNow an instant of the server's clock to report as of (a query's "now"). */
  const status = (serverNow?: number): TaskStatus => {
    const at = serverNow === undefined ? now() : serverNow + input.clockShiftMs;
    return {
    task: task.task,
    item: task.item,
    title: task.title,
    period,
    school: task.school,
    schoolName: input.recipients.schoolName,
    executor,
    coExecutors: input.recipients.coExecutors,
    start,
    due,
    plannedDue,
    state: state(at),
    target: task.result,
    result: completion?.result ?? review?.result ?? null,
    comment: completion?.comment ?? review?.comment ?? null,
    doneOn: completion?.doneOn ?? null,
    ...(review ? { reportedOn: review.on } : {}),
    daysLate: daysLate(at),
    asOf: dateOf(at, zone),
    extensionRequest,
    ...(input.check !== undefined ? { checked: input.check, reports, returned } : {}),
    history,
    };
  };

  /** What the plan and the index know of this task; told again only when it changes. */
  let reported = carried ? carried.reported : '';
  const fingerprintOf = () => [state(), due, executor.id, completion?.result ?? ''].join('|');
  /**
   * Whether the plan or the index has yet to hear of a change of the task: only then is `report`
   * called and awaited. Asked first so that a task with nothing to tell makes no promise, as every
   * promise in a workflow costs the SDK's promise hook a stack trace.
   */
  const hasNews = () => (input.indexed || input.planWorkflowId !== null) && fingerprintOf() !== reported;
  /** Tells the index and the plan what `hasNews` found changed. */
  const report = async () => {
    reported = fingerprintOf();
    if (input.indexed) {
      wf.upsertSearchAttributes([
        { key: PlanAttribute, value: plan.key },
        { key: ExecutorAttribute, value: executor.id },
        { key: StatusAttribute, value: state() },
        ...(due !== null ? [{ key: DueAttribute, value: new Date(instantOf(due, '00:00', zone)) }] : []),
      ]);
    }
    if (input.planWorkflowId === null) return;
    const { history: _history, coExecutors: _co, asOf: _asOf, extensionRequest: _request, checked: _checked, reports: _reports, returned: _returned, ...summary } = status();
    try {
      await wf.getExternalWorkflowHandle(input.planWorkflowId).signal(taskChangedSignal, summary);
    } catch {
      // The plan may have been closed by the office; the task goes on by itself.
    }
  };

  /** The task as a message sent on `sendDate` speaks of it. */
  const line = (sendDate: IsoDate): TaskLine => ({
    task: task.task,
    title: task.title,
    ...(input.occurrence !== undefined ? { occurrence: input.occurrence } : {}),
    period,
    start,
    due,
    executorName: executor.name,
    schoolName: input.recipients.schoolName,
    target: task.result,
    result: completion?.result ?? null,
    daysLate: due === null ? 0 : calendar.workingDaysBetween(due, sendDate),
    ...(due !== null && due >= sendDate ? { daysLeft: calendar.workingDaysBetween(sendDate, due) } : {}),
  });

  const notification = (kind: Exclude<NotificationKind, 'digest'>, key: string, at: number, to: Recipient[], cc: Recipient[], details?: TaskNotification['details']): TaskNotification => ({
    kind,
    key: `${workflowId}:${key}`,
    sendDate: dateOf(at, zone),
    sendTime: timeOf(at, zone),
    sendAt: isoInstant(at, zone),
    to: withAddress(to),
    cc: withAddress(cc).filter((recipient) => !to.some((other) => other.email === recipient.email)),
    plan,
    task: line(dateOf(at, zone)),
    ...(details ? { details } : {}),
  });

  /** A date the deadline may move to: a working day, today or later, other than the deadline itself. */
  const checkNewDeadline = (to: unknown): void => {
    if (typeof to !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(Date.parse(`${to}T00:00:00Z`)) || new Date(`${to}T00:00:00Z`).toISOString().slice(0, 10) !== to) {
      throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: `«${String(to)}» — не дата; ожидается ГГГГ-ММ-ДД` });
    }
    if (!calendar.isWorkingDay(to)) throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: `${to} — нерабочий день; ближайший рабочий — ${calendar.workingDayOnOrAfter(to)}` });
    if (to < today()) throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: `новый срок ${to} уже прошёл (сегодня ${today()})` });
    if (to === due) throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: `срок и так ${to}` });
  };

  /**
   * The task is handed back to its executor by a letter at `at` (a report returned, the task
   * reopened): past its deadline, that letter stands for the first overdue notice, and the
   * chasing counts from its day.
   */
  const handBack = (at: number): void => {
    if (due === null || dateOf(at, zone) <= due) return;
    chaseFrom = { due, day: dateOf(at, zone) };
    sent.add(`${workflowId}:overdue:${due}:0`);
    sent.add(`${workflowId}:escalation:${due}`);
  };

  const checkResult = (result: unknown, comment: string | undefined): void => {
    if (typeof result !== 'string' || result.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidResult', nonRetryable: true, message: 'укажите результат: что сделано (например, «10 договоров подписано»)' });
    if (result.length > 2000 || (comment?.length ?? 0) > 4000) throw wf.ApplicationFailure.create({ type: 'InvalidResult', nonRetryable: true, message: 'результат или комментарий слишком длинный' });
  };
  const checkNotDone = (): void => {
    if (completion) throw wf.ApplicationFailure.create({ type: 'TaskAlreadyDone', nonRetryable: true, message: `задача уже выполнена ${completion.doneOn}` });
  };
  const checkOnReview = (): void => {
    checkNotDone();
    if (!review) throw wf.ApplicationFailure.create({ type: 'NoReport', nonRetryable: true, message: 'отчёта на проверке нет: исполнитель ещё не отчитался или отчёт уже возвращён' });
  };
  const reportText = (result: string, comment: string | null | undefined) => `${result.trim()}${comment?.trim() ? ` — ${comment.trim()}` : ''}`;

  // Updates and signals.
  wf.setHandler(taskStatusQuery, (serverNow) => status(serverNow));
  wf.setHandler(prerequisiteDoneSignal, ({ task: id, doneOn }) => {
    pending.delete(id);
    depsDone[id] = doneOn;
  });
  wf.setHandler(
    completeTaskUpdate,
    async ({ result, comment, by }) => {
      completion = { result: result.trim(), comment: comment?.trim() || null, doneOn: today() };
      review = null;
      record('completed', reportText(result, comment), by ? [by] : undefined);
      changes += 1;
      return status();
    },
    {
      validator: ({ result, comment }) => {
        checkNotDone();
        checkResult(result, comment);
      },
    },
  );
  // Execution control: the executor's report waits for the office, which accepts it or returns it.
  wf.setHandler(
    reportTaskUpdate,
    async ({ result, comment, by }) => {
      reports += 1;
      if (input.check) {
        review = { result: result.trim(), comment: comment?.trim() || null, on: today(), ...(by ? { by } : {}) };
        returned = null;
        record('reported', reportText(result, comment), by ? [by] : undefined);
      } else {
        completion = { result: result.trim(), comment: comment?.trim() || null, doneOn: today() };
        record('completed', reportText(result, comment), by ? [by] : undefined);
      }
      changes += 1;
      return status();
    },
    {
      validator: ({ result, comment }) => {
        checkNotDone();
        if (review) throw wf.ApplicationFailure.create({ type: 'AlreadyReported', nonRetryable: true, message: `отчёт от ${review.on} уже на проверке в проектном офисе` });
        checkResult(result, comment);
      },
    },
  );
  wf.setHandler(
    acceptReportUpdate,
    async ({ by }) => {
      const accepted = review!;
      review = null;
      completion = { result: accepted.result, comment: accepted.comment, doneOn: accepted.on };
      record('accepted', reportText(accepted.result, accepted.comment), by ? [by] : undefined);
      changes += 1;
      return status();
    },
    { validator: (_input) => checkOnReview() },
  );
  wf.setHandler(
    returnReportUpdate,
    async ({ reason, by }) => {
      const back = review!;
      review = null;
      returned = { reason: reason.trim(), on: today(), ...(by ? { by } : {}) };
      record('report-returned', reason.trim(), by ? [by] : undefined);
      const at = slotOnOrAfter(now(), calendar, zone);
      handBack(at);
      const office = input.recipients.office;
      outbox.push(notification('returned', `returned:${reports}`, at, [executor], office ? [office] : [], { reason: reason.trim(), returnedResult: reportText(back.result, back.comment) }));
      changes += 1;
      return status();
    },
    {
      validator: ({ reason }) => {
        checkOnReview();
        if (typeof reason !== 'string' || reason.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidReason', nonRetryable: true, message: 'укажите, что доработать: исполнитель прочтёт это в письме' });
        if (reason.length > 4000) throw wf.ApplicationFailure.create({ type: 'InvalidReason', nonRetryable: true, message: 'причина слишком длинная' });
      },
    },
  );
  wf.setHandler(
    extendDeadlineUpdate,
    async ({ to, reason, by }) => {
      const previousDue = due;
      due = to;
      start ??= today();
      extensionRequest = null;
      record('extension', `${previousDue ?? '—'} → ${to}: ${reason.trim()}`, by ? [by] : undefined);
      const at = slotOnOrAfter(now(), calendar, zone);
      const office = input.recipients.office;
      outbox.push(notification('extended', `extended:${to}:${changes}`, at, office ? [office] : [executor], office ? [executor] : [], { ...(previousDue ? { previousDue } : {}), reason: reason.trim() }));
      changes += 1;
      return status();
    },
    {
      validator: ({ to, reason }) => {
        if (completion) throw wf.ApplicationFailure.create({ type: 'TaskAlreadyDone', nonRetryable: true, message: 'задача уже выполнена: переносить нечего' });
        checkNewDeadline(to);
        if (typeof reason !== 'string' || reason.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: 'укажите причину переноса срока' });
      },
    },
  );
  wf.setHandler(
    reassignTaskUpdate,
    async ({ executor: next, reason, by }) => {
      const previous = executor;
      executor = next;
      record('reassignment', `${previous.name} → ${next.name}${reason ? `: ${reason}` : ''}`, by ? [by] : undefined);
      if (assignedAt !== null) {
        const at = slotOnOrAfter(now(), calendar, zone);
        const office = input.recipients.office;
        outbox.push(notification('reassigned', `reassigned:${next.id}:${changes}`, at, [next], office ? [office] : [], { previousExecutor: previous.name, ...(reason ? { reason } : {}) }));
      }
      changes += 1;
      return status();
    },
    {
      validator: ({ executor: next }) => {
        if (completion) throw wf.ApplicationFailure.create({ type: 'TaskAlreadyDone', nonRetryable: true, message: 'задача уже выполнена: передавать нечего' });
        if (!next || typeof next.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(next.email)) throw wf.ApplicationFailure.create({ type: 'InvalidExecutor', nonRetryable: true, message: 'у нового исполнителя нет верного адреса электронной почты' });
        if (next.email === executor.email) throw wf.ApplicationFailure.create({ type: 'InvalidExecutor', nonRetryable: true, message: `${next.name} уже исполнитель этой задачи` });
      },
    },
  );

  wf.setHandler(
    requestExtensionUpdate,
    async ({ to, reason, by }) => {
      extensionRequest = { to, reason: reason.trim(), on: today(), ...(by ? { by } : {}) };
      record('extension-request', `${due ?? '—'} → ${to}: ${reason.trim()}`, by ? [by] : undefined);
      const office = input.recipients.office;
      const at = slotOnOrAfter(now(), calendar, zone);
      outbox.push(notification('extension-requested', `extension-requested:${to}:${changes}`, at, office ? [office] : [executor], office ? [executor] : [], { requestedDue: to, reason: reason.trim() }));
      changes += 1;
      return status();
    },
    {
      validator: ({ to, reason }) => {
        if (completion) throw wf.ApplicationFailure.create({ type: 'TaskAlreadyDone', nonRetryable: true, message: 'задача уже выполнена: переносить нечего' });
        checkNewDeadline(to);
        if (due !== null && to < due) throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: `просить можно только о более позднем сроке, чем ${due}` });
        if (typeof reason !== 'string' || reason.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidDeadline', nonRetryable: true, message: 'укажите причину: почему нужен другой срок' });
        if (extensionRequest && extensionRequest.to === to) throw wf.ApplicationFailure.create({ type: 'AlreadyRequested', nonRetryable: true, message: `просьба перенести срок на ${to} уже направлена ${extensionRequest.on}; проектный офис её рассмотрит` });
      },
    },
  );
  wf.setHandler(
    declineExtensionUpdate,
    async ({ reason, by }) => {
      const request = extensionRequest!;
      extensionRequest = null;
      record('extension-refusal', `${request.to}: ${reason.trim()}`, by ? [by] : undefined);
      const office = input.recipients.office;
      const at = slotOnOrAfter(now(), calendar, zone);
      outbox.push(notification('extension-declined', `extension-declined:${request.to}:${changes}`, at, [executor], office ? [office] : [], { requestedDue: request.to, reason: reason.trim() }));
      changes += 1;
      return status();
    },
    {
      validator: ({ reason }) => {
        if (!extensionRequest) throw wf.ApplicationFailure.create({ type: 'NoRequest', nonRetryable: true, message: 'исполнитель не просил перенести срок' });
        if (typeof reason !== 'string' || reason.trim() === '') throw wf.ApplicationFailure.create({ type: 'InvalidReason', nonRetryable: true, message: 'укажите, почему срок не переносится: исполнитель прочтёт ответ' });
      },
    },
  );

  // The office changed the plan-graph: the task takes its new dates, executor, reminders and
  // prerequisites; an executor who has the task already hears what changed for them.
  wf.setHandler(replanTaskSignal, (next) => {
    if (completion) return;
    const previous = { start, due, executor };
    Object.assign(depsDone, next.doneBefore);
    pending.clear();
    for (const id of next.after) if (!(id in depsDone)) pending.add(id);
    within = next.within;
    period = next.period;
    plannedDue = next.due;
    if (within) {
      if (countedFrom !== null) due = deadlineAfter(countedFrom, within, calendar);
    } else {
      due = next.due;
      // The task began on its old start day; a later one does not undo that.
      if (assignedAt === null) start = next.start;
    }
    const remindersChanged = JSON.stringify(reminders) !== JSON.stringify(next.reminders);
    reminders = next.reminders;
    const handedOver = next.executor.id !== executor.id || next.executor.email !== executor.email;
    executor = next.executor;
    const what = [
      ...(start !== previous.start ? [`начало ${previous.start ?? '—'} → ${start ?? '—'}`] : []),
      ...(due !== previous.due ? [`срок ${previous.due ?? '—'} → ${due ?? '—'}`] : []),
      ...(handedOver ? [`исполнитель ${previous.executor.name} → ${executor.name}`] : []),
      ...(remindersChanged ? [`напоминания за ${next.reminders.before.join(', ')} раб. дн., о просрочке каждые ${next.reminders.overdueEvery}`] : []),
    ];
    record('replan', what.length > 0 ? what.join('; ') : 'изменены задачи, которых она ждёт', next.by ? [next.by] : undefined);
    if (assignedAt !== null) {
      const at = slotOnOrAfter(now(), calendar, zone);
      const office = input.recipients.office;
      const reason = 'изменение плана-графика';
      if (handedOver) {
        outbox.push(notification('reassigned', `reassigned:${executor.id}:${changes}`, at, [executor], office ? [office] : [], { previousExecutor: previous.executor.name, reason }));
      } else if (due !== previous.due) {
        outbox.push(notification('rescheduled', `rescheduled:${next.change}:${due ?? 'none'}`, at, [executor], office ? [office] : [], { ...(previous.due ? { previousDue: previous.due } : {}), reason }));
      }
    }
    changes += 1;
    replans += 1;
  });

  /**
   * Sends a letter once. Written with `then` rather than `await`: a letter makes a promise fewer
   * so, and every promise in a workflow costs the SDK's promise hook a stack trace.
   */
  const send = (message: TaskNotification): Promise<void> => {
    if (sent.has(message.key)) return Promise.resolve();
    sent.add(message.key);
    const sendNotification = follows(input, LOCAL_MAIL_PATCH) ? sendNotificationLocally : sendNotificationAsActivity;
    return sendNotification(message).then(
      (delivery) => {
        record(message.kind, undefined, delivery.accepted.length > 0 ? delivery.accepted : message.to.map((recipient) => recipient.email));
        if (delivery.rejected.length > 0) return undeliverable(message, delivery.rejected, 'почтовый сервер отказался принять письмо для этого адреса');
      },
      (error: unknown) => {
        // An activity's failure comes wrapped in an ActivityFailure; a local activity's as it was thrown.
        const cause = error instanceof wf.ActivityFailure ? error.cause : error;
        if (!(cause instanceof wf.ApplicationFailure) || cause.type !== MailFailure.recipientRejected) throw error;
        return undeliverable(message, message.to.map((recipient) => recipient.email), cause.message);
      },
    );
  };

  /** A bad address fails that letter only: the task records it, and the office hears of it. */
  const undeliverable = (message: TaskNotification, rejected: string[], failure: string): Promise<void> | undefined => {
    record('undeliverable', `${message.kind}: ${rejected.join(', ')}: ${failure}`);
    const office = input.recipients.office;
    if (!office || rejected.includes(office.email)) return undefined;
    return send(notification('undeliverable', `undeliverable:${message.key}`, now(), [office], [], { failedAddress: rejected.join(', '), failure, failedKind: message.kind }));
  };

  /** The next mail this task owes, given where it stands. */
  const nextMail = (): PlannedMail | null => {
    const candidates: PlannedMail[] = [];
    if (outbox.length > 0) candidates.push({ at: Math.min(...outbox.map((message) => Date.parse(message.sendAt))), notifications: [...outbox] });
    if (assignedAt === null && !review) {
      const at = slotOnOrAfter(Math.max(now(), start ? instantOf(start, '00:00', zone) : now()), calendar, zone);
      const recipients = input.recipients;
      candidates.push({ at, notifications: [notification('assigned', `assigned:${executor.id}`, at, [executor], recipients.coExecutors)] });
    } else if (due !== null && assignedAt !== null && !review) {
      for (const before of [...new Set(reminders.before)].sort((a, b) => b - a)) {
        const day = calendar.subtractWorkingDays(due, before);
        const at = slotOf(day, zone);
        const key = `reminder:${due}:${before}`;
        // A reminder whose day has passed (the deadline was moved close) is not sent late.
        if (at > assignedAt && at >= now() && !sent.has(`${workflowId}:${key}`)) {
          candidates.push({ at, notifications: [notification('reminder', key, at, [executor], [])] });
          break;
        }
      }
      const firstLate = chaseFrom !== null && due === chaseFrom.due ? chaseFrom.day : calendar.nextWorkingDay(due);
      for (let round = 0; ; round += 1) {
        const day = calendar.addWorkingDays(firstLate, round * reminders.overdueEvery);
        const key = `overdue:${due}:${round}`;
        if (sent.has(`${workflowId}:${key}`)) continue;
        // After an outage or a late start, a missed notice goes at the next slot, never off-slot.
        const at = Math.max(slotOf(day, zone), slotOnOrAfter(now(), calendar, zone));
        const messages = [notification('overdue', key, at, [executor], input.recipients.coExecutors)];
        if (round === 0) {
          const chiefs = [input.recipients.office, input.recipients.curator].filter((recipient): recipient is Recipient => recipient !== null);
          if (chiefs.length > 0) messages.push(notification('escalation', `escalation:${due}`, at, chiefs, []));
        }
        candidates.push({ at, notifications: messages });
        break;
      }
    }
    const sorted = candidates.sort((a, b) => a.at - b.at);
    const first = sorted[0];
    if (!first) return null;
    // Everything due at the same slot goes out together: sending one letter moves the clock past
    // the slot, and the others would wait for the next working day.
    if (!follows(input, 'send-all-due-at-a-slot')) return first;
    return { at: first.at, notifications: sorted.filter((candidate) => candidate.at === first.at).flatMap((candidate) => candidate.notifications) };
  };

  /** The item's documents as of the assignment day; a task goes on without them when they cannot be made. */
  const issueDocuments = async (at: number): Promise<TaskDocument[]> => {
    try {
      const issued = await issueTaskDocuments({ planWorkflowId: input.planWorkflowId!, task: task.task, asOf: dateOf(at, zone) });
      record('documents', issued.map((document) => `${document.title} № ${document.number}`).join('; '));
      return issued;
    } catch (error) {
      const cause = error instanceof wf.ActivityFailure && error.cause ? error.cause.message : (error as Error).message;
      record('documents', cause);
      return [];
    }
  };

  /**
   * The assignment with the task's documents attached, and a letter of its own for each
   * document that concerns someone the assignment does not reach: a contract goes to the
   * directors of both schools (a per-school task's own director is copied, having it already).
   */
  const withDocuments = (assignment: TaskNotification, issued: readonly TaskDocument[]): TaskNotification[] => {
    if (issued.length === 0) return [assignment];
    const addressed = new Set([...assignment.to, ...assignment.cc].map((recipient) => recipient.email));
    const letters = issued.flatMap((document) => {
      const missing = document.recipients.filter((recipient) => !addressed.has(recipient.email));
      if (missing.length === 0) return [];
      const copied = document.recipients.filter((recipient) => addressed.has(recipient.email));
      return [{ ...notification('document', `document:${document.number}`, Date.parse(assignment.sendAt), missing, copied), attachments: [attachmentOf(document)] }];
    });
    return [{ ...assignment, attachments: issued.length <= MAX_ATTACHMENTS ? issued.map(attachmentOf) : [] }, ...letters];
  };

  // A run continued as new takes up the main loop where the previous one left off.
  if (!carried) {
    // Reopened by an administrator: the previous run sent the start letter; this one hands the task back.
    if (input.reopened) {
      const { reason, by, previous } = input.reopened;
      record('reopening', `${reason}${previous.result ? ` (был принят результат «${previous.result}»${previous.doneOn ? ` от ${previous.doneOn}` : ''})` : ''}`, by ? [by] : undefined);
      const at = slotOnOrAfter(now(), calendar, zone);
      assignedAt = at;
      handBack(at);
      const office = input.recipients.office;
      outbox.push(notification('reopened', `reopened:${reports}`, at, [executor], office ? [office] : [], { reason, ...(previous.result ? { returnedResult: previous.result } : {}) }));
    }

    if (input.doneBeforeStart) {
      const { result, comment, doneOn } = input.doneBeforeStart;
      completion = { result, comment: comment ?? null, doneOn };
      record('completed', `отмечено выполненным при запуске плана: ${result}${comment ? ` — ${comment}` : ''}`);
    }

    // The plan holds each task as its schedule has it until the task says otherwise (initialSummary
    // in task-summary.ts), and the starter indexes it so: a task that starts as planned has nothing
    // to tell, and a plan of thousands of tasks does not take a signal from each as they start.
    const asPlanned = input.planWorkflowId !== null && !completion && state() === TaskState.planned && start === task.start && due === task.due && executor.id === task.executor;
    if (asPlanned && follows(input, QUIET_START_PATCH)) reported = fingerprintOf();
    if (hasNews()) await report();

    // «по отдельному графику»: nothing to do until the office gives dates (or the task is done).
    if (start === null && due === null && !within) await wf.condition(() => due !== null || completion !== null);

    // The start day (again, when a change of the plan moves it), then the tasks it waits for.
    while (start !== null && !within && !completion) {
      const startsAt = instantOf(start, '00:00', zone);
      if (startsAt <= now()) break;
      const seen = replans;
      await wf.condition(() => completion !== null || replans !== seen, startsAt - now());
      if (replans === seen) break;
      if (hasNews()) await report();
    }
    if (pending.size > 0 && !completion) {
      if (hasNews()) await report();
      await wf.condition(() => pending.size === 0 || completion !== null);
    }
    if (within && !completion) {
      const event = maxDate(Object.values(depsDone)) ?? today();
      start = today();
      due = deadlineAfter(event, within, calendar);
      countedFrom = event;
    }

    // Late at a mid-year start: the plan's letter hands the task out; the plan and the pages hear of
    // a change before it goes (a new executor, a new deadline), so the letter says what holds then.
    if (input.lateAtStart && !completion && assignedAt === null) {
      const { letterAt } = input.lateAtStart;
      while (letterAt > now() && !completion) {
        const seen = changes;
        await wf.condition(() => completion !== null || changes !== seen, letterAt - now());
        if (changes !== seen && hasNews()) await report();
      }
      // A deadline moved since the start is no longer late: the task is handed out as any other.
      if (!completion && due === input.lateAtStart.due) {
        assignedAt = letterAt;
        chaseFrom = { due, day: dateOf(letterAt, zone) };
        sent.add(`${workflowId}:overdue:${due}:0`);
        sent.add(`${workflowId}:escalation:${due}`);
        record('late-at-start', 'одним письмом со всеми просроченными задачами исполнителя', [executor.email]);
        record('started');
        if (hasNews()) await report();
      }
    }
  }

  /** This run's state for the next one. */
  const carry = (): CarriedTask => ({
    reminders, within, period, plannedDue, countedFrom, replans, start, due, executor, extensionRequest, assignedAt: assignedAt!, changes, depsDone,
    sent: [...sent], outbox, documents, history, chaseFrom, review, reports, returned, reported,
  });

  while (!completion) {
    // Between letters, with no update running: a long history goes on in a new run with the task's state.
    if (assignedAt !== null && wf.workflowInfo().historyLength > (input.continueAfterEvents ?? CONTINUE_AFTER_EVENTS) && follows(input, CONTINUE_AS_NEW_PATCH)) {
      await wf.condition(wf.allHandlersFinished);
      if (!completion) {
        const { doneBeforeStart: _marked, lateAtStart: _late, reopened: _reopened, ...kept } = input;
        await wf.continueAsNew<typeof taskWorkflow>({ ...kept, carried: carry() });
      }
      continue;
    }
    const next = nextMail();
    const seen = changes;
    if (next === null) {
      const waitsForChange = follows(input, 'report-after-update');
      await wf.condition(() => completion !== null || (waitsForChange ? changes !== seen : changes > 0));
      // A report returned (or a deadline given) while nothing was due: the plan, the pages and
      // the index hear of it now, not at the letter it leads to.
      if (!completion && follows(input, REPORT_AFTER_WAIT_PATCH) && hasNews()) await report();
      continue;
    }
    const waited = Math.max(0, next.at - now());
    const interrupted = waited > 0 && (await wf.condition(() => completion !== null || changes !== seen, waited));
    if (completion) break;
    if (interrupted) {
      // A moved deadline or a new executor: the plan, the pages and the index hear of it now, not at the next letter.
      if (follows(input, 'report-after-update') && hasNews()) await report();
      continue;
    }
    for (const planned of next.notifications) {
      if (planned.kind === 'assigned' && documents === null) documents = await issueDocuments(next.at);
      for (const message of planned.kind === 'assigned' ? withDocuments(planned, documents ?? []) : [planned]) {
        await send(message);
        const index = outbox.indexOf(message);
        if (index >= 0) outbox.splice(index, 1);
        if (message.kind === 'assigned') {
          assignedAt = next.at;
          record('started');
        }
      }
    }
    if (next.notifications.some((message) => message.kind !== 'reminder') && hasNews()) await report();
  }

  if (hasNews()) await report();
  // Only when an update is still running: a condition costs the SDK's promise hook a stack trace for each of its promises.
  if (!wf.allHandlersFinished()) await wf.condition(wf.allHandlersFinished);
  return status();
}

function attachmentOf({ title, number, date, fileName, path, sha256 }: TaskDocument): Attachment {
  return { title, number, date, fileName, path, sha256 };
}

/** Only recipients that have an address; a person without one cannot be mailed. */
function withAddress(recipients: Recipient[]): Recipient[] {
  return recipients.filter((recipient) => recipient.email !== '');
}


/**
 * What the workflows ask the mail activities to send: plain data, decided by the workflow
 * (who, when, about what), rendered and delivered by the activity.
 */
import type { IsoDate } from './dates.ts';

export const NotificationKind = {
  /** The task has started: the executor gets it, co-executors in copy, with an .ics of the deadline. */
  assigned: 'assigned',
  /** `reminders.before` working days before the due date. */
  reminder: 'reminder',
  /** The first working day after the due date, then every `overdueEvery` working days. */
  overdue: 'overdue',
  /** To the office (and the school's curator) on the first working day after the due date. */
  escalation: 'escalation',
  /** The deadline was moved: to the office, the executor in copy. */
  extended: 'extended',
  /** The office changed the plan-graph and with it the task's dates: to the executor, the office in copy. */
  rescheduled: 'rescheduled',
  /** A new executor: the task is handed over. */
  reassigned: 'reassigned',
  /** A message could not be delivered to an address: to the office. */
  undeliverable: 'undeliverable',
  /** A document for those it concerns (a contract to both directors), attached. */
  document: 'document',
  /** The executor asks for more time: to the office, which decides. */
  extensionRequested: 'extension-requested',
  /** The office turned the request down: to the executor. */
  extensionDeclined: 'extension-declined',
  /** The office returned the executor's report for rework, with its reason: to the executor, the office in copy, with fresh links. */
  returned: 'returned',
  /** An administrator reopened a task whose result had been accepted: to the executor, the office in copy. */
  reopened: 'reopened',
  /** The weekly digest of the plan, to the office. */
  digest: 'digest',
  /**
   * A plan started after some of its deadlines had passed: one letter to each executor listing
   * all their tasks already late (`tasks`), the office and curators in copy, instead of a start
   * letter and an overdue notice per task.
   */
  lateAtStart: 'late-at-start',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

export interface Recipient {
  /** Person id, `director:<school>`, or `office`. */
  id: string;
  name: string;
  email: string;
}

export interface PlanRef {
  id: string;
  /** The plan key the workflows run under: the plan id, or `<id>-in-<year>` when laid over another year. */
  key: string;
  title: string;
  timezone: string;
}

/**
 * One task as a message speaks of it. A letter names the task as the pages do (`taskName` in
 * task-names.ts): its title, occurrence and school, «Отчёт о реализации программы, 2-й квартал —
 * МОУ СОШ № 5»; the id `task` stays in the message's technical headers only.
 */
export interface TaskLine {
  task: string;
  title: string;
  /**
   * The occurrence of a repeated activity as people name it («2-й квартал», «октябрь»); `''` for
   * an activity done once. Absent from the letters of tasks started before letters named
   * occurrences: those name the task by its title and school, and the due date tells the
   * occurrences apart.
   */
  occurrence?: string;
  period: string;
  start: IsoDate | null;
  due: IsoDate | null;
  executorName: string;
  schoolName: string | null;
  /** The target from the plan. */
  target: string | null;
  /** The reported result, once done. */
  result: string | null;
  /** Working days past the due date (overdue), or 0. */
  daysLate: number;
  /** Working days from the send date to the due date: the N of a reminder's «осталось N рабочих дней» (optional; the message leaves the count out without it). */
  daysLeft?: number;
}

interface NotificationBase {
  /** Unique and deterministic: the same key is the same message, so a retry never sends a second copy. */
  key: string;
  /** When the workflow sends it: the 09:00 slot of a working day, in the plan's time zone. */
  sendDate: IsoDate;
  sendTime: string;
  /** The same moment as an instant (ISO 8601 with offset), for the Date header. */
  sendAt: string;
  to: Recipient[];
  cc: Recipient[];
  plan: PlanRef;
}

/** A registered document attached to a message. */
export interface Attachment {
  /** What it is: «Договор о сотрудничестве (сетевом партнёрстве)». */
  title: string;
  /** `ДС-2026/007` */
  number: string;
  date: IsoDate;
  /** The file's name in the message. */
  fileName: string;
  /** Where it lies in the register (`ryazan-2020/contract/ДС-2026-007.docx`); the worker takes its bytes by `sha256`. */
  path: string;
  sha256: string;
}

export interface TaskNotification extends NotificationBase {
  kind: Exclude<NotificationKind, 'digest'>;
  task: TaskLine;
  /** Documents the message carries. */
  attachments?: Attachment[];
  /** `late-at-start`: every task the letter lists, `task` being the first of them. */
  tasks?: TaskLine[];
  /** `extended`, `rescheduled`: the previous due date (and start) and the reason; `reassigned`: the previous executor; `undeliverable`: the failed address and why. */
  details?: { previousDue?: IsoDate; previousStart?: IsoDate; reason?: string; returnedResult?: string; previousExecutor?: string; failedAddress?: string; failure?: string; failedKind?: NotificationKind; requestedDue?: IsoDate };
}

export interface DigestNotification extends NotificationBase {
  kind: 'digest';
  /** Monday of the week. */
  weekOf: IsoDate;
  started: TaskLine[];
  dueThisWeek: TaskLine[];
  overdue: TaskLine[];
  done: TaskLine[];
  /** Reports waiting for the office's check (absent in digests before execution control). */
  awaitingCheck?: TaskLine[];
}

export type Notification = TaskNotification | DigestNotification;

/** What the mail activity reports back. */
export interface DeliveryReport {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** True when the message had been sent before (a retry) and was not sent again. */
  duplicate: boolean;
}

/** Failure types of the mail activities (ApplicationFailure.type). */
export const MailFailure = {
  /** The server refused every recipient: permanent, reported to the office. */
  recipientRejected: 'MailRecipientRejected',
} as const;

/**
 * The mail activity: renders a notification the workflow decided on and delivers it over SMTP,
 * once. The same `key` always makes the same Message-ID, and a sent log keeps a retry from
 * sending a second copy.
 *
 * Failures: every recipient refused for good (5xx) is a non-retryable
 * `ApplicationFailure` of type `MailFailure.recipientRejected`; a dead server, a timeout or a
 * 4xx is a plain `Error` that the workflow's retry policy retries.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import ical, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventTransparency } from 'ical-generator';
import nodemailer, { type NodemailerError, type SendMailOptions, type Transporter } from 'nodemailer';
import { addDays } from '../plan/dates.ts';
import { MailFailure, type Attachment, type DeliveryReport, type Notification, type Recipient, type TaskNotification } from '../plan/notifications.ts';
import type { DocumentRegister } from '../documents/register.ts';
import { calendarEventText, carriesCalendar, renderNotification, type MailActions } from '../templates/mail/messages.ts';
import { formatDateShort } from '../templates/mail/format.ts';

/** What was sent under a key, as the sent log keeps it. */
export interface SentEntry {
  key: string;
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** When the server took the message (ISO instant). */
  sentAt: string;
}

/**
 * Which notification keys were delivered. `add` runs after the server accepted the message,
 * so a retry after that point finds the key and does not send again.
 */
export interface SentLog {
  has(key: string): Promise<boolean>;
  get(key: string): Promise<SentEntry | undefined>;
  add(key: string, messageId: string, delivery?: { accepted: string[]; rejected: string[] }): Promise<void>;
}

/** The executor's one-click links for a letter, or `null` for a letter that carries none. */
export type ActionLinks = (n: TaskNotification) => MailActions | null;

export interface MailDeps {
  transport: Transporter;
  /** The From header, `plangraf <plangraf@example.org>`. */
  from: string;
  sentLog: SentLog;
  /** Signs the executors' links; without it, letters carry none. */
  actionLinks?: ActionLinks;
  /**
   * Where the attached documents' bytes are: the register of the shared store, so a worker
   * attaches a document another host issued. Without it, they are read from their `path`.
   */
  documents?: Pick<DocumentRegister, 'fileContent'>;
}

/**
 * The Message-ID for a notification key: the same key gives the same id, so a message sent
 * again by a retry is recognisably the same message.
 * @example messageIdFor('ryazan-2020:13/2:assigned:2020-10-01') // '<9f0c…(32 hex)@plangraf>'
 */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}@plangraf>`;
}

/** The UID of a task's deadline event: stable, so a moved deadline updates the same event. */
export function calendarUidFor(planKey: string, task: string): string {
  return `task-${planKey}-${task}@plangraf`;
}

const MINUTE = 60_000;
const SEQUENCE_EPOCH = Date.UTC(2000, 0, 1);

/**
 * The deadline as an iCalendar file (METHOD:PUBLISH): one all-day event on the due date.
 * All-day, because a deadline is a day, not a moment: every client shows it on that date in
 * any time zone, where a timed event would drift to another hour or even another day.
 */
export function buildDeadlineCalendar(n: TaskNotification & { task: { due: string } }): string {
  const { summary, description } = calendarEventText(n);
  const sendAt = Date.parse(n.sendAt);
  const calendar = ical({ prodId: { company: 'plangraf', product: 'plangraf', language: 'RU' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: calendarUidFor(n.plan.key, n.task.task),
    allDay: true,
    // Date-only strings read as UTC midnight, and an all-day event without a time zone is
    // written from the UTC date, so the machine's TZ cannot shift the day.
    start: n.task.due,
    end: addDays(n.task.due, 1),
    summary,
    description,
    // DTSTAMP and SEQUENCE come from the send time, not the clock: a retry builds the same
    // file, and a later message (a moved deadline) carries a higher SEQUENCE, so clients
    // replace the event they have under the same UID.
    stamp: new Date(Number.isFinite(sendAt) ? sendAt : SEQUENCE_EPOCH),
    sequence: Number.isFinite(sendAt) ? Math.max(0, Math.floor((sendAt - SEQUENCE_EPOCH) / MINUTE)) : 0,
    transparency: ICalEventTransparency.TRANSPARENT,
    busystatus: ICalEventBusyStatus.FREE,
  });
  return calendar.toString();
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const formatAddress = (person: Recipient) => ({ name: person.name, address: person.email.trim() });

/** Recipients with an address, each address once (to wins over cc). */
function recipients(n: Notification): { to: Recipient[]; cc: Recipient[] } {
  const seen = new Set<string>();
  const keep = (person: Recipient): boolean => {
    const address = person.email.trim().toLowerCase();
    if (address === '' || seen.has(address)) return false;
    seen.add(address);
    return true;
  };
  const to = n.to.filter(keep);
  return { to, cc: n.cc.filter(keep) };
}

/** The message for nodemailer: both bodies, the machine headers, the .ics when the kind carries one. */
export function composeMail(n: Notification, from: string, actionLinks?: ActionLinks): SendMailOptions {
  const { subject, html, text } = renderNotification(n, n.kind !== 'digest' && n.kind !== 'late-at-start' && actionLinks ? actionLinks(n) : null, lateTaskLinks(n, actionLinks));
  const { to, cc } = recipients(n);
  const date = new Date(n.sendAt);
  const headers: Record<string, string> = {
    'X-Plangraf-Plan': n.plan.key,
    'X-Plangraf-Kind': n.kind,
    'X-Plangraf-Key': n.key,
    // RFC 3834: no auto-replies («в отпуске») to a robot; Outlook honours its own header.
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  };
  if (n.kind !== 'digest') headers['X-Plangraf-Task'] = n.task.task;
  return {
    from,
    to: to.map(formatAddress),
    cc: cc.map(formatAddress),
    subject,
    text,
    html,
    messageId: messageIdFor(n.key),
    ...(Number.isNaN(date.getTime()) ? {} : { date }),
    headers,
    attachments: [
      ...(n.kind !== 'digest' ? (n.attachments ?? []).map((document) => ({ filename: document.fileName, path: document.path, contentType: DOCX_TYPE })) : []),
      ...(carriesCalendar(n)
        ? [
            {
              // As a person reads it in the letter: the deadline, not the task's id.
              filename: `Срок исполнения ${formatDateShort(n.task.due)}.ics`,
              content: buildDeadlineCalendar(n),
              contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            },
          ]
        : []),
    ],
  };
}

/**
 * The executor's links for each task a `late-at-start` letter lists: the same links an overdue
 * notice of that task carries, each keyed by the letter and the task, so a retry writes the same.
 */
function lateTaskLinks(n: Notification, actionLinks?: ActionLinks): Map<string, MailActions> {
  const links = new Map<string, MailActions>();
  if (n.kind !== 'late-at-start' || !actionLinks) return links;
  for (const task of n.tasks ?? [n.task]) {
    const { tasks: _tasks, ...letter } = n;
    const found = actionLinks({ ...letter, kind: 'overdue', key: `${n.key}:${task.task}`, task });
    if (found) links.set(task.task, found);
  }
  return links;
}

function addressesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => (typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address ?? entry)));
}

/** A refusal retrying cannot change: 5xx, except 503 (bad sequence, fine on a new connection). */
function isPermanent(error: NodemailerError): boolean {
  if (typeof error.permanent === 'boolean') return error.permanent;
  const code = error.responseCode ?? 0;
  return code >= 500 && code !== 503;
}

function describe(error: NodemailerError): string {
  const parts = [error.code, error.response ?? error.message].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.join(': ');
}

/** Turns a nodemailer error into the failure the workflow tells apart. */
function deliveryFailure(error: unknown, message: SendMailOptions): Error {
  const subject = String(message.subject ?? '');
  if (!(error instanceof Error)) return new Error(`не удалось отправить письмо «${subject}»: ${String(error)}`);
  const failure = error as NodemailerError;
  if (failure.code === 'EENVELOPE' && failure.command === 'RCPT TO' && failure.rejected && failure.rejected.length > 0) {
    const perRecipient = failure.rejectedErrors ?? [];
    const permanent = perRecipient.length > 0 ? perRecipient.every(isPermanent) : isPermanent(failure);
    if (permanent) {
      const reasons = perRecipient.length > 0 ? perRecipient.map((rejected) => `${rejected.recipient ?? '?'} (${rejected.response ?? rejected.message})`) : failure.rejected;
      return ApplicationFailure.create({
        type: MailFailure.recipientRejected,
        nonRetryable: true,
        message: `почтовый сервер отклонил всех получателей письма «${subject}»: ${reasons.join('; ')}`,
        details: [...failure.rejected],
        cause: failure,
      });
    }
  }
  // An address nodemailer will not even put on the wire fails the same way every time.
  if (failure.code === 'EENVELOPE' && failure.command === 'API' && /recipient/i.test(failure.message)) {
    const all = [...addressesOf(message.to), ...addressesOf(message.cc)];
    return ApplicationFailure.create({
      type: MailFailure.recipientRejected,
      nonRetryable: true,
      message: `письмо «${subject}» не отправлено: недопустимый адрес получателя (${failure.message})`,
      details: all,
      cause: failure,
    });
  }
  // Retryable either way (the retry policy bounds it); the words only tell the office what kind of trouble it is.
  const note = isPermanent(failure) ? '' : ' (временная ошибка, возможна повторная попытка)';
  return new Error(`не удалось отправить письмо «${subject}»${note}: ${describe(failure)}`, { cause: failure });
}

/**
 * The mail activities. Dependencies are injected: the worker passes a real SMTP transport
 * (`createSmtpTransport`) and a file sent log, tests pass the mail catcher and a memory log.
 *
 * @example
 * const { transport, from } = createSmtpTransport(process.env);
 * const activities = createMailActivities({ transport, from, sentLog: createFileSentLog('var/mail') });
 */
export function createMailActivities({ transport, from, sentLog, actionLinks, documents }: MailDeps) {
  return {
    /**
     * Renders and sends one notification. A key sent before is not sent again: the report
     * says `duplicate: true` and repeats what was recorded then. Recipients the server refused
     * while others took the message are listed in `rejected`; when it refuses all of them for
     * good, the activity fails with a non-retryable `MailRecipientRejected` whose details are
     * the refused addresses.
     */
    async sendNotification(n: Notification): Promise<DeliveryReport> {
      const messageId = messageIdFor(n.key);
      const previous = await sentLog.get(n.key);
      if (previous) return { messageId, accepted: previous.accepted, rejected: previous.rejected, duplicate: true };

      const message = composeMail(n, from, actionLinks);
      if (documents && n.kind !== 'digest' && n.attachments && n.attachments.length > 0) message.attachments = await withContents(message.attachments ?? [], n.attachments, documents);
      if (addressesOf(message.to).length + addressesOf(message.cc).length === 0) {
        throw ApplicationFailure.create({
          type: MailFailure.recipientRejected,
          nonRetryable: true,
          message: `письмо «${String(message.subject)}» не отправлено: ни у одного получателя нет адреса электронной почты`,
          details: [],
        });
      }
      let info: { accepted?: unknown; rejected?: unknown };
      try {
        info = await transport.sendMail(message);
      } catch (error) {
        throw deliveryFailure(error, message);
      }
      const accepted = addressesOf(info.accepted);
      const rejected = addressesOf(info.rejected);
      await sentLog.add(n.key, messageId, { accepted, rejected });
      return { messageId, accepted, rejected, duplicate: false };
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;

/** The documents of a letter with their bytes from the register instead of a path on this host's disk. */
async function withContents(attachments: NonNullable<SendMailOptions['attachments']>, documents: readonly Attachment[], register: Pick<DocumentRegister, 'fileContent'>): Promise<NonNullable<SendMailOptions['attachments']>> {
  const contents = new Map<string, Buffer>();
  for (const document of documents) {
    const content = await register.fileContent(document.sha256);
    // The register takes a document and its file in one transaction: a missing file is a store being restored, worth a retry.
    if (!content) throw new Error(`документ ${document.number} («${document.fileName}») есть в журнале, но его файла нет в базе данных`);
    contents.set(document.path, content);
  }
  return attachments.map((attachment) => {
    const content = typeof attachment.path === 'string' ? contents.get(attachment.path) : undefined;
    if (!content) return attachment;
    const { path: _path, ...rest } = attachment;
    return { ...rest, content };
  });
}

// ---------------------------------------------------------------------------------------------
// Sent logs

/** A sent log in memory, for tests. */
export function createMemorySentLog(): SentLog & { entries(): SentEntry[] } {
  const entries = new Map<string, SentEntry>();
  return {
    async has(key) {
      return entries.has(key);
    },
    async get(key) {
      return entries.get(key);
    },
    async add(key, messageId, delivery = { accepted: [], rejected: [] }) {
      entries.set(key, { key, messageId, ...delivery, sentAt: new Date().toISOString() });
    },
    entries: () => [...entries.values()],
  };
}

/**
 * A sent log as JSON lines appended to `<dir>/sent.jsonl`, read on first use. Safe for one
 * worker process (appends are queued); a torn last line from a crash is skipped.
 */
export function createFileSentLog(dir: string): SentLog & { file: string } {
  const file = join(dir, 'sent.jsonl');
  let loaded: Promise<{ entries: Map<string, SentEntry>; endsMidLine: boolean }> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const load = () =>
    (loaded ??= readFile(file, 'utf8').then(
      (content) => {
        const entries = new Map<string, SentEntry>();
        for (const line of content.split('\n')) {
          if (line.trim() === '') continue;
          try {
            const entry = JSON.parse(line) as Partial<SentEntry>;
            if (typeof entry.key === 'string' && typeof entry.messageId === 'string') {
              entries.set(entry.key, { key: entry.key, messageId: entry.messageId, accepted: entry.accepted ?? [], rejected: entry.rejected ?? [], sentAt: entry.sentAt ?? '' });
            }
          } catch {
            // The line a crash cut short: that message counts as not sent.
          }
        }
        return { entries, endsMidLine: content !== '' && !content.endsWith('\n') };
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return { entries: new Map<string, SentEntry>(), endsMidLine: false };
        loaded = undefined;
        throw error;
      },
    ));

  return {
    file,
    async has(key) {
      return (await load()).entries.has(key);
    },
    async get(key) {
      return (await load()).entries.get(key);
    },
    async add(key, messageId, delivery = { accepted: [], rejected: [] }) {
      const state = await load();
      const entry: SentEntry = { key, messageId, ...delivery, sentAt: new Date().toISOString() };
      const write = queue.then(async () => {
        await mkdir(dir, { recursive: true });
        const lead = state.endsMidLine ? '\n' : '';
        await appendFile(file, `${lead}${JSON.stringify(entry)}\n`, 'utf8');
        state.endsMidLine = false;
        state.entries.set(key, entry);
      });
      queue = write.catch(() => undefined);
      await write;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The SMTP transport from the environment

export type MailEnv = Record<string, string | undefined>;

export const DEFAULT_MAIL_FROM = 'plangraf <plangraf@localhost>';

/** Whether the environment names an SMTP server (`SMTP_URL` or `SMTP_HOST`). */
export function isSmtpConfigured(env: MailEnv): boolean {
  return Boolean(env.SMTP_URL?.trim() || env.SMTP_HOST?.trim());
}

export interface SmtpSetup {
  transport: Transporter;
  from: string;
  /** Where mail goes, for logs: `smtp://host:port`, never the password. */
  target: string;
}

function readBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^(1|true|yes|да)$/i.test(value.trim())) return true;
  if (/^(0|false|no|нет)$/i.test(value.trim())) return false;
  throw new Error(`${name}=${value}: ожидается true или false`);
}

/** Connections the SMTP pool keeps open at most (`SMTP_MAX_CONNECTIONS`). */
export const DEFAULT_SMTP_CONNECTIONS = 5;

function readCount(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name}=${value}: ожидается целое число больше нуля`);
  return count;
}

function readPort(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`SMTP_PORT=${value}: ожидается номер порта от 1 до 65535`);
  return port;
}

/**
 * The nodemailer transport from the environment: `SMTP_URL` (`smtp://user:pass@host:port`,
 * `smtps://…` for TLS from the start) or `SMTP_HOST`, `SMTP_PORT`, `SMTP_USER`,
 * `SMTP_PASSWORD`, `SMTP_SECURE`; the sender from `MAIL_FROM` (default `plangraf <plangraf@localhost>`);
 * a pool of at most `SMTP_MAX_CONNECTIONS` (5) connections, each reused for up to 100 letters.
 * Connection and greeting time out after `timeoutMs` (10 s), so a dead server fails fast and
 * Temporal retries. Throws, in Russian, when no server is named or a value is malformed.
 */
export function createSmtpTransport(env: MailEnv, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): SmtpSetup {
  // A pool of connections, each reused for many letters: the 09:00 burst of thousands of letters
  // does not open a connection (and greet, and maybe negotiate TLS) per letter. Letters beyond the
  // pool's connections wait in its queue; the worker's activity slots bound how many wait.
  const pool = { pool: true, maxConnections: readCount('SMTP_MAX_CONNECTIONS', env.SMTP_MAX_CONNECTIONS) ?? DEFAULT_SMTP_CONNECTIONS, maxMessages: 100 } as const;
  const timeouts = { ...pool, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, dnsTimeout: timeoutMs, socketTimeout: 3 * timeoutMs };
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  const url = env.SMTP_URL?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`SMTP_URL: не адрес сервера (ожидается smtp://пользователь:пароль@сервер:порт)`);
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error(`SMTP_URL: схема ${parsed.protocol} не поддерживается, нужна smtp: или smtps:`);
    return { transport: nodemailer.createTransport({ url, ...timeouts }), from, target: `${parsed.protocol}//${parsed.host}` };
  }
  const host = env.SMTP_HOST?.trim();
  if (!host) throw new Error('почтовый сервер не задан: укажите SMTP_URL или SMTP_HOST');
  const port = readPort(env.SMTP_PORT);
  const secure = readBoolean('SMTP_SECURE', env.SMTP_SECURE);
  const user = env.SMTP_USER?.trim();
  const transport = nodemailer.createTransport({
    host,
    ...(port !== undefined ? { port } : {}),
    ...(secure !== undefined ? { secure } : {}),
    ...(user ? { auth: { user, pass: env.SMTP_PASSWORD ?? '' } } : {}),
    ...timeouts,
  });
  return { transport, from, target: `${secure ? 'smtps' : 'smtp'}://${host}${port !== undefined ? `:${port}` : ''}` };
}

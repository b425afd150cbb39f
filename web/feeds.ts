/**
 * Calendar feeds: every deadline of a plan, or of one executor, as an iCalendar file a calendar
 * client subscribes to (Outlook, Яндекс Календарь, Google Календарь, Apple Calendar). The address
 * is signed (`LinkSigner.feedToken`) and does not expire; the client polls it, so the feed always
 * shows the deadlines as they stand: moved, reassigned, done.
 */
import type { Context } from 'hono';
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency, type ICalEventData } from 'ical-generator';
import { shortName } from '../documents/russian-names.ts';
import { addDays, type IsoDate } from '../plan/dates.ts';
import { personRecipient, recipientsOf } from '../plan/recipients.ts';
import { formatDateLong, oneLine } from '../templates/mail/format.ts';
import { instantOf } from '../workflows/clock.ts';
import type { PlanStatus, TaskState } from '../workflows/messages.ts';
import type { WebDeps } from './context.ts';
import { feedAddress } from './links.ts';
import type { ServedPlan } from './plans.ts';
import { viewOfPlans } from './access.ts';
import { STATE_NAMES } from './pages/common.ts';

/**
 * When on its due date a deadline's event starts, in the plan's time zone: the start of the
 * working day, so the event sits on the due date itself for anyone in the plan's zone (and in
 * every Russian zone west of it), and does not block the day the way an all-day event looks.
 */
export const DEADLINE_TIME = '09:00';

const HOUR = 3_600_000;

/** How often a client should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL), seconds. */
const REFRESH_SECONDS = 3_600;

/** One deadline as the feed shows it, from the running plan or, before it starts, from its schedule. */
interface FeedTask {
  task: string;
  title: string;
  period: string;
  due: IsoDate;
  plannedDue: IsoDate | null;
  executorId: string;
  executorName: string;
  schoolName: string | null;
  target: string | null;
  /** `null` while the plan is not started: the schedule has dates, not states. */
  state: TaskState | null;
  result: string | null;
  doneOn: IsoDate | null;
}

/** Which deadlines a feed is for. */
export interface FeedScope {
  /** An executor's id (`riro`, `director:sch-01`), or `null` for the whole plan. */
  executor: string | null;
}

/** The full address of a feed, for the year page's links (`feedAddress`). */
export function feedUrl(deps: Pick<WebDeps, 'signer' | 'publicUrl'>, plan: string, executor: string | null, viewer?: string): string {
  return feedAddress(deps.signer, deps.publicUrl, { plan, executor, ...(viewer !== undefined ? { viewer } : {}) });
}

/**
 * GET /calendar/<token>.ics: the signed feed. A forged address gets 403, a plan this server no
 * longer shows 404, and when Temporal cannot say how the plan stands, 503: a client keeps the
 * copy it has rather than fall back to the schedule, which would undo moved deadlines.
 */
export async function calendarFeed(c: Context, deps: WebDeps): Promise<Response> {
  const file = c.req.param('file') ?? '';
  if (!file.endsWith('.ics')) return c.text('Нет такого календаря: адрес календаря оканчивается на .ics', 404);
  const checked = deps.signer.checkFeed(file.slice(0, -'.ics'.length));
  if (!checked.ok) return c.text('Ссылка на календарь недействительна: она повреждена или не была выдана системой plangraf. Возьмите ссылку заново в проектном офисе.', 403);
  const { plan: key, executor, viewer: login } = checked.link;
  // An address given to an office user serves what that user may see, while they may.
  const viewer = login === undefined ? null : await deps.auth.viewer(login);
  const plans = viewer ? viewOfPlans(deps.plans, viewer) : deps.plans;
  const served = login !== undefined && !viewer ? undefined : plans.get(key);
  if (!served) return c.text(`План «${key}» не найден: календарь больше не обновляется.`, 404);
  let status: PlanStatus | null;
  try {
    status = await plans.status(key);
  } catch {
    return c.text('Не удалось узнать состояние плана; календарь обновится при следующей попытке.', 503, { 'Retry-After': '300' });
  }
  return c.body(planFeed(served, status, { executor }, new Date()), 200, {
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': `inline; filename="${feedFileName(key, executor)}"`,
    'Cache-Control': 'no-cache',
  });
}

/**
 * The feed as iCalendar text. Every task of the scope with a due date is one event:
 *
 * - a timed event from 09:00 to 10:00 of the due date in the plan's time zone, written in UTC
 *   (`DTSTART:20200331T060000Z` for Moscow), which every client reads alike with no VTIMEZONE;
 * - under a UID of its own (`feedUidFor`), not that of the all-day event a letter's .ics
 *   carries: a subscribed feed is a read-only calendar of its own, and one UID in two
 *   calendars with two shapes and two SEQUENCE counts confuses clients;
 * - SEQUENCE 1 once the deadline was moved off the planned one, else 0;
 * - «Срок: …», «Просрочено: …» or «Выполнено: …» as the summary. A done task stays in the feed
 *   (its deadline was real and the office looks back at it) and is not CANCELLED, which
 *   clients strike out or hide; the word at the start of the summary is what every client
 *   shows, where STATUS:TENTATIVE is shown by some and ignored by others;
 * - transparent (free): a deadline does not make anyone busy;
 * - in an executor's feed, a reminder at 09:00 of the working day before, for a task not done
 *   (it names the date: the day before may be a Friday, so not «завтра»).
 *
 * The executor's tasks are those they answer for now: from the running plan, which knows
 * reassignments, or from the schedule before the plan starts. Co-executors are not included.
 * `stamp` is DTSTAMP: when the feed is made.
 */
export function planFeed(served: ServedPlan, status: PlanStatus | null, scope: FeedScope, stamp: Date): string {
  const { plan, calendar: production } = served.loaded;
  const all = status ? fromStatus(status) : fromSchedule(served);
  const tasks = all.filter((task) => scope.executor === null || task.executorId === scope.executor);
  const who = scope.executor === null ? 'все сроки' : executorLabel(served, scope.executor, tasks);
  const calendar = ical({
    prodId: { company: 'plangraf', product: 'plangraf', language: 'RU' },
    method: ICalCalendarMethod.PUBLISH,
    // ical-generator writes NAME, X-WR-CALNAME and X-WR-CALDESC as given, unescaped.
    name: textValue(`plangraf: ${served.key} — ${who}`),
    description: textValue(plan.title ?? served.key),
    ttl: REFRESH_SECONDS,
  });
  for (const task of tasks) calendar.createEvent(eventOf(task, served, scope, stamp, (date) => production.workingDayOnOrBefore(addDays(date, -1))));
  return calendar.toString();
}

/** The UID of a task's deadline in the feeds: the same in the plan's and the executor's feed. */
export function feedUidFor(planKey: string, task: string): string {
  return `feed-${planKey}-${task}@plangraf`;
}

/** The file name a downloaded feed gets: `plangraf-ryazan-2020-director-sch-01.ics`. */
export function feedFileName(planKey: string, executor: string | null): string {
  return `plangraf-${planKey}${executor === null ? '' : `-${executor}`}.ics`.replace(/[^0-9A-Za-z.-]+/g, '-');
}

function eventOf(task: FeedTask, served: ServedPlan, scope: FeedScope, stamp: Date, dayBefore: (date: IsoDate) => IsoDate): ICalEventData {
  const zone = served.loaded.plan.timezone;
  const start = instantOf(task.due, DEADLINE_TIME, zone);
  const moved = task.plannedDue !== null && task.plannedDue !== task.due;
  // The whole plan's feed has one event per school for a per-school item: the school tells them apart.
  const school = scope.executor === null && task.schoolName ? ` (${task.schoolName})` : '';
  return {
    id: feedUidFor(served.key, task.task),
    start: new Date(start),
    end: new Date(start + HOUR),
    stamp,
    sequence: moved ? 1 : 0,
    summary: `${SUMMARY_WORD[task.state ?? 'planned']}: ${oneLine(task.title)}${school}`,
    description: descriptionOf(task, served, moved),
    status: ICalEventStatus.CONFIRMED,
    transparency: ICalEventTransparency.TRANSPARENT,
    busystatus: ICalEventBusyStatus.FREE,
    alarms:
      scope.executor !== null && task.state !== 'done'
        ? [{ type: ICalAlarmType.display, trigger: new Date(instantOf(dayBefore(task.due), DEADLINE_TIME, zone)), description: `Срок ${formatDateLong(task.due)}: ${oneLine(task.title)}` }]
        : [],
  };
}

const SUMMARY_WORD: Record<TaskState, string> = {
  planned: 'Срок',
  waiting: 'Срок',
  active: 'Срок',
  overdue: 'Просрочено',
  review: 'На проверке',
  done: 'Выполнено',
  unscheduled: 'Срок',
};

function descriptionOf(task: FeedTask, served: ServedPlan, moved: boolean): string {
  const state =
    task.state === null ? 'план ещё не запущен' : task.state === 'done' && task.doneOn ? `${STATE_NAMES.done} ${formatDateLong(task.doneOn)}` : STATE_NAMES[task.state];
  return [
    `Задача ${task.task}: ${task.title}`,
    `План-график: ${served.loaded.plan.title ?? served.key} (${served.key})`,
    `Период: ${task.period}`,
    `Срок исполнения: ${formatDateLong(task.due)}`,
    moved ? `Срок перенесён, по плану был: ${formatDateLong(task.plannedDue!)}` : null,
    `Ответственный исполнитель: ${task.executorName}`,
    task.schoolName ? `Образовательная организация: ${task.schoolName}` : null,
    task.target ? `Прогнозируемый результат: ${task.target}` : null,
    `Состояние: ${state}`,
    task.result ? `Результат: ${task.result}` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

function fromStatus(status: PlanStatus): FeedTask[] {
  return status.tasks.flatMap((task) =>
    task.due === null
      ? []
      : [{ task: task.task, title: task.title, period: task.period, due: task.due, plannedDue: task.plannedDue, executorId: task.executor.id, executorName: task.executor.name, schoolName: task.schoolName, target: task.target, state: task.state, result: task.result, doneOn: task.doneOn }],
  );
}

function fromSchedule(served: ServedPlan): FeedTask[] {
  const { plan, schedule } = served.loaded;
  return schedule.tasks.flatMap((task) => {
    if (task.due === null) return [];
    const recipients = recipientsOf(plan, task);
    return [{ task: task.task, title: task.title, period: task.period, due: task.due, plannedDue: task.due, executorId: recipients.executor.id, executorName: recipients.executor.name, schoolName: recipients.schoolName, target: task.result, state: null, result: null, doneOn: null }];
  });
}

/** «Морозова Н. Г.», with the school for a director: «Сидоров П. П. (Ерахтурская СШ)». */
function executorLabel(served: ServedPlan, executor: string, tasks: readonly FeedTask[]): string {
  const { plan } = served.loaded;
  const school = executor.startsWith('director:') ? plan.schools.find((entry) => `director:${entry.id}` === executor) : undefined;
  const name = tasks[0]?.executorName ?? (school ? school.director.name : personRecipient(plan, executor)?.name ?? executor);
  return school ? `${surnameFirst(name)} (${school.shortName ?? school.name})` : surnameFirst(name);
}

/** «Морозова Наталья Геннадьевна» → «Морозова Н. Г.»; a name that is no ФИО stays as written. */
function surnameFirst(name: string): string {
  try {
    const parts = shortName(name).split('\u00a0');
    return [parts.at(-1), ...parts.slice(0, -1)].join(' ');
  } catch {
    return oneLine(name);
  }
}

/** A TEXT value (RFC 5545 §3.3.11) for a property ical-generator does not escape itself. */
function textValue(text: string): string {
  return oneLine(text).replace(/[\\;,]/g, (char) => `\\${char}`);
}

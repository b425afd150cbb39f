/**
 * The schedule of a valid plan: every task (item × occurrence × school) with its start and
 * due working days. This is the `plangraf schedule --json` contract of PLAN-FORMAT.md.
 */
import { dayOfWeek, formatRussianDate, maxDate, yearOf, type IsoDate } from './dates.ts';
import { readPeriod } from './period.ts';
import { planSpan, resolvePeriod, type PeriodWindow, type PlanSpan } from './plan-span.ts';
import type { ProductionCalendar } from './production-calendar.ts';
import type { Item, Plan, School } from './schema.ts';
import { deadlineAfter, readWithin } from './within.ts';

export interface ScheduledTask {
  /** `13/2@sch-01`: the item id, `/n` for the n-th occurrence, `@school` for a per-school task. */
  task: string;
  item: string;
  title: string;
  start: IsoDate | null;
  due: IsoDate | null;
  /** Person id of the responsible executor; `director:<school>` for a per-school task; `null` in a draft that names none yet. */
  executor: string | null;
  coExecutors: string[];
  school: string | null;
  result: string | null;
  /** The period or relative deadline as the plan writes it, its years moved when the plan is laid over another year. */
  period: string;
  /** Task ids this task waits for. */
  after: string[];
}

export interface ScheduleWarning {
  path: (string | number)[];
  message: string;
}

export interface Schedule {
  span: PlanSpan;
  tasks: ScheduledTask[];
  warnings: ScheduleWarning[];
}

export interface ScheduleOptions {
  /** Lay the plan over another (school) year: its months move there, and so do years written in its periods. */
  year?: number;
}

/**
 * Words of a plan (a period, its title) with the years they name moved by `yearShift`, so that
 * letters and pages of a plan laid over another year speak of that year: «ноябрь 2020 года»
 * laid over 2026 reads «ноябрь 2026 года», «План-график … на 2020 год» reads «… на 2026 год».
 * A validated period names only years of its plan; a year a title names moves with the plan too.
 */
export function moveYearsIn(text: string, yearShift: number): string {
  return yearShift === 0 ? text : text.replace(/(?<!\d)(?:19|20)\d{2}(?!\d)/g, (year) => String(Number(year) + yearShift));
}

/** The words of an item's period as its tasks carry them (years moved with the plan); the plan's own words for an item without tasks. */
export function itemPeriod(schedule: Pick<Schedule, 'tasks'>, item: Pick<Item, 'id' | 'when' | 'within'>): string {
  return schedule.tasks.find((task) => task.item === item.id)?.period ?? item.when ?? item.within ?? '';
}

/** The executor id of a per-school task: the school's director. */
export function directorOf(schoolId: string): string {
  return `director:${schoolId}`;
}

/** The participant schools (ШНОР, ШНСУ) that `per: school` items expand over, in plan order. */
export function participantSchools(plan: Pick<Plan, 'schools'>): School[] {
  return plan.schools.filter((school) => school.kind !== 'партнер');
}

/**
 * Schedules a plan that passed validation. A task starts on the first working day of its
 * period, or on the day the tasks it waits for are due when that is later (never after its
 * own due date: that is warned about); it is due on the last working day of its period, or
 * `within` after those tasks.
 * @example schedulePlan(plan, calendar).tasks[0] // { task: '1', start: '2020-01-09', due: '2020-02-28', … }
 */
export function schedulePlan(plan: Plan, calendar: ProductionCalendar, options: ScheduleOptions = {}): Schedule {
  const originalYear = plan.year ?? plan.schoolYear!;
  const targetYear = options.year ?? originalYear;
  const span = planSpan(plan.year !== undefined ? { year: targetYear } : { schoolYear: targetYear });
  const yearShift = targetYear - originalYear;
  const warnings: ScheduleWarning[] = [];
  const warn = (path: (string | number)[], message: string) => {
    // A per-school item would say the same thing once per school.
    if (!warnings.some((warning) => warning.message === message && warning.path.join() === path.join())) warnings.push({ path, message });
  };

  for (let year = yearOf(span.start); year <= yearOf(span.end); year += 1) {
    if (!calendar.hasYear(year)) warn(plan.year !== undefined ? ['year'] : ['schoolYear'], `нет производственного календаря на ${year} год: учтены только выходные и праздники ст. 112 ТК РФ, без переносов; добавьте файл календаря (calendar:)`);
  }

  const schools = participantSchools(plan);
  const itemIndex = new Map(plan.items.map((item, index) => [item.id, index]));
  const tasksByItem = new Map<string, ScheduledTask[]>();
  for (const item of dependencyOrder(plan.items)) {
    const index = itemIndex.get(item.id)!;
    tasksByItem.set(item.id, scheduleItem(item, index));
  }
  return { span, tasks: plan.items.flatMap((item) => tasksByItem.get(item.id)!), warnings };

  function scheduleItem(item: Item, index: number): ScheduledTask[] {
    // A `within` item after a repeated item follows each of its occurrences.
    const windows = item.when !== undefined ? windowsOf(item, index) : Array.from({ length: repeatsOfAfter(item) }, () => undefined);
    const itemSchools: (School | undefined)[] = item.per === 'school' ? schools : [undefined];
    const tasks: ScheduledTask[] = [];
    windows.forEach((window, occurrence) => {
      for (const school of itemSchools) {
        const id = `${item.id}${windows.length > 1 ? `/${occurrence + 1}` : ''}${school ? `@${school.id}` : ''}`;
        const after = dependenciesOf(item, occurrence, windows.length, school);
        const [start, due] = datesOf(item, index, window, after);
        tasks.push({
          task: id,
          item: item.id,
          title: item.title,
          start,
          due,
          executor: school ? directorOf(school.id) : (item.executor?.[0] ?? null),
          coExecutors: school ? (item.executor ?? []) : (item.executor ?? []).slice(1),
          school: school?.id ?? null,
          result: item.result === undefined ? null : String(item.result),
          period: moveYearsIn(item.when ?? item.within ?? '', yearShift),
          after: after.map((task) => task.task),
        });
      }
    });
    return tasks;
  }

  /** How many occurrences a `within` item has: as many as the repeated items it waits for, when they agree. */
  function repeatsOfAfter(item: Item): number {
    const counts = new Set((item.after ?? []).map((id) => groupByOccurrence(tasksByItem.get(id)!).length));
    return counts.size === 1 ? [...counts][0]! : 1;
  }

  /** The windows of a `when` item; `[null]` for «по отдельному графику». */
  function windowsOf(item: Item, index: number): (PeriodWindow | null)[] {
    const reading = readPeriod(item.when!);
    if (!reading.ok) throw new Error(`schedulePlan needs a validated plan: items[${index}].when: ${reading.error}`);
    const resolution = resolvePeriod(reading.period, span, yearShift);
    if (!resolution.ok) throw new Error(`schedulePlan needs a validated plan: items[${index}].when: ${resolution.error}`);
    for (const message of resolution.warnings) warn(['items', index, 'when'], message);
    if (resolution.windows.length === 0) {
      warn(['items', index, 'when'], `«${item.when}»: сроки не заданы, задача не запланирована — укажите период или дату, когда график будет известен`);
      return [null];
    }
    for (const window of resolution.windows) {
      if (!window.exactStart && !window.exactDue && calendar.workingDayOnOrAfter(window.from) > window.to) {
        warn(['items', index, 'when'], `с ${formatRussianDate(window.from)} по ${formatRussianDate(window.to)} нет ни одного рабочего дня: срок перенесён на первый рабочий день после — ${formatRussianDate(calendar.workingDayOnOrAfter(window.from))}`);
      }
      for (const day of new Set([window.exactStart ? window.from : undefined, window.exactDue ? window.to : undefined])) {
        if (day !== undefined && !calendar.isWorkingDay(day)) warn(['items', index, 'when'], `${formatRussianDate(day)} — нерабочий день (${DAY_NAMES[dayOfWeek(day)]}${calendar.isHoliday(day) ? ', праздник' : ''})`);
      }
    }
    return resolution.windows;
  }

  /**
   * The tasks this one waits for. A per-school task waits for the same school's tasks of a
   * per-school item; items with the same number of occurrences pair them in order.
   */
  function dependenciesOf(item: Item, occurrence: number, occurrences: number, school: School | undefined): ScheduledTask[] {
    return (item.after ?? []).flatMap((afterId) => {
      const candidates = tasksByItem.get(afterId)!;
      const sameSchool = candidates.filter((task) => task.school === null || school === undefined || task.school === school.id);
      const perOccurrence = groupByOccurrence(sameSchool);
      return perOccurrence.length === occurrences && occurrences > 1 ? perOccurrence[occurrence]! : sameSchool;
    });
  }

  function datesOf(item: Item, index: number, window: PeriodWindow | null | undefined, after: ScheduledTask[]): [IsoDate | null, IsoDate | null] {
    const afterDue = maxDate(after.flatMap((task) => (task.due ? [task.due] : [])));
    const afterUnscheduled = after.some((task) => task.due === null);
    if (window === undefined) {
      // A `within` item: due a period after the tasks it waits for.
      const reading = readWithin(item.within!);
      if (!reading.ok) throw new Error(`schedulePlan needs a validated plan: items[${index}].within: ${reading.error}`);
      if (afterUnscheduled || afterDue === undefined) {
        warn(['items', index, 'within'], 'срок отсчитывается от пункта без дат — задача не запланирована');
        return [null, null];
      }
      const due = deadlineAfter(afterDue, reading.within, calendar);
      if (due > span.end) warn(['items', index, 'within'], `срок ${formatRussianDate(due)} выходит за период плана (${formatRussianDate(span.end)})`);
      return [calendar.workingDayOnOrAfter(afterDue), due];
    }
    if (window === null) return [null, null];
    const periodStart = window.exactStart ? window.from : calendar.workingDayOnOrAfter(window.from);
    // A window of days off only (the first decade of January) is due on the first working day after it, as ст. 193 ГК РФ moves a deadline.
    const due = window.exactDue ? window.to : !window.exactStart && periodStart > window.to ? periodStart : calendar.workingDayOnOrBefore(window.to);
    if (afterDue === undefined || afterDue <= periodStart) return [periodStart, due];
    if (afterDue > due) {
      warn(['items', index, 'after'], `пункт ждёт задач со сроком ${formatRussianDate(afterDue)}, позже своего срока ${formatRussianDate(due)}: проверьте after или период`);
      return [due, due];
    }
    return [afterDue, due];
  }
}

const DAY_NAMES = ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'];

/** Tasks of one item grouped by occurrence (`13/2@sch-01` → occurrence 2), in order. */
function groupByOccurrence(tasks: ScheduledTask[]): ScheduledTask[][] {
  const groups = new Map<string, ScheduledTask[]>();
  for (const task of tasks) {
    const occurrence = /\/(\d+)/.exec(task.task)?.[1] ?? '1';
    groups.set(occurrence, [...(groups.get(occurrence) ?? []), task]);
  }
  return [...groups.values()];
}

/** Items so that each comes after those it waits for; the plan is known to have no cycles. */
function dependencyOrder(items: readonly Item[]): Item[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const ordered: Item[] = [];
  const seen = new Set<string>();
  const visit = (item: Item) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    for (const id of item.after ?? []) visit(byId.get(id)!);
    ordered.push(item);
  };
  items.forEach(visit);
  return ordered;
}


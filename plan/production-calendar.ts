/**
 * Working days on the Russian production calendar: weekends, holidays, moved days off
 * and the Saturdays a decree makes working. Pure: built from data, asked about dates.
 */
import { addDays, dayOfWeek, daysInMonth, isoDate, isWeekend, parseIsoDate, yearOf, type IsoDate } from './dates.ts';
import { countYear, type CalendarYearData as CalendarYear } from './calendar-count.ts';

/** The non-working holidays of ст. 112 ТК РФ, as month-day. */
const LABOUR_CODE_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

export type DayKind = 'working' | 'short' | 'weekend' | 'holiday' | 'dayOff';

/** Calendars built by `sharedCalendar`, by their data; a handful at most (a plan's years, the next year's). */
const sharedCalendars = new Map<string, ProductionCalendar>();
const MAX_SHARED_CALENDARS = 32;

/**
 * The calendar of these years, built once per process for the same data and then shared: every
 * task of a plan carries the same years, and a calendar counts each year's working days on first
 * use (365 days looked at). Safe to share between workflows: a calendar never changes once built,
 * its counts are a cache, so it answers every workflow, and every replay, alike.
 */
export function sharedCalendar(years: readonly CalendarYear[]): ProductionCalendar {
  const key = JSON.stringify(years);
  let calendar = sharedCalendars.get(key);
  if (!calendar) {
    if (sharedCalendars.size >= MAX_SHARED_CALENDARS) sharedCalendars.clear();
    calendar = new ProductionCalendar(years);
    sharedCalendars.set(key, calendar);
  }
  return calendar;
}

export class ProductionCalendar {
  private readonly years = new Map<number, CalendarYear>();
  private readonly off = new Set<IsoDate>();
  private readonly holidays = new Set<IsoDate>();
  private readonly workingWeekendDays = new Set<IsoDate>();
  private readonly shortDays = new Set<IsoDate>();
  /**
   * Per year, built on first use: `[i]` is the number of working days among the year's first
   * `i` days, so counting and stepping over working days cost a lookup or a binary search
   * instead of a walk day by day. A cache only: the calendar never changes once built.
   */
  private readonly workingDayCounts = new Map<number, Uint16Array>();

  /**
   * @param years the shipped years, in any order
   * @param overrides a user's years: each amends the shipped year of that number
   *   (its holidays and days off are added, its working days made working), or replaces it with `replace: true`
   */
  constructor(years: readonly CalendarYear[], overrides: readonly CalendarYear[] = []) {
    for (const year of years) this.years.set(year.year, year);
    for (const override of overrides) {
      const base = this.years.get(override.year);
      this.years.set(override.year, base && !override.replace ? amendYear(base, override) : override);
    }
    for (const year of this.years.values()) {
      for (const date of year.holidays) this.holidays.add(date);
      for (const date of [...year.holidays, ...year.daysOff]) this.off.add(date);
      for (const date of year.workingDays) this.workingWeekendDays.add(date);
      for (const date of year.shortDays) this.shortDays.add(date);
    }
  }

  /** Whether the calendar has data for the year; for other years only weekends and ст. 112 holidays are known. */
  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  /**
   * The data of these years, as a workflow needs it to build the same calendar: a year with
   * no data comes as the holidays of ст. 112 on their own.
   */
  yearsData(years: readonly number[]): CalendarYear[] {
    return years.map((year) => this.years.get(year) ?? { year, replace: false, holidays: LABOUR_CODE_HOLIDAYS.map((day) => `${year}-${day}`), daysOff: [], workingDays: [], shortDays: [], source: 'ст. 112 ТК РФ (переносы неизвестны)' });
  }

  /** The source of a year's data, as the data file states it. */
  sourceOf(year: number): string | undefined {
    return this.years.get(year)?.source;
  }

  coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  kindOf(date: IsoDate): DayKind {
    return this.kindOfDay(date, isWeekend(date));
  }

  /** The kind of a day whose weekday the caller already knows (a walk through a year counts weekdays). */
  private kindOfDay(date: IsoDate, weekend: boolean): DayKind {
    if (this.workingWeekendDays.has(date)) return this.shortDays.has(date) ? 'short' : 'working';
    if (this.isHoliday(date)) return 'holiday';
    if (this.off.has(date)) return 'dayOff';
    if (weekend) return 'weekend';
    return this.shortDays.has(date) ? 'short' : 'working';
  }

  isHoliday(date: IsoDate): boolean {
    if (this.hasYear(yearOf(date))) return this.holidays.has(date);
    return LABOUR_CODE_HOLIDAYS.includes(date.slice(5));
  }

  /**
   * Whether people work that day.
   * @example calendar.isWorkingDay('2018-04-28') // true: a Saturday made working by the 2018 decree
   */
  isWorkingDay(date: IsoDate): boolean {
    const kind = this.kindOf(date);
    return kind === 'working' || kind === 'short';
  }

  /** Working hours of a 40-hour week that day: 8, 7 on a shortened pre-holiday day, 0 on a day off. */
  hoursOf(date: IsoDate): number {
    const kind = this.kindOf(date);
    return kind === 'working' ? 8 : kind === 'short' ? 7 : 0;
  }

  /** The date itself when it is a working day, else the next working day (ст. 193 ГК РФ). */
  workingDayOnOrAfter(date: IsoDate): IsoDate {
    let day = date;
    while (!this.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** The date itself when it is a working day, else the working day before it. */
  workingDayOnOrBefore(date: IsoDate): IsoDate {
    let day = date;
    while (!this.isWorkingDay(day)) day = addDays(day, -1);
    return day;
  }

  /** The first working day strictly after the date. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.workingDayOnOrAfter(addDays(date, 1));
  }

  /**
   * The day on which a period of `count` working days that starts the day after `date` ends:
   * the `count`-th working day after `date` (the date itself when `count` is 0).
   * @example calendar.addWorkingDays('2020-02-28', 1) // '2020-03-02': Friday's event, Monday's deadline
   */
  addWorkingDays(date: IsoDate, count: number): IsoDate {
    if (!(count > 0)) return date;
    // A fraction of a day counts as a whole one (1.5 → 2), as it always has.
    let left = Math.ceil(count);
    let year = yearOf(date);
    let counted = this.workingDaysThrough(date);
    for (;;) {
      const counts = this.workingDayCountsOf(year);
      const total = counts[counts.length - 1]!;
      if (counted + left <= total) return this.nthWorkingDayOf(year, counted + left);
      left -= total - counted;
      year += 1;
      counted = 0;
    }
  }

  /** The working day `count` working days before the date (the date itself when `count` is 0 and it is working). */
  subtractWorkingDays(date: IsoDate, count: number): IsoDate {
    // From the working day on or before the date; a fraction of a day counts as a whole one.
    let left = count > 0 ? Math.ceil(count) : 0;
    let year = yearOf(date);
    let counted = this.workingDaysThrough(date);
    for (;;) {
      if (counted - left >= 1) return this.nthWorkingDayOf(year, counted - left);
      left -= counted;
      year -= 1;
      const counts = this.workingDayCountsOf(year);
      counted = counts[counts.length - 1]!;
    }
  }

  /**
   * Working days after `from` up to and including `to`: how late a task done on `to` is
   * when it was due on `from`. 0 when `to` is not after `from`. Costs two lookups and a sum
   * per year crossed, however long the span: a status of thousands of long-overdue tasks stays cheap.
   * @example calendar.workingDaysBetween('2024-12-27', '2025-01-09') // 2: Saturday 28 December and 9 January
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    if (!(to > from)) return 0;
    let count = this.workingDaysThrough(to) - this.workingDaysThrough(from);
    for (let year = yearOf(from); year < yearOf(to); year += 1) {
      const counts = this.workingDayCountsOf(year);
      count += counts[counts.length - 1]!;
    }
    return count;
  }

  /** Working days from 1 January of the date's year up to and including the date. */
  private workingDaysThrough(date: IsoDate): number {
    const parts = parseIsoDate(date);
    if (!parts) throw new RangeError(`not a calendar date: ${date}`);
    let dayOfYear = parts.day;
    for (let month = 1; month < parts.month; month += 1) dayOfYear += daysInMonth(parts.year, month);
    return this.workingDayCountsOf(parts.year)[dayOfYear]!;
  }

  /** The `n`-th working day of the year, 1-based; `n` is at least 1 and at most the year's total. */
  private nthWorkingDayOf(year: number, n: number): IsoDate {
    const counts = this.workingDayCountsOf(year);
    // The first day whose count reaches n is the working day that brings it there.
    let low = 1;
    let high = counts.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (counts[middle]! >= n) high = middle;
      else low = middle + 1;
    }
    return addDays(isoDate(year, 1, 1), low - 1);
  }

  private workingDayCountsOf(year: number): Uint16Array {
    let counts = this.workingDayCounts.get(year);
    if (!counts) {
      counts = new Uint16Array(daysInYear(year) + 1);
      // Month by month with a running weekday: building a year costs one date parse, not 365.
      let weekday = dayOfWeek(isoDate(year, 1, 1));
      let i = 0;
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 1, last = daysInMonth(year, month); day <= last; day += 1, i += 1, weekday = (weekday + 1) % 7) {
          const kind = this.kindOfDay(isoDate(year, month, day), weekday === 0 || weekday === 6);
          counts[i + 1] = counts[i]! + (kind === 'working' || kind === 'short' ? 1 : 0);
        }
      }
      this.workingDayCounts.set(year, counts);
    }
    return counts;
  }

  firstWorkingDayOfMonth(year: number, month: number): IsoDate {
    return this.workingDayOnOrAfter(isoDate(year, month, 1));
  }

  lastWorkingDayOfMonth(year: number, month: number): IsoDate {
    return this.workingDayOnOrBefore(isoDate(year, month, daysInMonth(year, month)));
  }

  /** The year's totals: working days and hours of a 40-hour week. */
  totalsOf(year: number): { workingDays: number; hours40: number } {
    let workingDays = 0;
    let hours40 = 0;
    for (let day = isoDate(year, 1, 1); yearOf(day) === year; day = addDays(day, 1)) {
      const hours = this.hoursOf(day);
      if (hours > 0) workingDays += 1;
      hours40 += hours;
    }
    return { workingDays, hours40 };
  }
}

function amendYear(base: CalendarYear, override: CalendarYear): CalendarYear {
  const madeWorking = new Set(override.workingDays);
  const madeOff = new Set([...override.holidays, ...override.daysOff]);
  const keep = (dates: string[]) => dates.filter((date) => !madeWorking.has(date));
  const amended: CalendarYear = {
    ...base,
    region: override.region ?? base.region,
    source: [base.source, override.source].filter(Boolean).join('; '),
    holidays: unique([...keep(base.holidays), ...override.holidays]),
    daysOff: unique([...keep(base.daysOff), ...override.daysOff]),
    workingDays: unique([...base.workingDays.filter((date) => !madeOff.has(date)), ...override.workingDays]),
    shortDays: unique([...base.shortDays.filter((date) => !madeOff.has(date)), ...override.shortDays]),
  };
  return { ...amended, totals: countYear(amended) ?? base.totals };
}

function daysInYear(year: number): number {
  return daysInMonth(year, 2) === 29 ? 366 : 365;
}

function unique(dates: string[]): string[] {
  return [...new Set(dates)].sort();
}

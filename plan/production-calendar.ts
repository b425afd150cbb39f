/**
 * Working days on the Russian production calendar: weekends, holidays, moved days off
 * and the Saturdays a decree makes working. Pure: built from data, asked about dates.
 */
import { addDays, daysInMonth, isoDate, isWeekend, yearOf, type IsoDate } from './dates.ts';
import { countYear, type CalendarYearData as CalendarYear } from './calendar-count.ts';

/** The non-working holidays of ст. 112 ТК РФ, as month-day. */
const LABOUR_CODE_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

export type DayKind = 'working' | 'short' | 'weekend' | 'holiday' | 'dayOff';

export class ProductionCalendar {
  private readonly years = new Map<number, CalendarYear>();
  private readonly off = new Set<IsoDate>();
  private readonly holidays = new Set<IsoDate>();
  private readonly workingWeekendDays = new Set<IsoDate>();
  private readonly shortDays = new Set<IsoDate>();

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
    if (this.workingWeekendDays.has(date)) return this.shortDays.has(date) ? 'short' : 'working';
    if (this.isHoliday(date)) return 'holiday';
    if (this.off.has(date)) return 'dayOff';
    if (isWeekend(date)) return 'weekend';
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
   * The day on which a period of `count` working days that starts the day after `date` ends.
   * @example calendar.addWorkingDays('2020-02-28', 1) // '2020-03-02': Friday's event, Monday's deadline
   */
  addWorkingDays(date: IsoDate, count: number): IsoDate {
    let day = date;
    for (let left = count; left > 0; left -= 1) day = this.nextWorkingDay(day);
    return day;
  }

  /** The working day `count` working days before the date (the date itself when `count` is 0 and it is working). */
  subtractWorkingDays(date: IsoDate, count: number): IsoDate {
    let day = this.workingDayOnOrBefore(date);
    for (let left = count; left > 0; left -= 1) day = this.workingDayOnOrBefore(addDays(day, -1));
    return day;
  }

  /**
   * Working days after `from` up to and including `to`: how late a task done on `to` is
   * when it was due on `from`. 0 when `to` is not after `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (this.isWorkingDay(day)) count += 1;
    return count;
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

function unique(dates: string[]): string[] {
  return [...new Set(dates)].sort();
}

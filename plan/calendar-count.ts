/**
 * Counting a production-calendar year. Kept apart from the data schema so that workflow code
 * can use the calendar without loading zod.
 */
import { addDays, dayOfWeek, parseIsoDate, yearOf, type IsoDate } from './dates.ts';

/** A year of production-calendar data; the zod schema in calendar-data.ts is its checked form. */
export interface CalendarYearData {
  year: number;
  region?: string | undefined;
  source?: string | undefined;
  replace: boolean;
  holidays: string[];
  daysOff: string[];
  workingDays: string[];
  shortDays: string[];
  totals?: { workingDays: number; hours40: number } | undefined;
}

/** Working days and hours of a 40-hour week that a year's data gives; `undefined` for invalid dates. */
export function countYear(data: Pick<CalendarYearData, 'year' | 'holidays' | 'daysOff' | 'workingDays' | 'shortDays'>): { workingDays: number; hours40: number } | undefined {
  const dates = [...data.holidays, ...data.daysOff, ...data.workingDays, ...data.shortDays];
  if (dates.some((date) => parseIsoDate(date) === null)) return undefined;
  const off = new Set([...data.holidays, ...data.daysOff]);
  const working = new Set(data.workingDays);
  const short = new Set(data.shortDays);
  let workingDays = 0;
  let hours40 = 0;
  for (let day: IsoDate = `${data.year}-01-01`; yearOf(day) === data.year; day = addDays(day, 1)) {
    const weekday = dayOfWeek(day);
    const isWorking = working.has(day) || (weekday !== 0 && weekday !== 6 && !off.has(day));
    if (!isWorking) continue;
    workingDays += 1;
    hours40 += short.has(day) ? 7 : 8;
  }
  return { workingDays, hours40 };
}

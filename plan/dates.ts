/**
 * Calendar dates of the plan domain: `YYYY-MM-DD` strings in the plan's time zone.
 *
 * The domain never handles instants: a deadline is a day, not a moment. Arithmetic counts
 * days since the epoch with `Date.UTC` and the `getUTC*` getters only, so results do not
 * depend on the machine's `TZ` — also inside the Temporal workflow sandbox, which replaces
 * `Date` (so Date subclasses such as UTCDate, and libraries that read local-time getters,
 * would follow the worker's time zone there).
 */

const MS_PER_DAY = 86_400_000;

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Builds an ISO date from parts; `month` is 1-based. Does not check that the day exists. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Reads `YYYY-MM-DD`; `null` when the text is not such a date or the day does not exist (2021-02-29). */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!dayExists(year, month, day)) return null;
  return { year, month, day };
}

/** Whether the day exists in the Gregorian calendar (`month` is 1-based). */
export function dayExists(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days in a month (`month` is 1-based). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function epochDayOf(date: IsoDate): number {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / MS_PER_DAY;
}

function dateOfEpochDay(epochDay: number): IsoDate {
  const date = new Date(epochDay * MS_PER_DAY);
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** The date `days` days later (earlier when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfEpochDay(epochDayOf(date) + days);
}

/**
 * The date `months` months later; a day that the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February), as ст. 192 ГК РФ counts month periods.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  const index = parts.year * 12 + parts.month - 1 + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return isoDate(year, month, Math.min(parts.day, daysInMonth(year, month)));
}

/** Day of the week: 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(epochDayOf(date) * MS_PER_DAY).getUTCDay();
}

/** Whether the date falls on a Saturday or a Sunday. */
export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** `DD.MM.YYYY`, the way Russian documents write a date. */
export function formatRussianDate(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** Every date from `from` to `to` inclusive. */
export function* eachDay(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  for (let day = from; day <= to; day = addDays(day, 1)) yield day;
}

export function maxDate(dates: IsoDate[]): IsoDate | undefined {
  return dates.reduce<IsoDate | undefined>((max, date) => (max === undefined || date > max ? date : max), undefined);
}

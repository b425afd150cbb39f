/**
 * Time at the edge of the domain: turning a plan's calendar dates into the instants timers
 * wait for, and back. Deterministic: it reads only the workflow clock it is given.
 */
import { isoDate, type IsoDate } from '../plan/dates.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';

// Intl rather than a Date subclass: the workflow sandbox replaces Date, and local-time
// getters of Date subclasses cannot be trusted there.

/** Mail goes out at this time of a working day, in the plan's time zone. */
export const SEND_TIME = '09:00';

const formats = new Map<string, Intl.DateTimeFormat>();

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
/** Past this many hours remembered for a zone, its memory starts afresh: a year is ~8,800 hours. */
const MAX_HOURS_PER_ZONE = 50_000;
/**
 * A zone's offset per UTC hour it was asked about, shared by every workflow of the worker (a pure
 * function's memory, so replay reads the same): Intl is asked twice per zone and hour instead of
 * at every date and time a task works out. `null`: the offset changes within that hour.
 */
const offsets = new Map<string, Map<number, number | null>>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  return format;
}

/** How far the zone's wall clock is ahead of UTC at a whole second, as Intl says it. */
function offsetFromIntl(second: number, timeZone: string): number {
  const parts = Object.fromEntries(zoneFormat(timeZone).formatToParts(new Date(second)).map((part) => [part.type, part.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - second;
}

/**
 * How far the zone's wall clock is ahead of UTC at an instant. An hour whose first and last
 * seconds have the same offset has it throughout (no zone changes its offset twice within an
 * hour); an hour with a change is asked second by second.
 */
function offsetOf(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  const hour = Math.floor(second / HOUR_MS);
  let hours = offsets.get(timeZone);
  if (!hours) {
    hours = new Map();
    offsets.set(timeZone, hours);
  }
  let offset = hours.get(hour);
  if (offset === undefined) {
    const first = offsetFromIntl(hour * HOUR_MS, timeZone);
    offset = first === offsetFromIntl((hour + 1) * HOUR_MS - 1000, timeZone) ? first : null;
    if (hours.size >= MAX_HOURS_PER_ZONE) hours.clear();
    hours.set(hour, offset);
  }
  return offset ?? offsetFromIntl(second, timeZone);
}

function localParts(instant: number, timeZone: string): LocalParts {
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offsetOf(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
}

/** The instant of `time` (HH:MM) on `date` in `timeZone`. */
export function instantOf(date: IsoDate, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hours, minutes);
  const first = wall - offsetOf(wall, timeZone);
  // Around a clock change the offset at the guess and at the answer differ: take the answer's.
  return wall - offsetOf(first, timeZone);
}

/** The calendar date of an instant in `timeZone`. */
export function dateOf(instant: number, timeZone: string): IsoDate {
  const local = localParts(instant, timeZone);
  return isoDate(local.year, local.month, local.day);
}

/** HH:MM of an instant in `timeZone`. */
export function timeOf(instant: number, timeZone: string): string {
  const local = localParts(instant, timeZone);
  return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
}

/** ISO 8601 with the zone's offset, for a Date header: `2020-03-02T09:00:00+03:00`. */
export function isoInstant(instant: number, timeZone: string): string {
  const local = localParts(instant, timeZone);
  const offset = Math.round(offsetOf(instant, timeZone) / 60000);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${isoDate(local.year, local.month, local.day)}T${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}:${String(local.second).padStart(2, '0')}${sign}${hh}:${mm}`;
}

/**
 * The first mail slot at or after `instant`: 09:00 of a working day. Mail is never sent on a
 * day off, and never before or after the slot.
 */
export function slotOnOrAfter(instant: number, calendar: ProductionCalendar, timeZone: string): number {
  const today = dateOf(instant, timeZone);
  if (calendar.isWorkingDay(today) && instant <= instantOf(today, SEND_TIME, timeZone)) return instantOf(today, SEND_TIME, timeZone);
  return instantOf(calendar.nextWorkingDay(today), SEND_TIME, timeZone);
}

/** The slot of a day that is known to be working. */
export function slotOf(date: IsoDate, timeZone: string): number {
  return instantOf(date, SEND_TIME, timeZone);
}

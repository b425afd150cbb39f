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

function localParts(instant: number, timeZone: string): LocalParts {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetOf(instant: number, timeZone: string): number {
  const local = localParts(instant, timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - Math.floor(instant / 1000) * 1000;
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

import { describe, expect, it } from 'vitest';
import { dateOf, instantOf, isoInstant, timeOf } from '../../workflows/clock.ts';

/** The wall clock of an instant straight from Intl, as the clock read it before it remembered offsets. */
const referenceFormats = new Map<string, Intl.DateTimeFormat>();
function referenceParts(instant: number, timeZone: string) {
  const format = referenceFormats.get(timeZone) ?? new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  referenceFormats.set(timeZone, format);
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}
const pad = (value: number) => String(value).padStart(2, '0');
const referenceDate = (instant: number, zone: string) => {
  const p = referenceParts(instant, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
};
const referenceTime = (instant: number, zone: string) => {
  const p = referenceParts(instant, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
};
const referenceOffset = (instant: number, zone: string) => {
  const p = referenceParts(instant, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
};

// Russian zones that moved their clocks (2011, 2014, 2016), and zones with half- and
// quarter-hour offsets and changes, where an hour of UTC is not an hour of the wall clock.
const ZONES = ['Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Kamchatka', 'Europe/Volgograd', 'Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];
const HOUR = 3_600_000;

/** The instants in [from, to) where a zone's offset changes, to the second. */
function transitions(zone: string, from: number, to: number): number[] {
  const found: number[] = [];
  const DAY = 24 * HOUR;
  for (let day = from; day < to; day += DAY) {
    if (referenceOffset(day, zone) === referenceOffset(day + DAY, zone)) continue;
    found.push(...changesWithin(zone, day, day + DAY));
  }
  return found;
}

/** The changes within a day (offsets change at most once a day), to the second. */
function changesWithin(zone: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let hour = from; hour < to; hour += HOUR) {
    if (referenceOffset(hour, zone) === referenceOffset(hour + HOUR, zone)) continue;
    let low = hour;
    let high = hour + HOUR;
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (referenceOffset(middle, zone) === referenceOffset(hour, zone)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  return found;
}

describe('clock', () => {
  it('reads every instant as Intl does, around each change of offset and far from them', () => {
    // A deterministic spread of instants over 2010–2030, with milliseconds.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const from = Date.UTC(2010, 0, 1);
    const to = Date.UTC(2030, 0, 1);
    for (const zone of ZONES) {
      const instants = Array.from({ length: 400 }, () => from + Math.floor(random() * (to - from)));
      for (const change of transitions(zone, Date.UTC(2010, 0, 1), Date.UTC(2017, 0, 1))) {
        for (const delta of [-HOUR, -1801_000, -1000, -1, 0, 1, 999, 1000, 1_799_000, HOUR - 1000, HOUR]) instants.push(change + delta);
      }
      for (const instant of instants) {
        expect([zone, dateOf(instant, zone), timeOf(instant, zone)]).toEqual([zone, referenceDate(instant, zone), referenceTime(instant, zone)]);
        const offset = referenceOffset(instant, zone) / 60000;
        expect(isoInstant(instant, zone).slice(-6)).toBe(`${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`);
      }
    }
  });

  it('finds the changes it is tested around', () => {
    expect(transitions('Europe/Moscow', Date.UTC(2010, 0, 1), Date.UTC(2017, 0, 1))).toHaveLength(4);
    expect(transitions('Australia/Lord_Howe', Date.UTC(2015, 0, 1), Date.UTC(2016, 0, 1))).toHaveLength(2);
  });

  it('turns a date and a time into the instant whose wall clock reads them', () => {
    for (const zone of ZONES) {
      for (let day = Date.UTC(2013, 0, 1); day < Date.UTC(2017, 0, 1); day += 13 * 24 * HOUR) {
        const date = new Date(day).toISOString().slice(0, 10);
        const instant = instantOf(date, '09:00', zone);
        expect([zone, referenceDate(instant, zone), referenceTime(instant, zone)]).toEqual([zone, date, '09:00']);
      }
    }
  });

  it('keeps Moscow at +03:00 since October 2014, and at +04:00 before it', () => {
    expect(isoInstant(Date.UTC(2020, 2, 2, 6), 'Europe/Moscow')).toBe('2020-03-02T09:00:00+03:00');
    expect(isoInstant(Date.UTC(2013, 2, 2, 5), 'Europe/Moscow')).toBe('2013-03-02T09:00:00+04:00');
    expect(instantOf('2026-12-07', '09:00', 'Asia/Kamchatka')).toBe(Date.UTC(2026, 11, 6, 21));
  });
});

/**
 * A plan's span — a calendar year or a school year — and the dated windows a period
 * phrase stands for within it.
 */
import { daysInMonth, dayExists, formatRussianDate, isoDate, type IsoDate } from './dates.ts';
import type { DayOfMonth, DayRef, MonthRef, Period, PeriodSegment } from './period.ts';
import { MONTH_NAMES, MONTH_NAMES_GENITIVE } from './russian-words.ts';

export interface PlanSpan {
  kind: 'year' | 'schoolYear';
  /** The calendar year the plan starts in. */
  firstYear: number;
  start: IsoDate;
  end: IsoDate;
}

/** 1 January – 31 December of `year`, or 1 September `schoolYear` – 31 August of the next. */
export function planSpan(plan: { year?: number | undefined; schoolYear?: number | undefined }): PlanSpan {
  if (plan.schoolYear !== undefined) {
    return { kind: 'schoolYear', firstYear: plan.schoolYear, start: isoDate(plan.schoolYear, 9, 1), end: isoDate(plan.schoolYear + 1, 8, 31) };
  }
  const year = plan.year!;
  return { kind: 'year', firstYear: year, start: isoDate(year, 1, 1), end: isoDate(year, 12, 31) };
}

/** «январь–декабрь 2020», «сентябрь 2022 – август 2023». */
export function describeSpan(span: PlanSpan): string {
  return span.kind === 'year' ? `январь–декабрь ${span.firstYear}` : `сентябрь ${span.firstYear} – август ${span.firstYear + 1}`;
}

/**
 * A dated window of one occurrence. `from`/`to` are calendar bounds; unless marked exact,
 * the task starts on the first working day on or after `from` and is due on the last
 * working day on or before `to`.
 */
export interface PeriodWindow {
  from: IsoDate;
  to: IsoDate;
  exactStart: boolean;
  exactDue: boolean;
}

export type PeriodResolution = { ok: true; windows: PeriodWindow[]; warnings: string[] } | { ok: false; error: string };

type MonthKey = { year: number; month: number };
const indexOf = (key: MonthKey) => key.year * 12 + key.month - 1;
const keyOf = (index: number): MonthKey => ({ year: Math.floor(index / 12), month: (index % 12) + 1 });
const monthName = (key: MonthKey) => `${MONTH_NAMES[key.month - 1]} ${key.year}`;

/**
 * Lays a period over the plan's span. Months without a year fall in the span (in a school
 * year, September–December in the first year and January–August in the second); a written
 * year is moved by `yearShift` when a plan is laid over another year.
 * @example resolvePeriod(readPeriod('Декабрь-июнь').period, planSpan({ schoolYear: 2022 })) // one window, 2022-12-01 … 2023-06-30
 */
export function resolvePeriod(period: Period, span: PlanSpan, yearShift = 0): PeriodResolution {
  const spanFrom = indexOf({ year: span.firstYear, month: span.kind === 'year' ? 1 : 9 });
  const spanTo = spanFrom + 11;
  const implied = (month: number): number => (span.kind === 'year' || month >= 9 ? span.firstYear : span.firstYear + 1);
  const shifted = (year: number | undefined) => (year === undefined ? undefined : year + yearShift);
  const monthsWindow = (from: number, to: number): PeriodWindow => {
    const last = keyOf(to);
    return { from: isoDate(keyOf(from).year, keyOf(from).month, 1), to: isoDate(last.year, last.month, daysInMonth(last.year, last.month)), exactStart: false, exactDue: false };
  };
  const checkInSpan = (from: number, to: number, text: string): string | undefined => {
    if (from < spanFrom || from > spanTo || to < spanFrom || to > spanTo) return `${text} — вне периода плана (${describeSpan(span)})`;
    if (to < from) return `период идёт назад: ${text}`;
    return undefined;
  };

  switch (period.kind) {
    case 'unscheduled':
      return { ok: true, windows: [], warnings: [] };
    case 'wholePlan':
      return { ok: true, windows: [monthsWindow(spanFrom, spanTo)], warnings: [] };
    case 'quarterly':
    case 'monthly': {
      const step = period.kind === 'quarterly' ? 3 : 1;
      const windows: PeriodWindow[] = [];
      for (let from = spanFrom; from <= spanTo; from += step) windows.push(monthsWindow(from, from + step - 1));
      return { ok: true, windows, warnings: [] };
    }
    case 'fromMonth': {
      const from = indexOf({ year: shifted(period.from.year) ?? implied(period.from.month), month: period.from.month });
      const error = checkInSpan(from, spanTo, `с ${MONTH_NAMES_GENITIVE[keyOf(from).month - 1]} ${keyOf(from).year}`);
      return error ? { ok: false, error } : { ok: true, windows: [monthsWindow(from, spanTo)], warnings: [] };
    }
    case 'segments': {
      const windows: PeriodWindow[] = [];
      for (const segment of period.segments) {
        if (segment.kind === 'decades') {
          const index = indexOf({ year: shifted(segment.month.year) ?? implied(segment.month.month), month: segment.month.month });
          const error = checkInSpan(index, index, describeDecades(segment, keyOf(index)));
          if (error) return { ok: false, error };
          windows.push(decadesWindow(segment, keyOf(index)));
          continue;
        }
        let from: number;
        let to: number;
        if (segment.kind === 'half') {
          const year = shifted(segment.year);
          const [first, last] = span.kind === 'schoolYear' && year === undefined ? (segment.half === 1 ? [9, 12] : [1, 5]) : segment.half === 1 ? [1, 6] : [7, 12];
          from = indexOf({ year: year ?? implied(first!), month: first! });
          to = indexOf({ year: year ?? implied(last!), month: last! });
        } else {
          [from, to] = rangeIndexes(segment.from, segment.to, shifted, implied);
        }
        const text = from === to ? monthName(keyOf(from)) : `${monthName(keyOf(from))} – ${monthName(keyOf(to))}`;
        const error = checkInSpan(from, to, text);
        if (error) return { ok: false, error };
        windows.push(monthsWindow(from, to));
      }
      return { ok: true, windows, warnings: [] };
    }
    case 'dates': {
      const warnings: string[] = [];
      const windows: PeriodWindow[] = [];
      // «23 марта», «23.03» without a year fall in the span as a month does.
      const dated = (day: DayOfMonth): DayRef => ({ ...day, year: day.year !== undefined ? day.year + yearShift : implied(day.month) });
      for (const range of period.ranges) {
        const from = shiftDay(dated(range.from), 0, warnings);
        const to = shiftDay(dated(range.to), 0, warnings);
        const text = from === to ? formatRussianDate(from) : `${formatRussianDate(from)} – ${formatRussianDate(to)}`;
        if (from < span.start || to > span.end) return { ok: false, error: `${text} — вне периода плана (${describeSpan(span)})` };
        // Only days without a year can run backwards here: «с 5 марта по 28 февраля».
        if (to < from) return { ok: false, error: `период идёт назад: ${text}` };
        windows.push({ from, to, exactStart: true, exactDue: true });
      }
      return { ok: true, windows, warnings };
    }
    case 'until': {
      const warnings: string[] = [];
      const year = period.date.year !== undefined ? period.date.year + yearShift : implied(period.date.month);
      const due = shiftDay({ year, month: period.date.month, day: period.date.day }, 0, warnings);
      if (due < span.start || due > span.end) return { ok: false, error: `срок ${formatRussianDate(due)} — вне периода плана (${describeSpan(span)})` };
      return { ok: true, windows: [{ from: due.slice(0, 8) + '01', to: due, exactStart: false, exactDue: true }], warnings };
    }
  }
}

const DECADE_NAMES = ['первая', 'вторая', 'третья'] as const;

/** «третья декада марта 2021», «первая–вторая декады мая 2021». */
function describeDecades(segment: Extract<PeriodSegment, { kind: 'decades' }>, month: MonthKey): string {
  const names = segment.first === segment.last ? `${DECADE_NAMES[segment.first - 1]} декада` : `${DECADE_NAMES[segment.first - 1]}–${DECADE_NAMES[segment.last - 1]} декады`;
  return `${names} ${MONTH_NAMES_GENITIVE[month.month - 1]} ${month.year}`;
}

/** From the 1st, 11th or 21st of the month to its 10th, 20th or last day; the task runs over the working days within. */
function decadesWindow(segment: Extract<PeriodSegment, { kind: 'decades' }>, month: MonthKey): PeriodWindow {
  const lastDay = segment.last === 3 ? daysInMonth(month.year, month.month) : segment.last * 10;
  return { from: isoDate(month.year, month.month, (segment.first - 1) * 10 + 1), to: isoDate(month.year, month.month, lastDay), exactStart: false, exactDue: false };
}

function rangeIndexes(from: MonthRef, to: MonthRef, shifted: (year: number | undefined) => number | undefined, implied: (month: number) => number): [number, number] {
  let fromYear = shifted(from.year);
  let toYear = shifted(to.year);
  // «апрель - октябрь 2020 года»: the year written once dates both ends.
  if (fromYear === undefined && toYear !== undefined) fromYear = from.month <= to.month ? toYear : toYear - 1;
  if (toYear === undefined && fromYear !== undefined) toYear = to.month >= from.month ? fromYear : fromYear + 1;
  return [indexOf({ year: fromYear ?? implied(from.month), month: from.month }), indexOf({ year: toYear ?? implied(to.month), month: to.month })];
}

/** A written date moved by whole years; 29 February of a year without one becomes 28 February. */
function shiftDay(day: DayRef, yearShift: number, warnings: string[]): IsoDate {
  const year = day.year + yearShift;
  if (dayExists(year, day.month, day.day)) return isoDate(year, day.month, day.day);
  warnings.push(`в ${year} году нет ${day.day}.${String(day.month).padStart(2, '0')}; взят последний день месяца`);
  return isoDate(year, day.month, daysInMonth(year, day.month));
}

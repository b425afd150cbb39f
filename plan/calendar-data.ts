/**
 * The production calendar as data: one year's holidays, moved days off, working
 * weekend days and shortened pre-holiday days, as the government decree sets them.
 *
 * The shipped years live in `calendars/production/YYYY.yaml`; a user's file of the same
 * shape overrides or amends a year (a region's own holidays, a late decree).
 */
import { z } from 'zod';
import { countYear } from './calendar-count.ts';
import { isWeekend, parseIsoDate, yearOf } from './dates.ts';
import { pluralRu } from './russian-words.ts';

const WORKING_DAY_FORMS = ['рабочий день', 'рабочих дня', 'рабочих дней'] as const;

const CalendarDate = z
  .string({ error: 'ожидается дата в виде ГГГГ-ММ-ДД' })
  .refine((text) => parseIsoDate(text) !== null, { error: (issue) => `«${String(issue.input)}» — такой даты нет; ожидается ГГГГ-ММ-ДД` });

const DateList = z.array(CalendarDate).default([]);

/** One year of a production calendar, shipped or a user's. */
export const CalendarYear = z
  .object({
    year: z.int().min(1990).max(2100),
    region: z.string().optional(),
    source: z.string().min(1).optional(),
    /** With `replace: true` a user's year replaces the shipped one instead of amending it. */
    replace: z.boolean().default(false),
    /** Non-working holidays (ст. 112 ТК РФ), whatever weekday they fall on. */
    holidays: DateList,
    /** Weekdays made days off by a transfer. */
    daysOff: DateList,
    /** Saturdays and Sundays made working days by a transfer. */
    workingDays: DateList,
    /** Working days shortened by one hour before a holiday (ст. 95 ТК РФ). */
    shortDays: DateList,
    /** The official totals, to check the data against. */
    totals: z.object({ workingDays: z.int().positive(), hours40: z.int().positive() }).optional(),
  })
  .superRefine((data, ctx) => {
    const lists = ['holidays', 'daysOff', 'workingDays', 'shortDays'] as const;
    for (const list of lists) {
      data[list].forEach((date, index) => {
        if (parseIsoDate(date) && yearOf(date) !== data.year) {
          ctx.addIssue({ code: 'custom', path: [list, index], message: `дата ${date} не относится к ${data.year} году` });
        }
      });
    }
    data.workingDays.forEach((date, index) => {
      if (parseIsoDate(date) && !isWeekend(date)) {
        ctx.addIssue({ code: 'custom', path: ['workingDays', index], message: `${date} — будний день; в workingDays перечисляют только субботы и воскресенья, ставшие рабочими` });
      }
    });
    const off = new Set([...data.holidays, ...data.daysOff]);
    data.shortDays.forEach((date, index) => {
      if (parseIsoDate(date) && (off.has(date) || (isWeekend(date) && !data.workingDays.includes(date)))) {
        ctx.addIssue({ code: 'custom', path: ['shortDays', index], message: `${date} — нерабочий день, он не может быть сокращённым` });
      }
    });
    if (data.totals && !data.replace && data.region === undefined) {
      const computed = countYear(data);
      if (computed && (computed.workingDays !== data.totals.workingDays || computed.hours40 !== data.totals.hours40)) {
        ctx.addIssue({
          code: 'custom',
          path: ['totals'],
          message: `по данным получается ${computed.workingDays} ${pluralRu(computed.workingDays, WORKING_DAY_FORMS)} и ${computed.hours40} ч, а в totals указано ${data.totals.workingDays} и ${data.totals.hours40} ч`,
        });
      }
    }
  });
export type CalendarYear = z.infer<typeof CalendarYear>;

/** A user's calendar file with several years under `years`; a file of one year is a `CalendarYear`. */
export const CalendarYears = z.object({ region: z.string().optional(), source: z.string().optional(), years: z.array(CalendarYear).min(1) });
export type CalendarYears = z.infer<typeof CalendarYears>;

/** The years of a several-year file, with the file's region and source carried down. */
export function yearsOf(file: CalendarYears): CalendarYear[] {
  return file.years.map((year) => ({ ...year, region: year.region ?? file.region, source: year.source ?? file.source }));
}

export { countYear };

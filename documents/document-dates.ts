/**
 * The dates a plan's documents are signed on when a command is not told one: a document
 * belongs to its plan's span, so a contract is never dated after the term it runs for. Pure:
 * today and the production calendar come in as arguments.
 */
import type { IsoDate } from '../plan/dates.ts';
import type { PlanSpan } from '../plan/plan-span.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';

/**
 * The date of a contract or an order made without `--date`: today while the plan runs, else
 * the first working day of its span (a 2020 plan's contracts made in 2026 are dated 9 January
 * 2020, not after their term ends on 31 December 2020).
 *
 * @example defaultDocumentDate(planSpan({ year: 2020 }), calendar, '2026-12-01') // '2020-01-09'
 * @example defaultDocumentDate(planSpan({ year: 2026 }), calendar, '2026-03-02') // '2026-03-02'
 */
export function defaultDocumentDate(span: PlanSpan, calendar: ProductionCalendar, today: IsoDate): IsoDate {
  return span.start <= today && today <= span.end ? today : calendar.workingDayOnOrAfter(span.start);
}

/**
 * The day a report on the whole span is made and signed: the span's last working day, since
 * 31 December is sometimes a day off (a Saturday in 2022, a moved day off in 2021 and 2026).
 *
 * @example closingReportDate(planSpan({ year: 2022 }), calendar) // '2022-12-30'
 */
export function closingReportDate(span: PlanSpan, calendar: ProductionCalendar): IsoDate {
  return calendar.workingDayOnOrBefore(span.end);
}

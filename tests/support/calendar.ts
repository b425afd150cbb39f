/** The shipped production calendar, for tests. */
import { loadCalendarDir, SHIPPED_CALENDAR_DIR } from '../../activities/plan-files.ts';
import type { CalendarYear } from '../../plan/calendar-data.ts';
import { ProductionCalendar } from '../../plan/production-calendar.ts';

export async function shippedYears(): Promise<CalendarYear[]> {
  const { years, issues } = await loadCalendarDir(SHIPPED_CALENDAR_DIR);
  if (issues.length > 0) throw new Error(`shipped calendar has issues: ${JSON.stringify(issues)}`);
  return years;
}

export async function shippedCalendar(): Promise<ProductionCalendar> {
  return new ProductionCalendar(await shippedYears());
}

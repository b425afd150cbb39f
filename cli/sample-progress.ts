/**
 * The sample plan is laid over the current year to show plangraf at work. Started fresh in
 * December, nearly its whole year would be overdue: a wall of red that shows nothing. So the
 * sample joins its year as an office joins mid-year: what fell due more than a fortnight ago is
 * recorded as done before the start, with the plan's own target as its result (`defaultDoneResult`:
 * «выполнено» for one of an activity's several tasks); the last
 * fortnight's tasks stay open and late, so the chasing letters can be seen, and the rest of the
 * year runs as planned.
 */
import { addDays, type IsoDate } from '../plan/dates.ts';
import { defaultDoneResult } from '../plan/done-results.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { DoneBeforeStart } from '../workflows/plan-workflow.ts';

/** How many days before today a task may have fallen due and still be left open (late). */
export const SAMPLE_LATE_WINDOW_DAYS = 14;

export const SAMPLE_DONE_COMMENT = 'пример: отмечено выполненным при запуске плана';

export function sampleDoneBeforeStart(tasks: readonly ScheduledTask[], today: IsoDate, lateWindowDays = SAMPLE_LATE_WINDOW_DAYS): Record<string, DoneBeforeStart> {
  const cutoff = addDays(today, -lateWindowDays);
  return Object.fromEntries(
    tasks
      .filter((task) => task.due !== null && task.due < cutoff)
      .map((task) => [task.task, { result: defaultDoneResult(task, tasks), comment: SAMPLE_DONE_COMMENT }]),
  );
}

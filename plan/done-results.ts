/**
 * What a task marked done without a result of its own reports (a mid-year start, «отметить все
 * выполненными»). A task that is its activity's only one reports the planned target («3»,
 * «100%»): that is what was done. A task of several — an occurrence of «ежемесячно», one
 * school's part — cannot claim the whole target, or twelve months of «24 публикации» would add
 * up to 288: it reports «выполнено», and the indicators count it as one task of its activity done.
 */
import type { ScheduledTask } from './schedule.ts';

export const DONE_WITHOUT_RESULT = 'выполнено';

export function defaultDoneResult(task: Pick<ScheduledTask, 'item' | 'result'>, tasks: readonly Pick<ScheduledTask, 'item'>[]): string {
  const shared = tasks.filter((each) => each.item === task.item).length > 1;
  return !shared && task.result?.trim() ? task.result.trim() : DONE_WITHOUT_RESULT;
}

/**
 * The mid-year start form read as the plan's «done before the start»: a task's own result, else
 * the result typed for all, else what a task done without a result reports.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduledTask } from '../../plan/schedule.ts';
import { doneBeforeStartOf } from '../../web/drafts/draft-start.ts';

const task = (id: string, item: string, result: string | null): ScheduledTask => ({ task: id, item, result }) as unknown as ScheduledTask;

// Item 1 is held once (target «протокол»); item 2 monthly, three occurrences so far of twelve (target «24 публикации»).
const PAST = [task('1', '1', 'протокол'), task('2#1', '2', '24 публикации'), task('2#2', '2', '24 публикации'), task('2#3', '2', '24 публикации')];
const ALL = [...PAST, ...Array.from({ length: 9 }, (_, n) => task(`2#${n + 4}`, '2', '24 публикации'))];
const rows = Object.fromEntries(PAST.flatMap((each, index) => [[`task.${index}`, each.task], [`result.${index}`, '']]));

describe('the tasks a mid-year start marks done', () => {
  it('gives every task the result typed for all when «отметить все выполненными» is ticked and no task has its own', () => {
    expect(doneBeforeStartOf({ ...rows, allDone: 'yes', allResult: 'сделано' }, PAST, ALL)).toEqual({ '1': { result: 'сделано' }, '2#1': { result: 'сделано' }, '2#2': { result: 'сделано' }, '2#3': { result: 'сделано' } });
  });

  it('keeps a result typed on its row over the one for all', () => {
    expect(doneBeforeStartOf({ ...rows, 'result.0': 'Протокол № 1', allDone: 'yes', allResult: 'сделано' }, PAST, ALL)['1']).toEqual({ result: 'Протокол № 1' });
  });

  it('without any result, reports the planned target for an activity’s only task and «выполнено» for one of a monthly activity’s, so its indicator is not inflated', () => {
    expect(doneBeforeStartOf({ ...rows, allDone: 'yes', allResult: '' }, PAST, ALL)).toEqual({ '1': { result: 'протокол' }, '2#1': { result: 'выполнено' }, '2#2': { result: 'выполнено' }, '2#3': { result: 'выполнено' } });
  });

  it('marks only the ticked tasks when «все сразу» is not ticked', () => {
    expect(doneBeforeStartOf({ ...rows, 'done.1': 'yes', allResult: 'сделано' }, PAST, ALL)).toEqual({ '2#1': { result: 'сделано' } });
  });

  it('takes the rows as sent once any row box is: «all» ticked and a row unticked leaves that row not done', () => {
    expect(doneBeforeStartOf({ ...rows, allDone: 'yes', 'done.0': 'yes', 'done.1': 'yes', 'done.3': 'yes', allResult: 'сделано' }, PAST, ALL)).toEqual({ '1': { result: 'сделано' }, '2#1': { result: 'сделано' }, '2#3': { result: 'сделано' } });
  });
});

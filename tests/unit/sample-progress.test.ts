import { describe, expect, it } from 'vitest';
import { sampleDoneBeforeStart, SAMPLE_DONE_COMMENT } from '../../cli/sample-progress.ts';
import type { ScheduledTask } from '../../plan/schedule.ts';

const task = (task: string, due: string | null, result: string | null = null): ScheduledTask => ({
  task,
  item: task.split(/[/@]/)[0]!,
  title: `Мероприятие ${task}`,
  start: due,
  due,
  executor: 'riro',
  coExecutors: [],
  school: null,
  result,
  period: 'март',
  after: [],
});

describe('the sample plan joining its year', () => {
  const tasks = [task('1', '2026-03-31', '3'), task('2', '2026-11-20'), task('3', '2026-11-25', '10'), task('4', '2026-12-25'), task('5', null)];

  it('records what fell due more than a fortnight ago as done, with the plan target as its result', () => {
    expect(sampleDoneBeforeStart(tasks, '2026-12-07')).toEqual({
      '1': { result: '3', comment: SAMPLE_DONE_COMMENT },
      '2': { result: 'выполнено', comment: SAMPLE_DONE_COMMENT },
    });
  });

  it('leaves the last fortnight late, the rest of the year and undated tasks open', () => {
    const done = sampleDoneBeforeStart(tasks, '2026-12-07');
    expect(Object.keys(done)).not.toContain('3');
    expect(Object.keys(done)).not.toContain('4');
    expect(Object.keys(done)).not.toContain('5');
  });

  it('marks nothing at the start of the year', () => {
    expect(sampleDoneBeforeStart(tasks, '2026-01-12')).toEqual({});
  });
});

describe('the result of a task marked done without one', () => {
  it('is the planned target for an activity of one task, «выполнено» for one of several', async () => {
    const { defaultDoneResult } = await import('../../plan/done-results.ts');
    const monthly = [task('3/1', '2026-01-31', '24 публикации'), task('3/2', '2026-02-28', '24 публикации')];
    expect(defaultDoneResult(monthly[0]!, monthly)).toBe('выполнено');
    const single = [task('1', '2026-03-31', '3')];
    expect(defaultDoneResult(single[0]!, single)).toBe('3');
    expect(defaultDoneResult(task('2', '2026-03-31'), [task('2', '2026-03-31')])).toBe('выполнено');
  });
});

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

/** Tasks and occurrences named as people name them: by activity, quarter or month, and school. */
import { describe, expect, it } from 'vitest';
import { occurrenceName, taskName, taskNames } from '../../plan/task-names.ts';

describe('the name of an occurrence', () => {
  it('names a quarter, a month, a half-year and a span of months by their dates', () => {
    expect(occurrenceName({ start: '2026-01-12', due: '2026-03-31' }, 1, 4)).toBe('1-й квартал');
    expect(occurrenceName({ start: '2026-04-01', due: '2026-06-30' }, 2, 4)).toBe('2-й квартал');
    expect(occurrenceName({ start: '2026-03-02', due: '2026-03-31' }, 3, 12)).toBe('март');
    expect(occurrenceName({ start: '2026-07-01', due: '2026-12-30' }, 2, 2)).toBe('2-е полугодие');
    expect(occurrenceName({ start: '2026-01-12', due: '2026-02-27' }, 1, 2)).toBe('январь–февраль');
  });

  it('names an occurrence without dates by its place, and one done once not at all', () => {
    expect(occurrenceName({ start: null, due: null }, 3, 12)).toBe('3-я из 12');
    expect(occurrenceName(null, 2, 5)).toBe('2-я из 5');
    expect(occurrenceName({ start: '2026-03-02', due: '2026-03-31' }, 1, 1)).toBe('');
  });

  it('names a per-school task of a quarterly activity «Отчёт, 2-й квартал — МОУ СОШ № 5»', () => {
    const tasks = [1, 2, 3, 4].map((quarter) => ({
      task: `17/${quarter}@sch-05`,
      item: '17',
      title: 'Отчёт',
      school: 'sch-05',
      start: `2026-${String(quarter * 3 - 2).padStart(2, '0')}-01`,
      due: `2026-${String(quarter * 3).padStart(2, '0')}-28`,
    }));
    const names = taskNames({ schools: [{ id: 'sch-05', name: 'Муниципальное общеобразовательное учреждение «Средняя школа № 5»', shortName: 'МОУ СОШ № 5' }] }, [...tasks, { task: '3', item: '3', title: 'Совещание', school: null, start: '2026-05-04', due: '2026-05-29' }]);
    expect(names.task('17/2@sch-05')).toBe('Отчёт, 2-й квартал — МОУ СОШ № 5');
    expect(names.occurrence('17/4')).toBe('4-й квартал');
    expect(names.task('3')).toBe('Совещание');
    expect(names.task('99@sch-77')).toBe('99@sch-77');
  });

  it('puts a name together from the parts a letter carries, leaving out the parts a task has not', () => {
    expect(taskName('Отчёт', '2-й квартал', 'МОУ СОШ № 5')).toBe('Отчёт, 2-й квартал — МОУ СОШ № 5');
    expect(taskName('Отчёт', '', 'МОУ СОШ № 5')).toBe('Отчёт — МОУ СОШ № 5');
    expect(taskName('Отчёт', '2-й квартал', null)).toBe('Отчёт, 2-й квартал');
    expect(taskName('Совещание')).toBe('Совещание');
  });
});

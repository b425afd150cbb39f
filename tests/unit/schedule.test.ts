import { beforeAll, describe, expect, it } from 'vitest';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { planWithItems } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { scheduleFixture, taskDates } from '../support/schedule.ts';

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

describe('the schedule contract', () => {
  it('prints one object per task with the contract fields, in plan order', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '13', title: 'Мониторинг', when: 'март, октябрь', executor: ['riro', 'coordinator'], result: 10 },
        { id: '2', title: 'Критерии', when: 'январь', executor: 'riro', result: '100%' },
      ]),
      calendar,
    );
    expect(schedule.tasks[0]).toEqual({
      task: '13/1', item: '13', title: 'Мониторинг', start: '2020-03-02', due: '2020-03-31',
      executor: 'riro', coExecutors: ['coordinator'], school: null, result: '10', period: 'март, октябрь', after: [],
    });
    expect(schedule.tasks.map((task) => task.task)).toEqual(['13/1', '13/2', '2']);
    expect(schedule.tasks[2]!.result).toBe('100%');
  });

  it('gives a task without a target a null result', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '1', title: 'Без результата', when: 'май', executor: 'riro' }]), calendar);
    expect(schedule.tasks[0]!.result).toBeNull();
  });
});

describe('per-school items', () => {
  it('expands into one task per participant school, done by its director, skipping partner schools', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '9', title: 'Планы школ', when: 'февраль - март', per: 'school', executor: 'riro' }]), calendar);
    expect(schedule.tasks.map((task) => [task.task, task.executor, task.coExecutors, task.school])).toEqual([
      ['9@sch-01', 'director:sch-01', ['riro'], 'sch-01'],
      ['9@sch-02', 'director:sch-02', ['riro'], 'sch-02'],
    ]);
  });

  it('numbers occurrences before the school: 13/2@sch-01', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '13', title: 'Мониторинг', when: 'март, октябрь', per: 'school' }]), calendar);
    expect(schedule.tasks.map((task) => task.task)).toEqual(['13/1@sch-01', '13/1@sch-02', '13/2@sch-01', '13/2@sch-02']);
  });
});

describe('dependencies', () => {
  it('starts a task on the day what it waits for is due, when that is later than its period start', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '7', title: 'Кластеры', when: 'февраль', executor: 'riro' },
        { id: '9', title: 'Планы школ', when: 'февраль - март', executor: 'riro', after: ['7'] },
      ]),
      calendar,
    );
    expect(taskDates(schedule)).toEqual(['7 2020-02-03…2020-02-28', '9 2020-02-28…2020-03-31']);
    expect(schedule.tasks[1]!.after).toEqual(['7']);
  });

  it('lets a per-school task wait for the same school only', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '9', title: 'Планы', when: 'февраль', per: 'school' },
        { id: '10', title: 'Договоры', when: 'март', per: 'school', after: '9' },
        { id: '11', title: 'Свод', when: 'апрель', executor: 'riro', after: '10' },
      ]),
      calendar,
    );
    expect(schedule.tasks.map((task) => [task.task, task.after])).toEqual([
      ['9@sch-01', []],
      ['9@sch-02', []],
      ['10@sch-01', ['9@sch-01']],
      ['10@sch-02', ['9@sch-02']],
      ['11', ['10@sch-01', '10@sch-02']],
    ]);
  });

  it('pairs the occurrences of two items repeated alike', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '1', title: 'Сбор', when: 'ежеквартально', executor: 'riro' },
        { id: '2', title: 'Свод', when: 'ежеквартально', executor: 'riro', after: '1' },
      ]),
      calendar,
    );
    expect(schedule.tasks.filter((task) => task.item === '2').map((task) => task.after)).toEqual([['1/1'], ['1/2'], ['1/3'], ['1/4']]);
  });

  it('never starts a task after its own due date, and warns when what it waits for is due later', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '1', title: 'Долгое', when: 'март', executor: 'riro' },
        { id: '2', title: 'Раннее', when: 'февраль', executor: 'riro', after: '1' },
      ]),
      calendar,
    );
    expect(taskDates(schedule)).toEqual(['1 2020-03-02…2020-03-31', '2 2020-02-28…2020-02-28']);
    expect(schedule.warnings).toEqual([{ path: ['items', 1, 'after'], message: 'пункт ждёт задач со сроком 31.03.2020, позже своего срока 28.02.2020: проверьте after или период' }]);
  });
});

describe('relative deadlines', () => {
  it('dates a `within` task from the planned due date of what it waits for', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '3', title: 'Приказ', when: 'февраль', executor: 'riro' },
        { id: '3.1', title: 'Направить копию приказа', after: ['3'], within: '1 рабочий день', executor: 'riro' },
        { id: '3.2', title: 'Опубликовать', after: ['3'], within: 'в течение семи дней после подписания', executor: 'riro' },
      ]),
      calendar,
    );
    expect(taskDates(schedule)).toEqual(['3 2020-02-03…2020-02-28', '3.1 2020-02-28…2020-03-02', '3.2 2020-02-28…2020-03-06']);
  });

  it('leaves a `within` task unscheduled, with a warning, when what it waits for has no dates', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '1', title: 'Когда-нибудь', when: 'по отдельному графику', executor: 'riro' },
        { id: '2', title: 'После', after: '1', within: '3 рабочих дня', executor: 'riro' },
      ]),
      calendar,
    );
    expect(taskDates(schedule)).toEqual(['1 —…—', '2 —…—']);
    expect(schedule.warnings.map((warning) => warning.path)).toEqual([['items', 0, 'when'], ['items', 1, 'within']]);
  });
});

describe('repeated items that wait for each other', () => {
  it('keeps each quarter of a quarterly item within its quarter when it waits for another quarterly item', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '1', title: 'Сбор', when: 'ежеквартально', executor: 'riro' },
        { id: '2', title: 'Свод', when: 'ежеквартально', executor: 'riro', after: '1' },
      ]),
      calendar,
    );
    expect(taskDates(schedule).slice(4)).toEqual(['2/1 2020-03-31…2020-03-31', '2/2 2020-06-30…2020-06-30', '2/3 2020-09-30…2020-09-30', '2/4 2020-12-31…2020-12-31']);
    expect(schedule.warnings).toEqual([]);
  });

  it('gives a `within` item one occurrence per occurrence of the repeated item it follows', () => {
    const schedule = scheduleFixture(
      planWithItems([
        { id: '6', title: 'Мероприятие', when: 'ежеквартально', executor: 'riro' },
        { id: '7', title: 'Отчёт о мероприятии', after: '6', within: '10 дней', executor: 'riro' },
      ]),
      calendar,
    );
    expect(taskDates(schedule).slice(4)).toEqual(['7/1 2020-03-31…2020-04-10', '7/2 2020-06-30…2020-07-10', '7/3 2020-09-30…2020-10-12', '7/4 2020-12-31…2021-01-11']);
    expect(schedule.tasks.find((task) => task.task === '7/2')?.after).toEqual(['6/2']);
    expect(schedule.warnings).toEqual([{ path: ['items', 1, 'within'], message: 'срок 11.01.2021 выходит за период плана (31.12.2020)' }]);
  });
});

describe('years without calendar data', () => {
  it('schedules on weekends and ст. 112 holidays, and says the data is missing', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '1', title: 'Мероприятие', when: 'январь', executor: 'riro' }], { year: 2031 }), calendar);
    expect(taskDates(schedule)).toEqual(['1 2031-01-09…2031-01-31']);
    expect(schedule.warnings).toEqual([{ path: ['year'], message: expect.stringContaining('нет производственного календаря на 2031 год') }]);
  });
});

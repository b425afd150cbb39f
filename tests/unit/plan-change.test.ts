/**
 * What a new plan-graph changes of a running plan, and what of it the year under way refuses:
 * the pure functions the plan workflow's `changePlan` update runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ProductionCalendar } from '../../plan/production-calendar.ts';
import { schedulePlan } from '../../plan/schedule.ts';
import { Plan } from '../../plan/schema.ts';
import { TaskState, type TaskSummary } from '../../workflows/messages.ts';
import { dependencyRefusals, diffSchedules, identityRefusals, replansOf, startedAfter, summariesAfter, summaryOf, taskRefusals, type PlanSide } from '../../workflows/plan-change.ts';
import { initialSummary } from '../../workflows/task-summary.ts';
import { buildPlan } from '../support/build-plan.ts';
import { shippedYears } from '../support/calendar.ts';

const MONITORING = { id: '1', title: 'Мониторинг', when: 'октябрь', executor: 'riro' };
const ANALYSIS = { id: '2', title: 'Аналитические материалы', when: 'ноябрь', executor: 'riro' };
const NOTE = { id: '3', title: 'Справка в школы', within: '3 рабочих дня', after: ['1'], executor: 'riro' };
const VISITS = { id: '4', title: 'Выезды в школы', when: 'декабрь', per: 'school' };
const CURATOR = { id: 'curator', name: 'Васильева Ирина Александровна', email: 'curator@example.org' };

let calendar: ProductionCalendar;

beforeAll(async () => {
  calendar = new ProductionCalendar(await shippedYears());
});

function side(items: Record<string, unknown>[], overrides: Record<string, unknown> = {}): PlanSide {
  const base = buildPlan();
  const plan = Plan.parse(buildPlan({ people: [...(base.people as unknown[]), CURATOR], items, ...overrides }));
  return { plan, tasks: schedulePlan(plan, calendar).tasks };
}

/** Every task's first summary, with some of them changed as a year under way has them. */
function summaries(running: PlanSide, changes: Record<string, Partial<TaskSummary>> = {}): Record<string, TaskSummary> {
  return Object.fromEntries(running.tasks.map((task) => [task.task, { ...initialSummary(running.plan, task), ...changes[task.task] }]));
}

const DONE = (doneOn: string): Partial<TaskSummary> => ({ state: TaskState.done, doneOn, result: 'сделано' });

describe('the diff of two schedules', () => {
  it('finds added and removed tasks by their stable ids, per school too', () => {
    const diff = diffSchedules(side([MONITORING, ANALYSIS]), side([MONITORING, VISITS]));
    expect(diff.added.map((task) => task.task)).toEqual(['4@sch-01', '4@sch-02']);
    expect(diff.removed.map((task) => task.task)).toEqual(['2']);
    expect(diff.changed).toEqual([]);
  });

  it('tells moved dates, another executor, other reminders and other prerequisites apart', () => {
    const before = side([MONITORING, ANALYSIS]);
    const after = side([{ ...MONITORING, when: 'октябрь - ноябрь', executor: 'curator' }, { ...ANALYSIS, reminders: { before: [3] }, after: ['1'] }]);
    const changed = diffSchedules(before, after).changed.map(({ task, dates, executor, reminders, dependencies }) => ({ task, dates, executor: executor?.to.id ?? null, reminders: reminders?.to ?? null, dependencies }));
    expect(changed).toEqual([
      { task: '1', dates: true, executor: 'curator', reminders: null, dependencies: false },
      // Waiting for 1, now due 30 November, it starts that day.
      { task: '2', dates: true, executor: null, reminders: { before: [3], overdueEvery: 2 }, dependencies: true },
    ]);
  });

  it('does not count a `within` task as moved when only the date it is counted from moved', () => {
    const diff = diffSchedules(side([MONITORING, NOTE]), side([{ ...MONITORING, when: 'ноябрь' }, NOTE]));
    expect(diff.changed.map((change) => [change.task, change.dates])).toEqual([['1', true]]);
    const within = diffSchedules(side([MONITORING, NOTE]), side([MONITORING, { ...NOTE, within: '5 рабочих дней' }]));
    expect(within.changed.map((change) => [change.task, change.dates])).toEqual([['3', true]]);
  });

  it('sees no change in reminders written in another order', () => {
    const diff = diffSchedules(side([{ ...MONITORING, reminders: { before: [5, 1] } }]), side([{ ...MONITORING, reminders: { before: [1, 5, 5] } }]));
    expect(diff.changed).toEqual([]);
  });
});

describe('what the running plan refuses', () => {
  it('refuses another plan id, another year, another laid-over year and another time zone', () => {
    const running = side([MONITORING]).plan;
    expect(identityRefusals(running, side([MONITORING], { id: 'other-plan' }).plan, undefined, undefined)).toEqual(['это другой план: запущен «test-plan», а в новом плане id «other-plan»']);
    expect(identityRefusals(running, side([{ ...MONITORING, when: 'октябрь 2021 года' }], { year: 2021 }).plan, undefined, undefined)).toEqual(['план запущен на 2020 год, а новый план — на 2021 год; год запущенного плана не меняется']);
    expect(identityRefusals(running, running, 2026, undefined)).toEqual(['план запущен на 2026 год, а изменение — на год самого плана; год запущенного плана не меняется']);
    expect(identityRefusals(running, { ...running, timezone: 'Asia/Yekaterinburg' }, undefined, undefined)).toEqual(['часовой пояс плана (Europe/Moscow) не меняется на ходу']);
  });

  it('refuses an item waiting for a removed item, or items waiting for each other in a circle', () => {
    const running = side([MONITORING, NOTE]).plan;
    expect(dependencyRefusals({ ...running, items: running.items.filter((item) => item.id !== '1') }, running)).toEqual(['пункт 3 ждёт пункта 1, а его в новом плане нет: удалите пункт 1 из after или оставьте пункт 1']);
    const circle = { ...running, items: [{ ...running.items[0]!, after: ['3'] }, running.items[1]!] };
    expect(dependencyRefusals(circle, running)).toEqual(['пункты ждут друг друга по кругу: 1 → 3 → 1']);
  });

  it('refuses removing a done task or one whose start day has come, and allows removing one that has not begun', () => {
    const running = side([MONITORING, ANALYSIS]);
    const diff = diffSchedules(running, side([{ ...MONITORING, id: '5' }]));
    expect(taskRefusals(diff, summaries(running, { '1': DONE('2020-10-14') }), '2020-10-20')).toEqual(['задача 1 «Мониторинг» выполнена 14.10.2020: удалить её из плана нельзя']);
    // The plan has not heard from task 2 yet, but its start day has come.
    expect(taskRefusals(diff, summaries(running, { '1': DONE('2020-10-14') }), '2020-11-02')).toEqual([
      'задача 1 «Мониторинг» выполнена 14.10.2020: удалить её из плана нельзя',
      'задача 2 «Аналитические материалы» уже началась (02.11.2020): удалить можно только задачу, которая ещё не начиналась',
    ]);
    expect(taskRefusals(diffSchedules(running, side([MONITORING])), summaries(running), '2020-10-20')).toEqual([]);
  });

  it('refuses moving a done task, and lets a done task keep its executor when the plan names another', () => {
    const running = side([MONITORING, ANALYSIS]);
    const tasks = summaries(running, { '1': DONE('2020-10-14') });
    expect(taskRefusals(diffSchedules(running, side([{ ...MONITORING, when: 'ноябрь' }, ANALYSIS])), tasks, '2020-10-20')).toEqual([
      'задача 1 «Мониторинг» выполнена 14.10.2020: её сроки не переносятся (было 01.10.2020–30.10.2020, в новом плане 02.11.2020–30.11.2020)',
    ]);
    const handedOver = diffSchedules(running, side([{ ...MONITORING, executor: 'curator' }, ANALYSIS]));
    expect(taskRefusals(handedOver, tasks, '2020-10-20')).toEqual([]);
    expect(summaryOf(handedOver, tasks)).toMatchObject({ reassigned: [], lines: [] });
  });

  it('refuses making a begun task wait for an unfinished one, but not for a done one', () => {
    const running = side([MONITORING, ANALYSIS, { ...ANALYSIS, id: '5', when: 'сентябрь' }]);
    const diff = diffSchedules(running, side([{ ...MONITORING, after: ['2', '5'] }, ANALYSIS, { ...ANALYSIS, id: '5', when: 'сентябрь' }]));
    expect(taskRefusals(diff, summaries(running, { '1': { state: TaskState.active } }), '2020-10-05')).toEqual(['задача 1 «Мониторинг» уже началась: она не может теперь ждать задачи 2, 5, которые не выполнены']);
    expect(taskRefusals(diff, summaries(running, { '1': { state: TaskState.active }, '2': DONE('2020-09-30'), '5': DONE('2020-09-30') }), '2020-10-05')).toEqual([]);
    // Before its start day a task may be made to wait.
    expect(taskRefusals(diff, summaries(running), '2020-09-20')).toEqual([]);
  });
});

describe('the change applied', () => {
  it('says each change in a Russian line', () => {
    const running = side([MONITORING, ANALYSIS]);
    const next = side([{ ...MONITORING, when: 'октябрь - ноябрь', executor: 'curator', reminders: { before: [3], overdueEvery: 5 } }, VISITS]);
    expect(summaryOf(diffSchedules(running, next), summaries(running)).lines).toEqual([
      'добавлена задача 4@sch-01 «Выезды в школы»: 01.12.2020–31.12.2020',
      'добавлена задача 4@sch-02 «Выезды в школы»: 01.12.2020–31.12.2020',
      'удалена задача 2 «Аналитические материалы»',
      'задача 1 «Мониторинг»: сроки 01.10.2020–30.10.2020 → 01.10.2020–30.11.2020; исполнитель Петров Иван Сергеевич → Васильева Ирина Александровна; напоминания за 5 и 1 раб. дн. до срока, о просрочке каждые 2 раб. дн. → за 3 раб. дн. до срока, о просрочке каждые 5 раб. дн.',
    ]);
  });

  it('tells a re-planned task its new dates, executor, reminders and the prerequisites already done', () => {
    const running = side([MONITORING, ANALYSIS, NOTE]);
    const next = side([MONITORING, ANALYSIS, { ...NOTE, within: '5 рабочих дней', after: ['1', '2'], executor: 'curator' }]);
    const replans = replansOf(diffSchedules(running, next), next.plan, summaries(running, { '1': DONE('2020-10-14') }), 2, 'coordinator');
    expect(replans).toEqual([
      {
        task: '3',
        input: {
          change: 2,
          start: next.tasks[2]!.start,
          due: next.tasks[2]!.due,
          period: '5 рабочих дней',
          within: { count: 5, unit: 'workingDays' },
          executor: { id: 'curator', name: CURATOR.name, email: CURATOR.email },
          reminders: { before: [5, 1], overdueEvery: 2 },
          after: ['1', '2'],
          doneBefore: { '1': '2020-10-14' },
          by: 'coordinator',
        },
      },
    ]);
  });

  it('keeps the summaries of done tasks, moves those that go on, drops removed ones and adds new ones', () => {
    const running = side([MONITORING, ANALYSIS, { ...ANALYSIS, id: '5', when: 'сентябрь' }]);
    const tasks = summaries(running, { '1': { state: TaskState.overdue, daysLate: 2 }, '5': DONE('2020-09-30') });
    const next = side([{ ...MONITORING, when: 'октябрь - ноябрь' }, { ...ANALYSIS, id: '6' }, { ...ANALYSIS, id: '5', when: 'октябрь' }]);
    const after = summariesAfter(diffSchedules(running, next), next, tasks, '2020-11-03');
    expect(Object.keys(after).sort()).toEqual(['1', '5', '6']);
    expect(after['1']).toMatchObject({ state: 'active', daysLate: 0, start: '2020-10-01', due: '2020-11-30', plannedDue: '2020-11-30', period: 'октябрь - ноябрь' });
    expect(after['5']).toEqual(tasks['5']);
    expect(after['6']).toEqual(initialSummary(next.plan, next.tasks[1]!));
  });

  it('counts as started the head of the new schedule that the old run had started', () => {
    const before = side([MONITORING, ANALYSIS, NOTE]).tasks;
    expect(startedAfter(before, 3, side([MONITORING, ANALYSIS, NOTE]).tasks)).toBe(3);
    expect(startedAfter(before, 3, side([MONITORING, { ...ANALYSIS, id: '7' }, NOTE]).tasks)).toBe(1);
    expect(startedAfter(before, 1, side([MONITORING, ANALYSIS]).tasks)).toBe(1);
  });
});

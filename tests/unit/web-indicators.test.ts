/**
 * Indicators: each activity's target as the plan writes it against the actual from the
 * executors' results, the verdict, the year's completion; the page and its spreadsheet.
 */
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile, type LoadedPlan } from '../../activities/plan-files.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import { buildIndicators, indicatorOf, readTarget, type IndicatorTask } from '../../web/year/indicator-data.ts';
import { indicatorsFileName, indicatorsPage, indicatorsXlsx, renderIndicators } from '../../web/year/indicators.ts';
import type { ServedPlan } from '../../web/plans.ts';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import { planWithItems, type PlanFixture } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { loadFixture, statusOf as makeStatus } from '../support/plan-status.ts';

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

const load = (fixture: PlanFixture): LoadedPlan => loadFixture(fixture, calendar);
const statusOf = (loaded: LoadedPlan, asOf: string, overrides: Record<string, Partial<TaskSummary>> = {}): PlanStatus => makeStatus(loaded, asOf, overrides);

const SCHOOLS = ['01', '02', '03', '04'].map((n) => ({ id: `sch-${n}`, name: `МОУ «Школа № ${n}»`, kind: 'ШНОР', municipality: 'Шиловский район', director: { name: `Директор ${n}`, email: `d${n}@example.org` } }));

const ITEMS = [
  { id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro', result: 3 },
  { id: '2', title: 'Критерии идентификации', when: 'январь', executor: 'riro', result: 'ШСНРО - 5, ШФНСУ - 2' },
  { id: '6', title: 'Углублённый анализ школ', when: 'февраль', per: 'school', executor: 'riro', result: '100%' },
  { id: '9', title: 'Планы школ', when: 'февраль - март', per: 'school', result: 4 },
  { id: '16', title: 'Мероприятия по распространению опыта', when: 'ежеквартально', executor: ['riro', 'coordinator'], result: 4 },
  { id: '17', title: 'Семинары в школах', when: 'май', per: 'school', result: '12 (по 3 в каждой школе)' },
  { id: '20', title: 'Региональная модель утверждена', when: 'март', executor: 'coordinator', result: true },
  { id: '25', title: 'Семинар по отдельному графику', when: 'по отдельному графику', executor: 'riro' },
];

const fixture = () => planWithItems(ITEMS, { schools: SCHOOLS });

const done = (result: string | null = null, doneOn = '2020-05-20'): Partial<TaskSummary> => ({ state: 'done', result, doneOn });

const task = (state: IndicatorTask['state'], result: string | null = null, id = 't'): IndicatorTask => ({ task: id, item: '1', state, result, due: '2020-05-29', doneOn: state === 'done' ? '2020-05-20' : null });

describe('targets', () => {
  it('are read as numbers, percents, yes/no or text, as the plan writes them', () => {
    expect(readTarget(10)).toEqual({ kind: 'number', value: 10, text: '10' });
    expect(readTarget('30 (по 3 в каждой школе)')).toEqual({ kind: 'number', value: 30, text: '30 (по 3 в каждой школе)' });
    expect(readTarget('10 команд (60 человек)')).toMatchObject({ kind: 'number', value: 10 });
    expect(readTarget('100%')).toEqual({ kind: 'percent', value: 100, text: '100%' });
    expect(readTarget('95,5 %')).toMatchObject({ kind: 'percent', value: 95.5 });
    expect(readTarget('да')).toEqual({ kind: 'yesNo', value: true, text: 'да' });
    expect(readTarget('Нет')).toMatchObject({ kind: 'yesNo', value: false });
    expect(readTarget('ШСНРО - 5, ШФНСУ - 2')).toEqual({ kind: 'text', text: 'ШСНРО - 5, ШФНСУ - 2' });
    expect(readTarget('10-11 классы')).toMatchObject({ kind: 'text' });
    expect(readTarget(undefined)).toEqual({ kind: 'none' });
  });
});

describe('an activity\'s actual and verdict', () => {
  it('counts a report on check as not done, and says it waits', () => {
    expect(indicatorOf({ result: 2 }, [task('done', 'План утверждён'), task('review', 'План на согласовании')])).toMatchObject({ actual: '1', done: 1, review: 1, tasks: 2, verdict: 'inProgress', doneOn: null });
    expect(indicatorOf({ result: 'да' }, [task('review', 'да')])).toMatchObject({ actual: 'нет', done: 0, review: 1, verdict: 'inProgress' });
  });

  it('counts the done tasks of a per-school number target when their results are words', () => {
    expect(indicatorOf({ result: 4 }, [task('done', 'План утверждён'), task('done', 'Готово'), task('active'), task('planned')])).toMatchObject({ actual: '2', actualNumber: 2, verdict: 'inProgress', done: 2, tasks: 4 });
    expect(indicatorOf({ result: 4 }, [task('done', 'План утверждён'), task('done'), task('done'), task('done')])).toMatchObject({ actual: '4', verdict: 'reached' });
  });

  it('sums the numbers the done tasks reported when every one reported a number', () => {
    const tasks = [task('done', '3 семинара'), task('done', '4'), task('done', '3'), task('done', '2 семинара')];
    expect(indicatorOf({ result: '12 (по 3 в каждой школе)' }, tasks)).toMatchObject({ actual: '12', actualNumber: 12, verdict: 'reached' });
    expect(indicatorOf({ result: '30 (по 3 в каждой школе)' }, tasks)).toMatchObject({ actual: '12', verdict: 'notReached' });
  });

  it('reaches a number target as soon as the reported numbers meet it', () => {
    expect(indicatorOf({ result: 10 }, [task('done', '6 договоров'), task('done', '5 договоров'), task('active')])).toMatchObject({ actual: '11', verdict: 'reached' });
  });

  it('takes a single task\'s number from its result, and its words when it has none', () => {
    expect(indicatorOf({ result: 3 }, [task('done', '3 документа')])).toMatchObject({ actual: '3', verdict: 'reached' });
    expect(indicatorOf({ result: 3 }, [task('done', '2')])).toMatchObject({ actual: '2', verdict: 'notReached' });
    expect(indicatorOf({ result: 3 }, [task('done', 'Модель доработана')])).toMatchObject({ actual: 'Модель доработана', actualNumber: null, verdict: 'reached' });
    expect(indicatorOf({ result: 3 }, [task('active')])).toMatchObject({ actual: '—', actualNumber: null, verdict: 'inProgress' });
  });

  it('gives a percent target the share of tasks done, or the percent a single task reported', () => {
    expect(indicatorOf({ result: '100%' }, [task('done'), task('done'), task('done'), task('active')])).toMatchObject({ actual: '75%', actualNumber: 75, verdict: 'inProgress' });
    expect(indicatorOf({ result: '100%' }, [task('done'), task('done'), task('active')])).toMatchObject({ actual: '66,7%', actualNumber: 66.67 });
    expect(indicatorOf({ result: '100%' }, [task('done'), task('done')])).toMatchObject({ actual: '100%', verdict: 'reached' });
    expect(indicatorOf({ result: '100%' }, [task('done', '80%')])).toMatchObject({ actual: '80%', verdict: 'notReached' });
  });

  it('says «да» for a yes/no target when every task is done, «нет» before', () => {
    expect(indicatorOf({ result: 'да' }, [task('done', 'Утверждена приказом')])).toMatchObject({ actual: 'да', verdict: 'reached' });
    expect(indicatorOf({ result: 'да' }, [task('active')])).toMatchObject({ actual: 'нет', verdict: 'inProgress' });
  });

  it('lists the results of a text target, each once', () => {
    const row = indicatorOf({ result: 'ШСНРО - 5, ШФНСУ - 2' }, [task('done', 'ШСНРО - 5, ШФНСУ - 2'), task('done', 'ШСНРО - 5, ШФНСУ - 2 '), task('done', 'уточнено')]);
    expect(row).toMatchObject({ actual: 'ШСНРО - 5, ШФНСУ - 2; уточнено', results: ['ШСНРО - 5, ШФНСУ - 2', 'уточнено'], verdict: 'reached' });
  });

  it('is not reached while a task is overdue, not started while all are planned or without dates', () => {
    expect(indicatorOf({ result: 4 }, [task('done'), task('overdue'), task('active')])).toMatchObject({ verdict: 'notReached', overdue: 1 });
    expect(indicatorOf({ result: 4 }, [task('planned'), task('planned')])).toMatchObject({ actual: '0', verdict: 'notStarted' });
    expect(indicatorOf({ result: 1 }, [task('unscheduled')])).toMatchObject({ actual: '—', verdict: 'notStarted' });
    expect(indicatorOf({ result: 1 }, [task('waiting')])).toMatchObject({ verdict: 'inProgress' });
    expect(indicatorOf({}, [])).toMatchObject({ actual: '—', verdict: 'notStarted', tasks: 0 });
  });

  it('gives the last due day, and the last done day once every task is done', () => {
    const tasks: IndicatorTask[] = [
      { task: '9@sch-01', item: '9', state: 'done', result: null, due: '2020-03-31', doneOn: '2020-03-12' },
      { task: '9@sch-02', item: '9', state: 'done', result: null, due: '2020-04-15', doneOn: '2020-04-10' },
    ];
    expect(indicatorOf({ result: 2 }, tasks)).toMatchObject({ due: '2020-04-15', doneOn: '2020-04-10' });
    expect(indicatorOf({ result: 2 }, [...tasks, task('active')])).toMatchObject({ due: '2020-05-29', doneOn: null });
  });
});

describe('a plan\'s indicators', () => {
  function running() {
    const loaded = load(fixture());
    const status = statusOf(loaded, '2020-06-10', {
      '1': done('3 документа', '2020-01-28'),
      '2': done('ШСНРО - 5, ШФНСУ - 2', '2020-01-30'),
      '6@sch-01': done(), '6@sch-02': done(), '6@sch-03': done(),
      '9@sch-01': done('План утверждён', '2020-03-12'), '9@sch-02': done('План утверждён', '2020-03-30'), '9@sch-03': done('План утверждён', '2020-03-16'), '9@sch-04': done('План утверждён', '2020-03-27'),
      '16/1': done('2 семинара'), '16/2': { state: 'active' },
      '17@sch-01': done('3 семинара'), '17@sch-02': done('3'), '17@sch-03': { state: 'overdue' }, '17@sch-04': done('3'),
    });
    return { loaded, status };
  }

  it('has one row per activity in plan order, with its target, actual, verdict and tasks done', () => {
    const { loaded, status } = running();
    const { rows } = buildIndicators(loaded, status);
    expect(rows.map((row) => [row.item, row.target.kind === 'none' ? '—' : row.target.text, row.actual, row.verdict, `${row.done}/${row.tasks}`])).toEqual([
      ['1', '3', '3', 'reached', '1/1'],
      ['2', 'ШСНРО - 5, ШФНСУ - 2', 'ШСНРО - 5, ШФНСУ - 2', 'reached', '1/1'],
      ['6', '100%', '75%', 'notReached', '3/4'],
      ['9', '4', '4', 'reached', '4/4'],
      ['16', '4', '2', 'inProgress', '1/4'],
      ['17', '12 (по 3 в каждой школе)', '9', 'notReached', '3/4'],
      ['20', 'да', 'нет', 'notReached', '0/1'],
      ['25', '—', '—', 'notStarted', '0/1'],
    ]);
    expect(rows[3]).toMatchObject({ title: 'Планы школ', period: 'февраль - март', executor: 'директора школ-участниц', due: '2020-03-31', doneOn: '2020-03-30' });
    expect(rows[4]!.executor).toBe('Петров Иван Сергеевич, Иванова Ольга Юрьевна');
  });

  it('gives the year\'s completion: activities done, targets reached, tasks done and their percent', () => {
    const { loaded, status } = running();
    expect(buildIndicators(loaded, status).completion).toEqual({ activities: 8, activitiesDone: 3, activitiesReached: 3, tasks: 20, tasksDone: 13, tasksOverdue: 3, percent: 65 });
  });

  it('before the start, has the targets and nothing done', () => {
    const indicators = buildIndicators(load(fixture()), null);
    expect(indicators.asOf).toBeNull();
    expect(indicators.rows.map((row) => row.verdict)).toEqual(Array(8).fill('notStarted'));
    expect(indicators.completion).toMatchObject({ tasks: 20, tasksDone: 0, percent: 0 });
  });

  it('reads the Ryazan 2020 plan-graph\'s targets: numbers, a percent, «30 (по 3 в каждой школе)» and text', async () => {
    const load = await loadPlanFile('calendars/ryazan-2020.yaml');
    if (!load.ok) throw new Error(load.lines.join('\n'));
    const indicators = buildIndicators(load.loaded, null);
    expect(indicators.rows).toHaveLength(28);
    const target = (item: string) => indicators.rows.find((row) => row.item === item)!.target;
    expect(target('2')).toEqual({ kind: 'text', text: 'ШСНРО - 5, ШФНСУ - 2' });
    expect(target('6')).toMatchObject({ kind: 'percent', value: 100 });
    expect(target('10')).toMatchObject({ kind: 'number', value: 10 });
    expect(target('15')).toMatchObject({ kind: 'number', value: 10, text: '10 команд (60 человек)' });
    expect(target('17')).toMatchObject({ kind: 'number', value: 30 });
    expect(indicators.completion).toMatchObject({ activities: 28, tasks: load.loaded.schedule.tasks.length, percent: 0 });
  });

  describe('on the page', () => {
    it('shows the year\'s completion on top, then a row per activity with its verdict in words', () => {
      const { loaded, status } = running();
      const page = renderIndicators('test-plan', buildIndicators(loaded, status), loaded.schedule.span).value;
      expect(page).toContain('<p class="ind-completion" data-percent="65" data-done="13" data-total="20"><strong>Выполнение за год на 10.06.2020: 65%</strong> — выполнено задач 13 из 20 (65%); мероприятий выполнено полностью 3 из 8; показатель достигнут по 3; просрочено задач 3.</p>');
      expect(page).toContain('<thead><tr><th>№</th><th>Мероприятие</th><th>Целевое значение</th><th>Фактическое значение</th><th>Оценка</th><th>Выполнено задач</th></tr></thead>');
      expect(page).toContain(`<tr data-item="17" data-verdict="notReached">
<td>17</td>
<td>Семинары в школах<div class="muted">май; директора школ-участниц</div></td>
<td>12 (по 3 в каждой школе)</td>
<td>9<div class="muted ind-results">3 семинара; 3</div></td>
<td><span class="state state-overdue">не достигнут</span></td>
<td data-done="3" data-tasks="4">3 из 4, просрочено 1</td>
</tr>`);
      expect(page).toContain('<td><span class="state state-done">достигнут</span></td>');
      expect(page).toContain('<a href="/plans/test-plan/indicators.xlsx">');
      expect(page.indexOf('ind-completion')).toBeLessThan(page.indexOf('<table'));
    });

    it('escapes what executors reported', () => {
      const loaded = load(fixture());
      const status = statusOf(loaded, '2020-02-10', { '2': done('<b>5</b> & «2»') });
      const page = renderIndicators('test-plan', buildIndicators(loaded, status), loaded.schedule.span).value;
      expect(page).toContain('&lt;b&gt;5&lt;/b&gt; &amp; «2»');
      expect(page).not.toContain('<b>5</b>');
    });
  });
});

describe('GET /plans/:key/indicators and indicators.xlsx', () => {
  const HEADERS = ['№', 'Мероприятие', 'Период', 'Исполнитель', 'Целевое значение', 'Фактическое значение', 'Оценка', 'Выполнено задач', 'Всего задач', 'Просрочено задач', 'Срок', 'Выполнено', 'Результаты'];

  function app(loaded: LoadedPlan, status: PlanStatus | null) {
    const served = { key: 'test-plan', org: 'test', file: 'plans/test-plan.yaml', loaded } as ServedPlan;
    const deps = { plans: { get: (key: string) => (key === served.key ? served : undefined), status: async () => status } } as unknown as WebDeps;
    const web = new Hono<WebEnv>();
    web.use('*', async (c, next) => {
      c.set('session', { login: 'office', name: 'Иванова О. Ю.', org: 'test', role: 'office', schools: [], municipality: null, csrf: 'csrf', expires: Number.MAX_SAFE_INTEGER });
      await next();
    });
    web.get('/plans/:key/indicators', (c) => indicatorsPage(c, deps));
    web.get('/plans/:key/indicators.xlsx', (c) => indicatorsXlsx(c, deps));
    return web;
  }

  async function sheetOf(response: Response): Promise<ExcelJS.Worksheet> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Показатели']);
    return workbook.worksheets[0]!;
  }

  function cells(sheet: ExcelJS.Worksheet, row: number): Record<string, ExcelJS.Cell> {
    return Object.fromEntries(HEADERS.map((header, index) => [header, sheet.getRow(row).getCell(index + 1)]));
  }

  it('shows the page in the office\'s shell', async () => {
    const loaded = load(fixture());
    const response = await app(loaded, statusOf(loaded, '2020-03-10')).request('/plans/test-plan/indicators');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<title>Показатели — plangraf</title>');
    expect(page).toContain('aria-current="page">Показатели</a>');
    expect(page.match(/<tr data-item=/g)).toHaveLength(8);
  });

  it('downloads «Показатели <plan>.xlsx»: a bold header row that stays in view, filters, a row per activity', async () => {
    const loaded = load(fixture());
    const response = await app(loaded, statusOf(loaded, '2020-06-10', { '9@sch-01': done('План', '2020-03-12'), '9@sch-02': done('План', '2020-03-30'), '9@sch-03': done('План', '2020-03-20'), '9@sch-04': done('План', '2020-03-25') })).request('/plans/test-plan/indicators.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(indicatorsFileName('test-plan')).toBe('Показатели test-plan.xlsx');
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Показатели test-plan.xlsx')}`);
    const sheet = await sheetOf(response);
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(HEADERS.map((_, index) => sheet.getRow(1).getCell(index + 1).font?.bold)).toEqual(HEADERS.map(() => true));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:M9');
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((row) => sheet.getRow(row).getCell(1).value)).toEqual(['1', '2', '6', '9', '16', '17', '20', '25']);
  });

  it('writes counts as numbers and the due and done days as dates shown ДД.ММ.ГГГГ', async () => {
    const loaded = load(fixture());
    const response = await app(loaded, statusOf(loaded, '2020-06-10', { '9@sch-01': done('План', '2020-03-12'), '9@sch-02': done('План', '2020-03-30'), '9@sch-03': done('План', '2020-03-20'), '9@sch-04': done('План', '2020-03-25') })).request('/plans/test-plan/indicators.xlsx');
    const row = cells(await sheetOf(response), 5);
    expect([row['Целевое значение']!.value, row['Фактическое значение']!.value, row.Оценка!.value, row.Результаты!.value]).toEqual(['4', '4', 'достигнут', 'План']);
    expect([row['Выполнено задач']!.value, row['Всего задач']!.value, row['Просрочено задач']!.value]).toEqual([4, 4, 0]);
    expect(row['Выполнено задач']!.type).toBe(ExcelJS.ValueType.Number);
    for (const [header, date] of [['Срок', '2020-03-31'], ['Выполнено', '2020-03-30']] as const) {
      expect((row[header]!.value as Date).toISOString()).toBe(`${date}T00:00:00.000Z`);
      expect(row[header]!.numFmt).toBe('dd.mm.yyyy');
    }
  });

  it('gives a plan not started its targets, every verdict «не начат» and no dates done', async () => {
    const response = await app(load(fixture()), null).request('/plans/test-plan/indicators.xlsx');
    expect(response.status).toBe(200);
    const sheet = await sheetOf(response);
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((row) => cells(sheet, row).Оценка!.value)).toEqual(Array(8).fill('не начат'));
    expect(cells(sheet, 9).Срок!.value).toBeNull();
    expect(cells(sheet, 2).Выполнено!.value).toBeNull();
  });

  it('answers with the 404 page for a plan the server does not show', async () => {
    const loaded = load(fixture());
    expect((await app(loaded, null).request('/plans/other/indicators')).status).toBe(404);
    expect((await app(loaded, null).request('/plans/other/indicators.xlsx')).status).toBe(404);
  });
});

/**
 * The year at a glance: activities as rows, occurrences as bars coloured by their tasks' states,
 * due-this-week, today's line, the office's filters, a per-school item as one bar, and a plan of
 * 4,000 school tasks that still makes a small page.
 */
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import { barText, renderYear, yearPage } from '../../web/year/year.ts';
import { LinkSigner } from '../../web/links.ts';
import type { ServedPlan } from '../../web/plans.ts';
import { buildTimeline, countsText, displayState, emptyCounts, occurrenceOf, readTimelineFilters, type Timeline } from '../../web/year/timeline.ts';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import { buildPlan, planWithItems, type PlanFixture } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { loadFixture, statusOf as makeStatus } from '../support/plan-status.ts';

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

const load = (fixture: PlanFixture): LoadedPlan => loadFixture(fixture, calendar);
const statusOf = (loaded: LoadedPlan, asOf: string, overrides: Record<string, Partial<TaskSummary>> = {}): PlanStatus => makeStatus(loaded, asOf, overrides, { daysLateWhenOverdue: 3 });

/** Schools in two municipalities: `count` participants, each with a director. */
function schools(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(3, '0');
    return { id: `sch-${number}`, name: `МОУ «Школа № ${index + 1}»`, kind: index % 2 ? 'ШНСУ' : 'ШНОР', municipality: index < count / 2 ? 'Шиловский район' : 'Касимовский район', director: { name: `Директор ${number}`, email: `d${number}@example.org` } };
  });
}

const ITEMS = [
  { id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro', result: 3 },
  { id: '2', title: 'Мониторинг', when: 'март, октябрь', executor: 'coordinator', result: 10 },
  { id: '9', title: 'Планы школ', when: 'февраль - март', per: 'school', executor: 'riro', result: 10 },
  { id: '13', title: 'Семинары в школах', when: 'март, октябрь', per: 'school', result: '30 (по 3 в каждой школе)' },
  { id: '20', title: 'Семинар по отдельному графику', when: 'по отдельному графику', executor: 'riro' },
];

/** Ten schools, the first five in Шиловский район. */
const fixture = () => planWithItems(ITEMS, { schools: schools(10) });

describe('the year\'s grid', () => {
  it('lays a calendar-year plan over January to December, each month at its share of the year', () => {
    const timeline = buildTimeline(load(fixture()), null, {});
    expect(timeline.months.map((month) => month.label)).toEqual(['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек']);
    expect(timeline.months[0]).toEqual({ year: 2020, month: 1, label: 'янв', name: 'январь 2020', left: 0, width: 8.47 });
    expect(timeline.months[2]!.left).toBe(16.39);
  });

  it('lays a school-year plan over September to August of the next year', () => {
    const { year: _year, ...rest } = buildPlan({ items: [{ id: '1', title: 'Декабрь-июнь', when: 'Декабрь-июнь', executor: 'riro' }] });
    const timeline = buildTimeline(load({ ...rest, schoolYear: 2022 } as PlanFixture), null, {});
    expect(timeline.months.map((month) => `${month.label} ${month.year}`)).toEqual(['сен 2022', 'окт 2022', 'ноя 2022', 'дек 2022', 'янв 2023', 'фев 2023', 'мар 2023', 'апр 2023', 'май 2023', 'июн 2023', 'июл 2023', 'авг 2023']);
    expect(timeline.rows[0]!.bars[0]).toMatchObject({ start: '2022-12-01', due: '2023-06-30', left: 24.93 });
  });

  it('has one row per activity in plan order, with its period and executors by name', () => {
    const timeline = buildTimeline(load(fixture()), null, {});
    expect(timeline.rows.map((row) => [row.item, row.period, row.executor])).toEqual([
      ['1', 'январь', 'Петров Иван Сергеевич'],
      ['2', 'март, октябрь', 'Иванова Ольга Юрьевна'],
      ['9', 'февраль - март', 'директора школ-участниц, Петров Иван Сергеевич'],
      ['13', 'март, октябрь', 'директора школ-участниц'],
      ['20', 'по отдельному графику', 'Петров Иван Сергеевич'],
    ]);
  });

  it('places a bar from its first working day to the end of its due day, as percents of the year', () => {
    const [bar] = buildTimeline(load(fixture()), null, {}).rows[0]!.bars;
    // 9 January 2020 is day 8 of a 366-day year; 31 January ends day 31.
    expect(bar).toMatchObject({ occurrence: '1', task: '1', start: '2020-01-09', due: '2020-01-31', left: 2.19, width: 6.28 });
  });

  it('draws one bar per occurrence: a repeated item has one per period, a per-school item one for all its schools', () => {
    const timeline = buildTimeline(load(fixture()), null, {});
    const bars = (item: string) => timeline.rows.find((row) => row.item === item)!.bars.map((bar) => [bar.occurrence, bar.task, bar.total]);
    expect(bars('2')).toEqual([['2/1', '2/1', 1], ['2/2', '2/2', 1]]);
    expect(bars('9')).toEqual([['9', null, 10]]);
    expect(bars('13')).toEqual([['13/1', null, 10], ['13/2', null, 10]]);
  });

  it('shows an activity without dates as a marker beside it, not a bar', () => {
    const row = buildTimeline(load(fixture()), null, {}).rows.find((entry) => entry.item === '20')!;
    expect(row.bars).toEqual([]);
    expect(row.unscheduled).toEqual([{ occurrence: '20', when: '', task: '20', total: 1 }]);
    expect(row.counts.unscheduled).toBe(1);
  });

  it('plans everything before the plan is started, with no today\'s line', () => {
    const timeline = buildTimeline(load(fixture()), null, {});
    expect(timeline.asOf).toBeNull();
    expect(timeline.today).toBeNull();
    expect(timeline.counts).toEqual({ ...emptyCounts(), planned: 33, unscheduled: 1 });
    expect(timeline.rows.flatMap((row) => row.bars.map((bar) => bar.state))).toEqual(Array(6).fill('planned'));
  });
});

describe('states', () => {
  it('colours each task by its state on the plan\'s today: done, overdue, active, planned', () => {
    const loaded = load(fixture());
    const status = statusOf(loaded, '2020-03-10', { '1': { state: 'done', doneOn: '2020-01-30', result: '3 документа' } });
    const timeline = buildTimeline(loaded, status, {});
    const states = Object.fromEntries(timeline.rows.flatMap((row) => row.bars.map((bar) => [bar.occurrence, bar.state])));
    expect(states).toEqual({ '1': 'done', '2/1': 'active', '2/2': 'planned', '9': 'active', '13/1': 'active', '13/2': 'planned' });
  });

  it('marks an open task due in the week of the plan\'s today, Monday to Sunday, as due this week', () => {
    const loaded = load(fixture());
    // Monday 30 March: the week runs to Sunday 5 April, and March's tasks are due on Tuesday 31st.
    const status = statusOf(loaded, '2020-03-30', { '2/1': { state: 'waiting' }, '9@sch-001': { state: 'done', doneOn: '2020-03-20' } });
    const timeline = buildTimeline(loaded, status, {});
    expect(timeline.week).toEqual({ from: '2020-03-30', to: '2020-04-05' });
    const row = (item: string) => timeline.rows.find((entry) => entry.item === item)!;
    expect(row('2').bars[0]!.state).toBe('dueSoon');
    expect(row('9').bars[0]!.counts).toEqual({ ...emptyCounts(), done: 1, dueSoon: 9 });
    // On Sunday 29 March, the 31st is next week's.
    expect(buildTimeline(loaded, statusOf(loaded, '2020-03-29'), {}).rows.find((entry) => entry.item === '2')!.bars[0]!.state).toBe('active');
  });

  it('reads a waiting task as active, and keeps done, overdue and planned as they are', () => {
    const week = { from: '2020-03-30', to: '2020-04-05' };
    expect(displayState('waiting', '2020-05-29', week)).toBe('active');
    expect(displayState('waiting', '2020-04-03', week)).toBe('dueSoon');
    expect(displayState('done', '2020-03-31', week)).toBe('done');
    expect(displayState('overdue', '2020-03-31', week)).toBe('overdue');
    expect(displayState('planned', '2020-04-30', week)).toBe('planned');
    expect(displayState('active', '2020-03-31', null)).toBe('active');
  });

  it('splits a per-school occurrence into the shares of its states, done first, and says the counts in words', () => {
    const loaded = load(fixture());
    const done = Object.fromEntries(['001', '002', '003', '004', '005', '006', '007'].map((n) => [`9@sch-${n}`, { state: 'done' as const, doneOn: '2020-03-20' }]));
    const status = statusOf(loaded, '2020-04-06', { ...done, '9@sch-010': { state: 'active', due: '2020-04-30' } });
    const bar = buildTimeline(loaded, status, {}).rows.find((row) => row.item === '9')!.bars[0]!;
    expect(bar.segments).toEqual([
      { state: 'done', count: 7, share: 70 },
      { state: 'overdue', count: 2, share: 20 },
      { state: 'active', count: 1, share: 10 },
    ]);
    expect(bar.state).toBe('overdue');
    // An extended deadline stretches the bar to the last due day.
    expect([bar.start, bar.due]).toEqual(['2020-02-03', '2020-04-30']);
    expect(countsText(bar.counts, bar.total)).toBe('7 из 10 выполнено, 2 просрочено, 1 в работе');
  });

  it('counts the tasks shown by state, for the summary line', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, statusOf(loaded, '2020-03-10', { '1': { state: 'done' } }), {});
    expect(timeline.counts).toEqual({ ...emptyCounts(), done: 1, active: 21, planned: 11, unscheduled: 1 });
    expect([timeline.shown, timeline.total]).toEqual([34, 34]);
  });
});

describe('today\'s line', () => {
  it('stands in the middle of the plan\'s today', () => {
    const loaded = load(fixture());
    // 2 March 2020 is day 61 of 366.
    expect(buildTimeline(loaded, statusOf(loaded, '2020-03-02'), {}).today).toEqual({ date: '2020-03-02', left: 16.8 });
    expect(buildTimeline(loaded, statusOf(loaded, '2020-01-01'), {}).today!.left).toBe(0.14);
  });

  it('is absent when the plan\'s today is outside its year', () => {
    const loaded = load(fixture());
    expect(buildTimeline(loaded, statusOf(loaded, '2021-01-11'), {}).today).toBeNull();
    expect(buildTimeline(loaded, statusOf(loaded, '2019-12-31'), {}).today).toBeNull();
  });
});

describe('filters', () => {
  const status = (loaded: LoadedPlan) => statusOf(loaded, '2020-03-10', { '9@sch-002': { state: 'done', doneOn: '2020-03-05', result: 'План утверждён' } });

  it('are read from the query string, leaving out empty values and unknown states', () => {
    expect(readTimelineFilters({ executor: 'riro', municipality: ' ', school: 'sch-001', state: 'dueSoon', occurrence: '13/2' })).toEqual({ executor: 'riro', school: 'sch-001', state: 'dueSoon', occurrence: '13/2' });
    expect(readTimelineFilters({ state: 'late' })).toEqual({});
  });

  it('by executor keep that person\'s tasks, and rows that still have some', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { executor: 'riro' });
    expect(timeline.rows.map((row) => row.item)).toEqual(['1', '20']);
    expect(timeline.shown).toBe(2);
    expect(timeline.total).toBe(34);
  });

  it('by executor «director» keep the schools\' directors\' tasks', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { executor: 'director' });
    expect(timeline.rows.map((row) => row.item)).toEqual(['9', '13']);
    expect(timeline.shown).toBe(30);
  });

  it('by executor follow a task handed to someone else', () => {
    const loaded = load(fixture());
    const handed = statusOf(loaded, '2020-03-10', { '2/1': { executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' } } });
    expect(buildTimeline(loaded, handed, { executor: 'riro' }).rows.map((row) => [row.item, row.bars.map((bar) => bar.occurrence)])).toEqual([['1', ['1']], ['2', ['2/1']], ['20', []]]);
  });

  it('by municipality keep its schools\' tasks only', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { municipality: 'Касимовский район' });
    expect(timeline.rows.map((row) => [row.item, row.bars.map((bar) => bar.total)])).toEqual([['9', [5]], ['13', [5, 5]]]);
  });

  it('by school show that school\'s own tasks, each bar its task and its state', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { school: 'sch-002' });
    expect(timeline.rows.flatMap((row) => row.bars.map((bar) => [bar.task, bar.state]))).toEqual([['9@sch-002', 'done'], ['13/1@sch-002', 'active'], ['13/2@sch-002', 'planned']]);
  });

  it('by state keep the tasks in it, so an occurrence\'s bar counts only those', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, statusOf(loaded, '2020-04-06'), { state: 'overdue' });
    expect(timeline.rows.map((row) => [row.item, row.bars.map((bar) => `${bar.occurrence}: ${countsText(bar.counts, bar.total)}`)])).toEqual([
      ['1', ['1: 0 из 1 выполнено, 1 просрочено']],
      ['2', ['2/1: 0 из 1 выполнено, 1 просрочено']],
      ['9', ['9: 0 из 10 выполнено, 10 просрочено']],
      ['13', ['13/1: 0 из 10 выполнено, 10 просрочено']],
    ]);
  });

  it('combine: a municipality\'s schools in one state', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { municipality: 'Шиловский район', state: 'done' });
    expect(timeline.rows.map((row) => row.bars.map((bar) => bar.task))).toEqual([['9@sch-002']]);
  });

  it('offer the people who execute something, the schools\' directors, the municipalities and the schools', () => {
    const loaded = load(fixture());
    const { options } = buildTimeline(loaded, status(loaded), { state: 'done' });
    expect(options.executors).toEqual([
      { value: 'coordinator', label: 'Иванова Ольга Юрьевна' },
      { value: 'riro', label: 'Петров Иван Сергеевич' },
      { value: 'director', label: 'Директора школ' },
    ]);
    expect(options.municipalities).toEqual(['Шиловский район', 'Касимовский район']);
    expect(options.schools).toHaveLength(10);
    expect(options.schools[0]).toEqual({ value: 'sch-001', label: 'МОУ «Школа № 1»' });
    expect(options.states).toEqual(['done', 'review', 'overdue', 'dueSoon', 'active', 'planned', 'unscheduled']);
  });

  it('list the tasks of an asked-for occurrence that pass them', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, status(loaded), { occurrence: '9', municipality: 'Шиловский район' });
    expect(timeline.occurrence!.title).toBe('Планы школ');
    expect(timeline.occurrence!.tasks.map((task) => [task.task, task.state, task.result])).toEqual([
      ['9@sch-001', 'active', null], ['9@sch-002', 'done', 'План утверждён'], ['9@sch-003', 'active', null], ['9@sch-004', 'active', null], ['9@sch-005', 'active', null],
    ]);
    expect(occurrenceOf('13/2@sch-001')).toBe('13/2');
  });
});

describe('the year page', () => {
  const render = (timeline: Timeline) => renderYear({ planKey: 'test-plan', timeline }).value;

  it('names the months in Russian and labels today\'s line with the date', () => {
    const loaded = load(fixture());
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-03-02'), {}));
    expect(page).toContain('>янв</text>');
    expect(page).toContain('<title>декабрь 2020</title>дек</text>');
    expect(page).toContain('data-today="2020-03-02" x="16.8%" y="34" text-anchor="middle">сегодня, 02.03.2020</text>');
    expect(page.match(/class="tl-today"/g)).toHaveLength(1 + 5);
  });

  it('links a one-task bar to its task\'s page, with its state in words', () => {
    const loaded = load(fixture());
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-03-10', { '1': { state: 'done' } }), {}));
    expect(page).toContain('<a class="tl-bar" href="/plans/test-plan/task?t=1" aria-label="пункт 1 «Доработка региональной модели», 09.01.2020 – 31.01.2020: выполнена" data-occurrence="1" data-state="done" data-total="1" data-task="1"><title>');
    expect(page).toContain('<rect class="seg-done" data-state="done" data-count="1" x="0%" width="100%" height="100%"/>');
    expect(page).toContain('href="/plans/test-plan/task?t=2%2F1"');
  });

  it('writes a bar\'s state in full when it fits, shortened in a one-month bar, and not at all in a sliver; the title keeps the full name', () => {
    const one = { task: '1', counts: emptyCounts(), total: 1 } as const;
    expect(barText({ ...one, state: 'planned', width: 24.9 })).toBe('запланирована');
    expect(barText({ ...one, state: 'planned', width: 8.2 })).toBe('план');
    expect(barText({ ...one, state: 'dueSoon', width: 8.2 })).toBe('срок');
    expect(barText({ ...one, state: 'done', width: 1.5 })).toBe('');
    expect(barText({ task: null, state: 'overdue', counts: { ...emptyCounts(), done: 3 }, total: 10, width: 8.2 })).toBe('3/10');
    const loaded = load(fixture());
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-03-10', { '1': { state: 'done' } }), {}));
    expect(page).toContain('31.01.2020: выполнена" data-occurrence="1"');
    expect(page).toMatch(/data-task="1"><title>[^<]*<\/title><svg[^>]*>(<rect[^>]*>)+<text x="4" y="14">готово<\/text>/);
  });

  it('links a per-school bar to the list of its tasks, keeping the filters, and shows its segments with their counts', () => {
    const loaded = load(fixture());
    const done = Object.fromEntries(['001', '002', '003'].map((n) => [`9@sch-${n}`, { state: 'done' as const }]));
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-04-06', done), { executor: 'director' }));
    expect(page).toContain('href="/plans/test-plan/year?executor=director&amp;occurrence=9#occurrence" aria-label="пункт 9 «Планы школ», 03.02.2020 – 31.03.2020: 3 из 10 выполнено, 7 просрочено" data-occurrence="9" data-state="overdue" data-total="10">');
    expect(page).toContain('<rect class="seg-done" data-state="done" data-count="3" x="0%" width="30%" height="100%"/><rect class="seg-overdue" data-state="overdue" data-count="7" x="30%" width="70%" height="100%"/>');
    expect(page).toContain('<text x="4" y="14">3/10</text>');
    expect(page).toContain('data-occurrence="13/2"');
    // A repeated activity's occurrences are named by their months, not numbered.
    expect(page).toContain('aria-label="пункт 13, март «Семинары в школах»');
    expect(page).toContain('aria-label="пункт 13, октябрь «Семинары в школах»');
    expect(page).toContain('<span class="state state-overdue" data-state="overdue" data-count="7">просрочено: 7</span>');
  });

  it('lists an occurrence\'s tasks with school, executor, due day, state, days late and result, each linking to its page', () => {
    const loaded = load(fixture());
    const status = statusOf(loaded, '2020-04-06', { '9@sch-002': { state: 'done', result: 'План <утверждён> & подписан', daysLate: 0 } });
    const page = render(buildTimeline(loaded, status, { occurrence: '9', school: 'sch-002' }));
    expect(page).toContain('<section id="occurrence" data-occurrence="9"><h2>Задачи: пункт 9 «Планы школ»</h2>');
    expect(page).toContain(`<tr data-task="9@sch-002" data-state="done">
<td><a href="/plans/test-plan/task?t=9%40sch-002">Планы школ — МОУ «Школа № 2»</a></td>
<td>МОУ «Школа № 2»</td>
<td>Директор 002</td>
<td>31.03.2020</td>
<td><span class="state state-done">выполнена</span></td>
<td>—</td>
<td>План &lt;утверждён&gt; &amp; подписан</td>
</tr>`);
    expect(page).toContain('<a href="/plans/test-plan/year?school=sch-002">Закрыть список</a>');
    const late = render(buildTimeline(loaded, statusOf(loaded, '2020-04-06'), { occurrence: '9' }));
    expect(late.match(/<td>3<\/td>/g)).toHaveLength(10);
  });

  it('shows a person no task id and no plan key: only names, in the text of the page', () => {
    const loaded = load(fixture());
    for (const occurrence of ['9', '13/2']) {
      const page = render(buildTimeline(loaded, statusOf(loaded, '2020-04-06'), { occurrence }));
      // What a person reads: the text between the tags, and the titles and labels read aloud.
      const visible = page.replace(/<[^>]*>/g, ' ') + [...page.matchAll(/(?:aria-label|title)="([^"]*)"/g)].map((match) => match[1]).join(' ');
      expect(visible).not.toMatch(/@sch-|\d+\/\d+@|test-plan/);
      expect(visible).toContain(occurrence === '9' ? 'Планы школ — МОУ «Школа № 2»' : 'Семинары в школах, октябрь — МОУ «Школа № 2»');
    }
  });

  it('has a filter form that keeps the choices, a reset link, a legend, the summary and the downloads', () => {
    const loaded = load(fixture());
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-03-10'), { executor: 'riro', state: 'active' }));
    expect(page).toContain('<form class="tl-filters" method="get" action="/plans/test-plan/year">');
    expect(page).toContain('<option value="riro" selected>Петров Иван Сергеевич</option>');
    expect(page).toContain('<option value="active" selected>в работе</option>');
    expect(page).toContain('<option value="Касимовский район">Касимовский район</option>');
    expect(page).toContain('<button type="submit">Показать</button> <a href="/plans/test-plan/year">Сбросить</a>');
    for (const name of ['выполнена', 'просрочена', 'срок на этой неделе', 'в работе', 'запланирована', 'без сроков']) expect(page).toContain(`">${name}</span></li>`);
    expect(page).toContain('<p class="tl-summary">На 10.03.2020: задач 0 из 34 (по фильтрам)');
    expect(page).toContain('<a href="/plans/test-plan/status.xlsx">');
    expect(page).toContain('<a href="/plans/test-plan/indicators.xlsx">');
    expect(page).toContain('По выбранным фильтрам задач нет.');
  });

  it('links the calendar feeds: every deadline of the plan, and the filtered executor\'s', () => {
    const loaded = load(fixture());
    const timeline = buildTimeline(loaded, statusOf(loaded, '2020-03-10'), { executor: 'riro' });
    const page = renderYear({ planKey: 'test-plan', timeline, feeds: { plan: 'https://x/calendar/plan.ics', executor: { name: 'Петров Иван Сергеевич', url: 'https://x/calendar/riro.ics' } } }).value;
    expect(page).toContain('<a href="https://x/calendar/plan.ics">все сроки плана</a> · <a href="https://x/calendar/riro.ics">сроки исполнителя Петров Иван Сергеевич</a>');
    const unfiltered = renderYear({ planKey: 'test-plan', timeline: buildTimeline(loaded, null, {}), feeds: { plan: 'https://x/calendar/plan.ics', executor: null } }).value;
    expect(unfiltered).toContain('выберите исполнителя, чтобы получить ссылку на его календарь');
  });

  it('shows an activity without dates as a marker in words', () => {
    const page = render(buildTimeline(load(fixture()), null, {}));
    expect(page).toContain('<a class="state state-unscheduled tl-marker" href="/plans/test-plan/task?t=20" title="пункт 20 «Семинар по отдельному графику»: по отдельному графику, сроков нет" data-occurrence="20" data-state="unscheduled" data-total="1" data-task="20">без сроков</a>');
  });

  it('escapes what the plan says', () => {
    const loaded = load(planWithItems([{ id: '1', title: 'Семинар <script>alert(1)</script> & «Школа»', when: 'май', executor: 'riro' }]));
    const page = render(buildTimeline(loaded, null, {}));
    expect(page).not.toContain('<script>');
    expect(page).toContain('Семинар &lt;script&gt;alert(1)&lt;/script&gt; &amp; «Школа»');
  });
});

describe('a plan of 400 schools and 10 per-school items', () => {
  const MONTHS = ['январь', 'февраль - март', 'март', 'апрель - май', 'май', 'июнь', 'сентябрь', 'октябрь', 'октябрь - ноябрь', 'декабрь'];
  const items = Array.from({ length: 10 }, (_, index) => ({ id: String(index + 1), title: `Мероприятие ${index + 1} в каждой школе`, when: MONTHS[index], per: 'school' }));
  const big = () => load(planWithItems(items, { schools: schools(400) }));

  it('has 4,000 tasks yet draws one bar per occurrence, in a page under 200 KB', () => {
    const loaded = big();
    const status = statusOf(loaded, '2020-05-12', Object.fromEntries(loaded.schedule.tasks.filter((_, index) => index % 3 === 0).map((task) => [task.task, { state: 'done' as const }])));
    expect(status.tasks).toHaveLength(4_000);
    const occurrences = new Set(loaded.schedule.tasks.map((task) => occurrenceOf(task.task))).size;
    expect(occurrences).toBe(10);
    const page = render(buildTimeline(loaded, status, {}));
    expect(page.match(/<a class="tl-bar"/g)).toHaveLength(occurrences);
    expect(page.match(/<rect class="seg-/g)!.length).toBeLessThanOrEqual(occurrences * 6);
    expect(Buffer.byteLength(page)).toBeLessThan(200_000);
  });

  it('shows one school\'s own ten tasks under a school filter', () => {
    const loaded = big();
    const page = render(buildTimeline(loaded, statusOf(loaded, '2020-05-12'), { school: 'sch-400' }));
    expect(page.match(/<a class="tl-bar"[^>]* data-task="[^"]*@sch-400"/g)).toHaveLength(10);
    expect(Buffer.byteLength(page)).toBeLessThan(200_000);
  });

  function render(timeline: Timeline): string {
    return renderYear({ planKey: 'big-plan', timeline }).value;
  }
});

describe('GET /plans/:key/year', () => {
  function app(loaded: LoadedPlan, status: PlanStatus | null) {
    const served = { key: 'test-plan', org: 'test', file: 'plans/test-plan.yaml', loaded } as ServedPlan;
    const deps = { plans: { get: (key: string) => (key === served.key ? served : undefined), status: async () => status }, signer: new LinkSigner(Buffer.alloc(32, 7)), publicUrl: 'https://plangraf.example.org' } as unknown as WebDeps;
    const web = new Hono<WebEnv>();
    web.use('*', async (c, next) => {
      c.set('session', { login: 'office', name: 'Иванова О. Ю.', org: 'test', role: 'office', schools: [], municipality: null, csrf: 'csrf', expires: Number.MAX_SAFE_INTEGER });
      await next();
    });
    web.get('/plans/:key/year', (c) => yearPage(c, deps));
    return web;
  }

  it('draws the year narrowed by the query string, in the office\'s page', async () => {
    const loaded = load(fixture());
    const response = await app(loaded, statusOf(loaded, '2020-03-10')).request('/plans/test-plan/year?school=sch-003&state=active');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<title>Год — plangraf</title>');
    expect(page).toContain('aria-current="page">Год</a>');
    expect(page).toContain('<option value="sch-003" selected>');
    expect(page.match(/<a class="tl-bar"/g)).toHaveLength(2);
    expect(page).toContain('data-task="9@sch-003"');
    // The plan's signed feed address, which the calendar route itself accepts.
    const feed = /<a href="https:\/\/plangraf\.example\.org\/calendar\/([^"]+)\.ics">все сроки плана<\/a>/.exec(page);
    expect(new LinkSigner(Buffer.alloc(32, 7)).checkFeed(feed![1]!)).toMatchObject({ ok: true, link: { plan: 'test-plan', executor: null } });
    const byExecutor = await (await app(loaded, statusOf(loaded, '2020-03-10')).request('/plans/test-plan/year?executor=riro')).text();
    expect(byExecutor).toContain('">сроки исполнителя Петров Иван Сергеевич</a>');
  });

  it('says a plan not started is not started, and shows its schedule as planned', async () => {
    const response = await app(load(fixture()), null).request('/plans/test-plan/year');
    const page = await response.text();
    expect(page).toContain('ещё не запущен');
    expect(page).not.toContain('class="tl-today"');
    expect(page.match(/data-state="planned" data-total/g)).toHaveLength(6);
  });

  it('answers with the 404 page for a plan the server does not show', async () => {
    const response = await app(load(fixture()), null).request('/plans/other/year');
    expect(response.status).toBe(404);
  });
});

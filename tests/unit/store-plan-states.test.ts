import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { readPlanState, readPlanTotals, writePlanStates } from '../../store/plan-states.ts';
import { savePlan } from '../../store/plans.ts';
import type { TaskState } from '../../workflows/messages.ts';
import type { PlanStatusHeading, StoredTaskState } from '../../workflows/read-model.ts';
import { OVERDUE_ALREADY } from '../../workflows/task-summary.ts';
import { testStore } from '../support/store.ts';
import { instantOf } from '../../workflows/clock.ts';

let store: Store;

beforeAll(async () => {
  store = await testStore();
  await ensureOrganisation(store.pool, 'ryazan', 'Рязанская область');
  await ensureOrganisation(store.pool, 'tatarstan', 'Республика Татарстан');
  for (const [key, org] of [['ryazan-2020', 'ryazan'], ['kazan-2020', 'tatarstan']] as const) {
    await savePlan(store.pool, { key, org, planId: key, title: key, fileName: `${key}.yaml`, text: `id: ${key}\n`, year: null, calendars: [] });
  }
});
afterAll(() => store.close());

const heading = (overrides: Partial<PlanStatusHeading> = {}): PlanStatusHeading => ({ plan: 'ryazan-2020', title: 'План Рязани', timezone: 'Europe/Moscow', clockShiftMs: 0, started: 3, total: 3, changes: null, ...overrides });

function task(id: string, state: TaskState, due: string | null, overdueFrom: string | null = null, result?: string): StoredTaskState {
  return { task: id, state, overdueFrom, progress: { task: id, state, start: '2020-10-01', due, ...(result ? { result } : {}) } };
}

describe('the read model of running plans', () => {
  it('keeps the newest state of each task, whatever order the writes arrive in', async () => {
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 10, tasks: [task('1', 'active', '2020-10-30', '2020-11-02'), task('2', 'planned', '2020-11-30', '2020-12-01'), task('3', 'unscheduled', null)], plan: heading() });
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 12, tasks: [task('1', 'done', '2020-10-30', null, '10 школ')], plan: heading() });
    // A write retried late, with the state task 1 had before it was done.
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 11, tasks: [task('1', 'active', '2020-10-30', '2020-11-02'), task('2', 'active', '2020-11-30', '2020-12-01')], plan: heading({ title: 'старое название' }) });

    const stored = await readPlanState(store.pool, 'ryazan-2020');
    expect(stored).toMatchObject({ plan: 'ryazan-2020', title: 'План Рязани', started: 3, total: 3, timezone: 'Europe/Moscow', clockShiftMs: 0, changes: null });
    const byTask = Object.fromEntries(stored!.tasks.map((entry) => [entry.task, entry]));
    expect(byTask['1']).toEqual({ task: '1', state: 'done', start: '2020-10-01', due: '2020-10-30', result: '10 школ' });
    // Task 2's own newer state (revision 11) is taken: only an older one is refused.
    expect(byTask['2']!.state).toBe('active');
    expect(byTask['3']!.state).toBe('unscheduled');
  });

  it('sends a reader only the tasks changed since the change number it holds', async () => {
    const first = await readPlanState(store.pool, 'ryazan-2020');
    expect(first!.taskCount).toBe(3);
    const unchanged = await readPlanState(store.pool, 'ryazan-2020', { since: first!.seq });
    expect(unchanged!.tasks).toEqual([]);
    expect(unchanged!.seq).toBe(first!.seq);
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 13, tasks: [task('3', 'active', '2020-11-30', '2020-12-01')], plan: heading() });
    const next = await readPlanState(store.pool, 'ryazan-2020', { since: first!.seq });
    expect(next!.version).toBeGreaterThan(first!.version);
    expect(next!.seq).toBeGreaterThan(first!.seq);
    expect(next!.tasks).toEqual([{ task: '3', state: 'active', start: '2020-10-01', due: '2020-11-30' }]);
    // A write the store refuses (an older revision of task 3) is no change for the readers.
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 12, tasks: [task('3', 'unscheduled', null)] });
    expect((await readPlanState(store.pool, 'ryazan-2020', { since: next!.seq }))!.tasks).toEqual([]);
    // Tasks written without the heading (a write's first batches) reach readers as they commit.
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 15, tasks: [task('2', 'done', '2020-11-30', null, 'готово')] });
    const between = await readPlanState(store.pool, 'ryazan-2020', { since: next!.seq });
    expect(between!.tasks.map((entry) => [entry.task, entry.state])).toEqual([['2', 'done']]);
    expect(between!.version).toBe(next!.version);
    // Back as the tests below expect them.
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 16, tasks: [task('2', 'active', '2020-11-30', '2020-12-01'), task('3', 'unscheduled', null)], plan: heading() });
  });

  it("gives a plan to its own organisation only, and nothing for a plan that has written none", async () => {
    expect(await readPlanState(store.pool, 'ryazan-2020', { org: 'ryazan' })).toBeDefined();
    expect(await readPlanState(store.pool, 'ryazan-2020', { org: 'tatarstan' })).toBeUndefined();
    expect(await readPlanState(store.pool, 'kazan-2020')).toBeUndefined();
  });

  it('counts overdue tasks for the day each plan is at, in its own time zone and on its own clock', async () => {
    await writePlanStates(store, {
      planKey: 'kazan-2020',
      revision: 1,
      tasks: [task('a', 'active', '2020-10-30', '2020-11-02'), task('b', 'overdue', '2020-10-15', OVERDUE_ALREADY), task('c', 'planned', '2020-11-30', '2020-12-01'), task('d', 'done', '2020-10-01')],
      plan: heading({ plan: 'kazan-2020', total: 4, started: 4, timezone: 'Asia/Vladivostok' }),
    });
    // 1 November, 20:00 in Moscow: already Monday 2 November in Vladivostok.
    const now = instantOf('2020-11-01', '20:00', 'Europe/Moscow');
    const totals = Object.fromEntries((await readPlanTotals(store.pool, ['ryazan-2020', 'kazan-2020', 'not-started'], now)).map((row) => [row.key, row]));
    expect(totals['kazan-2020']).toEqual({ key: 'kazan-2020', tasks: 4, done: 1, overdue: 2 });
    // Ryazan's task 1 is done, task 2 falls overdue on 1 December.
    expect(totals['ryazan-2020']).toEqual({ key: 'ryazan-2020', tasks: 3, done: 1, overdue: 0 });
    expect(totals['not-started']).toBeUndefined();
    const december = instantOf('2020-12-01', '09:00', 'Europe/Moscow');
    expect((await readPlanTotals(store.pool, ['ryazan-2020'], december))[0]!.overdue).toBe(1);
    // A plan whose clock is shifted (a simulation) counts for its own day.
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 17, tasks: [], plan: heading({ clockShiftMs: december - now }) });
    expect((await readPlanTotals(store.pool, ['ryazan-2020'], now))[0]!.overdue).toBe(1);
  });

  it('drops the rows of tasks a changed plan no longer has', async () => {
    await writePlanStates(store, { planKey: 'ryazan-2020', revision: 20, tasks: [task('1', 'done', '2020-10-30', null, '10 школ'), task('4', 'planned', '2020-12-30', '2020-12-31')], plan: heading({ total: 2 }), keep: ['1', '4'] });
    const stored = await readPlanState(store.pool, 'ryazan-2020');
    expect(stored!.tasks.map((entry) => entry.task).sort()).toEqual(['1', '4']);
    expect(stored!.total).toBe(2);
    // A reader holding the old tasks learns of the removal by the count.
    expect(stored!.taskCount).toBe(2);
  });
});

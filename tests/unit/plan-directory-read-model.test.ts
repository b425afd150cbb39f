/**
 * A page server reads a plan's state from the store's read model and then only what changed:
 * whatever it was sent along the way, what it shows equals what a page server reading the plan
 * for the first time shows. A real PostgreSQL; the plan workflows' writes made directly.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import type { Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { writePlanStates } from '../../store/plan-states.ts';
import { savePlan } from '../../store/plans.ts';
import { PlanDirectory, type ServedPlan } from '../../web/plans.ts';
import { instantOf } from '../../workflows/clock.ts';
import { TaskState, type TaskSummary } from '../../workflows/messages.ts';
import type { PlanStatusHeading, StoredTaskState } from '../../workflows/read-model.ts';
import { initialSummary, overdueFrom, progressOf } from '../../workflows/task-summary.ts';
import { buildPlan } from '../support/build-plan.ts';
import { testStore } from '../support/store.ts';
import { loadFixturePlan } from '../support/workflow-run.ts';

const KEY = 'directory-2020';
let store: Store;
let loaded: LoadedPlan;
let served: ServedPlan;
let revision = 0;
let now = instantOf('2020-03-10', '12:00', 'Europe/Moscow');

beforeAll(async () => {
  store = await testStore();
  loaded = await loadFixturePlan(
    buildPlan({
      items: [
        { id: '1', title: 'Мониторинг', when: 'январь', executor: 'riro', result: '10 школ' },
        { id: '2', title: 'Анализ', when: 'февраль', executor: 'riro', result: 1 },
        { id: '3', title: 'Посещение школ', when: 'ежеквартально', per: 'school', executor: 'riro', result: 'справка' },
        { id: '4', title: 'Отчёт', when: 'декабрь', executor: 'coordinator', result: 1 },
      ],
    }),
  );
  await ensureOrganisation(store.pool, 'ryazan');
  await savePlan(store.pool, { key: KEY, org: 'ryazan', planId: loaded.plan.id, title: 'План', fileName: 'plan.yaml', text: '', year: null, calendars: [] });
  served = { key: KEY, org: 'ryazan', file: 'plan.yaml', loaded };
  await write(loaded.schedule.tasks.map((task) => stateOf(task.task)), { keep: loaded.schedule.tasks.map((task) => task.task) });
});
afterAll(() => store.close());

const heading = (): PlanStatusHeading => ({ plan: loaded.plan.id, title: 'План', timezone: 'Europe/Moscow', clockShiftMs: 0, started: loaded.schedule.tasks.length, total: loaded.schedule.tasks.length, changes: null });

function stateOf(id: string, change: Partial<TaskSummary> = {}): StoredTaskState {
  const task = loaded.schedule.tasks.find((each) => each.task === id)!;
  const summary = { ...initialSummary(loaded.plan, task), state: TaskState.active, ...change };
  return { task: id, state: summary.state, overdueFrom: overdueFrom(summary, loaded.calendar), progress: progressOf(summary, task) };
}

async function write(tasks: StoredTaskState[], options: { withHeading?: boolean; keep?: string[] } = {}): Promise<void> {
  revision += 1;
  await writePlanStates(store, { planKey: KEY, revision, tasks, ...(options.withHeading === false ? {} : { plan: heading() }), ...(options.keep ? { keep: options.keep } : {}) });
}

const directory = () => new PlanDirectory([served], {} as Client, { store, now: () => now });
/** What a page server reading the plan for the first time shows. */
const firstReading = () => directory().status(KEY);

describe("a page server's reading of the read model", () => {
  it('shows a change it was sent as a page server reading everything shows it', async () => {
    const pages = directory();
    const before = await pages.status(KEY);
    expect(before).toEqual(await firstReading());
    expect(before!.tasks.find((task) => task.task === '1')!.state).toBe(TaskState.overdue);

    await write([stateOf('1', { state: TaskState.done, result: '10 школ', doneOn: '2020-01-30' })]);
    const after = await pages.status(KEY);
    expect(after).toEqual(await firstReading());
    expect(after!.tasks.find((task) => task.task === '1')).toMatchObject({ state: TaskState.done, result: '10 школ' });
    // Nothing changed: the same status, not rebuilt.
    expect(await pages.status(KEY)).toBe(after);
  });

  it('takes tasks written ahead of their heading, and a day that has passed', async () => {
    const pages = directory();
    await pages.status(KEY);
    await write([stateOf('2', { state: TaskState.review, result: 'справка', reportedOn: '2020-03-02' } as Partial<TaskSummary>)], { withHeading: false });
    const status = await pages.status(KEY);
    expect(status!.tasks.find((task) => task.task === '2')!.state).toBe(TaskState.review);
    expect(status).toEqual(await firstReading());
    // The first quarter's visits fall overdue in April with nothing written.
    const quarterly = (status: Awaited<ReturnType<typeof firstReading>>) => status!.tasks.filter((task) => task.task.startsWith('3') && task.due === '2020-03-31').map((task) => task.state);
    expect(quarterly(status)).not.toContain(TaskState.overdue);
    now = instantOf('2020-04-03', '12:00', 'Europe/Moscow');
    const april = await pages.status(KEY);
    expect(quarterly(april).length).toBeGreaterThan(0);
    expect(new Set(quarterly(april))).toEqual(new Set([TaskState.overdue]));
    expect(april).toEqual(await firstReading());
    now = instantOf('2020-03-10', '12:00', 'Europe/Moscow');
  });

  it('drops the tasks a changed plan no longer has', async () => {
    const pages = directory();
    expect((await pages.status(KEY))!.tasks.map((task) => task.task)).toContain('4');
    const kept = loaded.schedule.tasks.map((task) => task.task).filter((id) => id !== '4');
    await write(kept.map((id) => stateOf(id)), { keep: kept });
    const status = await pages.status(KEY);
    expect(status!.tasks.map((task) => task.task)).not.toContain('4');
    expect(status).toEqual(await firstReading());
  });

  it('ends with the newest state when requests and writes overlap', async () => {
    const pages = directory();
    const ids = loaded.schedule.tasks.map((task) => task.task).filter((id) => id !== '4');
    const readings: Promise<unknown>[] = [];
    for (let round = 0; round < 6; round += 1) {
      readings.push(pages.status(KEY), pages.status(KEY));
      await write([stateOf(ids[round % ids.length]!, { state: round % 2 === 0 ? TaskState.done : TaskState.active, ...(round % 2 === 0 ? { result: `итог ${round}`, doneOn: '2020-03-02' } : {}) })]);
    }
    await Promise.all(readings);
    expect(await pages.status(KEY)).toEqual(await firstReading());
  });
});

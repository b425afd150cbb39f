/**
 * The plan workflow keeps the store's read model: a change a task reports is in the store within
 * seconds of workflow time, and what grows by itself (lateness) is counted from what is stored.
 * Real workflows on the time-skipping server, writing into a real PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { completeTask } from '../../client/plan-runs.ts';
import type { Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { readPlanState, readPlanTotals } from '../../store/plan-states.ts';
import { savePlan } from '../../store/plans.ts';
import { instantOf } from '../../workflows/clock.ts';
import { planWorkflowId } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { READ_MODEL_DELAY_MS } from '../../workflows/read-model.ts';
import { currentSummary, summaryFromProgress } from '../../workflows/task-summary.ts';
import { buildPlan } from '../support/build-plan.ts';
import { testStore } from '../support/store.ts';
import { loadFixturePlan, PlanClock, planRun, startRig, TASK_QUEUE, type WorkflowRig } from '../support/workflow-run.ts';

let rig: WorkflowRig;
let store: Store;

beforeAll(async () => {
  store = await testStore();
  rig = await startRig({ store });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
  await store?.close();
});

/** Within this much workflow time of a change, the store has it: the writer's wait and a write. */
const FRESH_MS = READ_MODEL_DELAY_MS + 1_000;

it('has a completion in the store within seconds, and counts a task overdue from the first working day after its due date', async () => {
  const planKey = 'read-model-2020';
  const loaded = await loadFixturePlan(
    buildPlan({
      items: [
        { id: '1', title: 'Мониторинг', when: 'октябрь', executor: 'riro', result: '10 школ' },
        { id: '2', title: 'Аналитические материалы', when: 'октябрь', executor: 'riro', result: 1 },
      ],
    }),
  );
  await ensureOrganisation(store.pool, 'ryazan');
  await savePlan(store.pool, { key: planKey, org: 'ryazan', planId: loaded.plan.id, title: loaded.plan.title ?? loaded.plan.id, fileName: 'plan.yaml', text: '', year: null, calendars: [] });
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
  const stored = async () => {
    const state = await readPlanState(store.pool, planKey, { org: 'ryazan' });
    return Object.fromEntries((state?.tasks ?? []).map((entry) => [entry.task, entry]));
  };

  await clock.until('2020-09-30', '00:10');
  expect(await readPlanState(store.pool, planKey)).toMatchObject({ started: 2, total: 2, timezone: 'Europe/Moscow', clockShiftMs: clock.clockShiftMs });
  expect(Object.values(await stored()).map((entry) => entry.state)).toEqual(['planned', 'planned']);

  await clock.until('2020-10-14', '12:00');
  expect((await stored())['1']!.state).toBe('active');
  await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
  const completedAt = await rig.env.currentTimeMs();
  await rig.env.sleep(FRESH_MS);
  expect(await stored()).toMatchObject({ '1': { state: 'done', doneOn: '2020-10-14', result: '10 школ' }, '2': { state: 'active' } });
  const written = rig.readModel.batches.find((batch) => batch.planKey === planKey && batch.tasks.some((task) => task.task === '1' && task.state === 'done'))!;
  expect(written.revision - completedAt).toBeLessThanOrEqual(FRESH_MS);

  // Task 2 was due Friday 30 October: overdue from Monday 2 November, before any letter says so.
  const countsAt = async (date: string, time: string) => (await readPlanTotals(store.pool, [planKey], instantOf(date, time, 'Europe/Moscow') - clock.clockShiftMs))[0];
  await clock.until('2020-11-02', '00:30');
  expect((await stored())['2']!.state).toBe('active');
  expect(await countsAt('2020-10-31', '12:00')).toMatchObject({ tasks: 2, done: 1, overdue: 0 });
  expect(await countsAt('2020-11-02', '00:30')).toMatchObject({ tasks: 2, done: 1, overdue: 1 });
  const state = await readPlanState(store.pool, planKey);
  const task2 = loaded.schedule.tasks.find((task) => task.task === '2')!;
  expect(currentSummary(summaryFromProgress(loaded.plan, task2, state!.tasks!.find((entry) => entry.task === '2')!), '2020-11-03', loaded.calendar)).toMatchObject({ state: 'overdue', daysLate: 2 });

  // The overdue letter goes at 09:00; the task reports it, and the store has it seconds later.
  await clock.until('2020-11-02', '09:00');
  await rig.env.sleep(FRESH_MS);
  expect((await stored())['2']!.state).toBe('overdue');

  await completeTask(rig.env.client, planKey, '2', { result: 'Материалы подготовлены', by: 'riro' });
  await plan.result();
  expect(await stored()).toMatchObject({ '2': { state: 'done', doneOn: '2020-11-02', daysLate: 1 } });
  expect(await countsAt('2020-11-03', '12:00')).toMatchObject({ tasks: 2, done: 2, overdue: 0 });
}, 120_000);

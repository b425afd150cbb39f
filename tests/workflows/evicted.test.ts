/**
 * A worker whose cache holds two workflows runs a plan of six tasks: between their wake-ups the
 * tasks are evicted and replayed from their histories, and still send each letter once, on its
 * day, and take the office's updates. Real workflows on the time-skipping server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { completeTask, extendTask, taskStatus } from '../../client/plan-runs.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { planWorkflowId } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { buildPlan } from '../support/build-plan.ts';
import { loadFixturePlan, mailLine, mailOf, PlanClock, planRun, startRig, TASK_QUEUE, type WorkflowRig } from '../support/workflow-run.ts';

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig({ maxCachedWorkflows: 2 });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

it('sends every letter once and takes updates when the worker caches 2 workflows of 7', async () => {
  const planKey = 'evicted';
  const items = Array.from({ length: 6 }, (_, i) => ({ id: String(i + 1), title: `Пункт ${i + 1}`, when: 'октябрь', executor: 'riro' }));
  const loaded = await loadFixturePlan(buildPlan({ items }));
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });

  await clock.until('2020-10-26', '12:00');
  expect(rig.worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(2);
  // An update and a query reach tasks that are no longer in the cache.
  await extendTask(rig.env.client, planKey, '2', { to: '2020-11-13', reason: 'Приказ министерства', by: 'coordinator' });
  expect(await taskStatus(rig.env.client, planKey, '3')).toMatchObject({ state: 'active', due: '2020-10-30' });
  await clock.until('2020-10-28', '12:00');
  for (const task of ['1', '3', '4', '5', '6']) await completeTask(rig.env.client, planKey, task, { result: 'готово', by: 'riro' });
  await clock.until('2020-11-13', '12:00');
  await completeTask(rig.env.client, planKey, '2', { result: 'готово', by: 'riro' });
  await clock.throughEndOf('2020-11-20');

  const letters = mailOf(rig.mail, planKey).filter((notification): notification is TaskNotification => notification.kind !== 'digest');
  const keys = letters.map((notification) => notification.key);
  expect(new Set(keys).size).toBe(keys.length);
  const of = (task: string) => letters.filter((notification) => notification.task.task === task).map(mailLine);
  for (const task of ['1', '3', '4', '5', '6']) {
    expect(of(task)).toEqual([`2020-10-01 09:00 assigned ${task} → riro@example.org`, `2020-10-23 09:00 reminder ${task} → riro@example.org`]);
  }
  expect(of('2')).toEqual([
    '2020-10-01 09:00 assigned 2 → riro@example.org',
    '2020-10-23 09:00 reminder 2 → riro@example.org',
    '2020-10-27 09:00 extended 2 → coordinator@example.org cc riro@example.org',
    '2020-11-06 09:00 reminder 2 → riro@example.org',
    '2020-11-12 09:00 reminder 2 → riro@example.org',
  ]);
  expect(await plan.result()).toMatchObject({ tasks: expect.arrayContaining([expect.objectContaining({ task: '2', state: 'done', due: '2020-11-13' })]) });
}, 120_000);

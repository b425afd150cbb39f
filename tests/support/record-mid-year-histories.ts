/**
 * Records the event histories of a plan joined mid-year, for tests/workflows/replay.test.ts, next
 * to those of record-histories.ts (which this leaves as they are):
 *
 *   node --import tsx tests/support/record-mid-year-histories.ts
 *
 * One run on the time-skipping server, mail recorded in memory: a plan of three 2020 tasks
 * started on Monday 5 October at 10:00 — task 1 (March) marked done at the start, task 2 (April)
 * late and listed in its executor's letter of late tasks on the 6th, chased on the 8th and done
 * on the 9th, task 3 (October) handed out as always and done on the 20th.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { completeTask } from '../../client/plan-runs.ts';
import { planWorkflowId, taskWorkflowId } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { buildPlan } from './build-plan.ts';
import { historyToProtoJson } from './history-json.ts';
import { HISTORIES_DIR, type HistoryFixture } from './record-histories.ts';
import { loadFixturePlan, PlanClock, planRun, startRig, TASK_QUEUE, type WorkflowRig } from './workflow-run.ts';

export const MID_YEAR_FIXTURES = ['mid-year-plan.json', 'mid-year-task-1.json', 'mid-year-task-2.json'];

async function recordMidYear(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const planKey = 'replay-mid-year-2020';
  const loaded = await loadFixturePlan(
    buildPlan({
      items: [
        { id: '1', title: 'Углубленный мониторинг образовательных результатов', when: 'март', executor: 'riro', result: '10 школ' },
        { id: '2', title: 'Анализ результатов мониторинга', when: 'апрель', executor: 'riro', result: 1 },
        { id: '3', title: 'Направление аналитической справки в школы', when: 'октябрь', executor: 'riro', result: 10 },
      ],
    }),
  );
  const clock = await PlanClock.at(rig.env, '2020-10-05', '10:00');
  const input = { ...planRun(loaded, planKey, clock), doneBeforeStart: { '1': { result: 'Мониторинг проведён', comment: 'до запуска плана' } } };
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [input] });
  await clock.until('2020-10-09', '12:00');
  await completeTask(rig.env.client, planKey, '2', { result: 'Анализ выполнен', by: 'riro' });
  await clock.until('2020-10-20', '12:00');
  await completeTask(rig.env.client, planKey, '3', { result: 'Справки направлены', by: 'riro' });
  await plan.result();

  const fixture = async (workflowId: string, workflowType: HistoryFixture['workflowType'], story: string): Promise<HistoryFixture> => ({
    workflowId,
    workflowType,
    story,
    history: historyToProtoJson(await rig.env.client.workflow.getHandle(workflowId).fetchHistory()),
  });
  return {
    'mid-year-plan': await fixture(planWorkflowId(planKey), 'planWorkflow', 'a plan started on 5 October 2020 with task 1 marked done: sends the letter of late tasks (task 2) on the 6th, digests, ends when 2 and 3 are done'),
    'mid-year-task-1': await fixture(taskWorkflowId(planKey, '1'), 'taskWorkflow', 'task 1, marked done at the start: recorded done as of its due date, no mail'),
    'mid-year-task-2': await fixture(taskWorkflowId(planKey, '2'), 'taskWorkflow', "task 2, late at the start: handed out by the plan's letter on the 6th, chased on the 8th without an escalation, done on the 9th"),
  };
}

async function main(): Promise<void> {
  const rig = await startRig();
  let fixtures: Record<string, HistoryFixture>;
  try {
    fixtures = await recordMidYear(rig);
  } finally {
    await rig.stop();
  }
  await mkdir(HISTORIES_DIR, { recursive: true });
  for (const [name, fixture] of Object.entries(fixtures)) {
    await writeFile(`${HISTORIES_DIR}${name}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${name}.json: ${fixture.workflowId}, ${(fixture.history as { events: unknown[] }).events.length} events`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

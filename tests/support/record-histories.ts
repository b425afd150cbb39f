/**
 * Records the event histories that tests/workflows/replay.test.ts replays, so that a change
 * to the workflows that would break running plans fails a test. Run it again only when such a
 * change is made on purpose (behind `patched()`), and commit the new files:
 *
 *   node --import tsx tests/support/record-histories.ts [plan] [task] [change]
 *
 * (naming runs records those alone, leaving the other fixtures as they are). Three runs on the
 * time-skipping server, mail recorded in memory:
 * - a plan of three October 2020 tasks: one done early, one whose deadline is moved, and one
 *   `within` task that falls overdue, is escalated and is done late;
 * - a single per-school task whose director's address the mail server refuses for good,
 *   escalated to the office and the curator, and done late;
 * - a plan changed while it runs (changePlan): a task moved and handed to another executor after
 *   its start, one moved with new reminders before its start, one withdrawn, one added;
 * - a plan that keeps the store's read model (`patched('read-model')`): its writes, batched a
 *   few seconds after each change, through the start, a completion, a task falling overdue.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { changeRunningPlan, completeTask, extendTask } from '../../client/plan-runs.ts';
import { planWorkflowId, taskWorkflowId } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import type { taskWorkflow } from '../../workflows/task-workflow.ts';
import { buildPlan, MONITORING } from './build-plan.ts';
import { historyToProtoJson } from './history-json.ts';
import { loadFixturePlan, PlanClock, planRun, startRig, TASK_QUEUE, taskRun, type WorkflowRig } from './workflow-run.ts';

export const HISTORIES_DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

/** A recorded history and the workflow id it ran under (the task workflow keys its mail by it). */
export interface HistoryFixture {
  workflowId: string;
  workflowType: 'planWorkflow' | 'taskWorkflow';
  /** What the run did, for a reader of the fixture. */
  story: string;
  /** ProtoJSON, as `historyToJSON` writes it and `temporal workflow show --output json` prints it (see history-json.ts). */
  history: unknown;
}

async function recordPlan(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const planKey = 'replay-plan-2020';
  const loaded = await loadFixturePlan(
    buildPlan({
      items: [
        MONITORING,
        { id: '2', title: 'Подготовка аналитических материалов по итогам мониторинга', when: 'октябрь', executor: ['riro', 'coordinator'], result: 1 },
        { id: '3', title: 'Направление аналитической справки в школы', within: '3 рабочих дня', after: ['1'], executor: 'riro', result: 10 },
      ],
    }),
  );
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
  await clock.until('2020-10-14', '12:00');
  await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
  // Task 3 is now due 19 October; nobody reports it until the 23rd.
  await clock.until('2020-10-23', '12:00');
  await completeTask(rig.env.client, planKey, '3', { result: 'Справки направлены', comment: 'с опозданием', by: 'riro' });
  await clock.until('2020-10-26', '12:00');
  await extendTask(rig.env.client, planKey, '2', { to: '2020-11-13', reason: 'Приказ министерства № 1852 от 26.10.2020', by: 'coordinator' });
  await clock.until('2020-11-13', '12:00');
  await completeTask(rig.env.client, planKey, '2', { result: 'Материалы подготовлены', by: 'riro' });
  await plan.result();

  const stories: Record<string, string> = {
    '1': 'task 1 of the plan: assigned 1 October, done early on 14 October, before its reminders',
    '2': 'task 2 of the plan: assigned, reminded, deadline moved on 26 October to 13 November, reminded again, done on the new due date',
    '3': 'task 3 of the plan (within 3 working days after 1): started by the relayed completion, reminded, escalated and chased from 20 October, done late on 23 October',
  };
  const fixtures: Record<string, HistoryFixture> = {
    plan: { workflowId: planWorkflowId(planKey), workflowType: 'planWorkflow', story: 'a plan of three October 2020 tasks: starts them, relays the completion of 1 to 3, weekly digests, ends when all are done', history: await historyOf(rig, planWorkflowId(planKey)) },
  };
  for (const [task, story] of Object.entries(stories)) {
    const workflowId = taskWorkflowId(planKey, task);
    fixtures[`plan-task-${task}`] = { workflowId, workflowType: 'taskWorkflow', story, history: await historyOf(rig, workflowId) };
  }
  return fixtures;
}

async function recordRejectedTask(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const planKey = 'replay-task-2020';
  const director = 'replay-rejected-director@example.org';
  const fixture = buildPlan({ items: [{ ...MONITORING, executor: undefined, per: 'school' }] });
  (fixture.schools as { director: { email: string } }[])[0]!.director.email = director;
  const loaded = await loadFixturePlan(fixture);
  rig.mail.rejectAddress(director);
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const workflowId = taskWorkflowId(planKey, '1@sch-01');
  const handle = await rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId, args: [taskRun(loaded, planKey, '1@sch-01', clock)] });
  await clock.until('2020-11-03', '12:00');
  await completeTask(rig.env.client, planKey, '1@sch-01', { result: 'Мониторинг проведён', by: 'coordinator' });
  await handle.result();
  return {
    'task-rejected-recipient': {
      workflowId,
      workflowType: 'taskWorkflow',
      story: "a per-school task on its own: the director's address refused for good (the office told each time), escalated to the office and the curator on 2 November, done late on 3 November",
      history: await historyOf(rig, workflowId),
    },
  };
}

async function recordChange(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const planKey = 'replay-change-2020';
  const people = [...(buildPlan().people as unknown[]), { id: 'curator', name: 'Васильева Ирина Александровна', email: 'curator@example.org' }];
  const analysis = { id: '2', title: 'Подготовка аналитических материалов по итогам мониторинга', when: 'ноябрь', executor: 'riro', result: 1 };
  const seminar = { id: '3', title: 'Семинар для управленческих команд школ', when: 'декабрь', executor: 'riro', result: 'да' };
  const counselling = { id: '4', title: 'Консультирование школ по итогам мониторинга', when: 'октябрь', executor: 'curator', result: '10 консультаций' };
  const before = await loadFixturePlan(buildPlan({ people, items: [MONITORING, analysis, seminar] }));
  const after = await loadFixturePlan(
    buildPlan({ people, items: [{ ...MONITORING, when: 'октябрь - ноябрь', executor: 'curator' }, { ...analysis, when: 'декабрь', reminders: { before: [2] } }, counselling] }),
  );
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(before, planKey, clock)] });
  await clock.until('2020-10-05', '12:00');
  await changeRunningPlan(rig.env.client, planKey, planRun(after, planKey, clock), 'coordinator');
  await clock.until('2020-10-20', '12:00');
  await completeTask(rig.env.client, planKey, '4', { result: '10 консультаций', by: 'curator' });
  await clock.until('2020-11-20', '12:00');
  await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'curator' });
  await clock.until('2020-12-21', '12:00');
  await completeTask(rig.env.client, planKey, '2', { result: 'Материалы подготовлены', by: 'riro' });
  await rig.env.client.workflow.getHandle(planWorkflowId(planKey)).result();

  const id = planWorkflowId(planKey);
  const fixtures: Record<string, HistoryFixture> = {
    'plan-change': { workflowId: id, workflowType: 'planWorkflow', story: 'a plan of three tasks changed on 5 October (1 moved and handed to the curator, 2 moved with new reminders, 3 withdrawn, 4 added): it tells the tasks and continues as new on the new plan', history: await historyOf(rig, id, plan.firstExecutionRunId) },
    'plan-change-continued': { workflowId: id, workflowType: 'planWorkflow', story: 'the same plan continued on the changed plan: starts the added task 4, keeps the history of changes, ends when all are done', history: await historyOf(rig, id) },
  };
  const stories: Record<string, string> = {
    '1': 'task 1 of the changed plan: assigned 1 October, moved to 30 November and handed to the curator on 5 October after its start (a reassignment letter), reminded by the new date, done on 20 November',
    '2': 'task 2 of the changed plan: waiting for its start day when moved to December with new reminders, so it waits again, starts 1 December, done 21 December',
    '3': 'task 3 of the changed plan: withdrawn (cancelled) on 5 October before its start, without a letter',
  };
  for (const [task, story] of Object.entries(stories)) {
    const workflowId = taskWorkflowId(planKey, task);
    fixtures[`plan-change-task-${task}`] = { workflowId, workflowType: 'taskWorkflow', story, history: await historyOf(rig, workflowId) };
  }
  return fixtures;
}

async function historyOf(rig: WorkflowRig, workflowId: string, runId?: string): Promise<unknown> {
  return historyToProtoJson(await rig.env.client.workflow.getHandle(workflowId, runId).fetchHistory());
}

async function recordReadModel(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const planKey = 'replay-read-model-2020';
  const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING, { id: '2', title: 'Подготовка аналитических материалов по итогам мониторинга', when: 'октябрь', executor: 'riro', result: 1 }] }));
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
  await clock.until('2020-10-14', '12:00');
  await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
  await clock.until('2020-11-03', '12:00');
  await completeTask(rig.env.client, planKey, '2', { result: 'Материалы подготовлены', by: 'riro' });
  await plan.result();
  const id = planWorkflowId(planKey);
  return {
    'read-model-plan': { workflowId: id, workflowType: 'planWorkflow', story: "a plan of two October 2020 tasks that keeps the store's read model: written after the start, the starts of 1 October, the completion of 1 on 14 October, the overdue 2 on 2 November and its completion on 3 November", history: await historyOf(rig, id) },
  };
}

/**
 * The plan and the refused address again, as today's code starts them: inputs that carry the
 * code version (no patch markers) and letters sent as local activities. Saved beside the runs
 * of earlier code under `v1-` names, which stay as they were recorded.
 */
async function recordCodeVersion1(rig: WorkflowRig): Promise<Record<string, HistoryFixture>> {
  const fixtures = { ...(await recordPlan(rig)), ...(await recordRejectedTask(rig)) };
  return Object.fromEntries(Object.entries(fixtures).map(([name, fixture]) => [`v1-${name}`, { ...fixture, story: `${fixture.story} (code version 1: no patch markers, letters as local activities)` }]));
}

const RUNS = { plan: recordPlan, task: recordRejectedTask, change: recordChange, 'read-model': recordReadModel, v1: recordCodeVersion1 } as const;

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in RUNS));
  if (unknown.length > 0) throw new Error(`no such run: ${unknown.join(', ')}; runs: ${Object.keys(RUNS).join(', ')}`);
  const runs = names.length > 0 ? names.map((name) => RUNS[name as keyof typeof RUNS]) : Object.values(RUNS);
  const rig = await startRig();
  let fixtures: Record<string, HistoryFixture> = {};
  try {
    for (const run of runs) fixtures = { ...fixtures, ...(await run(rig)) };
  } finally {
    await rig.stop();
  }
  await mkdir(HISTORIES_DIR, { recursive: true });
  for (const [name, fixture] of Object.entries(fixtures)) {
    await writeFile(`${HISTORIES_DIR}${name}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${name}.json: ${fixture.workflowId}, ${(fixture.history as { events: unknown[] }).events.length} events`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));

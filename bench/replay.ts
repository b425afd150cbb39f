/**
 * What it costs to wake an evicted task workflow at the end of a long year: the history the
 * worker must replay, and the time to rebuild the workflow from it, side by side in one run with
 * a task done in its own month (the short history every plan is full of).
 *
 * On the time-skipping test server, a plan of two January tasks runs through 2020 with the real
 * task workflow and a mail activity that records: task 1 is never reported, so it is chased
 * every 2 working days from February to December (its history only grows); task 2 is done on
 * 20 January. At the end of December both histories are fetched, their events counted and
 * their protobuf bytes measured, and each is replayed by `Worker.runReplayHistory` (one bundle,
 * built before the clock starts) over several rounds taking turns; the median of each. A task
 * continues as new past `CONTINUE_AFTER_EVENTS`: the history a worker replays is its last run's,
 * and the bench says how many runs the year took and how long their histories were together.
 *
 * Run: node --import tsx bench/replay.ts [rounds=5]
 */
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { completeTask } from '../client/plan-runs.ts';
import { taskStatusQuery, taskWorkflowId } from '../workflows/messages.ts';
import type { taskWorkflow } from '../workflows/task-workflow.ts';
import { buildPlan } from '../tests/support/build-plan.ts';
import { workflowBundle } from '../tests/support/temporal.ts';
import { loadFixturePlan, mailOf, PlanClock, startRig, TASK_QUEUE, taskRun } from '../tests/support/workflow-run.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const PLAN = 'bench-replay';

const ITEMS = [
  { id: '1', title: 'Мониторинг, о котором так и не отчитались', when: 'январь', executor: 'riro', result: 'да' },
  { id: '2', title: 'Мониторинг, выполненный в срок', when: 'январь', executor: 'riro', result: 'да' },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const rig = await startRig();
try {
  const loaded = await loadFixturePlan(buildPlan({ items: ITEMS }));
  const clock = await PlanClock.at(rig.env, '2020-01-01', '00:00');
  const handles = await Promise.all(
    ['1', '2'].map((task) => rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId: taskWorkflowId(PLAN, task), args: [taskRun(loaded, PLAN, task, clock)] })),
  );
  console.log('… running 2020 on the time-skipping server');
  await clock.until('2020-01-20', '12:00');
  await completeTask(rig.env.client, PLAN, '2', { result: 'да', by: 'riro' });
  await clock.throughEndOf('2020-12-30');
  const late = await handles[0]!.query(taskStatusQuery, await rig.env.currentTimeMs());
  const letters = mailOf(rig.mail, PLAN).filter((notification) => notification.kind !== 'digest' && notification.task.task === '1').length;

  const histories = await Promise.all(handles.map((handle) => handle.fetchHistory()));
  // The runs before the last, back through each run's start event: events of the whole year.
  const runsOf = async (workflowId: string, last: typeof histories[number]) => {
    let events = last.events!.length;
    let runs = 1;
    let previous = last.events![0]!.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    while (previous) {
      const history = await rig.env.client.workflow.getHandle(workflowId, previous).fetchHistory();
      events += history.events!.length;
      runs += 1;
      previous = history.events![0]!.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    }
    return { events, runs };
  };
  const year = await runsOf(handles[0]!.workflowId, histories[0]!);
  const bundle = await workflowBundle();
  const bytes = histories.map((history) => proto.temporal.api.history.v1.History.encode(history).finish().length);
  const times: number[][] = [[], []];
  // One replay of each untimed, to warm the worker's code; then the rounds, taking turns.
  for (const [index, history] of histories.entries()) await Worker.runReplayHistory({ workflowBundle: bundle }, history, handles[index]!.workflowId);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      await Worker.runReplayHistory({ workflowBundle: bundle }, histories[index]!, handles[index]!.workflowId);
      times[index]!.push(performance.now() - started);
    }
  }
  await Promise.all(handles.map((handle) => handle.terminate('bench over').catch(() => undefined)));

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rounds = (values: number[]) => values.map(ms).join(', ');
  const [longMs, shortMs] = [median(times[0]!), median(times[1]!)];
  console.log(`${ROUNDS} rounds, median replay time of each history (Worker.runReplayHistory, the bundle built once):`);
  console.log(`task never reported, at the end of the year (${late.state}, ${late.daysLate} working days late, ${letters} letters; ${year.runs} runs, ${year.events} events in all): ${histories[0]!.events!.length} events, ${(bytes[0]! / 1024).toFixed(1)} KB; replay ${ms(longMs)} (rounds: ${rounds(times[0]!)})`);
  console.log(`task done in its month:                  ${histories[1]!.events!.length} events, ${(bytes[1]! / 1024).toFixed(1)} KB; replay ${ms(shortMs)} (rounds: ${rounds(times[1]!)})`);
  console.log(`ratio: the last run of a year-long task ÷ a month's task = ${(histories[0]!.events!.length / histories[1]!.events!.length).toFixed(1)} in events, ${(longMs / shortMs).toFixed(2)} in replay time`);
} finally {
  await rig.stop();
}

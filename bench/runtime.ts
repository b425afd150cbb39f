/**
 * Runtime benchmarks on the real dev server, as ratios measured side by side in one run, on
 * the same server and worker:
 *  1. tasks driven per second through start → assignment mail → reminder → completion, against
 *     two baselines driven the same way: no-op workflows (started and finished) and task
 *     skeletons (the same two mails and one update without plangraf's logic). Wall time of the
 *     whole batch, starts included, no wait subtracted; after a warm-up, over several rounds that
 *     take turns in a rotating order; the median of each;
 *  2. the CPU time each kind costs per workflow, the dev server's and the worker process's, over
 *     the same rounds: the figures of (1) are bounded by it, the two cores being shared;
 *  3. the memory of a worker holding a plan of 4,000 school tasks.
 * Run: node --import tsx bench/runtime.ts [tasks=100] [schools=400] [rounds=5]
 */
import { Client, Connection } from '@temporalio/client';
import { readdirSync, readFileSync } from 'node:fs';
import { taskInputOf } from '../workflows/plan-workflow.ts';
import { taskNames } from '../plan/task-names.ts';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createBenchWorker } from './bench-worker.ts';
import { Plan } from '../plan/schema.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan } from '../plan/schedule.ts';
import { planInputOf, startPlan } from '../client/plan-runs.ts';
import { instantOf } from '../workflows/clock.ts';
import { completeTaskUpdate, planStartedQuery, planWorkflowId, taskWorkflowId } from '../workflows/messages.ts';
import type { TaskInput } from '../workflows/task-workflow.ts';
import { installQuietRuntime } from '../cli/quiet-runtime.ts';
import { TEMPORAL_CLI } from '../tests/support/temporal.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes.ts';
import { shippedYears } from '../tests/support/calendar.ts';
import { buildPlan } from '../tests/support/build-plan.ts';
import { skeletonDoneUpdate, type BenchMail, type noopStarterWorkflow, type noopWorkflow, type taskOnBenchClockWorkflow, type taskSkeletonWorkflow } from './workflows.ts';

const TASKS = Number(process.argv[2] ?? 100);
const SCHOOLS = Number(process.argv[3] ?? 400);
const ROUNDS = Number(process.argv[4] ?? 5);
const WARM_UP = 20;
/** Linux counts a process's CPU time in /proc/PID/stat in ticks of 1/100 s. */
const CLOCK_TICKS = 100;
const QUEUE = 'bench';
/** A task that has not reminded by then is not on the bench's clock: fail rather than hang. */
const REMINDER_TIMEOUT_MS = 120_000;

installQuietRuntime('ERROR');
// The dev server as the tests start it, with one task-queue partition instead of 4: with 4, a
// workflow task now and then lands in a partition no poller of this one worker is at and waits
// ~2 s, so a batch's wall time measured its unluckiest workflow rather than the work.
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    executable: { type: 'existing-path', path: TEMPORAL_CLI },
    ip: '127.0.0.1',
    searchAttributes: [],
    extraArgs: [
      ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
      ...['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'].flatMap((value) => ['--dynamic-config-value', value]),
    ],
  },
});

// Each driver waits for its workflow's reminder before completing it: the mail activity says when.
const mailed = new Set<string>();
const waiting = new Map<string, () => void>();
const mailOf = (workflowId: string, kind: string) => `${workflowId} ${kind}`;
function mailSent(workflowId: string, kind: string): Promise<void> {
  const key = mailOf(workflowId, kind);
  if (mailed.has(key)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${workflowId}: no ${kind} mail within ${REMINDER_TIMEOUT_MS / 1000} s; see taskOnBenchClockWorkflow in bench/workflows.ts`)), REMINDER_TIMEOUT_MS);
    waiting.set(key, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const worker = await createBenchWorker(env, QUEUE, async (mail: BenchMail) => {
  // Every mail here is sent by a workflow's activity.
  const key = mailOf(Context.current().info.workflowExecution!.workflowId, mail.kind);
  mailed.add(key);
  waiting.get(key)?.();
  waiting.delete(key);
  return { messageId: mail.key, accepted: mail.to.map((recipient) => recipient.email), rejected: [], duplicate: false };
});

/** CPU milliseconds spent by each side while batches of a kind ran, and how many workflows they ran. */
interface CpuSpent {
  server: number | null;
  worker: number;
  workflows: number;
}

/**
 * Wall seconds of `run`, adding the CPU time it took to `spent`: the server's (the dev server's
 * process, read from /proc; `null` where there is none) and this process's (the worker, its
 * workflow thread and the bench's client alike).
 */
async function timed(run: () => Promise<void>, spent: CpuSpent, workflows: number): Promise<number> {
  const server = serverCpuMs();
  const worker = process.cpuUsage();
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(worker);
  const serverAfter = serverCpuMs();
  spent.server = server === null || serverAfter === null || spent.server === null ? null : spent.server + serverAfter - server;
  spent.worker += (used.user + used.system) / 1000;
  spent.workflows += workflows;
  return seconds;
}

/** The dev server this bench started: the process whose command line serves its port. */
const serverPid = (() => {
  const port = env.address.split(':').at(-1);
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === port) return pid;
    }
  } catch {
    // No /proc here: the server's share is not measured.
  }
  return null;
})();

/** The dev server's CPU time so far (user and system), in milliseconds. */
function serverCpuMs(): number | null {
  if (serverPid === null) return null;
  const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Seconds from a workflow's start to the completion of its last starter activity (then every
 * workflow it starts has been started), read from its history, across its runs: both starts are
 * measured alike on the server's clock, and a query held up behind the starts is not in the figure.
 */
async function startingTime(workflowId: string, starter: string): Promise<number> {
  // A plan's history passes gRPC's default 4 MB: the task inputs its starter activities carry.
  const connection = await Connection.connect({ address: env.address, channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 } });
  const client = new Client({ connection });
  try {
    return await startingTimeFrom(client, workflowId, starter);
  } finally {
    await connection.close();
  }
}

async function startingTimeFrom(client: Client, workflowId: string, starter: string): Promise<number> {
  let started: number | undefined;
  let last = 0;
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.firstRunId || undefined;
  do {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const at = (event: (typeof events)[number]) => Number(event.eventTime!.seconds) * 1000 + Math.floor((event.eventTime!.nanos ?? 0) / 1e6);
    started ??= at(events[0]!);
    const starters = new Set(events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === starter).map((event) => String(event.eventId)));
    for (const event of events) if (starters.has(String(event.activityTaskCompletedEventAttributes?.scheduledEventId))) last = Math.max(last, at(event));
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  } while (runId);
  return (last - started!) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const years = (await shippedYears()).filter((year) => year.year === 2020 || year.year === 2021);
const plan = Plan.parse(buildPlan({ items: [{ id: '1', title: 'Задача', when: 'март', executor: 'riro' }] }));
const calendar = new ProductionCalendar(years);
const schedule = schedulePlan(plan, calendar);
const task = schedule.tasks[0]!;
const names = taskNames(plan, schedule.tasks);
// Assigned on its first day (2 March 2020), reminded on the day of the earliest reminder (24 March).
const assignOn = calendar.workingDayOnOrAfter(task.start!);
const remindOn = calendar.subtractWorkingDays(task.due!, Math.max(...plan.reminders.before));
const run = Date.now();

/** One workflow of each kind, driven from its start to its end; `id` is unique in the run. */
const drivers = {
  async noop(id: string) {
    await env.client.workflow.execute<typeof noopWorkflow>('noopWorkflow', { taskQueue: QUEUE, workflowId: `noop-${run}-${id}` });
  },
  async skeleton(id: string) {
    const handle = await env.client.workflow.start<typeof taskSkeletonWorkflow>('taskSkeletonWorkflow', { taskQueue: QUEUE, workflowId: `skeleton-${run}-${id}` });
    await mailSent(handle.workflowId, 'reminder');
    await handle.executeUpdate(skeletonDoneUpdate, { args: [{ result: 'готово' }] });
    await handle.result();
  },
  async task(id: string) {
    const key = `bench-${run}`;
    // The input a plan gives its task (the calendar's days only, the code's version), on its own.
    const input: TaskInput = { ...taskInputOf({ ...planInputOf({ plan, calendar, schedule }), planKey: key, indexed: false }, task, null, names), planWorkflowId: null };
    const handle = await env.client.workflow.start<typeof taskOnBenchClockWorkflow>('taskOnBenchClockWorkflow', { taskQueue: QUEUE, workflowId: taskWorkflowId(key, id), args: [input, assignOn, remindOn] });
    await mailSent(handle.workflowId, 'reminder');
    await handle.executeUpdate(completeTaskUpdate, { args: [{ result: 'готово' }] });
    const status = await handle.result();
    const steps = status.history.map((entry) => entry.kind);
    if (!(['assigned', 'reminder', 'completed'] as const).every((kind) => steps.includes(kind))) throw new Error(`${handle.workflowId} went ${steps.join(' → ')}, not assigned → reminder → completed`);
  },
};
type Kind = keyof typeof drivers;
const KINDS = Object.keys(drivers) as Kind[];

const batch = (kind: Kind, label: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => drivers[kind](`${label}-${i}`)));

const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const report = await worker.runUntil(async () => {
  // The first workflows pay for the worker's start-up and the bundle's first runs: warm up every kind.
  progress('warming up');
  for (const kind of KINDS) await batch(kind, 'warm', WARM_UP);

  // 1. The same batch of each kind in turn, the order rotating from round to round.
  const rates = { noop: [] as number[], skeleton: [] as number[], task: [] as number[] };
  const cpu = Object.fromEntries(KINDS.map((kind) => [kind, { server: 0, worker: 0, workflows: 0 } as CpuSpent])) as Record<Kind, CpuSpent>;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let turn = 0; turn < KINDS.length; turn += 1) {
      const kind = KINDS[(round + turn) % KINDS.length]!;
      progress(`round ${round + 1}: ${TASKS} × ${kind}`);
      const seconds = await timed(() => batch(kind, `r${round}`, TASKS).then(() => undefined), cpu[kind], TASKS);
      rates[kind].push(TASKS / seconds);
    }
  }

  progress(`${SCHOOLS * 10} no-op workflows started from one workflow`);
  await env.client.workflow.execute<typeof noopStarterWorkflow>('noopStarterWorkflow', { taskQueue: QUEUE, workflowId: `noop-starter-${run}`, args: [`noop-started-${run}`, SCHOOLS * 10] });
  const startNoopTime = await startingTime(`noop-starter-${run}`, 'startNoopWorkflows');
  // The started no-ops' own workflow tasks may still wait in the queue: the plan, started next,
  // would wait behind them (its first workflow task waited 16 s so, and the figure with it).
  while ((await env.client.workflow.count(`WorkflowType = 'noopWorkflow' AND ExecutionStatus = 'Running'`)).count > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  progress('a plan of school tasks');
  // 2. A plan of SCHOOLS × 10 per-school tasks held by the worker.
  const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ id: `s-${i}`, name: `Школа ${i}`, kind: 'ШНОР', director: { name: 'Директор Школы Номер', email: `d${i}@example.org` } }));
  const big = Plan.parse(buildPlan({ schools, items: Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), title: `Пункт ${i + 1}`, when: 'декабрь', per: 'school' })) }));
  const before = process.memoryUsage().rss;
  const bigSchedule = schedulePlan(big, calendar);
  const loaded = { plan: big, calendar, schedule: bigSchedule };
  const key = `bench-big-${run}`;
  // Held as in early November: every task planned for December, none due yet.
  const clockShiftMs = instantOf('2020-11-02', '08:00', 'Europe/Moscow') - Date.now();
  await startPlan(env.client, { ...planInputOf(loaded, { clockShiftMs }), planKey: key, indexed: false }, QUEUE);
  for (;;) {
    const status = await env.client.workflow.getHandle(planWorkflowId(key)).query(planStartedQuery).catch(() => undefined);
    if (status && status.started === status.total) break;
    if (status) progress(`started ${status.started} of ${status.total}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const startPlanTime = await startingTime(planWorkflowId(key), 'startTaskWorkflows');
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const after = process.memoryUsage().rss;
  return { rates, cpu, startPlanTime, startNoopTime, tasksInPlan: bigSchedule.tasks.length, rssBefore: before, rssAfter: after };
});
await env.teardown();

const { rates } = report;
const perSecond = (values: number[]) => values.map((value) => value.toFixed(1)).join(', ');
const noop = median(rates.noop);
const skeleton = median(rates.skeleton);
const tasks = median(rates.task);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log(`${TASKS} at a time, ${ROUNDS} rounds, median (rounds: …/s):`);
console.log(`no-op workflows, start → finish:                             ${noop.toFixed(1)}/s (${perSecond(rates.noop)})`);
console.log(`task skeletons, start → 2 mails → update → finish:           ${skeleton.toFixed(1)}/s (${perSecond(rates.skeleton)})`);
console.log(`tasks, start → assignment mail → reminder → completion:      ${tasks.toFixed(1)}/s (${perSecond(rates.task)})`);
const perWorkflow = (spent: CpuSpent) => {
  const server = spent.server === null ? null : spent.server / spent.workflows;
  const worker = spent.worker / spent.workflows;
  return `server ${server === null ? 'n/a' : server.toFixed(1)} + worker ${worker.toFixed(1)} = ${server === null ? 'n/a' : (server + worker).toFixed(1)} ms`;
};
console.log(`CPU per workflow (the rounds' sum ÷ their workflows; the worker process includes the bench's client):`);
console.log(`  no-op ${perWorkflow(report.cpu.noop)}; skeleton ${perWorkflow(report.cpu.skeleton)}; task ${perWorkflow(report.cpu.task)}`);
const cpuOf = (spent: CpuSpent) => (spent.server === null ? null : (spent.server + spent.worker) / spent.workflows);
const [noopCpu, taskCpu] = [cpuOf(report.cpu.noop), cpuOf(report.cpu.task)];
console.log(`  a no-op's CPU ÷ a task's = ${noopCpu === null || taskCpu === null ? 'n/a' : (noopCpu / taskCpu).toFixed(2)} (the tasks/s ÷ no-op/s a machine bound by its cores gives)`);
console.log(`ratio:              tasks/s ÷ no-op/s = ${(tasks / noop).toFixed(2)}; tasks/s ÷ skeletons/s = ${(tasks / skeleton).toFixed(2)}`);
console.log(`${report.tasksInPlan} no-op workflows started from one workflow: ${report.startNoopTime.toFixed(1)} s; a plan of them as school tasks ÷ no-op = ${(report.startPlanTime / report.startNoopTime).toFixed(2)}`);
console.log(`plan of ${report.tasksInPlan} school tasks: all started in ${report.startPlanTime.toFixed(1)} s; worker RSS ${mb(report.rssBefore)} MB → ${mb(report.rssAfter)} MB (+${mb(report.rssAfter - report.rssBefore)} MB, ${((report.rssAfter - report.rssBefore) / report.tasksInPlan / 1024).toFixed(1)} KB per task)`);

/**
 * What a cached task workflow costs the worker, side by side with the floor in one run: N idle
 * workflows (they only wait: the SDK's own cost of a cached workflow), then N school tasks of a
 * plan held in early November, waiting for their December start, each started as the plan starts
 * it. After each batch is cached (or has passed through a cache of `cache` workflows), the
 * worker's memory after a full GC: RSS of the process and, with `--in-thread`, the V8 heap that
 * holds the workflows (the workflows then run in the main thread, so that one heap holds them).
 * `--snapshot` also writes a heap snapshot after the tasks (with `--in-thread`). The workflows
 * are bundled as the workers bundle them (`WORKFLOW_BUNDLER_OPTIONS`); `--sdk-bundle` bundles
 * them with the SDK's defaults instead (no shared modules, ES2017), to see what those save.
 * Run: node --expose-gc --import tsx bench/task-memory.ts [tasks=2000] [cache=2×tasks] [--in-thread] [--snapshot] [--sdk-bundle]
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { Plan } from '../plan/schema.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan } from '../plan/schedule.ts';
import { taskNames } from '../plan/task-names.ts';
import { planInputOf } from '../client/plan-runs.ts';
import { instantOf } from '../workflows/clock.ts';
import { taskWorkflowId } from '../workflows/messages.ts';
import { taskInputOf } from '../workflows/plan-workflow.ts';
import { installQuietRuntime } from '../cli/quiet-runtime.ts';
import { TEMPORAL_CLI } from '../tests/support/temporal.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes.ts';
import { shippedYears } from '../tests/support/calendar.ts';
import { buildPlan } from '../tests/support/build-plan.ts';
import { WORKFLOW_BUNDLER_OPTIONS } from '../worker-bundle.ts';
import type { idleWorkflow, taskWorkflow } from './workflows.ts';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const TASKS = Number(positional[0] ?? 2000);
const CACHE = Number(positional[1] ?? 2 * TASKS);
const IN_THREAD = process.argv.includes('--in-thread');
const SNAPSHOT = process.argv.includes('--snapshot');
const SDK_BUNDLE = process.argv.includes('--sdk-bundle');
const QUEUE = 'bench-memory';
const PARALLEL = 50;

installQuietRuntime('ERROR');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    executable: { type: 'existing-path', path: TEMPORAL_CLI },
    ip: '127.0.0.1',
    searchAttributes: [],
    extraArgs: [...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag])],
  },
});
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: QUEUE,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  maxCachedWorkflows: CACHE,
  // In the main thread, so that `process.memoryUsage().heapUsed` and a heap snapshot hold the workflows.
  ...(IN_THREAD ? { debugMode: true } : {}),
  activities: {},
  ...(SDK_BUNDLE ? {} : { bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }),
});

const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const run = Date.now();
const schools = Array.from({ length: Math.ceil(TASKS / 10) }, (_, i) => ({ id: `s-${i}`, name: `Школа ${i}`, kind: 'ШНОР', director: { name: 'Директор Школы Номер', email: `d${i}@example.org` } }));
const plan = Plan.parse(buildPlan({ schools, items: Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), title: `Пункт ${i + 1}`, when: 'декабрь', per: 'school' })) }));
const calendar = new ProductionCalendar(await shippedYears());
const schedule = schedulePlan(plan, calendar);
const clockShiftMs = instantOf('2020-11-02', '08:00', 'Europe/Moscow') - Date.now();
const planInput = { ...planInputOf({ plan, calendar, schedule }, { clockShiftMs }), planKey: `mem-${run}`, indexed: false };
const names = taskNames(plan, schedule.tasks);
const inputs = schedule.tasks.slice(0, TASKS).map((task) => taskInputOf(planInput, task, null, names));

/**
 * Starts `count` workflows, `PARALLEL` at a time, and waits until the worker has run each one's
 * first task: the cache holds `cachedAfter` of them then, or, with a smaller cache, the worker has
 * had nothing to do for 3 s.
 */
async function startAll(count: number, start: (i: number) => Promise<unknown>, cachedAfter: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < count) await start(next++);
  }));
  let quiet = 0;
  while (worker.getStatus().numCachedWorkflows < Math.min(cachedAfter, CACHE) || quiet < 10) {
    quiet = worker.getStatus().numInFlightWorkflowActivations === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const memory = () => {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

const report = await worker.runUntil(async () => {
  const base = memory();
  progress(`${TASKS} idle workflows`);
  await startAll(TASKS, (i) => env.client.workflow.start<typeof idleWorkflow>('idleWorkflow', { taskQueue: QUEUE, workflowId: `idle-${run}-${i}` }), TASKS);
  const idle = memory();
  progress(`${TASKS} task workflows`);
  await startAll(TASKS, (i) => env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: QUEUE, workflowId: taskWorkflowId(planInput.planKey, inputs[i]!.task.task), args: [inputs[i]!] }), 2 * TASKS);
  const tasks = memory();
  const cached = worker.getStatus().numCachedWorkflows;
  if (SNAPSHOT) progress(`heap snapshot: ${writeHeapSnapshot()}`);
  return { base, idle, tasks, cached };
});
await env.teardown();

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const { base, idle, tasks, cached } = report;
console.log(`${TASKS} workflows of each kind, cache of ${CACHE} (${cached} cached at the end)${IN_THREAD ? ', workflows in the main thread' : ''}:`);
console.log(`worker RSS:  start ${mb(base.rss)}; + ${TASKS} idle → ${mb(idle.rss)} (${kb((idle.rss - base.rss) / TASKS)} each); + ${TASKS} tasks → ${mb(tasks.rss)} (${kb((tasks.rss - idle.rss) / TASKS)} each)`);
if (IN_THREAD) console.log(`V8 heap:     start ${mb(base.heapUsed)}; + idle → ${mb(idle.heapUsed)} (${kb((idle.heapUsed - base.heapUsed) / TASKS)} each); + tasks → ${mb(tasks.heapUsed)} (${kb((tasks.heapUsed - idle.heapUsed) / TASKS)} each)`);
console.log(`ratio: a cached task ÷ a cached idle workflow = ${((tasks.rss - idle.rss) / Math.max(1, idle.rss - base.rss)).toFixed(2)} (RSS)${IN_THREAD ? `, ${((tasks.heapUsed - idle.heapUsed) / Math.max(1, idle.heapUsed - base.heapUsed)).toFixed(2)} (heap)` : ''}`);

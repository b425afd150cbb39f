/**
 * Runtime benchmarks on the real dev server, as ratios measured side by side in one run:
 *  1. tasks driven per second through start → assignment mail → completion, against no-op
 *     workflows started and finished on the same server and worker;
 *  2. the memory of a worker holding a plan of 4,000 school tasks.
 * Run: node --import tsx bench/runtime.ts [tasks=100] [schools=400]
 */
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createTaskStarterActivities } from '../activities/task-starter.ts';
import type { Notification } from '../plan/notifications.ts';
import { Plan } from '../plan/schema.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan } from '../plan/schedule.ts';
import { recipientsOf } from '../plan/recipients.ts';
import { planInputOf, startPlan } from '../client/plan-runs.ts';
import { instantOf } from '../workflows/clock.ts';
import { completeTaskUpdate, planStatusQuery, planWorkflowId, taskWorkflowId } from '../workflows/messages.ts';
import type { TaskInput } from '../workflows/task-workflow.ts';
import { installQuietRuntime } from '../cli/quiet-runtime.ts';
import { devServerEnvironment } from '../tests/support/temporal.ts';
import { shippedYears } from '../tests/support/calendar.ts';
import { buildPlan } from '../tests/support/build-plan.ts';

const TASKS = Number(process.argv[2] ?? 100);
const SCHOOLS = Number(process.argv[3] ?? 400);
const QUEUE = 'bench';

installQuietRuntime('ERROR');
const env = await devServerEnvironment();
const sent: Notification[] = [];
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: QUEUE,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  maxCachedWorkflows: 5000,
  activities: {
    ...createTaskStarterActivities({ client: env.client, taskQueue: QUEUE }),
    async sendNotification(notification: Notification) {
      sent.push(notification);
      return { messageId: notification.key, accepted: notification.to.map((r) => r.email), rejected: [], duplicate: false };
    },
  },
});

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

const years = (await shippedYears()).filter((year) => year.year === 2020 || year.year === 2021);
const plan = Plan.parse(buildPlan({ items: [{ id: '1', title: 'Задача', when: 'март', executor: 'riro' }] }));
const calendar = new ProductionCalendar(years);
const task = schedulePlan(plan, calendar).tasks[0]!;

const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const report = await worker.runUntil(async () => {
  progress('warming up');
  // The first workflows pay for the worker's start-up: warm up before measuring either side.
  await Promise.all(Array.from({ length: 20 }, (_, i) => env.client.workflow.execute('noopWorkflow', { taskQueue: QUEUE, workflowId: `warm-${i}-${Date.now()}` })));
  progress('no-op workflows');
  // 1. No-op workflows: the floor of starting and finishing a workflow here.
  const noop = await timed(async () => {
    await Promise.all(Array.from({ length: TASKS }, (_, i) => env.client.workflow.execute('noopWorkflow', { taskQueue: QUEUE, workflowId: `noop-${i}-${Date.now()}` })));
  });

  progress('task workflows');
  // 2. Task workflows: each starts just before its 09:00 slot, is assigned (one mail), then completed.
  const run = Date.now();
  // Each task starts its clock 10 s before the 09:00 slot (room for a loaded machine): the time to the slot is the same wait for all, and is subtracted.
  const SLOT_WAIT_MS = 10_000;
  const tasks = await timed(async () => {
    await Promise.all(
      Array.from({ length: TASKS }, async (_, i) => {
        const shift = instantOf('2020-03-02', '09:00', 'Europe/Moscow') - SLOT_WAIT_MS - Date.now();
        const input: TaskInput = { plan: { id: 'bench', key: `bench-${run}`, title: 'bench', timezone: 'Europe/Moscow' }, planWorkflowId: null, task, within: null, recipients: recipientsOf(plan, task), reminders: plan.reminders, calendar: years, doneBefore: {}, clockShiftMs: shift, indexed: false };
        const handle = await env.client.workflow.start('taskWorkflow', { taskQueue: QUEUE, workflowId: taskWorkflowId(`bench-${run}`, `${i}`), args: [input] });
        while (!sent.some((n) => n.key.startsWith(`${handle.workflowId}:assigned`))) await new Promise((resolve) => setTimeout(resolve, 50));
        await handle.executeUpdate(completeTaskUpdate, { args: [{ result: 'готово' }] });
        await handle.result();
      }),
    );
  }) - SLOT_WAIT_MS / 1000;

  progress('a plan of school tasks');
  // 3. A plan of SCHOOLS × 10 per-school tasks held by the worker.
  const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ id: `s-${i}`, name: `Школа ${i}`, kind: 'ШНОР', director: { name: 'Директор Школы Номер', email: `d${i}@example.org` } }));
  const big = Plan.parse(buildPlan({ schools, items: Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), title: `Пункт ${i + 1}`, when: 'декабрь', per: 'school' })) }));
  const before = process.memoryUsage().rss;
  const bigSchedule = schedulePlan(big, calendar);
  const loaded = { plan: big, calendar, schedule: bigSchedule };
  const key = `bench-big-${run}`;
  const startPlanTime = await timed(async () => {
    // Held as in early November: every task planned for December, none due yet.
    const clockShiftMs = instantOf('2020-11-02', '08:00', 'Europe/Moscow') - Date.now();
    await startPlan(env.client, { ...planInputOf(loaded, { clockShiftMs }), planKey: key, indexed: false }, QUEUE);
    for (;;) {
      const status = await env.client.workflow.getHandle(planWorkflowId(key)).query(planStatusQuery).catch(() => undefined);
      if (status && status.started === status.total) break;
      if (status) progress(`started ${status.started} of ${status.total}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const after = process.memoryUsage().rss;
  return { noop, tasks, startPlanTime, tasksInPlan: bigSchedule.tasks.length, rssBefore: before, rssAfter: after };
});
await env.teardown();

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log(`no-op workflows:    ${TASKS} in ${report.noop.toFixed(2)} s = ${(TASKS / report.noop).toFixed(1)}/s`);
console.log(`task workflows:     ${TASKS} start → assignment mail → completion in ${report.tasks.toFixed(2)} s = ${(TASKS / report.tasks).toFixed(1)}/s`);
console.log(`ratio:              task workflows/s ÷ no-op workflows/s = ${(report.noop / report.tasks).toFixed(2)}`);
console.log(`plan of ${report.tasksInPlan} school tasks: all started in ${report.startPlanTime.toFixed(1)} s; worker RSS ${mb(report.rssBefore)} MB → ${mb(report.rssAfter)} MB (+${mb(report.rssAfter - report.rssBefore)} MB, ${((report.rssAfter - report.rssBefore) / report.tasksInPlan / 1024).toFixed(1)} KB per task)`);

/**
 * A plan's year run ahead of time: the real workflows on the time-skipping test server, the
 * executors behaving as asked, and every e-mail recorded instead of sent. A project office
 * previews the year's reminder load before launching.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocumentActivities } from '../activities/documents.ts';
import { createTaskStarterActivities } from '../activities/task-starter.ts';
import { DocumentRenderer } from '../documents/document-renderer.ts';
import { FileDocumentRegister } from '../documents/register.ts';
import type { LoadedPlan } from '../activities/plan-files.ts';
import { addDays, type IsoDate } from '../plan/dates.ts';
import type { Notification } from '../plan/notifications.ts';
import { instantOf } from '../workflows/clock.ts';
import { completeTaskUpdate, planProgressQuery, planStatusQuery, planWorkflowId, TaskState, taskWorkflowId, type PlanStatus, type TaskProgressEntry } from '../workflows/messages.ts';
import type { ReadModelActivities } from '../workflows/read-model.ts';
import { planInputOf } from './plan-runs.ts';
import { WORKFLOW_BUNDLER_OPTIONS } from '../worker-bundle.ts';

export const EXECUTOR_BEHAVIOURS = ['on-due', 'never', 'early'] as const;
export type ExecutorBehaviour = (typeof EXECUTOR_BEHAVIOURS)[number];

/** One e-mail to one addressee, as `simulate --json` prints it. */
export interface SimulatedMail {
  date: IsoDate;
  time: string;
  to: string;
  kind: Notification['kind'];
  task: string | null;
}

export const TEST_SERVER_PATH = fileURLToPath(new URL('../.temporal/bin/temporal-test-server', import.meta.url));
const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const QUEUE = 'plangraf-simulation';
/** How long after the plan's last day the simulation goes on, so December's late tasks are chased too. */
const TAIL_DAYS = 14;
/** When a simulated executor reports a task done: midday, after the morning's mail. */
const COMPLETION_TIME = '12:00';

export class SimulationUnavailable extends Error {}

export interface Simulation {
  /** Every e-mail to every addressee, in the order they go out. */
  mails: SimulatedMail[];
  /** Every task as of the plan's last day. */
  status: PlanStatus;
}

/**
 * Simulates the plan's year (or the year it is laid over) and returns every e-mail, in the
 * order they would go out, and the tasks' states at the end of the plan.
 */
export async function simulatePlan(loaded: LoadedPlan, options: { behaviour: ExecutorBehaviour; year?: number; onProgress?: (date: IsoDate) => void }): Promise<Simulation> {
  if (!existsSync(TEST_SERVER_PATH)) throw new SimulationUnavailable('нет тестового сервера Temporal: выполните bash scripts/setup-temporal.sh');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER_PATH } } });
  const mails: Notification[] = [];
  let status: PlanStatus;
  const scratch = await mkdtemp(join(tmpdir(), 'plangraf-simulation-'));
  try {
    const { schedule } = loaded;
    const zone = loaded.plan.timezone;
    const resultOf = new Map(schedule.tasks.map((task) => [task.task, task.result ?? 'выполнено']));
    const clockShiftMs = instantOf(schedule.span.start, '00:00', zone) - (await env.currentTimeMs());
    const input = planInputOf(loaded, { ...(options.year !== undefined ? { year: options.year } : {}), clockShiftMs, indexed: false });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLER_OPTIONS, logger: quietLogger }),
      activities: {
        ...createTaskStarterActivities({ client: env.client, taskQueue: QUEUE }),
        // A simulation has no store: the pages never read it.
        ...({ writePlanStates: async () => undefined } satisfies ReadModelActivities),
        // The documents are made for real, into a register of the simulation's own.
        ...createDocumentActivities({ client: env.client, office: { register: new FileDocumentRegister(scratch), renderer: new DocumentRenderer() } }),
        async sendNotification(notification: Notification) {
          mails.push(notification);
          return { messageId: notification.key, accepted: notification.to.map((recipient) => recipient.email), rejected: [], duplicate: false };
        },
      },
    });
    const serverTimeOf = (date: IsoDate, time: string) => instantOf(date, time, zone) - clockShiftMs;

    status = await worker.runUntil(async () => {
      const plan = await env.client.workflow.start('planWorkflow', { taskQueue: QUEUE, workflowId: planWorkflowId(input.planKey), args: [input] });
      if (options.behaviour !== 'never') {
        // Every working day at midday the executors look at what the running plan gave them that
        // morning, as it really stands: a `within` task's deadline counts from when its
        // prerequisite was really done, which an early prerequisite brings forward.
        const { calendar } = loaded;
        for (let day = calendar.workingDayOnOrAfter(schedule.span.start); day <= schedule.span.end; day = calendar.nextWorkingDay(day)) {
          const at = serverTimeOf(day, COMPLETION_TIME);
          await sleepUntil(env, at);
          options.onProgress?.(day);
          const progress = await plan.query(planProgressQuery, at);
          const due = progress.tasks.filter((task) => reportsOn(options.behaviour, task, day));
          for (const task of due) {
            await env.client.workflow
              .getHandle(taskWorkflowId(input.planKey, task.task))
              .executeUpdate(completeTaskUpdate, { args: [{ result: resultOf.get(task.task)!, by: 'simulation' }] })
              .catch(() => undefined);
          }
        }
      }
      await sleepUntil(env, serverTimeOf(addDays(schedule.span.end, TAIL_DAYS), '23:59'));
      return plan.query(planStatusQuery, serverTimeOf(schedule.span.end, '23:59'));
    });
  } finally {
    await env.teardown();
    await rm(scratch, { recursive: true, force: true });
  }
  const planOrder = new Map(loaded.schedule.tasks.map((task, index) => [task.task, index]));
  return {
    mails: mails
      .flatMap((mail) => mail.to.map((recipient) => ({ date: mail.sendDate, time: mail.sendTime, to: recipient.email, kind: mail.kind, task: mail.kind === 'digest' ? null : mail.task.task })))
      .sort((a, b) => compareMail(a, b, planOrder)),
    status,
  };
}

/** The order in which a day's mail goes out: the workflows race within a slot, so the output is sorted. */
const KIND_ORDER: readonly Notification['kind'][] = ['digest', 'assigned', 'document', 'reminder', 'overdue', 'escalation', 'extension-requested', 'extension-declined', 'extended', 'rescheduled', 'reassigned', 'undeliverable'];

/**
 * Date and time, then the kind of message, then the task in plan order, then the address: the
 * same plan always prints the same preview, so two previews can be compared line by line.
 */
function compareMail(a: SimulatedMail, b: SimulatedMail, planOrder: ReadonlyMap<string, number>): number {
  const taskIndex = (mail: SimulatedMail) => (mail.task === null ? -1 : planOrder.get(mail.task) ?? Number.MAX_SAFE_INTEGER);
  return (
    `${a.date} ${a.time}`.localeCompare(`${b.date} ${b.time}`) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    taskIndex(a) - taskIndex(b) ||
    a.to.localeCompare(b.to)
  );
}

/**
 * Whether a simulated executor reports a task on a working day: an early one on the day it was
 * handed out, an on-due one on its due date (or the day it was handed out, when that is later).
 */
function reportsOn(behaviour: ExecutorBehaviour, task: Pick<TaskProgressEntry, 'state' | 'due'>, day: IsoDate): boolean {
  if (task.state !== TaskState.active && task.state !== TaskState.overdue) return false;
  return behaviour === 'early' || (behaviour === 'on-due' && task.due !== null && task.due <= day);
}

async function sleepUntil(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const wait = instant - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message), log() {} } as never;

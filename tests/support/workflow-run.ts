/**
 * The real workflows on the time-skipping test server, for workflow tests: a worker with a
 * recording mail activity, plans and tasks built the way the plan workflow builds them, and a
 * clock that puts a plan's calendar dates on the server's timeline (the server's clock starts
 * today; each run shifts the workflow clock by `clockShiftMs`, as `simulate` does).
 */
import { CODE_VERSION } from '../../workflows/code-version.ts';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentActivities } from '../../activities/documents.ts';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { FileDocumentRegister } from '../../documents/register.ts';
import { loadPlanFile, type LoadedPlan } from '../../activities/plan-files.ts';
import type { createMailActivities } from '../../activities/mail.ts';
import { createReadModelActivities } from '../../activities/read-model.ts';
import { createTaskStarterActivities } from '../../activities/task-starter.ts';
import type { Store } from '../../store/database.ts';
import type { PlanStateBatch, ReadModelActivities } from '../../workflows/read-model.ts';
import { planInputOf, TaskActionRefused } from '../../client/plan-runs.ts';
import type { IsoDate } from '../../plan/dates.ts';
import { MailFailure, type Notification } from '../../plan/notifications.ts';
import { describeIssues, readPlan } from '../../plan/read-plan.ts';
import { recipientsOf } from '../../plan/recipients.ts';
import { schedulePlan } from '../../plan/schedule.ts';
import { occurrenceIdOf, taskNames } from '../../plan/task-names.ts';
import { readWithin } from '../../plan/within.ts';
import { instantOf } from '../../workflows/clock.ts';
import type { PlanInput } from '../../workflows/plan-workflow.ts';
import type { TaskInput } from '../../workflows/task-workflow.ts';
import { toYaml } from './build-plan.ts';
import { shippedCalendar } from './calendar.ts';
import { timeSkippingEnvironment, workflowBundle } from './temporal.ts';

export const TASK_QUEUE = 'plangraf-workflow-tests';

/** A mail activity that keeps every notification instead of sending it. */
export interface MailRecorder {
  activities: ReturnType<typeof createMailActivities>;
  /** Every notification accepted, in the order the workflows sent them. */
  readonly sent: Notification[];
  /** Notifications refused for good (an address in `rejectAddress`). */
  readonly refused: Notification[];
  /** From now on, a message to this address fails with a non-retryable `MailRecipientRejected`. */
  rejectAddress(email: string): void;
}

export function mailRecorder(): MailRecorder {
  const sent: Notification[] = [];
  const refused: Notification[] = [];
  const rejected = new Set<string>();
  return {
    sent,
    refused,
    rejectAddress: (email) => void rejected.add(email),
    activities: {
      async sendNotification(notification) {
        const bad = notification.to.filter((recipient) => rejected.has(recipient.email)).map((recipient) => recipient.email);
        if (bad.length > 0) {
          refused.push(notification);
          throw ApplicationFailure.create({ type: MailFailure.recipientRejected, nonRetryable: true, message: `550 5.1.1 <${bad.join(', ')}>: Recipient address rejected`, details: [bad] });
        }
        sent.push(notification);
        return { messageId: notification.key, accepted: notification.to.map((recipient) => recipient.email), rejected: [], duplicate: false };
      },
    },
  };
}

/** The read model's writer: into a store when the rig has one, and every batch kept in memory. */
export interface ReadModelRecorder {
  activities: ReadModelActivities;
  readonly batches: PlanStateBatch[];
}

export function readModelRecorder(store?: Store): ReadModelRecorder {
  const batches: PlanStateBatch[] = [];
  const writer = store ? createReadModelActivities({ store }) : null;
  return {
    batches,
    activities: {
      async writePlanStates(batch) {
        await writer?.writePlanStates(batch);
        batches.push(batch);
      },
    },
  };
}

export interface WorkflowRig {
  env: TestWorkflowEnvironment;
  worker: Worker;
  mail: MailRecorder;
  readModel: ReadModelRecorder;
  /** The register of the documents the workflows issue. */
  documentsDir: string;
  /** Shuts the worker down and tears the server down. */
  stop(): Promise<void>;
}

/**
 * A time-skipping server and a worker polling it, for one test file. `maxCachedWorkflows`: a
 * small cache evicts workflows between their wake-ups, so each one is replayed from its history.
 */
export async function startRig({ maxCachedWorkflows, store }: { maxCachedWorkflows?: number; store?: Store } = {}): Promise<WorkflowRig> {
  const env = await timeSkippingEnvironment();
  const mail = mailRecorder();
  const readModel = readModelRecorder(store);
  const documentsDir = await mkdtemp(join(tmpdir(), 'plangraf-rig-documents-'));
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
      activities: {
        ...createTaskStarterActivities({ client: env.client, taskQueue: TASK_QUEUE }),
        ...mail.activities,
        ...readModel.activities,
        ...createDocumentActivities({ client: env.client, office: { register: new FileDocumentRegister(documentsDir), renderer: new DocumentRenderer() } }),
      },
    });
    const running = worker.run();
    // Surfaced by stop(); an unobserved rejection would end the test run.
    running.catch(() => undefined);
    return {
      env,
      worker,
      mail,
      readModel,
      documentsDir,
      async stop() {
        try {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        } finally {
          await env.teardown();
          await rm(documentsDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await env.teardown();
    await rm(documentsDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The plan's wall clock on the server: `clockShiftMs` makes the workflows' «now» the given
 * date and time, and `until` skips the server ahead to a date and time of the plan.
 */
export class PlanClock {
  private constructor(
    private readonly env: TestWorkflowEnvironment,
    readonly timeZone: string,
    readonly clockShiftMs: number,
  ) {}

  /** A clock on which the server's «now» is `date` at `time` in `timeZone`. */
  static async at(env: TestWorkflowEnvironment, date: IsoDate, time: string, timeZone = 'Europe/Moscow'): Promise<PlanClock> {
    return new PlanClock(env, timeZone, instantOf(date, time, timeZone) - (await env.currentTimeMs()));
  }

  /** Skips the server ahead to `time` on `date`; every timer before it has fired and been handled. */
  async until(date: IsoDate, time: string): Promise<void> {
    const wait = instantOf(date, time, this.timeZone) - this.clockShiftMs - (await this.env.currentTimeMs());
    if (wait > 0) await this.env.sleep(wait);
  }

  /** The end of `date`: all of that day's mail has gone out. */
  async throughEndOf(date: IsoDate): Promise<void> {
    await this.until(date, '23:59');
  }
}

/** A plan fixture (data, as a user would write it) read and scheduled on the shipped calendar. */
export async function loadFixturePlan(data: unknown): Promise<LoadedPlan> {
  const reading = readPlan(toYaml(data), 'fixture.yaml');
  if (!reading.ok) throw new Error(`fixture plan is invalid:\n${describeIssues(reading.issues, data).join('\n')}`);
  const calendar = await shippedCalendar();
  return { plan: reading.plan, calendar, schedule: schedulePlan(reading.plan, calendar) };
}

/** A shipped sample plan, e.g. `calendars/ryazan-2020.yaml`. */
export async function loadSamplePlan(path: string): Promise<LoadedPlan> {
  const load = await loadPlanFile(path);
  if (!load.ok) throw new Error(load.lines.join('\n'));
  return load.loaded;
}

/** The plan workflow's input under its own key, on this clock, without search attributes (the test server has none). */
export function planRun(loaded: LoadedPlan, planKey: string, clock: PlanClock): PlanInput {
  return { ...planInputOf(loaded, { clockShiftMs: clock.clockShiftMs, indexed: false }), planKey };
}

/** One task's input as the plan workflow would give it, but run on its own (no plan to report to). */
export function taskRun(loaded: LoadedPlan, planKey: string, taskId: string, clock: PlanClock): TaskInput {
  const { plan, schedule } = loaded;
  const task = schedule.tasks.find((entry) => entry.task === taskId);
  if (!task) throw new Error(`no task ${taskId} in ${schedule.tasks.map((entry) => entry.task).join(', ')}`);
  const item = plan.items.find((entry) => entry.id === task.item)!;
  const within = item.within === undefined ? null : readWithin(item.within);
  return {
    plan: { id: plan.id, key: planKey, title: plan.title ?? plan.id, timezone: plan.timezone },
    planWorkflowId: null,
    task,
    within: within?.ok ? within.within : null,
    recipients: recipientsOf(plan, task),
    reminders: { ...plan.reminders, ...item.reminders },
    calendar: planInputOf(loaded).calendar,
    doneBefore: {},
    clockShiftMs: clock.clockShiftMs,
    indexed: false,
    codeVersion: CODE_VERSION,
    occurrence: taskNames(plan, schedule.tasks).occurrence(occurrenceIdOf(task.task)),
  };
}

/** Task notifications of one plan run (the recorder is shared by the tests of a file). */
export function mailOf(mail: MailRecorder, planKey: string): Notification[] {
  return mail.sent.filter((notification) => notification.plan.key === planKey);
}

/** `date kind task → addresses`: a compact, exact form for comparing mail. */
export function mailLine(notification: Notification): string {
  const about = notification.kind === 'digest' ? notification.weekOf : notification.task.task;
  const cc = notification.cc.length > 0 ? ` cc ${notification.cc.map((recipient) => recipient.email).join(', ')}` : '';
  return `${notification.sendDate} ${notification.sendTime} ${notification.kind} ${about} → ${notification.to.map((recipient) => recipient.email).join(', ')}${cc}`;
}

/** The message a refused task action gives its caller; any other failure as `Name: message`, so a test shows what came instead. */
export async function refusalOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    if (error instanceof TaskActionRefused) return error.message;
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  throw new Error('the workflow accepted what it should have refused');
}

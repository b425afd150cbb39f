/** The bench's workflows: plangraf's own, and baselines to measure them against. */
import * as wf from '@temporalio/workflow';
import type { IsoDate } from '../plan/dates.ts';
import type { DeliveryReport, NotificationKind, Recipient } from '../plan/notifications.ts';
import { instantOf, SEND_TIME } from '../workflows/clock.ts';
import type { CompleteTaskInput, TaskStatus } from '../workflows/messages.ts';
import { taskWorkflow, type TaskInput } from '../workflows/task-workflow.ts';

export { planWorkflow, taskWorkflow } from '../workflows/index.ts';

/** Baseline 1: the floor of starting and finishing a workflow. */
export async function noopWorkflow(): Promise<void> {}

/** The fields of a notification the bench's mail activity reads. */
export interface BenchMail {
  key: string;
  kind: NotificationKind;
  to: Recipient[];
}

const { sendNotification } = wf.proxyLocalActivities<{ sendNotification(mail: BenchMail): Promise<DeliveryReport> }>({
  // The task workflow's options, so that both sides send their mail alike: as local activities.
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
  localRetryThreshold: '1 second',
});

export const skeletonDoneUpdate = wf.defineUpdate<void, [CompleteTaskInput]>('skeletonDone');

/**
 * Baseline 2: the Temporal steps of a task — an assignment mail, a reminder, one update that
 * completes it — with none of plangraf's logic: what is left of the task's cost is its own.
 */
export async function taskSkeletonWorkflow(): Promise<void> {
  const id = wf.workflowInfo().workflowId;
  let done = false;
  wf.setHandler(skeletonDoneUpdate, () => {
    done = true;
  });
  await sendNotification({ key: `${id}:assigned`, kind: 'assigned', to: [] });
  await sendNotification({ key: `${id}:reminder`, kind: 'reminder', to: [] });
  await wf.condition(() => done);
}

/**
 * The task workflow on a clock that stands at 09:00 of `assignOn` during its first activation,
 * until its assignment has gone, and at 09:00 of `remindOn` ever after, so that the assignment mail is due the moment the task
 * starts and its reminder the moment the assignment is sent: start → assignment → reminder →
 * completion with no wait for a slot, only the work itself.
 *
 * A fixed `clockShiftMs` cannot do it. The assignment goes at the first 09:00 slot at or after
 * the task's clock, so it is "now" only when that clock reads exactly 09:00:00.000 — 1 ms later
 * and the slot is the next working day's — and the clock of the first activation is the server's
 * time of the first workflow task, not known when the shift is chosen. A reminder's slot is on a
 * later day than the assignment's by rule (no reminder in the same breath as the assignment), so
 * it needs the clock to move a day while the task waits. Hence the shift is computed here, from
 * the workflow's own clock: `clockShiftMs` is a getter, which the task reads at every step.
 * Deterministic: `Date.now()` and the history length are the activation's, and replay the same.
 * Not an async function: it hands on the task's own promise, and makes none of its own to count against the task.
 */
export function taskOnBenchClockWorkflow(input: TaskInput, assignOn: IsoDate, remindOn: IsoDate): Promise<TaskStatus> {
  const firstActivation = wf.workflowInfo().historyLength;
  const zone = input.plan.timezone;
  const { runId } = wf.workflowInfo();
  const assignAt = instantOf(assignOn, SEND_TIME, zone);
  const remindAt = instantOf(remindOn, SEND_TIME, zone);
  const clocked: TaskInput = Object.defineProperty({ ...input }, 'clockShiftMs', {
    get: () => (wf.workflowInfo().historyLength === firstActivation && !assignmentSent.has(runId) ? assignAt : remindAt) - Date.now(),
  });
  return taskWorkflow(clocked);
}

/**
 * The runs whose assignment has gone. A task sends its letters as local activities: the
 * assignment and the wait for the reminder are decided in one workflow task, so the history's
 * length cannot tell the bench clock that the assignment has gone; the letter itself does.
 */
const assignmentSent = new Set<string>();

export const interceptors: wf.WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      // Not an async function: the bench's own promises would count against the tasks and skeletons that send mail.
      scheduleLocalActivity(input, next) {
        const result = next(input);
        if ((input.args[0] as Partial<BenchMail> | undefined)?.kind !== 'assigned') return result;
        const { runId } = wf.workflowInfo();
        return result.then((delivered) => {
          assignmentSent.add(runId);
          return delivered;
        });
      },
    },
  ],
});

/** Baseline 3: a workflow that only waits, as a task waits for its day: what any cached workflow costs. */
export async function idleWorkflow(): Promise<void> {
  await wf.condition(() => false);
}

const { startNoopWorkflows } = wf.proxyActivities<{ startNoopWorkflows(workflowIds: string[]): Promise<void> }>({
  // The plan's starter options.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Baseline 4: `count` no-op workflows started from one workflow as a plan starts its tasks:
 * batches of 100 through an activity, 4 batches at a time.
 */
export async function noopStarterWorkflow(prefix: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let from = 0; from < count; from += 400) {
    const group = ids.slice(from, from + 400);
    await Promise.all([0, 1, 2, 3].map((lane) => group.slice(lane * 100, (lane + 1) * 100)).filter((batch) => batch.length > 0).map((batch) => startNoopWorkflows(batch)));
  }
}

/**
 * The real workflows on the time-skipping server with the real mail activity: every letter is
 * rendered and sent through nodemailer to the mail catcher, a real SMTP server on 127.0.0.1, and
 * the notifications the workflows decided on are kept too, to compare with what arrived. The
 * executors' one-click links are stand-ins that name the task and the executor.
 */
import { Worker } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailCatcher, type MailCatcher } from '../../activities/mail-catcher.ts';
import { createMailActivities, createMemorySentLog, createSmtpTransport, type ActionLinks } from '../../activities/mail.ts';
import { createTaskStarterActivities } from '../../activities/task-starter.ts';
import type { Notification } from '../../plan/notifications.ts';
import type { WorkflowRig } from './workflow-run.ts';
import { readModelRecorder, TASK_QUEUE } from './workflow-run.ts';
import { timeSkippingEnvironment, workflowBundle } from './temporal.ts';

export { TASK_QUEUE };

/** Stand-in links, as web/links.ts gives them for the letters that carry links: one per task and executor. */
export const testActionLinks: ActionLinks = (n) => {
  if (n.kind !== 'assigned' && n.kind !== 'reminder' && n.kind !== 'overdue') return null;
  const executor = n.to[0];
  if (!executor) return null;
  const base = `https://plangraf.test/act/${encodeURIComponent(n.plan.key)}/${encodeURIComponent(n.task.task)}/${encodeURIComponent(executor.id)}`;
  return { complete: `${base}/complete`, extend: `${base}/extend` };
};

export interface SmtpWorkflowRig extends Pick<WorkflowRig, 'env' | 'stop'> {
  catcher: MailCatcher;
  /** Every notification the workflows had sent, in order. */
  readonly sent: Notification[];
}

export async function startSmtpRig(): Promise<SmtpWorkflowRig> {
  const env = await timeSkippingEnvironment();
  const scratch = await mkdtemp(join(tmpdir(), 'plangraf-smtp-rig-'));
  const catcher = await startMailCatcher({ port: 0, dir: join(scratch, 'caught') });
  const { transport, from } = createSmtpTransport({ SMTP_URL: catcher.url });
  const mail = createMailActivities({ transport, from, sentLog: createMemorySentLog(), actionLinks: testActionLinks });
  const sent: Notification[] = [];
  const undo = async () => {
    transport.close();
    await catcher.stop();
    await env.teardown();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: {
        ...createTaskStarterActivities({ client: env.client, taskQueue: TASK_QUEUE }),
        ...readModelRecorder().activities,
        async sendNotification(notification: Notification) {
          const report = await mail.sendNotification(notification);
          if (!report.duplicate) sent.push(notification);
          return report;
        },
      },
    });
    const running = worker.run();
    running.catch(() => undefined);
    return {
      env,
      catcher,
      sent,
      async stop() {
        try {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        } finally {
          await undo();
        }
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

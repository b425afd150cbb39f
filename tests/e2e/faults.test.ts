/**
 * A plan surviving the faults of a real deployment: a worker process killed with SIGKILL, and
 * an SMTP server that is down when the 09:00 slot comes. Real parts throughout: the Temporal
 * CLI dev server, the real worker (worker.ts) with nodemailer and its sent log in the store (a real
 * PostgreSQL), and the
 * mail catcher, a real SMTP server on 127.0.0.1. Whatever happens, every message the plan owes
 * arrives, and arrives once: the tests count by Message-ID.
 *
 * Each test has its own task queue, worker, catcher and plan, so nothing leaks between them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../activities/mail-catcher.ts';
import { messageIdFor } from '../../activities/mail.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { planInputOf, startPlan } from '../../client/plan-runs.ts';
import { taskWorkflowId } from '../../workflows/messages.ts';
import { countByMessageId, pause, planMail, waitForPlanMail } from '../support/e2e-mail.ts';
import { e2ePlan, realInstantOfSlot, shiftToSlot, SLOT_DAY, TASKS_STARTING_ON_SLOT_DAY, writeAndLoadPlan } from '../support/e2e-plan.ts';
import { spawnWorkerProcess, startWorker } from '../support/e2e-worker.ts';
import { testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

// Before anything touches the Temporal runtime: the failed sends below would otherwise log a warning each.
installQuietRuntime('ERROR');

const TEST_TIMEOUT = 120_000;
/** The workflows' 09:00 on 2 March 2020, as the Date header of every assignment says it. */
const SLOT_DATE_HEADER = '2020-03-02T06:00:00.000Z';

let env: TestWorkflowEnvironment;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-faults-'));
  env = await devServerEnvironment();
}, 60_000);

afterAll(async () => {
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

/** A catcher that is stopped when the test ends, whatever happened. */
async function catcherFor(name: string, port = 0): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ port, dir: join(scratch, name) });
  onTestFinished(() => catcher.stop());
  return catcher;
}

/** The Message-IDs of the assignments of `planKey`'s tasks that start on 2 March 2020, as the keys make them. */
function expectedAssignments(planKey: string): Record<string, number> {
  const executors: Record<string, string> = { '1': 'riro', '2@sch-01': 'director:sch-01', '2@sch-02': 'director:sch-02' };
  return Object.fromEntries(TASKS_STARTING_ON_SLOT_DAY.map((task) => [messageIdFor(`${taskWorkflowId(planKey, task)}:assigned:${executors[task]}`), 1]));
}

describe('a plan through the faults of a real deployment', () => {
  it(
    'sends every assignment exactly once when the worker process is killed (SIGKILL) while the plan waits for 09:00, and a new worker takes over',
    async () => {
      const taskQueue = 'plangraf-e2e-faults-kill';
      const catcher = await catcherFor('kill-caught');
      // The successor shares the store with the worker it replaces, as two hosts of one deployment do.
      const options = { address: env.address, taskQueue, databaseUrl: await testDatabaseUrl(), varDir: join(scratch, 'kill-var'), smtpUrl: catcher.url };
      const doomed = await spawnWorkerProcess(options);
      onTestFinished(() => doomed.kill());

      const { loaded } = await writeAndLoadPlan(scratch, e2ePlan('ft-kill'));
      const clockShiftMs = shiftToSlot(SLOT_DAY, 15);
      const slotAt = realInstantOfSlot(SLOT_DAY, clockShiftMs);
      expect(await startPlan(env.client, planInputOf(loaded, { clockShiftMs }), taskQueue)).toEqual({ started: true, workflowId: 'plan:ft-kill' });

      // Mid-plan: the task workflows are started and each waits on its timer for the slot.
      await vi.waitFor(
        async () => {
          for (const task of TASKS_STARTING_ON_SLOT_DAY) {
            const { events } = await env.client.workflow.getHandle(taskWorkflowId('ft-kill', task)).fetchHistory();
            if (!events?.some((event) => event.timerStartedEventAttributes)) throw new Error(`task ${task} has no timer yet`);
          }
        },
        { timeout: 10_000, interval: 200 },
      );
      await doomed.kill();
      expect(Date.now(), 'the worker must die before the slot').toBeLessThan(slotAt);

      // The slot passes with no worker: nothing can be sent.
      await pause(slotAt - Date.now() + 3_000);
      expect(await planMail([catcher], 'ft-kill')).toEqual([]);

      const successor = await startWorker(options);
      onTestFinished(() => successor.stop());
      const mails = await waitForPlanMail([catcher], 'ft-kill', TASKS_STARTING_ON_SLOT_DAY.length, 60_000);
      // Time for a duplicate to show up, were one coming.
      await pause(3_000);

      expect(countByMessageId(await planMail([catcher], 'ft-kill'))).toEqual(expectedAssignments('ft-kill'));
      expect(mails.map((mail) => ({ task: mail.task, kind: mail.kind, date: mail.date })).sort((a, b) => a.task.localeCompare(b.task))).toEqual(
        TASKS_STARTING_ON_SLOT_DAY.map((task) => ({ task, kind: 'assigned', date: SLOT_DATE_HEADER })),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'sends every assignment exactly once when the SMTP server is down at 09:00 and comes back on the same port: the sends fail, retry, and get through',
    async () => {
      const taskQueue = 'plangraf-e2e-faults-smtp';
      const before = await catcherFor('smtp-caught-before');
      const worker = await startWorker({ address: env.address, taskQueue, databaseUrl: await testDatabaseUrl(), varDir: join(scratch, 'smtp-var'), smtpUrl: before.url });
      onTestFinished(() => worker.stop());
      await before.stop();

      const { loaded } = await writeAndLoadPlan(scratch, e2ePlan('ft-smtp'));
      const clockShiftMs = shiftToSlot(SLOT_DAY, 10);
      const slotAt = realInstantOfSlot(SLOT_DAY, clockShiftMs);
      await startPlan(env.client, planInputOf(loaded, { clockShiftMs }), taskQueue);

      // At the slot every send fails on the dead server, and Temporal holds it for a retry: a
      // task's letter is a local activity, whose failed try is a marker in the task's history
      // with the failure and the wait before the next try (a timer beside it).
      const failures = await vi.waitFor(
        async () =>
          Promise.all(
            TASKS_STARTING_ON_SLOT_DAY.map(async (task) => {
              const { events } = await env.client.workflow.getHandle(taskWorkflowId('ft-smtp', task)).fetchHistory();
              const marker = events?.find((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity' && event.markerRecordedEventAttributes.failure)?.markerRecordedEventAttributes;
              if (!marker) throw new Error(`task ${task}: no failed send yet`);
              const tried = JSON.parse(Buffer.from(marker.details!.data!.payloads![0]!.data!).toString()) as { attempt: number; backoff: { seconds?: string | number } | null };
              return { attempt: tried.attempt, backoff: Number(tried.backoff?.seconds ?? 0), message: marker.failure!.message ?? '' };
            }),
          ),
        { timeout: 25_000, interval: 250 },
      );
      for (const failure of failures) {
        expect(failure.attempt).toBe(1);
        expect(failure.backoff).toBe(30);
        expect(failure.message).toMatch(/^не удалось отправить письмо «Поручение: .+ \(срок \d\d\.\d\d\.\d{4}\)» \(временная ошибка, возможна повторная попытка\): (ECONNECTION|ESOCKET)/);
      }
      expect(await planMail([before], 'ft-smtp')).toEqual([]);

      // The server comes back a quarter of a minute after the slot, before the first retry (30 s).
      await pause(slotAt + 15_000 - Date.now());
      const after = await catcherFor('smtp-caught-after', before.port);
      const mails = await waitForPlanMail([before, after], 'ft-smtp', TASKS_STARTING_ON_SLOT_DAY.length, 75_000);
      await pause(3_000);

      expect(countByMessageId(await planMail([before, after], 'ft-smtp'))).toEqual(expectedAssignments('ft-smtp'));
      // Sent late, but dated at the slot the workflow decided on.
      expect(mails.map((mail) => ({ task: mail.task, kind: mail.kind, date: mail.date })).sort((a, b) => a.task.localeCompare(b.task))).toEqual(
        TASKS_STARTING_ON_SLOT_DAY.map((task) => ({ task, kind: 'assigned', date: SLOT_DATE_HEADER })),
      );
    },
    TEST_TIMEOUT,
  );
});

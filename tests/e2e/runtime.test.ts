/**
 * A plan running for real: the Temporal CLI dev server, the real worker (worker.ts) with its
 * task starter and nodemailer, and a real SMTP server (the mail catcher on 127.0.0.1).
 *
 * Mail goes out only at 09:00 Moscow time on working days, so each test starts its plan with
 * `clockShiftMs` set to make the workflows' now a few seconds before 09:00 on Monday
 * 2 March 2020; the 09:00 slot then comes in real time. Each test runs its own plan, whose
 * addresses carry the plan id, so no test reads another's mail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../activities/mail-catcher.ts';
import { messageIdFor } from '../../activities/mail.ts';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { completeTask, planInputOf, planStatus, startPlan, taskStatus, type StartOutcome } from '../../client/plan-runs.ts';
import { taskWorkflowId, type TaskStatus } from '../../workflows/messages.ts';
import { DueAttribute, ExecutorAttribute, PlanAttribute, StatusAttribute } from '../../workflows/search-attributes.ts';
import { attachmentText, countByMessageId, headerOf, pause, planMail, waitForPlanMail } from '../support/e2e-mail.ts';
import { addressOf, E2E_ITEMS, e2ePlan, realInstantOfSlot, shiftToSlot, SLOT_DAY, TASKS_STARTING_ON_SLOT_DAY, writeAndLoadPlan } from '../support/e2e-plan.ts';
import { docxText } from '../support/docx-text.ts';
import { startWorker, type TestWorker } from '../support/e2e-worker.ts';
import { testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

// Before anything touches the Temporal runtime. Warnings stay: nothing here should fail, and a
// failing workflow task is only a warning ("Failing workflow task"), otherwise seen only as missing mail.
installQuietRuntime('WARN');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TASK_QUEUE = 'plangraf-e2e-runtime';
const TEST_TIMEOUT = 120_000;
/** Seconds of the workflows' clock before the 09:00 slot when a plan starts: time for its workflows to start. */
const LEAD_SECONDS = 10;
/** Real time from the slot to the last message of a plan: the SMTP round trips, with room for a slow machine. */
const MAIL_WAIT_MS = LEAD_SECONDS * 1000 + 20_000;

let env: TestWorkflowEnvironment;
let catcher: MailCatcher;
let worker: TestWorker;
let scratch: string;
/** The store the worker and the command line share. */
let databaseUrl: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-runtime-'));
  env = await devServerEnvironment();
  catcher = await startMailCatcher({ port: 0, dir: join(scratch, 'caught') });
  databaseUrl = await testDatabaseUrl();
  worker = await startWorker({ address: env.address, taskQueue: TASK_QUEUE, databaseUrl, varDir: join(scratch, 'var'), smtpUrl: catcher.url });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await catcher?.stop();
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

interface PlanRun {
  key: string;
  file: string;
  loaded: LoadedPlan;
  outcome: StartOutcome;
  /** The real instant at which the workflows' clock reads 09:00 on 2 March 2020. */
  slotAt: number;
}

/** Starts the plan `id` so that the workflows' now is `secondsBefore` seconds before 09:00 on 2 March 2020. */
async function startBeforeSlot(id: string, secondsBefore = LEAD_SECONDS, plan = e2ePlan(id)): Promise<PlanRun> {
  const { file, loaded } = await writeAndLoadPlan(scratch, plan);
  const clockShiftMs = shiftToSlot(SLOT_DAY, secondsBefore);
  const outcome = await startPlan(env.client, planInputOf(loaded, { clockShiftMs }), TASK_QUEUE);
  return { key: id, file, loaded, outcome, slotAt: realInstantOfSlot(SLOT_DAY, clockShiftMs) };
}

const byTask = (a: CaughtMail, b: CaughtMail) => a.task.localeCompare(b.task);

describe('a plan on the dev server with the real worker and a real SMTP server', () => {
  it(
    'e-mails each task starting on Monday 2 March 2020 at 09:00: To the executor, Cc the co-executors, a Russian subject, the deadline as .ics, a Message-ID from the key',
    async () => {
      const run = await startBeforeSlot('rt-assign');
      expect(run.outcome).toEqual({ started: true, workflowId: 'plan:rt-assign' });

      const mails = (await waitForPlanMail([catcher], run.key, TASKS_STARTING_ON_SLOT_DAY.length, MAIL_WAIT_MS)).sort(byTask);
      // Within seconds of the slot: the workflows waited for 09:00, not for anything else.
      expect(Date.now() - run.slotAt).toBeLessThan(15_000);

      const director = (school: string) => addressOf('rt-assign', `director-${school}`);
      expect(mails.map(({ task, to, cc, kind, date, attachments }) => ({ task, to, cc, kind, date, attachments }))).toEqual([
        { task: '1', to: [addressOf('rt-assign', 'riro')], cc: [addressOf('rt-assign', 'coordinator')], kind: 'assigned', date: '2020-03-02T06:00:00.000Z', attachments: [{ filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
        { task: '2@sch-01', to: [director('sch-01')], cc: [addressOf('rt-assign', 'riro')], kind: 'assigned', date: '2020-03-02T06:00:00.000Z', attachments: [{ filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
        { task: '2@sch-02', to: [director('sch-02')], cc: [addressOf('rt-assign', 'riro')], kind: 'assigned', date: '2020-03-02T06:00:00.000Z', attachments: [{ filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
      ]);
      expect(mails.map((mail) => mail.subject)).toEqual([
        'Поручение: Разработка программы повышения качества образования (срок 31.03.2020)',
        'Поручение: Заключение договоров о сотрудничестве со школами-партнёрами — МОУ «Ерахтурская средняя школа» (срок 31.03.2020)',
        'Поручение: Заключение договоров о сотрудничестве со школами-партнёрами — МОУ «Лесновская средняя школа» (срок 31.03.2020)',
      ]);
      expect(mails[0]!.text).toContain('Вам поручено мероприятие «Разработка программы повышения качества образования».');
      expect(mails[1]!.text).toContain('Вам поручено мероприятие «Заключение договоров о сотрудничестве со школами-партнёрами» (МОУ «Ерахтурская средняя школа»).');

      // The Message-ID is a function of the notification key alone, so a resend is the same message.
      const keys = await Promise.all(mails.map((mail) => headerOf(mail, 'X-Plangraf-Key')));
      expect(keys).toEqual(['task:rt-assign:1:assigned:riro', 'task:rt-assign:2@sch-01:assigned:director:sch-01', 'task:rt-assign:2@sch-02:assigned:director:sch-02']);
      expect(mails.map((mail) => mail.messageId)).toEqual(keys.map(messageIdFor));

      const ics = (await attachmentText(mails[0]!, 'Срок исполнения 31.03.2020.ics')).replace(/\r\n[ \t]/g, '');
      expect(ics).toContain('\r\nUID:task-rt-assign-1@plangraf\r\n');
      expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20200331\r\n');

      // Item 3 starts in April: no mail, and the plan knows the others are under way.
      await pause(1_000);
      expect(await planMail([catcher], run.key)).toHaveLength(3);
      const status = await vi.waitFor(
        async () => {
          const current = await planStatus(env.client, run.key);
          if (current.tasks.some((task) => task.task !== '3' && task.state !== 'active')) throw new Error('the plan has not heard of every assignment yet');
          return current;
        },
        { timeout: 10_000, interval: 200 },
      );
      expect(status.tasks.map(({ task, state }) => ({ task, state }))).toEqual([
        { task: '1', state: 'active' },
        { task: '2@sch-01', state: 'active' },
        { task: '2@sch-02', state: 'active' },
        { task: '3', state: 'planned' },
      ]);
      const history = (await taskStatus(env.client, run.key, '1')).history;
      expect(history.map(({ date, time, kind, to }) => ({ date, time, kind, to }))).toEqual([
        { date: '2020-03-02', time: '09:00', kind: 'assigned', to: [addressOf('rt-assign', 'riro'), addressOf('rt-assign', 'coordinator')] },
        { date: '2020-03-02', time: '09:00', kind: 'started', to: undefined },
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    'sends each school\'s contract with its assignment, numbered and registered, and to the partner\'s director with the school\'s director in copy',
    async () => {
      const id = 'rt-docs';
      const items = E2E_ITEMS.map((item) => (item.id === '2' ? { ...item, documents: ['договоры'] } : item));
      const run = await startBeforeSlot(id, LEAD_SECONDS, { ...e2ePlan(id, items), paperwork: { place: 'г. Рязань' } });
      const mails = (await waitForPlanMail([catcher], run.key, TASKS_STARTING_ON_SLOT_DAY.length + 2, MAIL_WAIT_MS)).sort((a, b) => a.task.localeCompare(b.task) || a.kind.localeCompare(b.kind));
      const director = (school: string) => addressOf(id, `director-${school}`);
      const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
      // The two schools' tasks issue their contracts at the same moment: which gets 001 is a race.
      const contractOf = (task: string) => mails.find((mail) => mail.task === task && mail.kind === 'assigned')!.attachments.find((attachment) => attachment.contentType === docxType)!.filename;
      const numbers = ['2@sch-01', '2@sch-02'].map((task) => /ДС-2020 (\d{3})/.exec(contractOf(task))?.[1]);
      expect([...numbers].sort()).toEqual(['001', '002']);
      const contract01 = `Договор ДС-2020 ${numbers[0]} МОУ Ерахтурская средняя школа.docx`;
      const contract02 = `Договор ДС-2020 ${numbers[1]} МОУ Лесновская средняя школа.docx`;
      expect(mails.map(({ task, kind, to, cc, attachments }) => ({ task, kind, to, cc, attachments }))).toEqual([
        { task: '1', kind: 'assigned', to: [addressOf(id, 'riro')], cc: [addressOf(id, 'coordinator')], attachments: [{ filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
        { task: '2@sch-01', kind: 'assigned', to: [director('sch-01')], cc: [addressOf(id, 'riro')], attachments: [{ filename: contract01, contentType: docxType }, { filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
        { task: '2@sch-01', kind: 'document', to: [director('sch-11')], cc: [director('sch-01')], attachments: [{ filename: contract01, contentType: docxType }] },
        { task: '2@sch-02', kind: 'assigned', to: [director('sch-02')], cc: [addressOf(id, 'riro')], attachments: [{ filename: contract02, contentType: docxType }, { filename: 'Срок исполнения 31.03.2020.ics', contentType: 'text/calendar' }] },
        { task: '2@sch-02', kind: 'document', to: [director('sch-11')], cc: [director('sch-02')], attachments: [{ filename: contract02, contentType: docxType }] },
      ]);
      expect(mails[2]!.subject).toBe(`Договор о сотрудничестве (сетевом партнёрстве) № ДС-2020/${numbers[0]} от 02.03.2020`);
      const parsed = await simpleParser(await readFile(mails[1]!.file));
      const contract = docxText(parsed.attachments.find((attachment) => attachment.filename?.endsWith('.docx'))!.content);
      expect(contract).toContain(`ДОГОВОР № ДС-2020/${numbers[0]}`);
      expect(contract).toContain('МОУ «Ерахтурская средняя школа», именуемое в дальнейшем «Школа-участник», в лице директора Сидорова Петра Петровича, действующего на основании Устава');
      expect(contract).toContain('МБОУ «Шиловская средняя школа № 1», именуемое в дальнейшем «Школа-партнёр», в лице директора Орлова Максима Андреевича');
      const history = (await taskStatus(env.client, run.key, '2@sch-01')).history;
      expect(history.find((entry) => entry.kind === 'documents')?.detail).toBe(`Договор о сотрудничестве (сетевом партнёрстве) № ДС-2020/${numbers[0]}`);

      // The execution report from the running plan, as the office asks for it on the command line.
      const report = await plangraf(['report', run.file, '-o', join(scratch, 'rt-docs-report.docx'), '--date', '2020-03-02'], { TEMPORAL_ADDRESS: env.address, DATABASE_URL: databaseUrl, PLANGRAF_VAR: join(scratch, 'cli-var'), PLANGRAF_DOCUMENTS: join(scratch, 'cli-var', 'documents') });
      expect(report.stderr).not.toMatch(/^\s{4}at |внутренняя ошибка/m);
      expect(report.stdout).toContain('Отчёт о выполнении плана-графика, № ОИ-2020/001 от 02.03.2020');
      const text = docxText(await readFile(join(scratch, 'rt-docs-report.docx')));
      expect(text).toContain('Заключение договоров о сотрудничестве со школами-партнёрами');
      expect(text).toMatch(/в работе/);
    },
    TEST_TIMEOUT,
  );

  it(
    'starts a plan once: two starts at the same time and a third after the mail start nothing new, and each message arrives once',
    async () => {
      const { loaded } = await writeAndLoadPlan(scratch, e2ePlan('rt-twice'));
      const input = planInputOf(loaded, { clockShiftMs: shiftToSlot(SLOT_DAY, LEAD_SECONDS) });
      const outcomes = await Promise.all([startPlan(env.client, input, TASK_QUEUE), startPlan(env.client, input, TASK_QUEUE)]);
      expect(outcomes.map((outcome) => outcome.started).sort()).toEqual([false, true]);
      expect(outcomes.map((outcome) => outcome.workflowId)).toEqual(['plan:rt-twice', 'plan:rt-twice']);

      await waitForPlanMail([catcher], 'rt-twice', TASKS_STARTING_ON_SLOT_DAY.length, MAIL_WAIT_MS);
      // Again, with a clock that is once more before the slot: were anything restarted, it would mail again.
      expect(await startPlan(env.client, planInputOf(loaded, { clockShiftMs: shiftToSlot(SLOT_DAY, 2) }), TASK_QUEUE)).toEqual({ started: false, workflowId: 'plan:rt-twice' });
      await pause(5_000);

      const mails = await planMail([catcher], 'rt-twice');
      expect(Object.values(countByMessageId(mails))).toEqual([1, 1, 1]);
      expect(mails.map((mail) => mail.task).sort()).toEqual(TASKS_STARTING_ON_SLOT_DAY);
      const executions: string[] = [];
      for await (const execution of env.client.workflow.list({ query: 'WorkflowId = "plan:rt-twice" OR WorkflowId STARTS_WITH "task:rt-twice:"' })) executions.push(execution.workflowId);
      expect(executions.sort()).toEqual(['plan:rt-twice', 'task:rt-twice:1', 'task:rt-twice:2@sch-01', 'task:rt-twice:2@sch-02', 'task:rt-twice:3']);
      expect((await planStatus(env.client, 'rt-twice')).started).toBe(4);
    },
    TEST_TIMEOUT,
  );

  it(
    'completes tasks through the completeTask update: the plan status shows them done with their result, their workflows end, and no more mail comes for them',
    async () => {
      const run = await startBeforeSlot('rt-complete', 15);

      // 2@sch-02 is reported done before its 09:00 slot: it must never be mailed.
      const early = await vi.waitFor(() => completeTask(env.client, run.key, '2@sch-02', { result: 'Договор № 12 подписан', by: 'office' }), { timeout: 10_000, interval: 200 });
      expect(Date.now()).toBeLessThan(run.slotAt);
      expect(early).toMatchObject({ task: '2@sch-02', state: 'done', result: 'Договор № 12 подписан', doneOn: SLOT_DAY, daysLate: 0 });

      const assigned = await waitForPlanMail([catcher], run.key, 2, MAIL_WAIT_MS);
      expect(assigned.map((mail) => mail.task).sort()).toEqual(['1', '2@sch-01']);
      // The server has the letter a moment before the mail activity has recorded it (in the store's
      // sent log) and the workflow has heard back: the executor reports on a task that has started.
      await vi.waitFor(
        async () => {
          if (!(await taskStatus(env.client, run.key, '1')).history.some((entry) => entry.kind === 'started')) throw new Error('task 1 has not heard back from its letter yet');
        },
        { timeout: 10_000, interval: 100 },
      );

      const done = await completeTask(env.client, run.key, '1', { result: 'Программа утверждена', comment: 'приказ № 15 от 02.03.2020', by: 'riro' });
      expect(done).toMatchObject({ task: '1', state: 'done', result: 'Программа утверждена', comment: 'приказ № 15 от 02.03.2020', doneOn: SLOT_DAY });
      expect(done.history.map((entry) => entry.kind)).toEqual(['assigned', 'started', 'completed']);

      const status = await vi.waitFor(
        async () => {
          const current = await planStatus(env.client, run.key);
          if (current.tasks.filter((task) => task.state === 'done').length < 2) throw new Error('the plan has not heard of both completions yet');
          return current;
        },
        { timeout: 10_000, interval: 200 },
      );
      expect(status.tasks.map(({ task, state, result, doneOn }) => ({ task, state, result, doneOn }))).toEqual([
        { task: '1', state: 'done', result: 'Программа утверждена', doneOn: SLOT_DAY },
        { task: '2@sch-01', state: 'active', result: null, doneOn: null },
        { task: '2@sch-02', state: 'done', result: 'Договор № 12 подписан', doneOn: SLOT_DAY },
        { task: '3', state: 'planned', result: null, doneOn: null },
      ]);

      // A finished workflow has no timer left to send anything.
      for (const task of ['1', '2@sch-02']) {
        const ended: TaskStatus = await env.client.workflow.getHandle(taskWorkflowId(run.key, task)).result();
        expect(ended.state).toBe('done');
      }
      await pause(2_000);
      const mails = await planMail([catcher], run.key);
      expect(mails.map(({ task, kind }) => ({ task, kind })).sort((a, b) => a.task.localeCompare(b.task))).toEqual([
        { task: '1', kind: 'assigned' },
        { task: '2@sch-01', kind: 'assigned' },
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    'indexes the plan and its tasks by the custom search attributes, so a visibility query on PlangrafPlan finds the task workflows',
    async () => {
      // Noon: past the day's slot, so this plan sends nothing today.
      const run = await startBeforeSlot('rt-index', -3 * 3600);
      expect(run.outcome.started).toBe(true);

      const list = async (query: string) => {
        const found: { id: string; executor: string | undefined; status: string | undefined; due: Date | undefined; plan: string | undefined }[] = [];
        for await (const execution of env.client.workflow.list({ query })) {
          const attributes = execution.typedSearchAttributes;
          found.push({ id: execution.workflowId, plan: attributes.get(PlanAttribute), executor: attributes.get(ExecutorAttribute), status: attributes.get(StatusAttribute), due: attributes.get(DueAttribute) });
        }
        return found.sort((a, b) => a.id.localeCompare(b.id));
      };
      // Visibility trails the writes by a moment.
      const indexed = await vi.waitFor(
        async () => {
          const found = await list('PlangrafPlan = "rt-index"');
          if (found.length < 5) throw new Error(`${found.length} of 5 workflows indexed so far`);
          return found;
        },
        { timeout: 15_000, interval: 300 },
      );
      expect(indexed.map((entry) => entry.id)).toEqual(['plan:rt-index', 'task:rt-index:1', 'task:rt-index:2@sch-01', 'task:rt-index:2@sch-02', 'task:rt-index:3']);
      expect(indexed.every((entry) => entry.plan === 'rt-index')).toBe(true);
      expect(indexed.slice(1).map(({ executor, status, due }) => ({ executor, status, due: due?.toISOString() }))).toEqual([
        { executor: 'riro', status: 'planned', due: '2020-03-30T21:00:00.000Z' },
        { executor: 'director:sch-01', status: 'planned', due: '2020-03-30T21:00:00.000Z' },
        { executor: 'director:sch-02', status: 'planned', due: '2020-03-30T21:00:00.000Z' },
        { executor: 'riro', status: 'planned', due: '2020-04-29T21:00:00.000Z' },
      ]);
      expect((await list('PlangrafPlan = "rt-index" AND PlangrafExecutor = "riro"')).map((entry) => entry.id)).toEqual(['task:rt-index:1', 'task:rt-index:3']);
      expect(await list('PlangrafPlan = "rt-no-such-plan"')).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the running plan in `plangraf status`: a Russian table of the tasks, their states and results',
    async () => {
      const run = await startBeforeSlot('rt-cli');
      await waitForPlanMail([catcher], run.key, TASKS_STARTING_ON_SLOT_DAY.length, MAIL_WAIT_MS);
      await completeTask(env.client, run.key, '2@sch-01', { result: 'Договор № 7 подписан' });
      await vi.waitFor(
        async () => {
          const states = (await planStatus(env.client, run.key)).tasks.map((task) => task.state);
          if (states.join() !== 'active,done,active,planned') throw new Error(`the plan's states are ${states.join()} so far`);
        },
        { timeout: 10_000, interval: 200 },
      );

      const { code, stdout, stderr } = await plangraf(['status', run.file], { TEMPORAL_ADDRESS: env.address });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe('Тестовый план-график');
      /**
       * The first line of the table row of `task`: the cells are top-aligned, so it holds the
       * state; the executor cell wraps, so it keeps only the first words of a school's name.
       */
      const row = (task: string) => {
        const found = lines.find((line) => line.startsWith(`│ ${task} `));
        if (!found) throw new Error(`no row for task ${task} in:\n${stdout}`);
        const [id, executor, due, state, late, result] = found.split('│').map((cell) => cell.trim()).slice(1, -1);
        return { id, executor, due, state, late, result };
      };
      expect(row('1')).toEqual({ id: '1', executor: 'Петров И.С.', due: '31.03.2020', state: 'в работе', late: '', result: '' });
      expect(row('2@sch-01')).toEqual({ id: '2@sch-01', executor: expect.stringMatching(/^Сидоров П\.П\., МОУ «Ерахтурская/), due: '31.03.2020', state: 'выполнена', late: '', result: 'Договор № 7 подписан' });
      expect(row('2@sch-02')).toEqual({ id: '2@sch-02', executor: expect.stringMatching(/^Кузнецова А\.В\., МОУ «Лесновская/), due: '31.03.2020', state: 'в работе', late: '', result: '' });
      expect(row('3')).toEqual({ id: '3', executor: 'Петров И.С.', due: '30.04.2020', state: 'запланирована', late: '', result: '' });
      expect(lines.at(-2)).toBe('Выполнено 1 из 4; просрочено 0.');
    },
    TEST_TIMEOUT,
  );
});

/** Runs `plangraf …` as a user does, from the repository root. */
function plangraf(args: string[], extraEnv: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, NO_COLOR: '1', ...extraEnv } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/**
 * The main job as a newcomer runs it (`plangraf up`, what `npm start` runs), on a checkout that
 * an older plangraf used: its var/ files are brought into the embedded PostgreSQL once, and
 * what the job leaves on disk is its owner's alone. Real parts: the Temporal dev server, the
 * embedded PostgreSQL, the worker with its mail catcher, and the pages over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { FileDocumentRegister } from '../../documents/register.ts';
import { planStatusQuery, planWorkflowId, TaskState } from '../../workflows/messages.ts';
import { listening } from '../../store/embedded.ts';
import { hashPassword } from '../../web/auth.ts';
import { csrfOf, freePort, Visitor } from '../support/cluster.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OLD_PASSWORD = 'старый-пароль-офиса';

let scratch: string;
let varDir: string;
let job: ChildProcess;
let output = '';
let ports: { temporal: number; ui: number; mail: number; web: number; postgres: number };
let web: string;

/** What an older plangraf left in var/: a register with one order, a sent log, the users, a used link, the secret. */
async function seedOldCheckout(dir: string): Promise<void> {
  const register = new FileDocumentRegister(join(dir, 'documents'));
  await register.issue([{ key: 'old-plan:order', template: 'order', year: 2025, date: '2025-02-03', plan: 'old-plan', numbering: '{n}-П', input: {} }], async () => ({ content: Buffer.from('старый приказ'), fileName: 'Приказ 7-П.docx' }));
  await mkdir(join(dir, 'mail'), { recursive: true });
  await writeFile(join(dir, 'mail', 'sent.jsonl'), `${JSON.stringify({ key: 'old-plan:1:assigned:riro', messageId: '<old@plangraf>', accepted: ['riro@example.org'], rejected: [], sentAt: '2025-02-03T06:00:00.000Z' })}\n`);
  await writeFile(join(dir, 'office-users.yaml'), `users:\n  - login: office\n    name: Проектный офис\n    passwordHash: ${await hashPassword(OLD_PASSWORD)}\n`);
  await writeFile(join(dir, 'office-password.txt'), `${OLD_PASSWORD}\n`);
  await mkdir(join(dir, 'links'), { recursive: true });
  await writeFile(join(dir, 'links', 'used.jsonl'), `${JSON.stringify({ id: 'a'.repeat(32), at: '2025-02-04T10:00:00.000Z' })}\n`);
  await writeFile(join(dir, 'secret.key'), `${'ab'.repeat(32)}\n`);
}

/** A POST from another address of the loopback (127.0.0.2), as a stranger's computer. */
function postFrom(localAddress: string, url: string, form: Record<string, string>, cookie: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = request(url, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Cookie: cookie } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-up-'));
  varDir = join(scratch, 'var');
  await seedOldCheckout(varDir);
  ports = { temporal: await freePort(), ui: await freePort(), mail: await freePort(), web: await freePort(), postgres: await freePort() };
  web = `http://127.0.0.1:${ports.web}`;
  // The embedded defaults, whatever the machine running the tests has set.
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'SMTP_HOST', 'PLANGRAF_PUBLIC_URL', 'PLANGRAF_TEMPORAL_UI', 'PLANGRAF_PLAN', 'PLANGRAF_YEAR', 'TEMPORAL_ADDRESS', 'PLANGRAF_DOCUMENTS', 'PLANGRAF_USERS']) delete inherited[name];
  job = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'up'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      NO_COLOR: '1',
      PLANGRAF_VAR: varDir,
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      MAIL_CATCHER_PORT: String(ports.mail),
      PLANGRAF_WEB_PORT: String(ports.web),
      PLANGRAF_PG_PORT: String(ports.postgres),
    },
  });
  job.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  job.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await vi.waitFor(
    () => {
      if (job.exitCode !== null) throw new Error(`plangraf up exited (${job.exitCode}):\n${output}`);
      if (!output.includes('Остановить: Ctrl+C.')) throw new Error(`plangraf up is not ready yet:\n${output}`);
    },
    { timeout: 180_000, interval: 500 },
  );
}, 200_000);

afterAll(async () => {
  if (job && job.exitCode === null && job.signalCode === null) {
    job.kill('SIGKILL');
    await once(job, 'exit');
  }
  // As root in a private folder, the data lies outside it (store/embedded.ts): that goes too.
  const data = await realpath(join(varDir, 'postgres')).catch(() => null);
  if (data && !data.startsWith(scratch)) await rm(dirname(data), { recursive: true, force: true });
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

describe('plangraf up on a checkout an older plangraf used', () => {
  it('brings the old var/ files into the store once, saying so, and the old login still works', async () => {
    expect(output).toContain('перенёс в базу данных журнал документов');
    expect(output).toMatch(/перенёс в базу данных .*отправленн/);
    expect(output).toMatch(/перенёс в базу данных .*пользовател/);
    expect(output).toContain(`Проектный офис:    ${web} (логин office, пароль ${OLD_PASSWORD}`);
    const office = new Visitor();
    await office.login(web, 'office', OLD_PASSWORD);
    const register = await office.get(`${web}/documents`);
    expect(register.status).toBe(200);
    expect(register.text).toContain('7-П');
  });

  it("keeps what it writes to its owner: var/ and its folders, the Temporal database, the store's login, caught letters", async () => {
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await mode(varDir)).toBe(userInfo().uid === 0 ? 0o711 : 0o700);
    for (const file of ['temporal.db', 'postgres.json', 'office-password.txt']) expect(await mode(join(varDir, file)), file).toBe(0o600);
    expect(await mode(join(varDir, 'postgres'))).toBe(0o700);
    const caught = join(varDir, 'mail', 'caught');
    await vi.waitFor(async () => expect((await readdir(caught)).length).toBeGreaterThan(0), { timeout: 60_000, interval: 500 });
    expect(await mode(caught)).toBe(0o700);
    for (const name of (await readdir(caught)).slice(0, 5)) expect(await mode(join(caught, name)), name).toBe(0o600);
  }, 90_000);

  it('keeps the Temporal Web UI off unless asked for, and says so', async () => {
    expect(output).toContain('Temporal Web UI:   выключен (PLANGRAF_TEMPORAL_UI=1 — включить)');
    expect(await listening('127.0.0.1', ports.ui)).toBe(false);
    expect(await listening('127.0.0.1', ports.temporal)).toBe(true);
  });

  it('shows the sample as a plan in progress: what fell due long ago done, only the last fortnight late', async () => {
    const key = /План «([^»]+)» запущен/.exec(output)?.[1];
    expect(key, output).toBeDefined();
    expect(output).toContain('пример присоединился к году');
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const client = new Client({ connection });
      const status = await vi.waitFor(() => client.workflow.getHandle(planWorkflowId(key!)).query(planStatusQuery, Date.now()), { timeout: 30_000, interval: 500 });
      const overdue = status.tasks.filter((task) => task.state === TaskState.overdue).length;
      const done = status.tasks.filter((task) => task.state === TaskState.done);
      // Whenever in the year the test runs, at most a fortnight's tasks are late.
      expect(overdue, JSON.stringify(status.tasks.map((task) => [task.task, task.state, task.due]))).toBeLessThan(status.tasks.length / 4);
      for (const task of done) expect(task.result, task.task).toBeTruthy();
      expect(done.length + overdue).toBeLessThanOrEqual(status.tasks.filter((task) => task.due !== null && task.due < status.asOf!).length);
    } finally {
      await connection.close();
    }
  }, 60_000);

  it("slows down a stranger's wrong passwords without keeping the office out of its own computer", async () => {
    const stranger = new Visitor();
    const form = await stranger.get(`${web}/login`);
    const cookie = `plangraf_login=${csrfOf(form.text)}`;
    const attempt = () => postFrom('127.0.0.2', `${web}/login`, { _csrf: csrfOf(form.text), next: '/', login: 'office', password: 'угадываю' }, cookie);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(throttled.text).toContain('Слишком много неудачных попыток входа с этого компьютера. Попробуйте снова через');
    // The office, from its own address, logs in at once.
    const office = new Visitor();
    await office.login(web, 'office', OLD_PASSWORD);
    expect((await office.get(`${web}/plans`)).status).toBe(200);
  }, 30_000);

  it('sends nobody off the site after a login, and answers a line break in the address with a Russian 400', async () => {
    for (const next of ['/\\evil.example', '//evil.example', 'https://evil.example/']) {
      const person = new Visitor();
      const form = await person.get(`${web}/login`);
      const outcome = await person.post(`${web}/login`, { _csrf: csrfOf(form.text), next, login: 'office', password: OLD_PASSWORD });
      expect(outcome.status, next).toBe(303);
      expect(outcome.location, next).toBe('/');
    }
    for (const next of ['/%0d%0aSet-Cookie:%20x=1', '/%09/evil.example']) {
      const response = await new Visitor().get(`${web}/login?next=${next}`);
      expect(response.status, next).toBe(400);
      expect(response.text).toContain('Неверный адрес');
      expect(response.text).not.toMatch(/Internal Server Error|Bad Request/);
    }
  });

  it('stops on Ctrl+C: the pages, the worker, the dev server and the embedded PostgreSQL, and says so', async () => {
    job.kill('SIGINT');
    const [code] = await once(job, 'exit');
    expect(code, output).toBe(0);
    expect(output).toContain('plangraf остановлен.');
    expect(await listening('127.0.0.1', ports.postgres)).toBe(false);
    expect(await listening('127.0.0.1', ports.temporal)).toBe(false);
    expect(await listening('127.0.0.1', ports.web)).toBe(false);
  }, 90_000);
});

/**
 * plangraf as a federal operator runs it: two workers and two page servers, each a process with
 * a `var/` folder of its own (two hosts), on one Temporal dev server and one PostgreSQL, serving
 * two regions' project offices. Real parts throughout: `plangraf worker` and `plangraf web` as
 * their users start them, a real SMTP server, the pages over HTTP.
 *
 * What must hold: document numbers unique and consecutive whichever host issues them; each
 * letter once (at most the one documented extra copy, with the same Message-ID, when a worker
 * dies mid-send); a link acts once across page servers; a logout ends the session everywhere;
 * no region sees another's plan, task, export, feed, document or letter; a curator sees only
 * their schools.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../activities/mail-catcher.ts';
import { messageIdFor } from '../../activities/mail.ts';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { registerAndStartPlan } from '../../client/plan-registry.ts';
import { planInputOf, planKeyOf } from '../../client/plan-runs.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { saveCaughtMail } from '../../store/caught-mail.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { savePlan } from '../../store/plans.ts';
import { saveUser, type Role } from '../../store/users.ts';
import { hashPassword } from '../../web/auth.ts';
import { storeKeyring } from '../../web/keyring.ts';
import { LinkSigner } from '../../web/links.ts';
import { taskWorkflowId } from '../../workflows/messages.ts';
import { freePort, startHost, Visitor, csrfOf, type Host } from '../support/cluster.ts';
import { countByMessageId, pause } from '../support/e2e-mail.ts';
import { e2ePlan, E2E_ITEMS, shiftToSlot, SLOT_DAY, writeAndLoadPlan } from '../support/e2e-plan.ts';
import { runPlangraf } from '../support/plangraf-process.ts';
import { testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

installQuietRuntime('ERROR');

const PASSWORD = 'пароль-кластера';
const PARTICIPANTS = 12;
const HOST_READY = { worker: /plangraf worker: очередь/, web: /Страницы проектного офиса: http/ };

let env: TestWorkflowEnvironment;
let scratch: string;
let databaseUrl: string;
let store: Store;
let catcher: MailCatcher;
const hosts: Host[] = [];
let web1: string;
let web2: string;
const plans: Record<'a' | 'a2' | 'b', { file: string; loaded: LoadedPlan }> = {} as never;

/** A plan of `e2ePlan`'s items with `PARTICIPANTS` participant schools, each with a partner of its own. */
function regionPlan(id: string) {
  const base = e2ePlan(id);
  const schools = Array.from({ length: PARTICIPANTS }, (_, index) => {
    const n = String(index + 1).padStart(2, '0');
    const partner = `sch-p${n}`;
    return [
      { id: `sch-${n}`, name: `МОУ «Средняя школа № ${index + 1}»`, kind: 'ШНОР', municipality: index < 6 ? 'Шиловский район' : 'Сасовский район', director: { name: 'Сидоров Пётр Петрович', email: `${id}.director-sch-${n}@example.org` }, curator: 'riro', partner },
      { id: partner, name: `МБОУ «Гимназия № ${index + 1}»`, kind: 'партнер', municipality: 'г. Рязань', director: { name: 'Орлова Анна Викторовна', email: `${id}.director-${partner}@example.org` } },
    ];
  }).flat();
  return { ...base, region: id === 'cl-b' ? 'Тверская область' : 'Рязанская область', schools };
}

function hostEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: env.address, PLANGRAF_VAR: join(scratch, name), ...extra };
}

async function addUser(login: string, role: Role, org: string | null, scope: { schools?: string[]; municipality?: string } = {}): Promise<void> {
  await saveUser(store.pool, { login, name: login, org, role, schools: scope.schools ?? [], municipality: scope.municipality ?? null, passwordHash: await hashPassword(PASSWORD) });
}

async function visitor(base: string, login: string): Promise<Visitor> {
  const person = new Visitor();
  await person.login(base, login, PASSWORD);
  return person;
}

/** The caught letters of a plan, from the SMTP server. */
async function lettersOf(planKey: string): Promise<CaughtMail[]> {
  return (await catcher.messages()).filter((mail) => mail.plan === planKey);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-cluster-'));
  env = await devServerEnvironment();
  databaseUrl = await testDatabaseUrl();
  store = await connectStore(databaseUrl, { max: 5 });
  // A real SMTP server; its letters are also kept in the store, as the embedded catcher keeps them.
  catcher = await startMailCatcher({ port: 0, dir: join(scratch, 'caught'), onMessage: (raw, to) => saveCaughtMail(store.pool, raw, to) });

  await ensureOrganisation(store.pool, 'ryazan', 'Рязанская область');
  await ensureOrganisation(store.pool, 'tver', 'Тверская область');
  await addUser('admin-a', 'administrator', 'ryazan');
  await addUser('admin-b', 'administrator', 'tver');
  await addUser('viewer-a', 'viewer', 'ryazan');
  await addUser('curator-a', 'curator', 'ryazan', { schools: ['sch-01'] });
  await addUser('municipal-a', 'municipal', 'ryazan', { municipality: 'Сасовский район' });
  await addUser('federal', 'federal', null);

  plans.a = await writeAndLoadPlan(scratch, regionPlan('cl-a'));
  plans.a2 = await writeAndLoadPlan(scratch, regionPlan('cl-a2'));
  plans.b = await writeAndLoadPlan(scratch, regionPlan('cl-b'));

  const [port1, port2] = [await freePort(), await freePort()];
  web1 = `http://127.0.0.1:${port1}`;
  web2 = `http://127.0.0.1:${port2}`;
  // Letters' links point at the first page server, as PLANGRAF_PUBLIC_URL says.
  const started = await Promise.all([
    startHost(['worker'], hostEnv('worker-1', { SMTP_URL: catcher.url, PLANGRAF_PUBLIC_URL: web1 }), HOST_READY.worker),
    startHost(['worker'], hostEnv('worker-2', { SMTP_URL: catcher.url, PLANGRAF_PUBLIC_URL: web1 }), HOST_READY.worker),
    startHost(['web', '--port', String(port1)], hostEnv('web-1', { PLANGRAF_PUBLIC_URL: web1 }), HOST_READY.web),
    startHost(['web', '--port', String(port2)], hostEnv('web-2', { PLANGRAF_PUBLIC_URL: web2 }), HOST_READY.web),
  ]);
  hosts.push(...started);

  // Both regions' plans run just before 09:00 of 2 March 2020: their assignments go out now.
  const clockShiftMs = shiftToSlot(SLOT_DAY, 8);
  await registerAndStartPlan(store, env.client, plans.a.loaded, 'ryazan', planInputOf(plans.a.loaded, { clockShiftMs }));
  await registerAndStartPlan(store, env.client, plans.b.loaded, 'tver', planInputOf(plans.b.loaded, { clockShiftMs }));
  const source = plans.a2.loaded.source!;
  await savePlan(store.pool, { key: 'cl-a2', org: 'ryazan', planId: 'cl-a2', title: 'второй план', fileName: source.fileName, text: source.text, year: null, calendars: [] });
}, 240_000);

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await catcher?.stop();
  await store?.close();
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 90_000);

describe('two workers and two page servers on one Temporal and one PostgreSQL', () => {
  it(
    'number contracts made from both hosts at once uniquely and consecutively, per region; the same contract asked twice keeps its number',
    async () => {
      const run = (plan: 'a' | 'a2' | 'b', host: string, out: string) => runPlangraf(['contracts', plans[plan].file, '-o', join(scratch, out)], hostEnv(host), { timeoutMs: 120_000 });
      const outcomes = await Promise.all([run('a', 'worker-1', 'a-from-1'), run('a', 'worker-2', 'a-from-2'), run('a2', 'worker-2', 'a2-from-2'), run('b', 'worker-1', 'b-from-1')]);
      for (const outcome of outcomes) expect(outcome, outcome.stderr).toMatchObject({ code: 0 });

      const { rows } = await store.pool.query<{ key: string; org: string; plan: string; sequence: number; number: string }>(`select key, org, plan, sequence, number from documents where template = 'contract' order by org, sequence`);
      const ryazan = rows.filter((row) => row.org === 'ryazan');
      expect(ryazan.map((row) => row.sequence)).toEqual(Array.from({ length: 2 * PARTICIPANTS }, (_, index) => index + 1));
      expect(new Set(ryazan.map((row) => row.key)).size).toBe(2 * PARTICIPANTS);
      expect(ryazan.filter((row) => row.plan === 'cl-a')).toHaveLength(PARTICIPANTS);
      expect(rows.filter((row) => row.org === 'tver').map((row) => row.number)).toEqual(Array.from({ length: PARTICIPANTS }, (_, index) => `ДС-2020/${String(index + 1).padStart(3, '0')}`));

      // Both hosts handed out the same twelve contracts of plan A, byte for byte.
      const [fromOne, fromTwo] = [await readdir(join(scratch, 'a-from-1')), await readdir(join(scratch, 'a-from-2'))];
      expect(fromOne.sort()).toEqual(fromTwo.sort());
      expect(fromOne).toHaveLength(PARTICIPANTS);
      for (const name of fromOne) expect(await readFile(join(scratch, 'a-from-1', name))).toEqual(await readFile(join(scratch, 'a-from-2', name)));
    },
    240_000,
  );

  it(
    'send each assignment once with both workers polling, and accept an executor\'s link once across the two page servers',
    async () => {
      const expected = 1 + PARTICIPANTS;
      const letters = await vi.waitFor(
        async () => {
          const caught = (await lettersOf('cl-a')).filter((mail) => mail.kind === 'assigned');
          if (caught.length < expected) throw new Error(`${caught.length} of ${expected} assignments so far`);
          return caught;
        },
        { timeout: 90_000, interval: 500 },
      );
      await pause(2_000);
      const counts = countByMessageId((await lettersOf('cl-a')).filter((mail) => mail.kind === 'assigned'));
      expect(Object.values(counts)).toEqual(Array(expected).fill(1));

      const letter = letters.find((mail) => mail.task === '2@sch-03')!;
      const link = /http:\/\/127\.0\.0\.1:\d+\/act\/[A-Za-z0-9_.-]+/.exec(letter.text)![0];
      expect(link.startsWith(`${web1}/act/`)).toBe(true);
      const token = link.slice(`${web1}/act/`.length);
      const executor = new Visitor();
      const form = await executor.get(`${web1}/act/${token}`);
      expect(form.status).toBe(200);
      const done = await executor.post(`${web1}/act/${token}`, { _csrf: csrfOf(form.text), result: 'план школы утверждён', comment: '' });
      expect(done.status, done.text.slice(0, 400)).toBe(200);
      expect(done.text).toContain('Отчёт отправлен на проверку');

      // The same link on the other page server: used, whatever this server has seen itself.
      const again = await executor.get(`${web2}/act/${token}`);
      expect(again.status).toBe(410);
      expect(again.text).toContain('Ссылка уже использована');
      expect((await executor.post(`${web2}/act/${token}`, { _csrf: csrfOf(form.text), result: 'ещё раз' })).status).toBe(410);

      // Two people with one link on both servers at the same moment: one is taken; the other is told
      // the link is used, or, if it looked after the first had finished, that the report is on check.
      const other = /http:\/\/127\.0\.0\.1:\d+\/act\/[A-Za-z0-9_.-]+/.exec(letters.find((mail) => mail.task === '2@sch-04')!.text)![0].slice(`${web1}/act/`.length);
      const otherForm = await new Visitor().get(`${web1}/act/${other}`);
      const both = await Promise.all([web1, web2].map((base) => new Visitor().post(`${base}/act/${other}`, { _csrf: csrfOf(otherForm.text), result: `сделано через ${base}` })));
      const [winner, loser] = [...both].sort((a, b) => a.status - b.status);
      expect(winner!.status).toBe(200);
      expect([409, 410]).toContain(loser!.status);
      const { rows } = await store.pool.query<{ details: { result: string } }>(`select details from audit_log where action = 'link.complete' and task = '2@sch-04'`);
      expect(rows).toHaveLength(1);
    },
    150_000,
  );

  it(
    'end a session on both page servers when its user logs out on one, and every session of the user on «выйти на всех устройствах»',
    async () => {
      const browser = await visitor(web1, 'admin-a');
      const sameBrowserOnTwo = new Visitor();
      sameBrowserOnTwo.copyCookiesFrom(browser);
      expect((await sameBrowserOnTwo.get(`${web2}/plans`)).status).toBe(200);
      const page = await sameBrowserOnTwo.get(`${web2}/plans`);
      expect((await sameBrowserOnTwo.post(`${web2}/logout`, { _csrf: csrfOf(page.text) })).status).toBe(303);
      const after = await browser.get(`${web1}/plans`);
      expect(after.status).toBe(303);
      expect(after.location).toMatch(/^\/login\?next=/);

      const laptop = await visitor(web1, 'admin-a');
      const phone = await visitor(web2, 'admin-a');
      const colleague = await visitor(web2, 'admin-b');
      const own = await laptop.get(`${web1}/plans`);
      expect((await laptop.post(`${web1}/logout/everywhere`, { _csrf: csrfOf(own.text) })).location).toBe('/login?ended=everywhere');
      expect((await phone.get(`${web2}/plans`)).status).toBe(303);
      expect((await laptop.get(`${web1}/plans`)).status).toBe(303);
      expect((await colleague.get(`${web2}/plans`)).status).toBe(200);
      const { rows } = await store.pool.query<{ action: string }>(`select action from audit_log where login = 'admin-a' and action like 'logout%' order by id`);
      expect(rows.map((row) => row.action)).toEqual(['logout', 'logout.everywhere']);
      // The administrators read their own region's log; nobody else has it.
      const admin = await visitor(web2, 'admin-a');
      const log = await admin.get(`${web2}/audit`);
      expect(log.status).toBe(200);
      expect(log.text).toContain('выход на всех устройствах');
      expect(log.text).not.toContain('admin-b');
      expect((await colleague.get(`${web1}/audit`)).text).not.toContain('admin-a');
      expect((await (await visitor(web1, 'viewer-a')).get(`${web1}/audit`)).status).toBe(404);
    },
    60_000,
  );

  it(
    "answer a region's user with 404 for another region's plan, task, exports, feed, document and letter, as for what does not exist",
    async () => {
      const a = await visitor(web1, 'admin-a');
      const list = await a.get(`${web1}/plans`);
      expect(list.text).toContain('/plans/cl-a/year');
      expect(list.text).not.toContain('cl-b');
      for (const path of ['/plans/cl-b/year', '/plans/cl-b/indicators', '/plans/cl-b/task?t=1', '/plans/cl-b/status.xlsx', '/plans/cl-b/indicators.xlsx', '/plans/cl-nothing/year']) {
        const response = await a.get(`${web2}${path}`);
        expect(response.status, path).toBe(404);
      }
      expect((await a.post(`${web1}/plans/cl-b/task?t=1`, { _csrf: csrfOf(list.text), do: 'extend', to: '2020-03-31', reason: 'чужой план' })).status).toBe(404);

      // Region B's contract: B downloads it, A is told there is no such document.
      const { rows } = await store.pool.query<{ path: string; number: string }>(`select path, number from documents where plan = 'cl-b' order by sequence limit 1`);
      const document = `/documents/file?path=${encodeURIComponent(rows[0]!.path)}`;
      const b = await visitor(web2, 'admin-b');
      expect((await b.get(`${web1}${document}`)).status).toBe(200);
      expect((await a.get(`${web1}${document}`)).status).toBe(404);
      const register = await a.get(`${web1}/documents`);
      expect(register.text).not.toContain('cl-b');

      // Region B's letter, by its Message-ID.
      const letterB = await vi.waitFor(async () => {
        const [first] = await lettersOf('cl-b');
        if (!first) throw new Error('no letter of cl-b yet');
        return first;
      }, { timeout: 60_000, interval: 500 });
      const message = `/mail/message?id=${encodeURIComponent(letterB.messageId)}`;
      expect((await b.get(`${web2}${message}`)).status).toBe(200);
      expect((await a.get(`${web2}${message}`)).status).toBe(404);
      expect((await a.get(`${web1}/mail`)).text).not.toContain('cl-b');

      // Calendar feeds given on the pages serve their user's view: B's plan to A is a plan that does not exist.
      const keyring = await storeKeyring(store);
      onTestFinished(() => keyring.close());
      const signer = new LinkSigner(keyring);
      const feed = (plan: string, viewer: string) => `${web1}/calendar/${signer.feedToken({ plan, executor: null, viewer })}.ics`;
      expect((await fetch(feed('cl-b', 'admin-b'))).status).toBe(200);
      expect((await fetch(feed('cl-b', 'admin-a'))).status).toBe(404);
      expect((await fetch(feed('cl-a', 'admin-a'))).status).toBe(200);
      // A's own year page hands out a feed bound to A.
      const year = await a.get(`${web1}/plans/cl-a/year`);
      const own = /\/calendar\/([A-Za-z0-9_.-]+)\.ics/.exec(year.text)![1]!;
      expect(signer.checkFeed(own)).toMatchObject({ ok: true, link: { plan: 'cl-a', viewer: 'admin-a' } });

      // The federal operator reads both regions, and acts on neither.
      const federal = await visitor(web2, 'federal');
      const regions = await federal.get(`${web2}/regions`);
      expect(regions.status).toBe(200);
      expect(regions.text).toContain('Рязанская область');
      expect(regions.text).toContain('Тверская область');
      expect((await federal.get(`${web2}/plans/cl-b/year`)).status).toBe(200);
      expect((await federal.post(`${web2}/plans/cl-b/task?t=1`, { _csrf: csrfOf(regions.text), do: 'extend', to: '2020-03-31', reason: 'федеральный оператор' })).status).toBe(403);
      expect((await a.get(`${web1}/regions`)).status).toBe(404);
      const viewer = await visitor(web1, 'viewer-a');
      const viewerPage = await viewer.get(`${web1}/plans/cl-a/task?t=1`);
      expect(viewerPage.status).toBe(200);
      expect((await viewer.post(`${web1}/plans/cl-a/task?t=1`, { _csrf: csrfOf(viewerPage.text), do: 'extend', to: '2020-03-31', reason: 'наблюдатель' })).status).toBe(403);
    },
    120_000,
  );

  it(
    "record an office's action in the audit log with who, what, on which task and from which address, whichever page server took it",
    async () => {
      const office = await visitor(web2, 'admin-a');
      const task = await office.get(`${web2}/plans/cl-a/task?t=1`);
      const moved = await office.post(`${web2}/plans/cl-a/task?t=1`, { _csrf: csrfOf(task.text), do: 'extend', to: '2020-04-10', reason: 'ждём данные мониторинга' });
      expect(moved.status, moved.text.slice(0, 400)).toBe(303);
      const { rows } = await store.pool.query(`select login, org, address, action, plan, task, details from audit_log where action like '/plans/:key/task%' order by id`);
      expect(rows).toEqual([{ login: 'admin-a', org: 'ryazan', address: '127.0.0.1', action: '/plans/:key/task#extend', plan: 'cl-a', task: '1', details: { do: 'extend', to: '2020-04-10', reason: 'ждём данные мониторинга' } }]);
    },
    60_000,
  );

  it(
    'show a curator only the tasks, exports and letters of their schools, and a municipal coordinator those of their municipality',
    async () => {
      const curator = await visitor(web1, 'curator-a');
      expect((await curator.get(`${web1}/plans/cl-a/task?t=${encodeURIComponent('2@sch-01')}`)).status).toBe(200);
      expect((await curator.get(`${web1}/plans/cl-a/task?t=${encodeURIComponent('2@sch-02')}`)).status).toBe(404);
      expect((await curator.get(`${web1}/plans/cl-a/task?t=1`)).status).toBe(404);

      const cells = async (person: Visitor) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await person.get(`${web2}/plans/cl-a/status.xlsx`)).body as never);
        const values: string[] = [];
        workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => values.push(String(cell.text))));
        return values.join('\n');
      };
      const curatorSheet = await cells(curator);
      expect(curatorSheet).toContain('2@sch-01');
      expect(curatorSheet).not.toMatch(/2@sch-(0[2-9]|1\d)/);
      const mail = await curator.get(`${web1}/mail`);
      expect(mail.status).toBe(200);
      expect(mail.text).not.toMatch(/director-sch-0[2-9]/);

      const municipal = await visitor(web2, 'municipal-a');
      const municipalSheet = await cells(municipal);
      // Schools 7–12 are in Сасовский район; 1–6 in Шиловский.
      expect(municipalSheet).toContain('2@sch-07');
      expect(municipalSheet).toContain('2@sch-12');
      expect(municipalSheet).not.toMatch(/2@sch-0[1-6]/);
    },
    60_000,
  );

  it(
    'leave nothing on a host\'s disk that another needs: every host\'s var folder is empty',
    () => {
      for (const name of ['worker-1', 'worker-2', 'web-1', 'web-2']) {
        const dir = join(scratch, name);
        expect(existsSync(dir) ? readdirSync(dir) : [], name).toEqual([]);
      }
    },
  );
});

describe('a worker that dies between sending a letter and recording it', () => {
  it(
    'delivers each letter through the other worker, at most one extra copy with the same Message-ID',
    async () => {
      const queue = 'plangraf-cluster-kill';
      let arrived!: () => void;
      const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The server keeps each letter it is given but answers only when told: the worker dies waiting for the 250.
      const holding = await startMailCatcher({
        port: 0,
        dir: join(scratch, 'holding'),
        onMessage: async () => {
          arrived();
          await released;
        },
      });
      onTestFinished(() => holding.stop());
      const workerEnv = (name: string) => hostEnv(name, { SMTP_URL: holding.url, PLANGRAF_TASK_QUEUE: queue, PLANGRAF_PUBLIC_URL: web1 });
      const doomed = await startHost(['worker'], workerEnv('kill-1'), HOST_READY.worker);
      onTestFinished(() => doomed.kill());

      const { loaded } = await writeAndLoadPlan(scratch, e2ePlan('cl-kill', E2E_ITEMS));
      await registerAndStartPlan(store, env.client, loaded, 'ryazan', planInputOf(loaded, { clockShiftMs: shiftToSlot(SLOT_DAY, 8) }), undefined, queue);
      await firstArrived;
      await doomed.kill();
      release();

      const successor = await startHost(['worker'], workerEnv('kill-2'), HOST_READY.worker);
      hosts.push(successor);
      const key = planKeyOf(loaded);
      const executors: Record<string, string> = { '1': 'riro', '2@sch-01': 'director:sch-01', '2@sch-02': 'director:sch-02' };
      const expected = Object.entries(executors).map(([task, executor]) => messageIdFor(`${taskWorkflowId(key, task)}:assigned:${executor}`));
      // The dead worker's send times out (45 s) and is retried (30 s later) on the other one, which records it.
      const recorded = async () => (await store.pool.query<{ key: string }>(`select key from sent_mail where key like $1`, [`task:${key}:%:assigned:%`])).rows;
      await vi.waitFor(
        async () => {
          const rows = await recorded();
          if (rows.length < expected.length) throw new Error(`${rows.length} of ${expected.length} assignments recorded so far`);
        },
        { timeout: 150_000, interval: 1_000 },
      );
      await pause(3_000);
      const letters = (await holding.messages()).filter((mail) => mail.plan === key);
      const counts = countByMessageId(letters);
      expect(Object.keys(counts).sort()).toEqual([...expected].sort());
      for (const id of expected) expect(counts[id], id).toBeLessThanOrEqual(2);
      // The letter the dead worker was sending went out before it died and once more from the other worker: the same message.
      expect(counts[letters[0]!.messageId]).toBe(2);
      const copies = letters.filter((mail) => mail.messageId === letters[0]!.messageId);
      expect(copies[1]!.subject).toBe(copies[0]!.subject);
      expect(copies[1]!.text).toBe(copies[0]!.text);
      expect(await recorded()).toHaveLength(expected.length);
    },
    240_000,
  );
});

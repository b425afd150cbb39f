/**
 * Plans in the pages, on real parts: a real PostgreSQL (the drafts and their versions), the
 * Temporal CLI dev server with the real worker, the mail catcher as its SMTP server, the web
 * server, and Debian's Chromium driven by Playwright. The office's administrator uploads a Word
 * plan-graph, sees its unreadable period on its row, fixes it and the missing executor and
 * e-mails, saves and starts it; joins another plan mid-year, marking the past tasks done; brings
 * a new version of the table without losing what it entered; changes a running plan from its
 * draft, a school's director and a person's address from a pasted table included; and the pages
 * refuse what the command line refuses, to whom it refuses it.
 *
 * The years are taken from today, so the test means the same on any day: a plan over next year
 * has nothing past, a plan laid over last year has everything past.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../activities/mail-catcher.ts';
import { loadPlanSource } from '../../activities/plan-files.ts';
import { followDraft } from '../../cli/change-command.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { registerAndStartPlan } from '../../client/plan-registry.ts';
import { changeRunningPlan, planInputOf, taskStatus } from '../../client/plan-runs.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { createDraft, findDraft, markDraftStarted } from '../../store/plan-drafts.ts';
import { findPlan, savePlan } from '../../store/plans.ts';
import type { Role } from '../../store/users.ts';
import { startWebServer, type RunningWebServer } from '../../web/server.ts';
import { createPlangrafWorker, type RunningWorker } from '../../worker.ts';
import { dateOf } from '../../workflows/clock.ts';
import { planWorkflowId } from '../../workflows/messages.ts';
import type { PlanInput } from '../../workflows/plan-workflow.ts';
import { keepScreenshot, launchBrowser, loggedInPage } from '../support/browser.ts';
import { csrfOf, Visitor } from '../support/cluster.ts';
import { waitForPlanMail } from '../support/e2e-mail.ts';
import { addressOf, e2ePlan, shiftToSlot, SLOT_DAY } from '../support/e2e-plan.ts';
import { toYaml } from '../support/build-plan.ts';
import { addTestUser, testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';
import { buildDocx, buildXlsx, sheetRows } from '../unit/import-builders.ts';

installQuietRuntime('WARN');

const TASK_QUEUE = 'plangraf-e2e-plan-pages';
const ORG = 'ryazan';
const OTHER_ORG = 'tver';
const PASSWORD = 'Пароль офиса 2027';
const TEST_TIMEOUT = 90_000;
const THIS_YEAR = Number(dateOf(Date.now(), 'Europe/Moscow').slice(0, 4));
const NEXT_YEAR = THIS_YEAR + 1;
const LAST_YEAR = THIS_YEAR - 1;

let scratch: string;
let store: Store;
let env: TestWorkflowEnvironment;
let catcher: MailCatcher;
let web: RunningWebServer;
let worker: RunningWorker;
let workerDone: Promise<void>;
let browser: Browser;
let office: BrowserContext | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-plan-pages-'));
  store = await connectStore(await testDatabaseUrl(), { max: 5 });
  await ensureOrganisation(store.pool, ORG, 'Рязанская область');
  await ensureOrganisation(store.pool, OTHER_ORG, 'Тверская область');
  await addUser('office', 'Иванова О. Ю.', 'administrator', ORG);
  await addUser('chief', 'Руководитель офиса', 'office', ORG);
  await addUser('reader', 'Наблюдатель', 'viewer', ORG);
  await addUser('tver', 'Офис Твери', 'administrator', OTHER_ORG);
  [env, catcher, browser] = await Promise.all([devServerEnvironment(), startMailCatcher({ port: 0, dir: join(scratch, 'caught') }), launchBrowser()]);
  web = await startWebServer({ store, client: env.client, caughtMail: false, port: 0, taskQueue: TASK_QUEUE });
  worker = await createPlangrafWorker({ store, address: env.address, taskQueue: TASK_QUEUE, varDir: join(scratch, 'var'), mailEnv: { SMTP_URL: catcher.url }, publicUrl: web.url });
  workerDone = worker.run();
  workerDone.catch(() => undefined);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  if (worker) {
    await worker.shutdown();
    await workerDone;
  }
  await catcher?.stop();
  await store?.close();
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

async function addUser(login: string, name: string, role: Role, org: string): Promise<void> {
  await addTestUser(store, { login, name, role, org }, PASSWORD);
}

const url = (path: string) => `${web.url}${path}`;

async function officePage(): Promise<Page> {
  office ??= await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  return loggedInPage(office, web.url, 'office', PASSWORD);
}

async function visitor(login: string): Promise<Visitor> {
  const someone = new Visitor();
  await someone.login(web.url, login, PASSWORD);
  return someone;
}

/** The input the plan workflow of `key` was started with. */
async function startInput(key: string): Promise<PlanInput> {
  const history = await env.client.workflow.getHandle(planWorkflowId(key)).fetchHistory();
  const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  return defaultPayloadConverter.fromPayload<PlanInput>(payload);
}

/** A complete plan (executors and addresses all there) of `id` over `year`, as YAML. */
function completePlanYaml(id: string, year: number, items?: Record<string, unknown>[]): string {
  return toYaml({ ...e2ePlan(id, items), year, title: `План-график «${id}» на ${year} год` });
}

/** A draft of `org` made straight in the store, as an upload would. */
async function storedDraft(org: string, id: string, text: string): Promise<number> {
  const draft = await createDraft(store, org, { text, fileName: `${id}.yaml`, planId: id, title: id, author: 'office', summary: ['загружен файл'] });
  return draft.id;
}

/** The Word plan-graph the office brings: a period the reader cannot read, an item without an executor, no e-mails. */
function planGraphDocx(): Promise<Buffer> {
  return buildDocx({
    before: ['УТВЕРЖДЁН', 'приказом министерства образования', '', `План-график мероприятий по повышению качества образования на ${NEXT_YEAR} год`],
    rows: [
      { cells: ['№', 'Наименование мероприятия', 'Срок', 'Ответственный исполнитель', 'Ожидаемый результат'], header: true },
      { cells: ['1', 'Совещание с руководителями школ', 'январь', 'Иванова О. Ю.', 'протокол'] },
      // A misspelt month: no reader of periods will take it.
      { cells: ['2', 'Анализ результатов оценочных процедур', 'фервраль', 'Петров П. П.', '3'] },
      { cells: ['3', 'Отчёт о реализации плана', 'декабрь', '', 'да'] },
    ],
  });
}

describe('plans in the pages, uploaded, fixed and started by the office', () => {
  it(
    'says a file that is not a plan-graph is not one and keeps the form; then turns a Word plan-graph into a draft, shows its problems on their rows, re-reads a period as it is typed, saves the fixes as a version and starts it',
    async () => {
      const page = await officePage();
      await page.goto(url('/plans'));
      await page.getByRole('link', { name: 'Загрузить план' }).click();
      expect(await page.locator('h1').textContent()).toBe('Загрузить план');

      // A letter, not a plan-graph: said plainly, nothing stored, the typed id kept.
      const letter = await buildDocx({ before: ['Уважаемые коллеги!', 'Направляем план в следующем письме.'], rows: [{ cells: ['Кому', 'Директорам школ'] }, { cells: ['От кого', 'Министерство образования'] }] });
      await page.setInputFiles('#file', { name: 'письмо.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: letter });
      await page.fill('#id', 'pages-docx');
      await page.getByRole('button', { name: 'Загрузить' }).click();
      await expect.poll(() => page.locator('.upload-errors').textContent(), { timeout: 10_000 }).toMatch(/письмо\.docx: ни в одной из таблиц документа \(1\) не нашёл плана-графика/);
      expect(await page.inputValue('#id')).toBe('pages-docx');
      expect((await store.pool.query('select count(*)::int as n from plan_drafts')).rows[0].n).toBe(0);

      await page.setInputFiles('#file', { name: 'План-график.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: await planGraphDocx() });
      await Promise.all([page.waitForURL(/\/drafts\/\d+$/), page.getByRole('button', { name: 'Загрузить' }).click()]);
      const draftPath = new URL(page.url()).pathname;

      // Every row as read, each problem on its row.
      expect(await page.locator('.draft-items tbody tr[data-item]').count()).toBe(3);
      await expect.poll(() => page.locator('#item-1').getAttribute('class'), { timeout: 10_000 }).toBe('row-error');
      expect(await page.locator('#item-1 .problems').textContent()).toContain('не понимаю «фервраль»');
      expect(await page.inputValue('#item-1 input[name="item.1.when"]')).toBe('фервраль');
      expect(await page.locator('#item-0 td.dates').first().textContent()).toMatch(new RegExp(`^\\d\\d\\.01\\.${NEXT_YEAR}$`));
      expect(await page.locator('#item-2 .problems').textContent()).toContain('не указан ответственный исполнитель');
      expect(await page.locator('#person-0 .problems').textContent()).toContain('не указан адрес электронной почты');
      expect(await page.locator('[data-ready]').getAttribute('data-ready')).toBe('no');
      await keepScreenshot(page, 'plan-pages-preview');

      // The period is re-read as it is typed, with the reader's own message.
      const period = page.locator('input[name="item.1.when"]');
      await period.fill('к Новому году');
      await expect.poll(() => page.locator('output[data-period-for="1"]').textContent(), { timeout: 10_000 }).toContain('не понимаю «к»');
      await period.fill('март');
      await expect.poll(() => page.locator('output[data-period-for="1"]').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^с \\d\\d\\.03\\.${NEXT_YEAR} по \\d\\d\\.03\\.${NEXT_YEAR}$`));

      await page.selectOption('select[name="item.2.executor"]', 'ivanova');
      await page.fill('input[name="person.0.email"]', 'pages-docx.ivanova@example.org');
      await page.fill('input[name="person.1.email"]', 'pages-docx.petrov@example.org');
      await Promise.all([page.waitForURL(/saved=2$/), page.getByRole('button', { name: 'Сохранить' }).click()]);
      expect(await page.locator('.flash-ok').first().textContent()).toBe('Сохранено: версия 2.');
      expect(await page.locator('.draft-items .problems, .draft-people .problems').count()).toBe(0);
      expect(await page.locator('#item-1 td.dates').first().textContent()).toMatch(new RegExp(`^\\d\\d\\.03\\.${NEXT_YEAR}$`));
      const changes = await page.locator('.draft-history tr[data-version="2"] .changes').textContent();
      expect(changes).toContain('пункт «2»: срок «фервраль» → «март»');
      expect(changes).toContain('исполнитель пункта «3»: не назначен → Иванова О. Ю.');
      expect(changes).toContain('адрес «Иванова О. Ю.»: не указан → «pages-docx.ivanova@example.org»');
      expect(await page.locator('.draft-history tr[data-version="1"]').textContent()).toContain('загружен файл «План-график.docx»');

      // Schools and their partners, pasted as a table: a line with a problem is named and nothing is lost.
      const schools = [
        'Название;Вид;Муниципалитет;Директор;E-mail директора;Школа-партнёр',
        'МОУ «Ерахтурская СШ»;ШНОР;Шиловский район;Сидоров Пётр Петрович;pages-docx.director1@example.org;МБОУ «Шиловская СШ № 1»',
        ['МБОУ «Шиловская СШ № 1»', 'лицей', 'Шиловский район', 'Орлов Максим Андреевич', 'pages-docx.director11@example.org'].join('\t'),
      ];
      await page.fill('#schools-text', schools.join('\n'));
      await page.getByRole('button', { name: 'Добавить школы' }).click();
      await expect.poll(() => page.locator('#schools-form .flash-error').textContent(), { timeout: 10_000 }).toContain('строка 3 («МБОУ «Шиловская СШ № 1» | лицей');
      expect(await page.locator('#schools-form .flash-error').textContent()).toContain('вид школы «лицей» — нужен «ШНОР», «ШНСУ» или «партнер»');
      expect(await page.inputValue('#schools-text')).toBe(schools.join('\n'));
      await page.fill('#schools-text', schools.join('\n').replace('\tлицей\t', '\tпартнер\t'));
      await Promise.all([page.waitForURL(/saved=3$/), page.getByRole('button', { name: 'Добавить школы' }).click()]);
      expect(await page.locator('.draft-schools tbody tr').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-school'), ...[...row.querySelectorAll('textarea, input, select')].map((cell) => (cell as HTMLInputElement).value)]))).toEqual([
        ['sch-01', 'МОУ «Ерахтурская СШ»', 'ШНОР', 'Шиловский район', 'Сидоров Пётр Петрович', 'pages-docx.director1@example.org', 'sch-02', ''],
        ['sch-02', 'МБОУ «Шиловская СШ № 1»', 'партнер', 'Шиловский район', 'Орлов Максим Андреевич', 'pages-docx.director11@example.org', '', ''],
      ]);
      expect(await page.locator('.draft-history tr[data-version="3"] .changes').textContent()).toContain('добавлена школа «МОУ «Ерахтурская СШ»»');

      // A row added and another removed: a № already taken is refused on the new row, and nothing is lost.
      await page.fill('input[name="newitem.id"]', '2');
      await page.fill('textarea[name="newitem.title"]', 'Итоговое совещание');
      await page.fill('input[name="newitem.when"]', 'ноябрь');
      await page.selectOption('select[name="newitem.executor"]', 'petrov');
      await page.check('input[name="item.2.remove"]');
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await expect.poll(() => page.locator('#new-item .problems').textContent(), { timeout: 10_000 }).toContain('пункт № «2» уже есть в плане');
      expect(await page.inputValue('textarea[name="newitem.title"]')).toBe('Итоговое совещание');
      expect(await page.inputValue('select[name="newitem.executor"]')).toBe('petrov');
      expect(await page.isChecked('input[name="item.2.remove"]')).toBe(true);
      expect((await findDraft(store.pool, ORG, Number(draftPath.split('/').at(-1))))?.latest.version).toBe(3);
      await page.fill('input[name="newitem.id"]', '4');
      await Promise.all([page.waitForURL(/saved=4$/), page.getByRole('button', { name: 'Сохранить' }).click()]);
      const rowsChanged = await page.locator('.draft-history tr[data-version="4"] .changes').textContent();
      expect(rowsChanged).toContain('добавлен пункт «4» «Итоговое совещание»');
      expect(rowsChanged).toContain('удалён пункт «3» «Отчёт о реализации плана»');
      expect(await page.locator('.draft-items tbody tr[data-item]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-item')))).toEqual(['1', '2', '4']);

      // The YAML stays an export.
      const exported = await (await page.request.get(url(`${draftPath}/plan.yaml`))).text();
      expect(exported).toContain('when: март');
      expect(exported).toContain('email: pages-docx.petrov@example.org');

      expect(await page.locator('[data-ready]').getAttribute('data-ready')).toBe('yes');
      await page.getByRole('link', { name: 'Запустить' }).click();
      expect(await page.inputValue('#year')).toBe(String(NEXT_YEAR));
      expect(await page.locator('#start-form').textContent()).toContain('ни один срок плана не прошёл');
      await Promise.all([page.waitForURL(url('/plans/pages-docx/year')), page.getByRole('button', { name: 'Запустить план' }).click()]);
      expect(await page.locator('h1').textContent()).toMatch(/^Год: /);
      await keepScreenshot(page, 'plan-pages-started');

      const input = await startInput('pages-docx');
      expect(input.plan.items.map((item) => [item.id, item.when, item.executor])).toEqual([
        ['1', 'январь', ['ivanova']],
        ['2', 'март', ['petrov']],
        ['4', 'ноябрь', ['petrov']],
      ]);
      expect(input.doneBeforeStart).toBeUndefined();
      expect((await findPlan(store.pool, 'pages-docx'))?.org).toBe(ORG);
      await page.goto(url(draftPath));
      const started = await page.locator('.flash-ok').first().textContent();
      expect(started).toContain('План запущен: открыть план');
      expect(started).not.toContain('pages-docx');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'joins a plan mid-year: laid over last year every task is past, the page asks which are done, and the plan starts with those as done before its start',
    async () => {
      const items = [
        { id: '1', title: 'Совещание', when: 'январь', executor: 'riro', result: 'протокол' },
        { id: '2', title: 'Планы школ', when: 'февраль', executor: 'riro', per: 'school' },
        { id: '3', title: 'Мониторинг', when: 'март', executor: 'coordinator', result: 5 },
      ];
      const page = await officePage();
      await page.goto(url('/drafts/upload'));
      await page.setInputFiles('#file', { name: 'pages-midyear.yaml', mimeType: 'application/yaml', buffer: Buffer.from(completePlanYaml('pages-midyear', NEXT_YEAR, items)) });
      await Promise.all([page.waitForURL(/\/drafts\/\d+$/), page.getByRole('button', { name: 'Загрузить' }).click()]);
      await page.getByRole('link', { name: 'Запустить' }).click();
      await page.fill('#year', String(LAST_YEAR));
      await Promise.all([page.waitForURL(new RegExp(`year=${LAST_YEAR}$`)), page.getByRole('button', { name: 'Показать сроки этого года' }).click()]);

      const rows = page.locator('table.past-tasks tbody tr');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-task')))).toEqual(['1', '2@sch-01', '2@sch-02', '3']);
      await keepScreenshot(page, 'plan-pages-mid-year');
      await page.check('tr[data-task="1"] input[type=checkbox]');
      await page.fill('tr[data-task="1"] input[type=text]', 'Протокол № 1 от 15.01');
      await page.check('tr[data-task="2@sch-01"] input[type=checkbox]');
      // A row's result starts empty, the planned target shown as its hint: «для всех» is not hidden behind it.
      expect(await page.inputValue('tr[data-task="3"] input[type=text]')).toBe('');
      expect(await page.getAttribute('tr[data-task="3"] input[type=text]', 'placeholder')).toBe('5');
      await Promise.all([page.waitForURL(url(`/plans/pages-midyear-in-${LAST_YEAR}/year`)), page.getByRole('button', { name: 'Запустить план' }).click()]);

      const input = await startInput(`pages-midyear-in-${LAST_YEAR}`);
      expect(input.year).toBe(LAST_YEAR);
      expect(input.doneBeforeStart).toEqual({ '1': { result: 'Протокол № 1 от 15.01' }, '2@sch-01': { result: 'выполнено' } });
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'ticks every past task with «отметить все выполненными» in the browser, records them done with the one result typed for all, and leaves a row unticked afterwards not done',
    async () => {
      const id = await storedDraft(ORG, 'pages-all', completePlanYaml('pages-all', NEXT_YEAR));
      const page = await officePage();
      await page.goto(url(`/drafts/${id}/start?year=${LAST_YEAR}`));
      expect(await page.locator('table.past-tasks tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-task')))).toEqual(['1', '2@sch-01', '2@sch-02', '3']);
      await page.check('#all-done');
      // The script ticks every row; a row unticked afterwards unticks «all» and is not done.
      expect(await page.locator('table.past-tasks input[type=checkbox]').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked))).toEqual([true, true, true, true]);
      await page.uncheck('tr[data-task="2@sch-02"] input[type=checkbox]');
      expect(await page.isChecked('#all-done')).toBe(false);
      await page.fill('#all-result', 'сделано');
      await Promise.all([page.waitForURL(url(`/plans/pages-all-in-${LAST_YEAR}/year`)), page.getByRole('button', { name: 'Запустить план' }).click()]);
      expect((await startInput(`pages-all-in-${LAST_YEAR}`)).doneBeforeStart).toEqual({ '1': { result: 'сделано' }, '2@sch-01': { result: 'сделано' }, '3': { result: 'сделано' } });
      expect((await findDraft(store.pool, ORG, id))?.startedKey).toBe(`pages-all-in-${LAST_YEAR}`);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses as the command line does: a draft naming every missing executor and address, a plan key of another organisation, a plan already running',
    async () => {
      const office = await visitor('office');
      // A draft: one item without an executor, one person without an address.
      const plan = e2ePlan('pages-gaps');
      const gaps = toYaml({ ...plan, year: NEXT_YEAR, items: [{ id: '1', title: 'Совещание', when: 'январь' }], people: (plan.people as Record<string, unknown>[]).map((person) => (person.id === 'riro' ? { ...person, email: undefined } : person)) });
      const gapsId = await storedDraft(ORG, 'pages-gaps', gaps);
      const gapsPage = await office.get(url(`/drafts/${gapsId}/start`));
      expect(gapsPage.text).toContain('Пункты без ответственного исполнителя (executor):');
      expect(gapsPage.text).toContain('пункт «1» «Совещание»');
      expect(gapsPage.text).toContain('человек «riro» (Петров Иван Сергеевич)');
      expect(gapsPage.text).not.toContain('id="start-form"');
      const refused = await office.post(url(`/drafts/${gapsId}/start`), { _csrf: csrfOf(gapsPage.text), do: 'start', year: String(NEXT_YEAR), version: '1' });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('Люди без адреса электронной почты (email):');
      expect(await findPlan(store.pool, 'pages-gaps')).toBeUndefined();

      // A key another organisation's plan runs under.
      await savePlan(store.pool, { key: 'pages-shared', org: OTHER_ORG, planId: 'pages-shared', title: 'Тверской план', fileName: 'pages-shared.yaml', text: completePlanYaml('pages-shared', NEXT_YEAR), year: null, calendars: [] });
      const sharedId = await storedDraft(ORG, 'pages-shared', completePlanYaml('pages-shared', NEXT_YEAR));
      const shared = await office.post(url(`/drafts/${sharedId}/start`), { _csrf: csrfOf(gapsPage.text), do: 'start', year: String(NEXT_YEAR), version: '1' });
      expect(shared.status).toBe(422);
      expect(shared.text).toContain('план «pages-shared» уже запущен для организации «tver»');

      // The same plan twice.
      const firstId = await storedDraft(ORG, 'pages-twice', completePlanYaml('pages-twice', NEXT_YEAR));
      expect((await office.post(url(`/drafts/${firstId}/start`), { _csrf: csrfOf(gapsPage.text), do: 'start', year: String(NEXT_YEAR), version: '1' })).status).toBe(303);
      const secondId = await storedDraft(ORG, 'pages-twice', completePlanYaml('pages-twice', NEXT_YEAR));
      const twice = await office.post(url(`/drafts/${secondId}/start`), { _csrf: csrfOf(gapsPage.text), do: 'start', year: String(NEXT_YEAR), version: '1' });
      expect(twice.status).toBe(422);
      expect(twice.text).toContain('План «pages-twice» уже идёт (запущен ');
      expect((await findDraft(store.pool, ORG, secondId))?.startedKey).toBeNull();
      // Said before «Запустить»: on the draft's page and on its start page, with the way to change the running plan.
      const secondPage = await office.get(url(`/drafts/${secondId}`));
      expect(secondPage.text).toContain('data-ready="running"');
      expect(secondPage.text).not.toContain('Проблем нет: план можно запускать');
      expect(secondPage.text).toContain(`План «pages-twice» уже идёт (запущен `);
      expect(secondPage.text).toContain(`href="/drafts/${firstId}#draft-form">«Изменить идущий план»</a> или выберите другой год или идентификатор`);
      const secondStart = await office.get(url(`/drafts/${secondId}/start`));
      expect(secondStart.text).toContain('data-refusal="yes"');
      expect(secondStart.text).not.toContain('id="start-form"');
      expect(secondStart.text).toContain(`<a href="/drafts/${firstId}#draft-form">Изменить идущий план</a>`);
      // Another year is another plan: it may start.
      expect((await office.get(url(`/drafts/${secondId}/start?year=${THIS_YEAR}`))).text).toContain('id="start-form"');
    },
    TEST_TIMEOUT,
  );

  it(
    "lets the office's viewer and office staff read a draft but not save or start it, and shows another region's administrator nothing (404)",
    async () => {
      const id = await storedDraft(ORG, 'pages-rights', completePlanYaml('pages-rights', NEXT_YEAR));
      const save = (csrf: string) => ({ _csrf: csrf, do: 'save', basedOn: '1', 'item.0.when': 'февраль' });
      for (const login of ['reader', 'chief']) {
        const someone = await visitor(login);
        const draftPage = await someone.get(url(`/drafts/${id}`));
        expect(draftPage.status).toBe(200);
        expect(draftPage.text).toContain('<fieldset disabled>');
        expect(draftPage.text).not.toContain('>Сохранить</button>');
        expect((await someone.post(url(`/drafts/${id}`), save(csrfOf(draftPage.text)))).status).toBe(403);
        expect((await someone.post(url(`/drafts/${id}/start`), { _csrf: csrfOf(draftPage.text), do: 'start', year: String(NEXT_YEAR), version: '1' })).status).toBe(403);
        const upload = await someone.get(url('/drafts/upload'));
        expect(upload.status).toBe(403);
        expect(upload.text).toContain('Нет прав на это действие');
        expect((await someone.get(url('/plans'))).text).toContain(`/drafts/${id}`);
      }
      expect((await findDraft(store.pool, ORG, id))?.latest.version).toBe(1);

      const tver = await visitor('tver');
      const own = await tver.get(url('/plans'));
      expect(own.text).not.toContain(`/drafts/${id}"`);
      for (const path of [`/drafts/${id}`, `/drafts/${id}/plan.yaml`, `/drafts/${id}/start`, `/drafts/${id}/period?when=март`]) expect((await tver.get(url(path))).status, path).toBe(404);
      expect((await tver.post(url(`/drafts/${id}`), save(csrfOf(own.text)))).status).toBe(404);
      expect((await tver.post(url(`/drafts/${id}/start`), { _csrf: csrfOf(own.text), do: 'start', year: String(NEXT_YEAR), version: '1' })).status).toBe(404);
      expect((await findDraft(store.pool, ORG, id))?.latest.version).toBe(1);
      expect(await findPlan(store.pool, 'pages-rights')).toBeUndefined();
    },
    TEST_TIMEOUT,
  );
  it(
    'keeps the typed fields when a file is over the limit, leads back to the form when it is far over, and names a .doc file it cannot read',
    async () => {
      const page = await officePage();
      await page.goto(url('/drafts/upload'));
      await page.fill('#id', 'pages-large');
      await page.fill('#year', String(NEXT_YEAR));
      await page.setInputFiles('#file', { name: 'большой.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.alloc(11 * 1024 * 1024, 1) });
      await page.getByRole('button', { name: 'Загрузить' }).click();
      await expect.poll(() => page.locator('.upload-errors').textContent(), { timeout: 10_000 }).toContain('файл «большой.docx» больше 10 МБ');
      expect(await page.inputValue('#id')).toBe('pages-large');
      expect(await page.inputValue('#year')).toBe(String(NEXT_YEAR));

      await page.setInputFiles('#file', { name: 'старый.doc', mimeType: 'application/msword', buffer: Buffer.from('\xd0\xcf\x11\xe0 старый документ Word', 'latin1') });
      await page.getByRole('button', { name: 'Загрузить' }).click();
      await expect.poll(() => page.locator('.upload-errors').textContent(), { timeout: 10_000 }).toContain('Файл «старый.doc»: это документ старого формата Word (.doc); откройте его в Word или LibreOffice и сохраните как .docx');
      expect(await page.inputValue('#id')).toBe('pages-large');

      // Far over the limit the request is not read at all: the page says why and leads back.
      const huge = await page.request.post(url('/drafts/upload'), { multipart: { _csrf: await page.inputValue('input[name="_csrf"]'), do: 'upload', file: { name: 'огромный.docx', mimeType: 'application/octet-stream', buffer: Buffer.alloc(31 * 1024 * 1024, 1) } } });
      expect(huge.status()).toBe(413);
      const text = await huge.text();
      expect(text).toContain('Файл больше 10 МБ');
      expect(text).toContain('<a href="/drafts/upload">Вернуться к загрузке плана</a>');
      expect((await store.pool.query("select count(*)::int as n from plan_drafts where plan_id = 'pages-large'")).rows[0].n).toBe(0);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps what the office entered when a new version comes from the Word table, exports the YAML without calling it a draft once it is filled in, takes people from an Excel sheet row by row, and names draft actions in Russian in the audit log',
    async () => {
      const page = await officePage();
      await page.goto(url('/drafts/upload'));
      await page.setInputFiles('#file', { name: 'План-график.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: await planGraphDocx() });
      await page.fill('#id', 'pages-carry');
      await Promise.all([page.waitForURL(/\/drafts\/\d+$/), page.getByRole('button', { name: 'Загрузить' }).click()]);
      const draftPath = new URL(page.url()).pathname;
      await page.fill('input[name="item.1.when"]', 'март');
      await page.selectOption('select[name="item.2.executor"]', 'ivanova');
      await page.fill('input[name="person.0.email"]', 'pages-carry.ivanova@example.org');
      await page.fill('input[name="person.1.email"]', 'pages-carry.petrov@example.org');
      await page.fill('input[name="person.1.position"]', 'методист');
      await page.fill('#plan-region', 'Рязанская область');
      await page.selectOption('#plan-office', 'ivanova');
      await Promise.all([page.waitForURL(/saved=2$/), page.getByRole('button', { name: 'Сохранить' }).click()]);

      // Filled in: the export no longer says it is a draft or what is missing.
      const exported = await (await page.request.get(url(`${draftPath}/plan.yaml`))).text();
      expect(exported).toMatch(/^# Импортировано командой plangraf import из /);
      expect(exported).not.toContain('Это черновик');
      expect(exported).not.toContain('не заполнено');
      expect(exported).toContain('# Стоит добавить: schools — школы-участницы и партнёры.');
      // An old version still says what it lacked.
      expect(await (await page.request.get(url(`${draftPath}/plan.yaml?version=1`))).text()).toContain('#   - email у людей (people): ivanova, petrov');

      // The same table again, as a new version: what the table cannot say stays.
      await page.setInputFiles('#version-file', { name: 'План-график (новый).docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: await planGraphDocx() });
      await Promise.all([page.waitForURL(/saved=3$/), page.getByRole('button', { name: 'Загрузить версию' }).click()]);
      expect(await page.inputValue('input[name="person.0.email"]')).toBe('pages-carry.ivanova@example.org');
      expect(await page.inputValue('input[name="person.1.email"]')).toBe('pages-carry.petrov@example.org');
      expect(await page.inputValue('input[name="person.1.position"]')).toBe('методист');
      expect(await page.inputValue('#plan-region')).toBe('Рязанская область');
      expect(await page.inputValue('#plan-office')).toBe('ivanova');
      const v3 = await page.locator('.draft-history tr[data-version="3"] .changes').textContent();
      expect(v3).toContain('загружен файл «План-график (новый).docx»');
      expect(v3).toContain('из прежней версии сохранено то, чего нет в таблице: адреса и должности людей: Иванова О. Ю., Петров П. П.; регион; проектный офис');
      // What the table does say comes back from it.
      expect(v3).toContain('пункт «2»: срок «март» → «фервраль»');

      // People from an Excel sheet, its columns in an order of its own: a name of the plan is brought up to date, a new one added, each row said.
      const people = await buildXlsx([{ name: 'Люди', cells: sheetRows(1, [['Ф.И.О.', 'E-mail', 'Должность'], ['Петров П. П.', 'pages-carry.petrov2@example.org', null], ['Смирнова Е. А.', null, 'эксперт']]) }]);
      await page.setInputFiles('#people-file', { name: 'люди.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: people });
      await Promise.all([page.waitForURL(/saved=4$/), page.getByRole('button', { name: 'Обновить людей из таблицы' }).click()]);
      expect(await page.locator('[data-table-rows] li').allTextContents()).toEqual(['строка 2: «Петров П. П.» — адрес «pages-carry.petrov@example.org» → «pages-carry.petrov2@example.org»', 'строка 3: добавлен человек «Смирнова Е. А.», эксперт']);
      expect(await page.inputValue('input[name="person.1.email"]')).toBe('pages-carry.petrov2@example.org');
      expect(await page.inputValue('input[name="person.1.position"]')).toBe('методист');
      expect(await page.locator('.draft-history tr[data-version="4"] .changes').textContent()).toContain('люди из таблицы «люди.xlsx»:');

      await page.goto(url('/audit'));
      const rows = await page.locator('table.grid tbody tr').evaluateAll((trs) => trs.map((tr) => [...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''), tr.getAttribute('data-plan') ?? '']));
      const carry = rows.filter((cells) => cells.at(-1) === 'pages-carry');
      expect(carry.map((cells) => cells[2])).toEqual(['люди черновика из таблицы', 'новая версия черновика из файла', 'черновик сохранён', 'загружен план']);
      // The plan by its title; its id stays out of what a person reads.
      expect(carry[0]![3]).toMatch(/^План-график мероприятий /);
      expect(carry[0]![3]).not.toContain('pages-carry');
      expect(rows.some((cells) => cells[2]!.startsWith('/drafts'))).toBe(false);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'changes a running plan from its draft: a new period and executor are taken and the page says what changed for the executors and keeps the history; moving a done task is refused with its reason and nothing is saved',
    async () => {
      const items = [
        { id: '1', title: 'Совещание', when: 'январь', executor: 'riro', result: 'протокол' },
        { id: '2', title: 'Мониторинг', when: 'март', executor: 'coordinator', result: 5 },
        { id: '3', title: 'Отчёт', when: 'ноябрь', executor: 'riro' },
      ];
      const id = await storedDraft(ORG, 'pages-change', completePlanYaml('pages-change', NEXT_YEAR, items));
      const key = `pages-change-in-${LAST_YEAR}`;
      const office = await visitor('office');
      const start = await office.get(url(`/drafts/${id}/start?year=${LAST_YEAR}`));
      const tasks = Object.fromEntries([...start.text.matchAll(/name="(task\.\d+)" value="([^"]+)"/g)].map((match) => [match[1]!, match[2]!]));
      expect(tasks['task.0']).toBe('1');
      const started = await office.post(url(`/drafts/${id}/start`), { _csrf: csrfOf(start.text), do: 'start', year: String(LAST_YEAR), version: '1', ...tasks, 'done.0': 'yes' });
      expect(started.status).toBe(303);

      // From the plan's page to its draft.
      const page = await officePage();
      await page.goto(url(`/plans/${key}/year`));
      await Promise.all([page.waitForURL(url(`/drafts/${id}#draft-form`)), page.getByRole('link', { name: 'Изменить идущий план' }).click()]);
      expect(await page.locator('[data-running]').getAttribute('data-running')).toBe('yes');
      // The dates are those of the year the plan runs over.
      expect(await page.locator('#item-2 td.dates').first().textContent()).toMatch(new RegExp(`^\\d\\d\\.11\\.${LAST_YEAR}$`));
      expect(await page.locator('#plan-changes + p').textContent()).toBe('План идёт без изменений с запуска.');
      await page.fill('input[name="item.2.when"]', 'декабрь');
      await page.selectOption('select[name="item.1.executor"]', 'riro');
      await Promise.all([page.waitForURL(/applied=2$/), page.getByRole('button', { name: 'Применить к идущему плану' }).click()]);
      const applied = (await page.locator('[data-applied] .changes li').allTextContents()).join('\n');
      expect(applied).toMatch(/задача 3 «Отчёт»: сроки .*→/);
      expect(applied).toMatch(/задача 2 «Мониторинг»: исполнитель .* → Петров Иван Сергеевич/);
      await keepScreenshot(page, 'plan-pages-change-applied');
      const history = await page.locator('table.plan-changes tbody tr').allTextContents();
      expect(history).toHaveLength(1);
      // Who changed it, by name.
      expect(history[0]).toContain('Иванова О. Ю.');
      expect(history[0]).toContain('задача 3 «Отчёт»');
      expect(await page.locator('.draft-history tr[data-version="2"] .changes').textContent()).toContain(`применено к идущему плану «${key}»:`);
      expect((await findPlan(store.pool, key))?.text).toContain('when: декабрь');

      // A done task's dates do not move: refused with the reason, the edit kept in the form, nothing saved.
      await page.fill('input[name="item.0.when"]', 'февраль');
      await page.getByRole('button', { name: 'Применить к идущему плану' }).click();
      await expect.poll(() => page.locator('[data-change-refused] .change-refusal').textContent(), { timeout: 10_000 }).toMatch(/задача 1 «Совещание» выполнена .*: её сроки не переносятся/);
      expect(await page.inputValue('input[name="item.0.when"]')).toBe('февраль');
      expect((await findDraft(store.pool, ORG, id))?.latest.version).toBe(2);
      expect((await findPlan(store.pool, key))?.text).not.toContain('when: февраль');
      await keepScreenshot(page, 'plan-pages-change-refused');

      // `plangraf change` from the command line: the draft follows it, so the next apply from the pages does not undo it.
      const cliText = (await findPlan(store.pool, key))!.text.replace('when: декабрь', 'when: октябрь');
      const cliLoad = await loadPlanSource({ text: cliText, fileName: 'pages-change.yaml', calendars: [] }, { year: LAST_YEAR });
      if (!cliLoad.ok) throw new Error(cliLoad.lines.join('\n'));
      const cliChange = await changeRunningPlan(env.client, key, planInputOf(cliLoad.loaded, { year: LAST_YEAR }), 'cli:root');
      expect(cliChange.lines.join('\n')).toMatch(/задача 3 «Отчёт»: сроки/);
      await savePlan(store.pool, { key, org: ORG, planId: 'pages-change', title: 'pages-change', fileName: 'pages-change.yaml', text: cliText, year: LAST_YEAR, calendars: [] });
      expect(await followDraft(store, ORG, key, cliLoad.loaded, cliText, 'cli:root', cliChange.lines)).toBe(3);
      await page.goto(url(`/drafts/${id}`));
      expect(await page.inputValue('input[name="item.2.when"]')).toBe('октябрь');
      expect(await page.locator('.draft-history tr[data-version="3"]').textContent()).toContain('командная строка');
      // The pages read the plan's history from the store's read model, which follows the workflow by a few seconds.
      await expect.poll(async () => (await page.reload(), await page.locator('table.plan-changes tbody tr').first().textContent()), { timeout: 20_000, interval: 500 }).toContain('командная строка');
      await page.selectOption('select[name="item.1.executor"]', 'coordinator');
      await Promise.all([page.waitForURL(/applied=4$/), page.getByRole('button', { name: 'Применить к идущему плану' }).click()]);
      expect((await findPlan(store.pool, key))?.text).toContain('when: октябрь');

      // A draft behind the running plan (changed without it following): the apply is refused and the draft catches up.
      const behind = (await findPlan(store.pool, key))!.text.replace('when: октябрь', 'when: сентябрь');
      await savePlan(store.pool, { key, org: ORG, planId: 'pages-change', title: 'pages-change', fileName: 'pages-change.yaml', text: behind, year: LAST_YEAR, calendars: [] });
      await page.goto(url(`/drafts/${id}`));
      await page.fill('textarea[name="item.0.title"]', 'Совещание с директорами');
      await page.getByRole('button', { name: 'Применить к идущему плану' }).click();
      await expect.poll(() => page.locator('.flash-error').first().textContent(), { timeout: 10_000 }).toContain('изменили не из этого черновика');
      expect((await findDraft(store.pool, ORG, id))?.latest.text).toBe(behind);
      expect(await page.inputValue('input[name="item.2.when"]')).toBe('сентябрь');

      await page.goto(url('/audit'));
      const rows = await page.locator('table.grid tbody tr').evaluateAll((trs) => trs.map((tr) => [...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''), tr.getAttribute('data-plan') ?? '']));
      expect(rows.find((cells) => cells.at(-1) === key && cells[2] === 'идущий план изменён')).toBeDefined();
      expect(rows.find((cells) => cells.at(-1) === key && cells[2] === 'план запущен')).toBeDefined();
      expect(rows.filter((cells) => cells.at(-1) === key).every((cells) => !cells[3]!.includes(key))).toBe(true);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'hands running tasks to new addresses: a school director’s changed in place and an executor’s from a pasted people table, each applied to the running plan and kept in its history; a bad row of the table is named and nothing is lost',
    async () => {
      const key = 'pages-handover';
      const items = [
        { id: '1', title: 'Планы школ', when: 'март', per: 'school', result: 1 },
        { id: '2', title: 'Мониторинг', when: 'март', executor: 'riro', result: 5 },
      ];
      const text = toYaml(e2ePlan(key, items));
      const id = await storedDraft(ORG, key, text);
      const load = await loadPlanSource({ text, fileName: `${key}.yaml`, calendars: [] });
      if (!load.ok) throw new Error(load.lines.join('\n'));
      // The workflows' clock a few seconds before 09:00 on the day the tasks start: they are assigned, so active, at once.
      await registerAndStartPlan(store, env.client, load.loaded, ORG, planInputOf(load.loaded, { clockShiftMs: shiftToSlot(SLOT_DAY, 6) }), undefined, TASK_QUEUE);
      expect(await markDraftStarted(store.pool, ORG, id, key, 'office')).toBe(true);
      const assigned = await waitForPlanMail([catcher], key, 3, 30_000);
      expect(assigned.filter((mail) => mail.kind === 'assigned').flatMap((mail) => mail.to).sort()).toEqual([addressOf(key, 'director-sch-01'), addressOf(key, 'director-sch-02'), addressOf(key, 'riro')]);
      await expect.poll(async () => (await taskStatus(env.client, key, '1@sch-01')).state, { timeout: 10_000 }).toBe('active');

      const page = await officePage();
      // The pages learn of a plan started outside them from the store's read model, within a few seconds.
      await expect.poll(async () => (await page.goto(url(`/drafts/${id}`)), await page.locator('[data-running]').getAttribute('data-running')), { timeout: 20_000, interval: 500 }).toBe('yes');
      const director = addressOf(key, 'director-sch-01-new');
      expect(await page.inputValue('input[name="school.0.directorEmail"]')).toBe(addressOf(key, 'director-sch-01'));
      await page.fill('input[name="school.0.directorEmail"]', director);
      await Promise.all([page.waitForURL(/applied=2$/), page.getByRole('button', { name: 'Применить к идущему плану' }).click()]);
      expect((await page.locator('[data-applied] .changes li').allTextContents()).join('\n')).toContain('задача 1@sch-01 «Планы школ»: исполнитель Сидоров Пётр Петрович → Сидоров Пётр Петрович');
      expect(await page.inputValue('input[name="school.0.directorEmail"]')).toBe(director);
      expect(await page.locator('.draft-history tr[data-version="2"] .changes').textContent()).toContain(`применено к идущему плану «${key}»:`);
      await expect.poll(async () => (await taskStatus(env.client, key, '1@sch-01')).executor.email, { timeout: 10_000 }).toBe(director);
      const handedOver = await taskStatus(env.client, key, '1@sch-01');
      expect(handedOver.state).toBe('active');
      expect(handedOver.history.filter((entry) => entry.kind === 'replan').map((entry) => entry.detail)).toEqual(['исполнитель Сидоров Пётр Петрович → Сидоров Пётр Петрович']);
      expect((await taskStatus(env.client, key, '1@sch-02')).executor.email).toBe(addressOf(key, 'director-sch-02'));

      // A table with a bad row: the row is named with its line, what was pasted stays, nothing changes.
      const riro = addressOf(key, 'riro-new');
      const table = ['ФИО;Должность;E-mail', `Петров Иван Сергеевич;директор РИРО;${riro}`, 'Новиков Н. Н.;эксперт;novikov-at-example.org'];
      await page.fill('#people-text', table.join('\n'));
      await page.getByRole('button', { name: 'Применить людей из таблицы к идущему плану' }).click();
      await expect.poll(() => page.locator('#people-form .flash-error').textContent(), { timeout: 10_000 }).toContain('строка 3 («Новиков Н. Н. | эксперт | novikov-at-example.org»): «novikov-at-example.org» — не адрес электронной почты');
      expect(await page.inputValue('#people-text')).toBe(table.join('\n'));
      expect((await findDraft(store.pool, ORG, id))?.latest.version).toBe(2);
      await page.fill('#people-text', table.join('\n').replace('novikov-at-example.org', addressOf(key, 'novikov')));
      await Promise.all([page.waitForURL(/applied=3$/), page.getByRole('button', { name: 'Применить людей из таблицы к идущему плану' }).click()]);
      expect(await page.locator('[data-table-rows] li').allTextContents()).toEqual([
        `строка 2: «Петров Иван Сергеевич» — должность не указана → «директор РИРО»; адрес «${addressOf(key, 'riro')}» → «${riro}»`,
        `строка 3: добавлен человек «Новиков Н. Н.», эксперт, ${addressOf(key, 'novikov')}`,
      ]);
      expect((await page.locator('[data-applied] .changes li').allTextContents()).join('\n')).toContain('задача 2 «Мониторинг»: исполнитель Петров Иван Сергеевич → Петров Иван Сергеевич');
      await keepScreenshot(page, 'plan-pages-people-table-applied');
      await expect.poll(async () => (await taskStatus(env.client, key, '2')).executor.email, { timeout: 10_000 }).toBe(riro);
      expect((await findPlan(store.pool, key))?.text).toContain(`email: ${riro}`);

      // The plan's own history has both changes, by the administrator.
      const history = await page.locator('table.plan-changes tbody tr').allTextContents();
      expect(history).toHaveLength(2);
      expect(history.every((row) => row.includes('Иванова О. Ю.'))).toBe(true);
      expect(history[0]).toContain('задача 2 «Мониторинг»');
      expect(history[1]).toContain('задача 1@sch-01 «Планы школ»');
      await page.close();
    },
    TEST_TIMEOUT,
  );
});

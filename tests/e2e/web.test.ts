/**
 * The office's pages and the executors' links in a browser, on real parts: the Temporal CLI dev
 * server, a real PostgreSQL as the shared store (users, sessions, signing keys, plans, the
 * register, caught mail), the real worker (worker.ts) writing the executors' signed links into
 * its mail, the mail catcher as the SMTP server keeping each letter in the store, the web server,
 * and Debian's Chromium driven by Playwright. The plans are recorded for the organisation
 * `ryazan`, whose administrator the office user is.
 *
 * The plan runs on Monday 2 March 2020: it starts a few seconds before the 09:00 slot
 * (`clockShiftMs`), so the assignments with their links arrive in real time. Items 1 and 2 (per
 * school) start that day, item 3 in April, item 4 was due in February and is overdue. The tests
 * run in order and build on each other: the executor of 2@sch-01 completes it from the letter,
 * the office moves deadlines, and the pages, feeds and spreadsheets after that show it all.
 * Screenshots of the main pages stay in var/test-artifacts/screenshots/web-*.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import type { Browser, BrowserContext, Page, Response as PageResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../activities/mail-catcher.ts';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { planInputOf, planKeyOf, planStatus, startPlan, taskStatus } from '../../client/plan-runs.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { saveCaughtMail } from '../../store/caught-mail.ts';
import { taskWorkflowId } from '../../workflows/messages.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { savePlan } from '../../store/plans.ts';
import { saveUser, type Role } from '../../store/users.ts';
import { hashPassword } from '../../web/auth.ts';
import { feedUidFor, feedUrl } from '../../web/feeds.ts';
import { storeKeyring, type StoreKeyring } from '../../web/keyring.ts';
import { PlanDirectory } from '../../web/plans.ts';
import { executorActionLinks, LinkSigner, linkExpiry, type ActionLink } from '../../web/links.ts';
import { startWebServer, type RunningWebServer } from '../../web/server.ts';
import { createPlangrafWorker, type RunningWorker } from '../../worker.ts';
import { keepScreenshot, launchBrowser, overflowAt } from '../support/browser.ts';
import { pause, planMail } from '../support/e2e-mail.ts';
import { addressOf, E2E_ITEMS, e2ePlan, realInstantOfSlot, shiftToSlot, SLOT_DAY, writeAndLoadPlan } from '../support/e2e-plan.ts';
import { testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

// Before anything touches the Temporal runtime; a failing workflow task still shows as a warning.
installQuietRuntime('WARN');

const PLAN = 'web-e2e';
/** A second plan, started in its own test, for the office's mail about a request for more time. */
const REQUEST_PLAN = 'web-req';
const TASK_QUEUE = 'plangraf-e2e-web';
/** The organisation the plans run for and the office users belong to. */
const ORG = 'ryazan';
const PASSWORD = 'Верный пароль 2020';
const CHIEF_PASSWORD = 'Пароль руководителя';
/** Seconds of the workflows' clock before the 09:00 slot when the plan starts. */
const LEAD_SECONDS = 10;
const TEST_TIMEOUT = 60_000;
const RESULT = '1 договор подписан (№ 7 от 02.03.2020)';
/** The executor's first report, which the office returns for rework. */
const FIRST_REPORT = 'Договор подписан';
const RETURN_REASON = 'Приложите скан договора с подписью директора школы-партнёра';
/** A small real PDF: what the executor scans their signed contract to. */
const SCAN_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** The plan: E2E_ITEMS with contracts for item 2 (so the documents page has some), and item 4, overdue since February. */
const ITEMS: Record<string, unknown>[] = [
  ...E2E_ITEMS.map((item) => (item.id === '2' ? { ...item, documents: ['договоры'] } : item)),
  { id: '4', title: 'Обновление критериев идентификации школ с низкими результатами', when: 'февраль', executor: 'riro', result: 'да' },
];

const STATUS_HEADERS = ['Задача', 'Пункт', 'Мероприятие', 'Период', 'Школа', 'Исполнитель', 'Начало', 'Срок', 'Плановый срок', 'Состояние', 'Просрочка, раб. дн.', 'Результат', 'Комментарий', 'Выполнено'];
const INDICATOR_HEADERS = ['№', 'Мероприятие', 'Период', 'Исполнитель', 'Целевое значение', 'Фактическое значение', 'Оценка', 'Выполнено задач', 'Всего задач', 'Просрочено задач', 'Срок', 'Выполнено', 'Результаты'];

let scratch: string;
let varDir: string;
let store: Store;
let keyring: StoreKeyring;
let env: TestWorkflowEnvironment;
let catcher: MailCatcher;
let web: RunningWebServer;
let worker: RunningWorker;
let workerDone: Promise<void>;
let signer: LinkSigner;
let browser: Browser;
let office: BrowserContext | undefined;
let requestPlan: { file: string; loaded: LoadedPlan };

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-web-'));
  varDir = join(scratch, 'var');
  store = await connectStore(await testDatabaseUrl(), { max: 5 });
  await ensureOrganisation(store.pool, ORG, 'Рязанская область');
  await addUser('office', 'Иванова О. Ю.', PASSWORD, 'administrator');
  await addUser('chief', 'Руководитель офиса', CHIEF_PASSWORD, 'office');
  const main = await writeAndLoadPlan(scratch, { ...e2ePlan(PLAN, ITEMS), paperwork: { place: 'г. Рязань' } });
  requestPlan = await writeAndLoadPlan(scratch, e2ePlan(REQUEST_PLAN));
  // Both plans are the organisation's from the start, so the pages show them; the second starts in its own test.
  await recordPlan(main.loaded);
  await recordPlan(requestPlan.loaded);
  [env, catcher, browser] = await Promise.all([
    devServerEnvironment(),
    // Every letter it takes goes to the store too, where the «Почта» page reads it.
    startMailCatcher({ port: 0, dir: join(scratch, 'caught'), onMessage: (raw, envelopeTo) => saveCaughtMail(store.pool, raw, envelopeTo) }),
    launchBrowser(),
  ]);

  // The pages first, to learn their address: the worker writes it into the executors' links.
  web = await startWebServer({ store, client: env.client, caughtMail: true, port: 0 });
  // The store's keys, which the pages and the worker sign and check with as well.
  keyring = await storeKeyring(store);
  signer = new LinkSigner(keyring);
  worker = await createPlangrafWorker({ store, address: env.address, taskQueue: TASK_QUEUE, varDir, mailEnv: { SMTP_URL: catcher.url }, publicUrl: web.url });
  workerDone = worker.run();
  // Kept so that an early failure surfaces in afterAll rather than as an unhandled rejection.
  workerDone.catch(() => undefined);

  const clockShiftMs = shiftToSlot(SLOT_DAY, LEAD_SECONDS);
  await startPlan(env.client, planInputOf(main.loaded, { clockShiftMs }), TASK_QUEUE);
  await vi.waitFor(
    async () => {
      const mails = await planMail([catcher], PLAN);
      // Task 4 is late when the plan starts: its executor hears of it in the one letter listing what is late.
      const expected = [...['1', '2@sch-01', '2@sch-02'].map((task) => [task, 'assigned']), ['4', 'late-at-start']];
      const missing = expected.filter(([task, kind]) => !mails.some((mail) => mail.task === task && mail.kind === kind)).map(([task]) => task);
      if (missing.length > 0) throw new Error(`no assignment caught yet for ${missing.join(', ')}`);
    },
    { timeout: LEAD_SECONDS * 1000 + 40_000, interval: 250 },
  );
  // The plan hears of each assignment from its task a moment after the mail.
  await vi.waitFor(
    async () => {
      const states = (await planStatus(env.client, PLAN)).tasks.map((task) => `${task.task} ${task.state}`).join(', ');
      if (states !== '1 active, 2@sch-01 active, 2@sch-02 active, 3 planned, 4 overdue') throw new Error(`the plan's states are ${states} so far`);
    },
    { timeout: 15_000, interval: 200 },
  );
  // The pages read the store's read model, which the plan writes a few seconds after it hears.
  const pagesView = await PlanDirectory.fromStore(store, env.client);
  await vi.waitFor(
    async () => {
      const states = (await pagesView.status(PLAN))?.tasks.map((task) => `${task.task} ${task.state}`).join(', ');
      if (states !== '1 active, 2@sch-01 active, 2@sch-02 active, 3 planned, 4 overdue') throw new Error(`the pages' states are ${states} so far`);
    },
    { timeout: 15_000, interval: 200 },
  );
}, 150_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await browser?.close();
  await web?.close();
  if (worker) {
    await worker.shutdown();
    await workerDone;
  }
  await catcher?.stop();
  keyring?.close();
  await store?.close();
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

/** An office user of the organisation, in the store. */
async function addUser(login: string, name: string, password: string, role: Role): Promise<void> {
  await saveUser(store.pool, { login, name, org: ORG, role, schools: [], municipality: null, passwordHash: await hashPassword(password) });
}

/** Records a plan as the organisation's, as `plangraf start` does before it starts it. */
async function recordPlan(loaded: LoadedPlan): Promise<void> {
  const key = planKeyOf(loaded);
  const source = loaded.source!;
  const saved = await savePlan(store.pool, { key, org: ORG, planId: loaded.plan.id, title: loaded.plan.title ?? key, fileName: source.fileName, text: source.text, year: null, calendars: source.calendars });
  expect(saved).toBe(true);
}

/** A browser profile of its own, set up as a Moscow user's: date fields read ДД.ММ.ГГГГ. */
const newContext = (): Promise<BrowserContext> => browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });

const url = (path: string) => `${web.url}${path}`;
const yearUrl = (query = '') => url(`/plans/${PLAN}/year${query}`);
const taskPageUrl = (plan: string, task: string) => url(`/plans/${plan}/task?t=${encodeURIComponent(task)}`);

/** Fills in the login form and sends it; the response to the POST (303 when it let the user in). */
async function submitLogin(page: Page, login: string, password: string): Promise<PageResponse> {
  await page.fill('#login', login);
  await page.fill('#password', password);
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url() === url('/login') && candidate.request().method() === 'POST'),
    page.getByRole('button', { name: 'Войти' }).click(),
  ]);
  await page.waitForLoadState();
  return response;
}

/** The office's browser, logged in (the first test logs in through the form; this only makes sure). */
async function officeContext(): Promise<BrowserContext> {
  office ??= await newContext();
  if (!(await office.cookies()).some((cookie) => cookie.name === 'plangraf_session')) {
    const page = await office.newPage();
    await page.goto(url('/login'));
    expect((await submitLogin(page, 'office', PASSWORD)).status()).toBe(303);
    await page.close();
  }
  return office;
}

async function officePage(): Promise<Page> {
  return (await officeContext()).newPage();
}

/** The one letter of `kind` about `task` of `plan` the catcher holds. */
async function letter(plan: string, task: string, kind: string): Promise<CaughtMail> {
  const found = (await planMail([catcher], plan)).filter((mail) => mail.task === task && mail.kind === kind);
  expect(found, `${kind} letters for ${plan} ${task}`).toHaveLength(1);
  return found[0]!;
}

/** The letter of a returned report as the task's workflow hands it to the worker: what its links are made of. */
function returnedLetterOf(plan: string, task: string, executor: string): TaskNotification {
  return {
    kind: 'returned',
    key: `${taskWorkflowId(plan, task)}:returned:1`,
    sendDate: '2020-03-03',
    sendTime: '09:00',
    sendAt: '2020-03-03T09:00:00+03:00',
    to: [{ id: executor, name: 'Сидоров Пётр Петрович', email: addressOf(plan, 'director-sch-01') }],
    cc: [],
    plan: { id: plan, key: plan, title: 'Тестовый план-график', timezone: 'Europe/Moscow' },
    task: { task, title: 'Заключение договоров о сотрудничестве со школами-партнёрами', period: 'март', start: '2020-03-02', due: '2020-03-31', executorName: 'Сидоров Пётр Петрович', schoolName: null, target: null, result: null, daysLate: 0 },
  };
}

/** The address after «label:» in a letter's text, as an executor's mail program shows it. */
function linkIn(mail: CaughtMail, label: string): string {
  const match = new RegExp(`${label}:\\s*(https?://\\S+)`).exec(mail.text);
  if (!match) throw new Error(`no «${label}» link in ${mail.subject}:\n${mail.text}`);
  return match[1]!;
}

const tokenOf = (link: string): string => new URL(link).pathname.split('/').pop()!;

/** What a link's token says, read back from its payload. */
function fieldsOf(token: string): ActionLink {
  const [plan, task, executor, action, expires, nonce] = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as string[];
  return { plan: plan!, task: task!, executor: executor!, action: action as ActionLink['action'], expires: Number(expires), nonce: nonce! };
}

/** The token with one character of its signature changed; its key id stays. */
function forged(token: string): string {
  const [payload, signature, ...rest] = token.split('.') as [string, string, ...string[]];
  const at = Math.floor(signature.length / 2);
  return [payload, `${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`, ...rest].join('.');
}

const bar = (page: Page, occurrence: string) => page.locator(`.tl-bar[data-occurrence="${occurrence}"]`);
const rowItems = (page: Page) => page.locator('.timeline .tl-row[data-item]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-item')));
const summaryCount = async (page: Page, state: string) => page.locator(`.tl-summary [data-state="${state}"]`).getAttribute('data-count');

describe('the office\'s pages and the executors\' links in Chromium, on a running plan', () => {
  it(
    'sends a visitor without a session to the login, refuses a wrong password with «Неверный логин или пароль», and lets the right one in to the year with an HttpOnly, SameSite=Lax session cookie',
    async () => {
      office = await newContext();
      const page = await office.newPage();
      await page.goto(yearUrl());
      expect(page.url()).toBe(url(`/login?next=${encodeURIComponent(`/plans/${PLAN}/year`)}`));
      await expect.poll(() => page.locator('h1').textContent()).toBe('Вход для проектного офиса');
      await keepScreenshot(page, 'web-login');

      const wrong = await submitLogin(page, 'office', 'неверный пароль');
      expect(wrong.status()).toBe(401);
      expect(await page.locator('.flash-error').textContent()).toBe('Неверный логин или пароль.');
      expect((await office.cookies()).map((cookie) => cookie.name)).not.toContain('plangraf_session');

      const right = await submitLogin(page, 'office', PASSWORD);
      expect(right.status()).toBe(303);
      expect(page.url()).toBe(yearUrl());
      expect(await page.locator('h1').textContent()).toMatch(/^Год: /);
      expect(await page.locator('header.top form.logout span').textContent()).toBe('Иванова О. Ю.');
      const session = (await office.cookies()).find((cookie) => cookie.name === 'plangraf_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/', domain: '127.0.0.1' });
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses an office form posted without its CSRF token, with a wrong one, or without a session, and the task stays as it was',
    async () => {
      const context = await officeContext();
      const before = await taskStatus(env.client, PLAN, '1');
      const action = taskPageUrl(PLAN, '1');
      const form = { do: 'extend', to: '2020-04-20', reason: 'Форма с чужого сайта' };

      const withoutToken = await context.request.post(action, { form, maxRedirects: 0 });
      expect(withoutToken.status()).toBe(403);
      expect(await withoutToken.text()).toContain('<h1>Форма устарела</h1><p>Форма устарела или пришла не с этой страницы.');
      const wrongToken = await context.request.post(action, { form: { ...form, _csrf: randomBytes(18).toString('base64url') }, maxRedirects: 0 });
      expect(wrongToken.status()).toBe(403);

      const stranger = await newContext();
      const withoutSession = await stranger.request.post(action, { form, maxRedirects: 0 });
      expect(withoutSession.status()).toBe(401);
      expect(await withoutSession.text()).toContain('<h1>Нужно войти заново</h1><p>Сеанс завершён: войдите снова и повторите действие.</p>');
      await stranger.close();

      const after = await taskStatus(env.client, PLAN, '1');
      expect({ due: after.due, history: after.history.map((entry) => entry.kind) }).toEqual({ due: before.due, history: before.history.map((entry) => entry.kind) });
      expect(after.due).toBe('2020-03-31');

      const missing = await context.request.get(url('/nope'));
      expect(missing.status()).toBe(404);
      expect(await missing.text()).toContain('<h1>Нет такой страницы</h1><p>Адрес <code>/nope</code> ничего не показывает.');
    },
    TEST_TIMEOUT,
  );

  it(
    'draws the year as of 02.03.2020: the started tasks in work, February\'s overdue in red, April\'s planned; filtering by school and by state narrows it',
    async () => {
      const page = await officePage();
      await page.goto(yearUrl());
      expect(await page.locator('.tl-today-label').getAttribute('data-today')).toBe('2020-03-02');
      expect(await page.locator('.tl-today-label').textContent()).toBe('сегодня, 02.03.2020');
      expect(await rowItems(page)).toEqual(['1', '2', '3', '4']);

      const bars = await page.locator('.tl-bar').evaluateAll((links) =>
        links.map((link) => ({
          occurrence: link.getAttribute('data-occurrence'),
          state: link.getAttribute('data-state'),
          total: link.getAttribute('data-total'),
          task: link.getAttribute('data-task'),
          segments: [...link.querySelectorAll('rect[data-state]')].map((rect) => `${rect.getAttribute('data-state')} ${rect.getAttribute('data-count')}`),
        })),
      );
      expect(bars).toEqual([
        { occurrence: '1', state: 'active', total: '1', task: '1', segments: ['active 1'] },
        { occurrence: '2', state: 'active', total: '2', task: null, segments: ['active 2'] },
        { occurrence: '3', state: 'planned', total: '1', task: '3', segments: ['planned 1'] },
        { occurrence: '4', state: 'overdue', total: '1', task: '4', segments: ['overdue 1'] },
      ]);
      // Red as the legend's «просрочена»: the stylesheet loaded, the CSP let it.
      expect(await bar(page, '4').locator('rect[data-state="overdue"]').evaluate((rect) => getComputedStyle(rect).fill)).toBe('rgb(198, 40, 40)');
      expect(await page.locator('.tl-row[data-item="4"] .tl-label .state[data-state="overdue"]').textContent()).toBe('просрочено: 1');
      expect(await page.locator('.tl-summary').textContent()).toBe('На 02.03.2020: задач 5 — выполнено 0, просрочено 1, в работе 3, запланировано 1.');
      // A person reads no task id and no plan key on the year page.
      const yearText = await page.locator('body').innerText();
      expect(yearText).not.toContain('@sch-');
      expect(yearText).not.toContain(PLAN);
      await keepScreenshot(page, 'web-year');

      // One school: only its own task is left, a bar of its own that links to the task.
      await page.selectOption('#filter-school', 'sch-01');
      await Promise.all([page.waitForURL(/[?&]school=sch-01/), page.getByRole('button', { name: 'Показать' }).click()]);
      expect(await rowItems(page)).toEqual(['2']);
      expect(await bar(page, '2').getAttribute('data-task')).toBe('2@sch-01');
      expect(await page.locator('.tl-summary').textContent()).toContain('задач 1 из 5 (по фильтрам)');
      expect(await page.locator('#filter-school').inputValue()).toBe('sch-01');
      await keepScreenshot(page, 'web-year-filtered');

      // By state, after «Сбросить».
      await Promise.all([page.waitForURL(yearUrl()), page.getByRole('link', { name: 'Сбросить' }).click()]);
      await page.selectOption('#filter-state', 'overdue');
      await Promise.all([page.waitForURL(/[?&]state=overdue/), page.getByRole('button', { name: 'Показать' }).click()]);
      expect(await rowItems(page)).toEqual(['4']);
      await page.selectOption('#filter-state', 'planned');
      await Promise.all([page.waitForURL(/[?&]state=planned/), page.getByRole('button', { name: 'Показать' }).click()]);
      expect(await rowItems(page)).toEqual(['3']);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'lets the executor of 2@sch-01 report from the received letter with a scan (a file that is not a document is refused, nothing typed is lost); the office returns the report with a reason, the executor reports again from the fresh link, the office accepts; the year and the indicators count it only then',
    async () => {
      const assignment = await letter(PLAN, '2@sch-01', 'assigned');
      expect(assignment.to).toEqual([addressOf(PLAN, 'director-sch-01')]);
      const link = linkIn(assignment, 'Сообщить о выполнении');
      expect(link.startsWith(url('/act/'))).toBe(true);

      const executor = await newContext();
      const page = await executor.newPage();
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Сообщить о выполнении');
      const card = await page.locator('dl.fields').innerText();
      // The task by its activity and school, never its id.
      expect(card).not.toContain('2@sch-01');
      expect(card).toContain('Пункт плана');
      expect(card).toContain('Тестовый план-график');
      expect(card).toContain('Заключение договоров о сотрудничестве со школами-партнёрами');
      expect(card).toContain('31.03.2020');
      expect(card).toContain('Сидоров Пётр Петрович, МОУ «Ерахтурская средняя школа»');
      await expect.poll(() => page.locator('textarea#result').isVisible()).toBe(true);
      // Readable on a phone: one column, nothing runs off to the side.
      expect(await overflowAt(page, 390)).toBe(0);
      await keepScreenshot(page, 'web-executor-confirm');

      // Mail scanners follow links: opening one must not act.
      const opened2 = await taskStatus(env.client, PLAN, '2@sch-01');
      expect({ state: opened2.state, result: opened2.result }).toEqual({ state: 'active', result: null });
      expect(opened2.history.map((entry) => entry.kind)).not.toContain('reported');

      const send = async (target: Page, address: string, status: number) => {
        await Promise.all([
          target.waitForResponse((response) => response.url() === address && response.request().method() === 'POST' && response.status() === status),
          target.getByRole('button', { name: 'Сообщить о выполнении' }).click(),
        ]);
      };
      // A program named .pdf is refused by what is in it; the report is not sent and what was typed stays.
      await page.fill('#result', FIRST_REPORT);
      await page.setInputFiles('#files', [
        { name: 'скан договора.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF },
        { name: 'протокол.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 this is a program, not a document') },
      ]);
      await send(page, link, 422);
      expect(await page.locator('ul.refused li').allInnerTexts()).toEqual([expect.stringContaining('«протокол.pdf»')]);
      expect(await page.inputValue('#result')).toBe(FIRST_REPORT);
      expect((await taskStatus(env.client, PLAN, '2@sch-01')).state).toBe('active');

      await page.setInputFiles('#files', [{ name: 'скан договора.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF }]);
      await send(page, link, 200);
      expect(await page.locator('[data-done="complete"][data-state="review"] h1').textContent()).toBe('Спасибо! Отчёт отправлен на проверку');
      expect(await page.locator('[data-done="complete"]').innerText()).toContain('Приложено файлов: 1 — скан договора.pdf.');
      await keepScreenshot(page, 'web-executor-done');

      const onReview = await taskStatus(env.client, PLAN, '2@sch-01');
      expect({ state: onReview.state, result: onReview.result, reportedOn: onReview.reportedOn, reports: onReview.reports }).toEqual({ state: 'review', result: FIRST_REPORT, reportedOn: SLOT_DAY, reports: 1 });

      // The office sees the report and its scan, and returns it with what to rework.
      const officeTab = await officePage();
      await officeTab.goto(taskPageUrl(PLAN, '2@sch-01'));
      const review = officeTab.locator('section#review');
      expect(await review.innerText()).toContain(`от 02.03.2020: «${FIRST_REPORT}»`);
      const scan = review.locator('ul.evidence a');
      expect(await scan.textContent()).toBe('скан договора.pdf');
      const download = await officeTab.request.get(url((await scan.getAttribute('href'))!));
      expect({ status: download.status(), type: download.headers()['content-type'], same: Buffer.compare(await download.body(), SCAN_PDF) === 0 }).toEqual({ status: 200, type: 'application/pdf', same: true });
      await keepScreenshot(officeTab, 'web-task-review');
      await officeTab.fill('#return-why', RETURN_REASON);
      await Promise.all([officeTab.waitForURL(/done=returned/), officeTab.getByRole('button', { name: 'Вернуть на доработку' }).click()]);
      expect(await officeTab.locator('.flash').innerText()).toContain('Отчёт возвращён на доработку');
      const returned = await taskStatus(env.client, PLAN, '2@sch-01');
      expect({ state: returned.state, result: returned.result, reason: returned.returned?.reason }).toEqual({ state: 'active', result: null, reason: RETURN_REASON });

      // The letter of the return carries fresh links, signed as the worker signs them when it goes at 09:00.
      const fresh = executorActionLinks(signer, web.url)(returnedLetterOf(PLAN, '2@sch-01', 'director:sch-01'))!.complete;
      await page.goto(fresh);
      expect(await page.locator('[data-returned]').innerText()).toContain(RETURN_REASON);
      await page.fill('#result', RESULT);
      await page.setInputFiles('#files', [{ name: 'скан договора с подписями.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF }]);
      await send(page, fresh, 200);
      expect(await page.locator('[data-done="complete"][data-state="review"] h1').textContent()).toBe('Спасибо! Отчёт отправлен на проверку');
      await executor.close();

      await officeTab.goto(taskPageUrl(PLAN, '2@sch-01'));
      expect(await officeTab.locator('section#review').getAttribute('data-review')).toBe('2');
      await Promise.all([officeTab.waitForURL(/done=accepted/), officeTab.getByRole('button', { name: 'Принять и снять с контроля' }).click()]);
      expect(await officeTab.locator('.flash').innerText()).toContain('Отчёт принят: задача снята с контроля');
      // Both reports' files stay on the task's page.
      expect(await officeTab.locator('ul.evidence a').allTextContents()).toEqual(['скан договора.pdf', 'скан договора с подписями.pdf']);

      const done = await taskStatus(env.client, PLAN, '2@sch-01');
      expect({ state: done.state, result: done.result, doneOn: done.doneOn, daysLate: done.daysLate }).toEqual({ state: 'done', result: RESULT, doneOn: SLOT_DAY, daysLate: 0 });
      expect(done.history.filter((entry) => ['reported', 'report-returned', 'accepted'].includes(entry.kind)).map((entry) => `${entry.kind} ${entry.to?.join(',')}`)).toEqual(['reported director:sch-01', 'report-returned office', 'reported director:sch-01', 'accepted office']);

      // The audit log names each step and the executor in words, never by their ids.
      await officeTab.goto(url('/audit'));
      const audit = await officeTab.locator('main').innerText();
      for (const step of ['исполнитель сообщил о выполнении', 'отчёт возвращён на доработку', 'отчёт принят, задача снята с контроля']) expect(audit).toContain(step);
      expect(audit).toContain('исполнитель Сидоров Пётр Петрович');
      expect(audit).not.toMatch(/director:|#accept|#return/);

      // The plan hears of the acceptance from the task a moment later.
      await vi.waitFor(
        async () => {
          await officeTab.goto(yearUrl());
          expect(await bar(officeTab, '2').locator('rect[data-state]').evaluateAll((rects) => rects.map((rect) => `${rect.getAttribute('data-state')} ${rect.getAttribute('data-count')}`))).toEqual(['done 1', 'active 1']);
        },
        { timeout: 10_000, interval: 300 },
      );
      expect(await summaryCount(officeTab, 'done')).toBe('1');
      expect(await bar(officeTab, '2').getAttribute('aria-label')).toBe('пункт 2 «Заключение договоров о сотрудничестве со школами-партнёрами», 02.03.2020 – 31.03.2020: 1 из 2 выполнено, 1 в работе');

      await officeTab.goto(url(`/plans/${PLAN}/indicators`));
      const completion = officeTab.locator('.ind-completion');
      expect({ done: await completion.getAttribute('data-done'), total: await completion.getAttribute('data-total'), percent: await completion.getAttribute('data-percent') }).toEqual({ done: '1', total: '5', percent: '20' });
      const row = officeTab.locator('tr[data-item="2"]');
      expect({ done: await row.locator('td[data-done]').getAttribute('data-done'), tasks: await row.locator('td[data-done]').getAttribute('data-tasks') }).toEqual({ done: '1', tasks: '2' });
      expect(await row.locator('td[data-done]').textContent()).toBe('1 из 2');
      expect(await officeTab.locator('tr[data-item="4"] td[data-done]').textContent()).toBe('0 из 1, просрочено 1');
      await keepScreenshot(officeTab, 'web-indicators');
      await officeTab.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a used link with «Ссылка уже использована» (410), a forged one and one signed with another secret with «Ссылка недействительна» (403), and none of them changes anything',
    async () => {
      const used = linkIn(await letter(PLAN, '2@sch-01', 'assigned'), 'Сообщить о выполнении');
      const other = linkIn(await letter(PLAN, '2@sch-02', 'assigned'), 'Сообщить о выполнении');
      const executor = await newContext();
      const page = await executor.newPage();

      const again = await page.goto(used);
      expect(again?.status()).toBe(410);
      expect(await page.locator('[data-refusal] h1').textContent()).toBe('Ссылка уже использована');
      // What was sent by it, when and by whom, and where the task stands now.
      const sent = await page.locator('[data-used] [data-sent="reported"]').innerText();
      expect(sent).toContain(`«${FIRST_REPORT}»`);
      expect(sent).toContain('Сидоров Пётр Петрович');
      expect(await page.locator('[data-now]').innerText()).toContain('выполнена 02.03.2020, снята с контроля');
      // Sending the form again, even with the link's own form token, does nothing either.
      const resent = await executor.request.post(used, { form: { _csrf: signer.formToken(tokenOf(used)), result: 'Другой результат' }, maxRedirects: 0 });
      expect(resent.status()).toBe(410);

      const forgedLink = url(`/act/${forged(tokenOf(other))}`);
      const forgedPage = await page.goto(forgedLink);
      expect(forgedPage?.status()).toBe(403);
      expect(await page.locator('[data-refusal] h1').textContent()).toBe('Ссылка недействительна');
      const forgedPost = await executor.request.post(forgedLink, { form: { _csrf: signer.formToken(forged(tokenOf(other))), result: 'Подделка' }, maxRedirects: 0 });
      expect(forgedPost.status()).toBe(403);

      // The same plan, task, executor and expiry, signed by someone who does not hold the secret.
      const foreign = url(`/act/${new LinkSigner(randomBytes(32)).actionToken(fieldsOf(tokenOf(other)))}`);
      expect((await page.goto(foreign))?.status()).toBe(403);
      expect(await page.locator('[data-refusal] h1').textContent()).toBe('Ссылка недействительна');

      // A link of ours whose month is over: from a letter of 30 January about a task due that day.
      const expired = url(`/act/${signer.actionToken({ ...fieldsOf(tokenOf(other)), expires: linkExpiry('2020-01-30', '2020-01-30') })}`);
      expect((await page.goto(expired))?.status()).toBe(410);
      expect(await page.locator('[data-refusal] h1').textContent()).toBe('Срок действия ссылки истёк');
      await executor.close();

      const first = await taskStatus(env.client, PLAN, '2@sch-01');
      expect({ result: first.result, accepted: first.history.filter((entry) => entry.kind === 'accepted').length }).toEqual({ result: RESULT, accepted: 1 });
      const second = await taskStatus(env.client, PLAN, '2@sch-02');
      expect({ state: second.state, result: second.result }).toEqual({ state: 'active', result: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'lets the executor of 2@sch-02 ask for more time from «Попросить перенести срок»; the office sees the request on the task page and approves it, and the deadline moves',
    async () => {
      const link = linkIn(await letter(PLAN, '2@sch-02', 'assigned'), 'Попросить перенести срок');
      const executor = await newContext();
      const page = await executor.newPage();
      expect((await page.goto(link))?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Попросить перенести срок');
      expect(await page.locator('input#to').getAttribute('min')).toBe('2020-03-31');
      await page.fill('#to', '2020-04-10');
      await page.fill('#reason', 'Партнёр согласует договор с учредителем');
      await page.getByRole('button', { name: 'Попросить перенести срок' }).click();
      await expect.poll(() => page.locator('[data-done="extend"] h1').textContent()).toBe('Просьба отправлена');
      expect(await page.locator('[data-done="extend"]').innerText()).toContain('Вы попросили перенести срок на 10.04.2020.');
      await executor.close();
      expect((await taskStatus(env.client, PLAN, '2@sch-02')).due).toBe('2020-03-31');

      const officeTab = await officePage();
      await officeTab.goto(taskPageUrl(PLAN, '2@sch-02'));
      const request = officeTab.locator('section#request');
      expect(await request.innerText()).toContain('Кузнецова Анна Викторовна просит перенести срок с 31.03.2020 на 10.04.2020. Просьба от 02.03.2020.');
      expect(await request.innerText()).toContain('Причина: «Партнёр согласует договор с учредителем»');
      await Promise.all([officeTab.waitForURL(/done=extended/), request.getByRole('button', { name: 'Перенести на 10.04.2020' }).click()]);
      expect(await officeTab.locator('.flash-ok').textContent()).toBe('Срок перенесён на 10.04.2020; исполнитель и проектный офис получат письмо об этом в 09:00 ближайшего рабочего дня');
      expect(await officeTab.locator('section#request').count()).toBe(0);
      await officeTab.close();

      const moved = await taskStatus(env.client, PLAN, '2@sch-02');
      expect({ due: moved.due, plannedDue: moved.plannedDue, request: moved.extensionRequest ?? null, state: moved.state }).toEqual({ due: '2020-04-10', plannedDue: '2020-03-31', request: null, state: 'active' });
      expect(moved.history.filter((entry) => entry.kind === 'extension-request' || entry.kind === 'extension').map(({ kind, detail, to }) => ({ kind, detail, to }))).toEqual([
        { kind: 'extension-request', detail: '2020-03-31 → 2020-04-10: Партнёр согласует договор с учредителем', to: ['director:sch-02'] },
        { kind: 'extension', detail: '2020-03-31 → 2020-04-10: по просьбе исполнителя: Партнёр согласует договор с учредителем', to: ['office'] },
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the task\'s history with its assignment and moves its deadline from the office\'s form, with a reason: a message says so and the new due date is shown',
    async () => {
      const page = await officePage();
      await page.goto(taskPageUrl(PLAN, '1'));
      expect(await page.locator('h1').textContent()).toBe('Разработка программы повышения качества образования');
      const assigned = page.locator('table.history tr[data-kind="assigned"]');
      expect(await assigned.count()).toBe(1);
      const cells = await assigned.locator('td').allInnerTexts();
      expect(cells.slice(0, 3)).toEqual(['02.03.2020', '09:00', 'Письмо исполнителю о начале задачи']);
      expect(cells[3]).toContain('Петров Иван Сергеевич');
      expect(cells[3]).toContain('Иванова Ольга Юрьевна');
      expect(cells[3]).not.toContain(addressOf(PLAN, 'riro'));

      await page.fill('#extend-to', '2020-04-15');
      await page.fill('#extend-reason', 'Программу согласуют с министерством');
      await Promise.all([page.waitForURL(/done=extended/), page.getByRole('button', { name: 'Перенести срок', exact: true }).click()]);
      expect(await page.locator('.flash-ok').textContent()).toBe('Срок перенесён на 15.04.2020; исполнитель и проектный офис получат письмо об этом в 09:00 ближайшего рабочего дня');
      const due = page.locator('dl.fields dt:text-is("Срок исполнения") + dd');
      expect(await due.innerText()).toBe('15.04.2020 (по плану — 31.03.2020)');
      expect(await page.locator('table.history tr[data-kind="extension"] td').allInnerTexts()).toEqual(['02.03.2020', expect.stringMatching(/^09:0\d$/), 'Срок перенесён', 'Иванова О. Ю.', '31.03.2020 → 15.04.2020: Программу согласуют с министерством']);
      // A person reads no task id and no plan key on the task page.
      const taskText = await page.locator('body').innerText();
      expect(taskText).not.toContain('@sch-');
      // (The test plan's e-mail addresses carry its key: `web-e2e.riro@example.org`; an address is what it is.)
      expect(taskText.replace(/\S+@example\.org/g, '')).not.toContain(PLAN);
      await keepScreenshot(page, 'web-task');
      await page.close();
      expect((await taskStatus(env.client, PLAN, '1')).due).toBe('2020-04-15');
    },
    TEST_TIMEOUT,
  );

  it(
    'mails the office the executor\'s request for more time and the executor the office\'s refusal at the next 09:00',
    async () => {
      // Mail goes out at 09:00 only: this plan starts before its slot, and the executor uses the
      // link the assignment is about to carry (the worker signs it from the message's key alone).
      const clockShiftMs = shiftToSlot(SLOT_DAY, 20);
      await startPlan(env.client, planInputOf(requestPlan.loaded, { clockShiftMs }), TASK_QUEUE);
      const slotAt = realInstantOfSlot(SLOT_DAY, clockShiftMs);
      const riro = { id: 'riro', name: 'Петров Иван Сергеевич', email: addressOf(REQUEST_PLAN, 'riro') };
      const links = executorActionLinks(signer, web.url)({ kind: 'assigned', key: `task:${REQUEST_PLAN}:1:assigned:riro`, sendDate: SLOT_DAY, to: [riro], plan: { key: REQUEST_PLAN }, task: { task: '1', due: '2020-03-31' } } as unknown as TaskNotification)!;
      await vi.waitFor(() => taskStatus(env.client, REQUEST_PLAN, '1'), { timeout: 10_000, interval: 200 });

      const executor = await newContext();
      const page = await executor.newPage();
      expect((await page.goto(links.extend))?.status()).toBe(200);
      await page.fill('#to', '2020-04-10');
      await page.fill('#reason', 'Нужно дождаться решения коллегии');
      await page.getByRole('button', { name: 'Попросить перенести срок' }).click();
      await expect.poll(() => page.locator('[data-done="extend"] h1').textContent()).toBe('Просьба отправлена');
      await executor.close();

      const officeTab = await officePage();
      await officeTab.goto(taskPageUrl(REQUEST_PLAN, '1'));
      await officeTab.fill('#decline-answer', 'Срок определён приказом министерства');
      await Promise.all([officeTab.waitForURL(/done=declined/), officeTab.getByRole('button', { name: 'Отказать' }).click()]);
      expect(await officeTab.locator('.flash-ok').textContent()).toBe('В переносе срока отказано; исполнитель получит письмо с ответом');
      await officeTab.close();
      expect(Date.now(), 'the request and the refusal must come before the 09:00 slot, or their mail waits for the next day').toBeLessThan(slotAt);

      const kinds = ['extension-requested', 'extension-declined'];
      const mails = await vi.waitFor(
        async () => {
          const caught = await planMail([catcher], REQUEST_PLAN);
          const missing = kinds.filter((kind) => !caught.some((mail) => mail.task === '1' && mail.kind === kind));
          if (missing.length > 0) throw new Error(`not caught yet: ${missing.join(', ')}`);
          return caught.filter((mail) => mail.task === '1');
        },
        { timeout: 40_000, interval: 250 },
      );
      const of = (kind: string) => mails.find((mail) => mail.kind === kind)!;
      const coordinator = addressOf(REQUEST_PLAN, 'coordinator');
      expect(kinds.map((kind) => ({ kind, to: of(kind).to, cc: of(kind).cc, date: of(kind).date }))).toEqual([
        { kind: 'extension-requested', to: [coordinator], cc: [riro.email], date: '2020-03-02T06:00:00.000Z' },
        { kind: 'extension-declined', to: [riro.email], cc: [coordinator], date: '2020-03-02T06:00:00.000Z' },
      ]);
      expect(of('extension-requested').subject).toBe('Просьба о переносе срока: Разработка программы повышения качества образования (на 10.04.2020, Петров Иван Сергеевич)');
      expect(of('extension-requested').text).toContain('Нужно дождаться решения коллегии');
      expect(of('extension-declined').text).toContain('Срок определён приказом министерства');
    },
    TEST_TIMEOUT,
  );

  it(
    'sends the assignment of web-req\'s task 1 at the same 09:00 as the letters about the request made before it',
    async () => {
      const assigned = await vi.waitFor(
        async () => {
          const found = (await planMail([catcher], REQUEST_PLAN)).find((mail) => mail.task === '1' && mail.kind === 'assigned');
          if (!found) throw new Error('no assignment caught for web-req 1');
          return found;
        },
        { timeout: 5_000, interval: 250 },
      );
      expect(assigned.date).toBe('2020-03-02T06:00:00.000Z');
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the register with the contracts issued at the assignments, and the caught mail with the assignment letters and their working links',
    async () => {
      const page = await officePage();
      await page.goto(url('/documents'));
      const rows = await page.locator('table.documents tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent)));
      expect(rows.map((row) => row[0]).sort()).toEqual(['ДС-2020/001', 'ДС-2020/002']);
      for (const row of rows) expect(row.slice(1)).toEqual(['02.03.2020', 'Договор о сотрудничестве (сетевом партнёрстве)', 'Тестовый план-график', expect.stringMatching(/^Договор ДС-2020 00[12] МОУ (Ерахтурская|Лесновская) средняя школа\.docx$/), 'в порядке']);
      await keepScreenshot(page, 'web-documents');
      await page.goto(taskPageUrl(PLAN, '2@sch-01'));
      expect(await page.locator('table.documents tbody tr').count()).toBe(1);

      await page.goto(url(`/mail?plan=${PLAN}`));
      const letters = await page.locator('table.mail tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ kind: tr.getAttribute('data-kind'), task: new URL(tr.querySelector('td:last-child a')?.getAttribute('href') ?? '/', location.href).searchParams.get('t'), text: tr.querySelector('td:last-child')?.textContent ?? '' })),
      );
      // The letters' tasks by name: «Заключение договоров … — МОУ «Ерахтурская средняя школа»», the plan by its title.
      expect(letters.map((entry) => entry.text).join('\n')).not.toContain('@sch-');
      expect(letters.find((entry) => entry.task === '2@sch-01')?.text).toBe('Заключение договоров о сотрудничестве со школами-партнёрами — МОУ «Ерахтурская средняя школа»');
      // The plan by its title (the test's addresses carry its key).
      expect(new Set(await page.locator('table.mail tbody td:nth-child(6)').allInnerTexts())).toEqual(new Set(['Тестовый план-график']));
      expect(letters.filter((entry) => entry.kind === 'assigned').map((entry) => entry.task).sort()).toEqual(['1', '2@sch-01', '2@sch-02']);
      expect(letters.filter((entry) => entry.kind === 'late-at-start').map((entry) => entry.task)).toEqual(['4']);
      expect(letters.filter((entry) => entry.kind === 'document').map((entry) => entry.task).sort()).toEqual(['2@sch-01', '2@sch-02']);
      await keepScreenshot(page, 'web-mail');

      await Promise.all([page.waitForURL(/\/mail\/message\?id=/), page.getByRole('link', { name: /^Поручение: .* — МОУ «Лесновская средняя школа» \(срок 31\.03\.2020\)$/ }).click()]);
      // The letter's page speaks Russian: no Message-ID, no MIME types.
      const letterPage = await page.locator('main').innerText();
      expect(letterPage).not.toMatch(/Message-ID|text\/calendar/);
      expect(letterPage).toContain('событие для календаря');
      const actLinks = await page.locator('pre.mail-text a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      const assignment = await letter(PLAN, '2@sch-02', 'assigned');
      expect(actLinks).toEqual([linkIn(assignment, 'Сообщить о выполнении'), linkIn(assignment, 'Попросить перенести срок'), linkIn(assignment, 'Календарь ваших сроков')]);
      // The assignment's calendar address is the director's own feed, which a calendar client can fetch.
      const feed = await fetch(actLinks[2]!);
      expect(feed.headers.get('content-type')).toContain('text/calendar');
      expect(await feed.text()).toContain('SUMMARY:Срок: ');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'serves the calendar feeds at signed addresses, read by ical.js: one event per task at 09:00 Moscow time in UTC under the letters\' UIDs, the overdue and the done task named so; a forged address gets 403',
    async () => {
      const deps = { signer, publicUrl: web.url };
      const fetchFeed = async (address: string) => {
        const response = await fetch(address);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
        const text = await response.text();
        const root = new ICAL.Component(ICAL.parse(text));
        const events = root.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
        return { text: text.replace(/\r\n[ \t]/g, ''), events, byTask: (task: string) => events.find((event) => event.uid === feedUidFor(PLAN, task))! };
      };

      const riro = await fetchFeed(feedUrl(deps, PLAN, 'riro'));
      expect(riro.events.map((event) => event.uid).sort()).toEqual(['1', '3', '4'].map((task) => feedUidFor(PLAN, task)).sort());
      for (const event of riro.events) {
        expect(event.startDate.zone?.tzid).toBe('UTC');
        expect(event.startDate.toJSDate().getUTCHours()).toBe(6);
      }
      expect(riro.text).toContain('\r\nDTSTART:20200430T060000Z\r\n');
      expect(riro.byTask('3').startDate.toJSDate().toISOString()).toBe('2020-04-30T06:00:00.000Z');
      expect(riro.byTask('4').summary).toBe('Просрочено: Обновление критериев идентификации школ с низкими результатами');
      expect(riro.byTask('3').component.getAllSubcomponents('valarm')).toHaveLength(1);

      const whole = await fetchFeed(feedUrl(deps, PLAN, null));
      expect(whole.events.map((event) => event.uid).sort()).toEqual(['1', '2@sch-01', '2@sch-02', '3', '4'].map((task) => feedUidFor(PLAN, task)).sort());
      expect(whole.byTask('2@sch-01').summary).toBe('Выполнено: Заключение договоров о сотрудничестве со школами-партнёрами (МОУ «Ерахтурская средняя школа»)');
      expect(whole.byTask('2@sch-01').description).toContain(`Результат: ${RESULT}`);

      const token = new URL(feedUrl(deps, PLAN, 'riro')).pathname.split('/').pop()!.replace(/\.ics$/, '');
      const refused = await fetch(url(`/calendar/${forged(token)}.ics`));
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Ссылка на календарь недействительна');
      expect((await fetch(url(`/calendar/${new LinkSigner(randomBytes(32)).feedToken({ plan: PLAN, executor: null })}.ics`))).status).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    'downloads the status and indicators spreadsheets with the session, read back by exceljs: a header row with filters, states in Russian, 2@sch-01 «выполнена» with its result',
    async () => {
      const page = await officePage();
      await page.goto(yearUrl());
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'состояние задач (.xlsx)' }).click()]);
      expect(download.suggestedFilename()).toBe(`Состояние ${PLAN} на 02.03.2020.xlsx`);
      const status = await readSheet(await readFile((await download.path())!), 'Состояние');
      expect(status.getRow(1).values).toEqual([undefined, ...STATUS_HEADERS]);
      expect(status.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(status.autoFilter).toBe('A1:N6');
      const byTask = rowsOf(status, STATUS_HEADERS);
      expect(Object.fromEntries(byTask.map((row) => [row.Задача, row.Состояние]))).toEqual({ '1': 'в работе', '2@sch-01': 'выполнена', '2@sch-02': 'в работе', '3': 'запланирована', '4': 'просрочена' });
      const done = byTask.find((row) => row.Задача === '2@sch-01')!;
      expect({ result: done.Результат, doneOn: (done.Выполнено as Date).toISOString(), school: done.Школа }).toEqual({ result: RESULT, doneOn: '2020-03-02T00:00:00.000Z', school: 'МОУ «Ерахтурская средняя школа»' });
      expect((byTask.find((row) => row.Задача === '2@sch-02')!['Плановый срок'] as Date).toISOString()).toBe('2020-03-31T00:00:00.000Z');
      expect(byTask.find((row) => row.Задача === '4')!['Просрочка, раб. дн.']).toBe(1);

      const response = await page.request.get(url(`/plans/${PLAN}/indicators.xlsx`));
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const indicators = await readSheet(await response.body(), 'Показатели');
      expect(indicators.getRow(1).values).toEqual([undefined, ...INDICATOR_HEADERS]);
      expect(indicators.autoFilter).toBe('A1:M5');
      const byItem = rowsOf(indicators, INDICATOR_HEADERS);
      expect(byItem.map((row) => [row['№'], row['Выполнено задач'], row['Всего задач'], row['Просрочено задач']])).toEqual([
        ['1', 0, 1, 0],
        ['2', 1, 2, 0],
        ['3', 0, 1, 0],
        ['4', 0, 1, 1],
      ]);
      expect(byItem[1]!.Результаты).toBe(RESULT);
      expect(byItem.map((row) => row.Оценка)).toEqual(['в работе', 'достигнут', 'не начат', 'не достигнут']);

      // Without the session, no spreadsheet: the login page.
      const stranger = await newContext();
      const anonymous = await stranger.request.get(url(`/plans/${PLAN}/status.xlsx`), { maxRedirects: 0 });
      expect(anonymous.status()).toBe(303);
      expect(anonymous.headers().location).toBe(`/login?next=${encodeURIComponent(`/plans/${PLAN}/status.xlsx`)}`);
      await stranger.close();
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a deadline the office moved at once on the year page, in the calendar feed and in the spreadsheet, not after the task\'s next letter',
    async () => {
      await vi.waitFor(
        async () => {
          const dues = (await planStatus(env.client, PLAN)).tasks.filter((task) => task.task === '1' || task.task === '2@sch-02').map((task) => task.due);
          expect(dues).toEqual(['2020-04-15', '2020-04-10']);
        },
        { timeout: 5_000, interval: 250 },
      );
      const page = await officePage();
      await page.goto(yearUrl());
      expect(await bar(page, '1').getAttribute('aria-label')).toContain('02.03.2020 – 15.04.2020');
      const feed = new ICAL.Component(ICAL.parse(await (await fetch(feedUrl({ signer, publicUrl: web.url }, PLAN, 'riro'))).text()));
      const first = feed.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent)).find((event) => event.uid === feedUidFor(PLAN, '1'))!;
      expect({ start: first.startDate.toJSDate().toISOString(), sequence: first.sequence }).toEqual({ start: '2020-04-15T06:00:00.000Z', sequence: 1 });
      const sheet = await readSheet(await (await page.request.get(url(`/plans/${PLAN}/status.xlsx`))).body(), 'Состояние');
      expect((rowsOf(sheet, STATUS_HEADERS).find((row) => row.Задача === '2@sch-02')!.Срок as Date).toISOString()).toBe('2020-04-10T00:00:00.000Z');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'makes a login that keeps failing from this computer wait with «Слишком много неудачных попыток», the right password included, longer each time and on every page server, while a session already open goes on',
    async () => {
      // A second page server on the same store: wrong passwords count in the store, so one server
      // cannot be used to guess past the other's delays.
      const second = await startWebServer({ store, client: env.client, caughtMail: false, port: 0 });
      const context = await newContext();
      try {
        const page = await context.newPage();
        const attempt = async (server: RunningWebServer, password: string) => {
          await page.goto(`${server.url}/login`);
          await page.fill('#login', 'chief');
          await page.fill('#password', password);
          const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url() === `${server.url}/login` && candidate.request().method() === 'POST'), page.getByRole('button', { name: 'Войти' }).click()]);
          await page.waitForLoadState();
          return { status: response.status(), flash: await page.locator('.flash-error').textContent() };
        };
        const wrong = { status: 401, flash: 'Неверный логин или пароль.' };
        const waiting = (seconds: number) => ({ status: 429, flash: `Слишком много неудачных попыток входа с этого компьютера. Попробуйте снова через ${seconds} с.` });
        for (let round = 1; round <= 3; round += 1) expect(await attempt(second, `неверный пароль ${round}`)).toEqual(wrong);
        expect(await attempt(web, CHIEF_PASSWORD)).toEqual(waiting(1));
        // Each further wrong password, once the wait is over, doubles the next wait.
        await pause(1_100);
        expect(await attempt(web, 'неверный пароль 4')).toEqual(wrong);
        expect(await attempt(second, CHIEF_PASSWORD)).toEqual(waiting(2));
        await pause(2_100);
        expect(await attempt(second, 'неверный пароль 5')).toEqual(wrong);
        expect(await attempt(web, CHIEF_PASSWORD)).toEqual(waiting(4));
        expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('plangraf_session');
      } finally {
        await context.close();
        await second.close();
      }
      // The office, logged in at the start from the same computer, still works.
      const page = await officePage();
      expect((await page.goto(yearUrl()))?.status()).toBe(200);
      expect(page.url()).toBe(yearUrl());
      await page.close();
    },
    TEST_TIMEOUT,
  );
});

/** The only sheet of an .xlsx, read back by exceljs as a spreadsheet program would open it. */
async function readSheet(content: Buffer, name: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([name]);
  return workbook.worksheets[0]!;
}

/** The rows under the header, each as header → value. */
function rowsOf(sheet: ExcelJS.Worksheet, headers: readonly string[]): Array<Record<string, ExcelJS.CellValue>> {
  const rows: Array<Record<string, ExcelJS.CellValue>> = [];
  for (let index = 2; index <= sheet.rowCount; index += 1) {
    const row = sheet.getRow(index);
    rows.push(Object.fromEntries(headers.map((header, column) => [header, row.getCell(column + 1).value])));
  }
  return rows;
}

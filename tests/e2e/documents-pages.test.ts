/**
 * A plan's documents made from the pages, on real parts: a real PostgreSQL (the register and its
 * numbers), the Temporal CLI dev server the pages ask about plans, the web server, Debian's
 * Chromium driven by Playwright, and LibreOffice making the PDFs. The office's administrator
 * makes the order and the contracts of every pair (watching their progress), downloads them as
 * one archive and reads the contracts back; asked again, the register gives the same numbers; a
 * plan whose data falls short is refused with the school named and nothing registered; a viewer
 * and the office's staff read and download but make nothing; another region sees no such plan.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import PizZip from 'pizzip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { savePlan } from '../../store/plans.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import type { Role } from '../../store/users.ts';
import { startWebServer, type RunningWebServer } from '../../web/server.ts';
import { dateOf } from '../../workflows/clock.ts';
import { keepScreenshot, launchBrowser, loggedInPage } from '../support/browser.ts';
import { toYaml } from '../support/build-plan.ts';
import { csrfOf, Visitor } from '../support/cluster.ts';
import { docxText } from '../support/docx-text.ts';
import { e2ePlan } from '../support/e2e-plan.ts';
import { addTestUser, testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

installQuietRuntime('WARN');

const ORG = 'ryazan';
const OTHER_ORG = 'tver';
const PASSWORD = 'Пароль документов 2026';
const TEST_TIMEOUT = 180_000;
const THIS_YEAR = Number(dateOf(Date.now(), 'Europe/Moscow').slice(0, 4));
const PLAN = 'docs-pages';
const BROKEN = 'docs-broken';
/** Six participant schools, each with its partner: six contracts. */
const PAIRS = 6;

const PEOPLE = [
  { id: 'coordinator', name: 'Иванова Ольга Юрьевна', position: 'региональный координатор', organization: 'Министерство образования Рязанской области', email: 'docs.coordinator@example.org' },
  { id: 'riro', name: 'Петров Иван Сергеевич', position: 'методист', email: 'docs.riro@example.org' },
];

function schools(brokenDirector = false) {
  const participants = Array.from({ length: PAIRS }, (_, index) => ({
    id: `p-${index + 1}`,
    name: `МОУ «Средняя школа № ${index + 1}»`,
    kind: index % 2 === 0 ? 'ШНОР' : 'ШНСУ',
    municipality: 'Шиловский район',
    // A director whose name is only a space: the plan takes it, a contract would print a blank.
    director: { name: brokenDirector && index === 2 ? ' ' : `Директоров Иван ${index + 1}`, email: `docs.p${index + 1}@example.org` },
    curator: 'riro',
    partner: `l-${index + 1}`,
  }));
  const partners = participants.map((_, index) => ({ id: `l-${index + 1}`, name: `МБОУ «Лицей № ${index + 1}»`, kind: 'партнер', municipality: 'Шиловский район', director: { name: `Лицеев Пётр ${index + 1}`, email: `docs.l${index + 1}@example.org` } }));
  return [...participants, ...partners];
}

function planYaml(id: string, brokenDirector = false): string {
  return toYaml({ ...e2ePlan(id), year: THIS_YEAR, title: `План-график «${id}» на ${THIS_YEAR} год`, region: 'Рязанская область', paperwork: { place: 'г. Рязань' }, people: PEOPLE, schools: schools(brokenDirector) });
}

let scratch: string;
let store: Store;
let env: TestWorkflowEnvironment;
let web: RunningWebServer;
let browser: Browser;
let office: BrowserContext | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-documents-pages-'));
  store = await connectStore(await testDatabaseUrl(), { max: 5 });
  await ensureOrganisation(store.pool, ORG, 'Рязанская область');
  await ensureOrganisation(store.pool, OTHER_ORG, 'Тверская область');
  await addUser('office', 'Иванова О. Ю.', 'administrator', ORG);
  await addUser('chief', 'Руководитель офиса', 'office', ORG);
  await addUser('reader', 'Наблюдатель', 'viewer', ORG);
  await addUser('tver', 'Офис Твери', 'administrator', OTHER_ORG);
  for (const [id, broken] of [[PLAN, false], [BROKEN, true]] as const) {
    expect(await savePlan(store.pool, { key: id, org: ORG, planId: id, title: `План-график «${id}» на ${THIS_YEAR} год`, fileName: `${id}.yaml`, text: planYaml(id, broken), year: null, calendars: [] })).toBe(true);
  }
  [env, browser] = await Promise.all([devServerEnvironment(), launchBrowser()]);
  web = await startWebServer({ store, client: env.client, caughtMail: false, port: 0 });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await store?.close();
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

async function addUser(login: string, name: string, role: Role, org: string): Promise<void> {
  await addTestUser(store, { login, name, role, org }, PASSWORD);
}

const url = (path: string) => `${web.url}${path}`;
const documentsUrl = (plan: string) => url(`/plans/${plan}/documents`);

async function officePage(): Promise<Page> {
  office ??= await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', acceptDownloads: true });
  return loggedInPage(office, web.url, 'office', PASSWORD);
}

async function visitor(login: string): Promise<Visitor> {
  const someone = new Visitor();
  await someone.login(web.url, login, PASSWORD);
  return someone;
}

const registered = async (plan: string) => (await new StoreDocumentRegister(store).entries()).filter((entry) => entry.plan === plan);

/** Presses «Сформировать договоры (все пары)» and waits for the job's end; the numbers of the contracts the register then holds. */
async function makeContracts(page: Page, withPdf: boolean): Promise<{ progress: { state: string; done: number; total: number; pdf: string } | null }> {
  if (withPdf) await page.check('input[name="pdf"]');
  await Promise.all([page.waitForURL(/\/documents\?job=/), page.getByRole('button', { name: 'Сформировать договоры (все пары)' }).click()]);
  // While the job runs, the page shows a progress bar and its script asks the job's status.
  const status = await page.locator('[data-job-status]').getAttribute('data-job-status', { timeout: 1_000 }).catch(() => null);
  const progress = status ? ((await (await page.request.get(url(status))).json()) as { state: string; done: number; total: number; pdf: string }) : null;
  await page.locator('[data-job-state]').waitFor({ timeout: 150_000 });
  return { progress };
}

describe('documents made from the pages', () => {
  it(
    'makes the order and every contract with their progress on the page, then downloads them as one archive that opens, PDFs included',
    async () => {
      const page = await officePage();
      await page.goto(url('/documents'));
      await Promise.all([page.waitForURL(documentsUrl(PLAN)), page.getByRole('link', { name: `План-график «${PLAN}» на ${THIS_YEAR} год` }).click()]);
      expect(await page.locator('h1').textContent()).toBe('Документы плана');
      expect(await page.getByText('Документов этого плана пока нет.').count()).toBe(1);
      // Not started, the plan has no states of tasks to report on.
      expect(await page.getByRole('button', { name: 'Отчёт об исполнении' }).count()).toBe(0);

      await Promise.all([page.waitForURL(/\?made=/), page.getByRole('button', { name: 'Сформировать приказ' }).click()]);
      expect(await page.locator('.flash-ok').textContent()).toMatch(/^Сформировано: Приказ об утверждении перечня школ-участниц.* № \d+-П от /);

      // Their PDFs take LibreOffice seconds: the progress is on the page meanwhile.
      const { progress } = await makeContracts(page, true);
      expect(progress).toMatchObject({ total: PAIRS });
      expect(['running', 'done']).toContain(progress!.state);
      expect(await page.locator('[data-job-state]').getAttribute('data-job-state')).toBe('done');
      const numbers = Array.from({ length: PAIRS }, (_, index) => `ДС-${THIS_YEAR}/${String(index + 1).padStart(3, '0')}`);
      expect(await page.locator('.flash-ok').textContent()).toBe(`Договоры сформированы: ${PAIRS} (новые № ${numbers.join(', ')}).`);
      await keepScreenshot(page, 'documents-pages-contracts');

      // The register holds them once each, numbered in the organisation's order.
      const entries = await registered(PLAN);
      expect(entries.filter((entry) => entry.template === 'contract').map((entry) => [entry.key, entry.number])).toEqual(numbers.map((number, index) => [`${PLAN}:contract:p-${index + 1}:l-${index + 1}`, number]));
      expect(entries.map((entry) => entry.org)).toEqual(entries.map(() => ORG));
      expect(await page.locator('table.documents tbody tr').count()).toBe(PAIRS + 1);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать всё с PDF (.zip)' }).click()]);
      expect(download.suggestedFilename()).toBe(`Документы План-график «${PLAN}» на ${THIS_YEAR} год.zip`);
      const zip = new PizZip(await readFile((await download.path())!));
      const names = Object.keys(zip.files);
      expect(names.filter((name) => name.endsWith('.docx'))).toHaveLength(PAIRS + 1);
      expect(names.filter((name) => name.endsWith('.pdf'))).toHaveLength(PAIRS + 1);
      const third = names.find((name) => name.startsWith(`Договор ДС-${THIS_YEAR} 003 `) && name.endsWith('.docx'));
      expect(third, names.join('\n')).toBeDefined();
      const text = docxText(zip.file(third!)!.asNodeBuffer());
      expect(text).toContain('МОУ «Средняя школа № 3»');
      expect(text).toContain('МБОУ «Лицей № 3»');
      expect(text).toContain(`ДС-${THIS_YEAR}/003`);
      expect(zip.file(third!.replace(/\.docx$/, '.pdf'))!.asNodeBuffer().subarray(0, 5).toString()).toBe('%PDF-');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'asked again, returns the registered contracts under the same numbers and takes none new',
    async () => {
      const before = await registered(PLAN);
      const page = await officePage();
      await page.goto(documentsUrl(PLAN));
      await makeContracts(page, false);
      expect(await page.locator('.flash-ok').textContent()).toMatch(new RegExp(`^Договоры сформированы: ${PAIRS}; уже были в журнале с прежними номерами: ДС-${THIS_YEAR}/001, `));
      expect((await registered(PLAN)).map((entry) => entry.number)).toEqual(before.map((entry) => entry.number));
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a plan whose school lacks its director’s name, naming the school and the field, and registers none of its contracts',
    async () => {
      const page = await officePage();
      await page.goto(documentsUrl(BROKEN));
      await makeContracts(page, false);
      expect(await page.locator('[data-job-state]').getAttribute('data-job-state')).toBe('failed');
      const alert = await page.locator('[data-job-state="failed"]').textContent();
      expect(alert).toContain('Документы не сформированы и не зарегистрированы');
      expect(alert).toContain('Договор МОУ «Средняя школа № 3» и МБОУ «Лицей № 3»: МОУ «Средняя школа № 3» (школа-участница) — ФИО директора: пусто');
      expect(await registered(BROKEN)).toEqual([]);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'lets a viewer and the office’s staff see and download the documents but not make them, and shows another region nothing',
    async () => {
      for (const login of ['reader', 'chief']) {
        const someone = await visitor(login);
        const shown = await someone.get(documentsUrl(PLAN));
        expect(shown.status).toBe(200);
        expect(shown.text).not.toContain('Сформировать приказ');
        expect(shown.text).toContain('Формировать документы может администратор проектного офиса');
        const refused = await someone.post(documentsUrl(PLAN), { _csrf: csrfOf(shown.text), do: 'order' });
        expect(refused.status).toBe(403);
        const zip = await someone.get(`${documentsUrl(PLAN)}.zip`);
        expect(zip.status).toBe(200);
        expect(Object.keys(new PizZip(zip.body).files)).toHaveLength(PAIRS + 1);
      }
      const tver = await visitor('tver');
      expect((await tver.get(documentsUrl(PLAN))).status).toBe(404);
      expect((await tver.get(`${documentsUrl(PLAN)}.zip`)).status).toBe(404);
      const own = await tver.get(url('/plans'));
      expect((await tver.post(documentsUrl(PLAN), { _csrf: csrfOf(own.text), do: 'contracts' })).status).toBe(404);
      expect((await registered(PLAN)).length).toBe(PAIRS + 1);
    },
    TEST_TIMEOUT,
  );
});

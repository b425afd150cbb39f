/**
 * The office's users managed from the pages, on real parts: a real PostgreSQL, the Temporal CLI
 * dev server behind the pages, the web server, and Debian's Chromium driven by Playwright. The
 * administrator adds a curator and gets a one-time link (no password on screen); the new user
 * opens it in a browser of their own, sets a password and is in, seeing only their schools; the
 * link does not open twice; the administrator disables them and they can no longer log in; a
 * viewer has no «Пользователи», and another region's administrator finds nobody of this one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { listAudit } from '../../store/audit.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { savePlan } from '../../store/plans.ts';
import { findUser, type Role } from '../../store/users.ts';
import { startWebServer, type RunningWebServer } from '../../web/server.ts';
import { keepScreenshot, launchBrowser } from '../support/browser.ts';
import { csrfOf, Visitor } from '../support/cluster.ts';
import { e2ePlan } from '../support/e2e-plan.ts';
import { toYaml } from '../support/build-plan.ts';
import { addTestUser, testDatabaseUrl } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

installQuietRuntime('WARN');

const ORG = 'ryazan';
const OTHER_ORG = 'tver';
const PASSWORD = 'Пароль офиса 2027';
const NEW_PASSWORD = 'Мой новый пароль 1';
const TEST_TIMEOUT = 90_000;

let scratch: string;
let store: Store;
let env: TestWorkflowEnvironment;
let web: RunningWebServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-users-'));
  store = await connectStore(await testDatabaseUrl(), { max: 5 });
  await ensureOrganisation(store.pool, ORG, 'Рязанская область');
  await ensureOrganisation(store.pool, OTHER_ORG, 'Тверская область');
  await addUser('office', 'Иванова О. Ю.', 'administrator', ORG);
  await addUser('reader', 'Наблюдатель', 'viewer', ORG);
  await addUser('chief', 'Руководитель офиса', 'office', ORG);
  await addUser('tver', 'Офис Твери', 'administrator', OTHER_ORG);
  // A plan of the organisation, registered but not started: its schools are what a curator is given.
  const plan = { ...e2ePlan('users-plan'), title: 'План-график для пользователей' };
  await savePlan(store.pool, { key: 'users-plan', org: ORG, planId: 'users-plan', title: String(plan.title), fileName: 'users-plan.yaml', text: toYaml(plan), year: null, calendars: [] });
  [env, browser] = await Promise.all([devServerEnvironment(), launchBrowser()]);
  web = await startWebServer({ store, client: env.client, caughtMail: false, port: 0 });
}, 150_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
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

/** A browser of its own: cookies of nobody else. */
async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  contexts.push(context);
  return context.newPage();
}

async function loginAs(page: Page, login: string, password: string): Promise<void> {
  await page.goto(url('/login'));
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Войти' }).click()]);
}

async function visitor(login: string): Promise<Visitor> {
  const someone = new Visitor();
  await someone.login(web.url, login, PASSWORD);
  return someone;
}

describe('users from the pages', () => {
  it(
    'invites a curator by a one-time link, lets them set a password and log in, and shuts them out when disabled',
    async () => {
      const admin = await freshPage();
      await loginAs(admin, 'office', PASSWORD);
      await expect.poll(() => admin.getByRole('link', { name: 'Пользователи' }).count()).toBe(1);
      await admin.getByRole('link', { name: 'Пользователи' }).click();
      await admin.waitForURL(/\/users$/);
      const list = await admin.locator('main').innerText();
      expect(list).toContain('Иванова О. Ю.');
      expect(list).toContain('Наблюдатель');
      expect(list).not.toContain('Офис Твери');

      // Add a curator of one school: the schools are offered by name.
      await admin.fill('#add-login', 'petrova');
      await admin.fill('#add-name', 'Петрова Анна Ивановна');
      await admin.locator('input[name=role][value=curator]').check();
      await admin.getByLabel(/МОУ «Ерахтурская средняя школа»/).check();
      await admin.getByRole('button', { name: 'Добавить и получить ссылку для пароля' }).click();
      await admin.locator('#password-link').waitFor();
      const added = await admin.locator('main').innerText();
      expect(added).toContain('Пользователь Петрова Анна Ивановна добавлен');
      expect(added).toContain('МОУ «Ерахтурская средняя школа»');
      expect(added).toContain('ещё не задал пароль');
      const link = await admin.locator('#password-link').inputValue();
      expect(link).toMatch(new RegExp(`^${web.url}/password/[A-Za-z0-9_-]{43}$`));
      // Nothing like a password on the page, and the token is not what the store keeps.
      expect(added).not.toMatch(/Пароль:/);
      const { rows } = await store.pool.query<{ idHash: string }>(`select id_hash as "idHash" from password_links where login = 'petrova'`);
      expect(rows[0]!.idHash).not.toBe(link.split('/').at(-1));
      expect(await findUser(store.pool, 'petrova')).toMatchObject({ org: ORG, role: 'curator', schools: ['sch-01'] });
      await keepScreenshot(admin, 'users-invited');

      // The new user, in a browser of their own: too short a password is refused, then set, and they are in.
      const newcomer = await freshPage();
      await newcomer.goto(link);
      const greeting = await newcomer.locator('main').innerText();
      expect(greeting).toContain('Петрова Анна Ивановна');
      expect(greeting).toContain('petrova');
      await newcomer.fill('#password', 'short');
      await newcomer.fill('#password2', 'short');
      // The browser's own check (minlength) would stop the form: the server's is tested without it.
      await newcomer.locator('form').evaluate((form: HTMLFormElement) => (form.noValidate = true));
      await newcomer.getByRole('button', { name: 'Задать пароль и войти' }).click();
      await expect.poll(async () => newcomer.locator('main').innerText()).toContain('Пароль короче 8 знаков');
      await newcomer.fill('#password', NEW_PASSWORD);
      await newcomer.fill('#password2', NEW_PASSWORD);
      await Promise.all([newcomer.waitForURL((address) => !address.pathname.startsWith('/password')), newcomer.getByRole('button', { name: 'Задать пароль и войти' }).click()]);
      expect(await newcomer.locator('header.top').innerText()).toContain('Петрова Анна Ивановна');
      // A curator has no «Пользователи», and the page is not theirs.
      expect(await newcomer.getByRole('link', { name: 'Пользователи' }).count()).toBe(0);
      expect((await newcomer.goto(url('/users')))!.status()).toBe(403);

      // The link does not open a second time.
      const again = await freshPage();
      const reopened = await again.goto(link);
      expect(reopened!.status()).toBe(410);
      expect(await again.locator('main').innerText()).toContain('Ссылка уже использована');
      // The password set works for a new login too.
      await loginAs(again, 'petrova', NEW_PASSWORD);
      expect(await again.locator('header.top').innerText()).toContain('Петрова Анна Ивановна');

      // The administrator sees the login and disables the user: their sessions end, the login is refused.
      await admin.goto(url('/users'));
      const row = await admin.locator('tr[data-login="petrova"]').innerText();
      expect(row).toContain('действует');
      expect(row).not.toContain('—');
      await admin.locator('tr[data-login="petrova"] a').click();
      await admin.waitForURL(/\/users\/petrova$/);
      await admin.getByRole('button', { name: 'Отключить' }).click();
      await expect.poll(async () => admin.locator('main').innerText()).toContain('Пользователь отключён');
      await newcomer.goto(url('/plans'));
      expect(newcomer.url()).toContain('/login');
      const shut = await freshPage();
      await loginAs(shut, 'petrova', NEW_PASSWORD);
      expect(await shut.locator('main').innerText()).toContain('Неверный логин или пароль');

      // Enabled again, they log in with the password they set.
      await admin.getByRole('button', { name: 'Включить' }).click();
      await expect.poll(async () => admin.locator('main').innerText()).toContain('снова может войти');
      await loginAs(shut, 'petrova', NEW_PASSWORD);
      expect(await shut.locator('header.top').innerText()).toContain('Петрова Анна Ивановна');

      // Every step is in the audit log, with Russian labels.
      const actions = (await listAudit(store.pool, { org: ORG })).map((entry) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['/users#add', 'password.set', '/users/petrova#disable', '/users/petrova#enable']));
      await admin.goto(url('/audit'));
      const audit = await admin.locator('main').innerText();
      expect(audit).toContain('пользователь приглашён (ссылка для пароля): petrova');
      expect(audit).toContain('пароль задан по ссылке');
      expect(audit).toContain('пользователь отключён: petrova');
    },
    TEST_TIMEOUT,
  );

  it(
    'changes a role (ending the sessions) and resets a password with a new link that ends the old one',
    async () => {
      const office = await visitor('office');
      const usersPage = await office.get(url('/users'));
      const added = await office.post(url('/users'), { _csrf: csrfOf(usersPage.text), do: 'add', login: 'sidorov', name: 'Сидоров Пётр', role: 'office', municipality: '' });
      expect(added.status).toBe(200);
      const first = /\/password\/([A-Za-z0-9_-]{43})/.exec(added.text)![1]!;
      // A taken login is refused, the form kept.
      const taken = await office.post(url('/users'), { _csrf: csrfOf(usersPage.text), do: 'add', login: 'Sidorov', name: 'Другой', role: 'office' });
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('уже занят');

      const person = new Visitor();
      const form = await person.get(url(`/password/${first}`));
      expect(form.status).toBe(200);
      const set = await person.post(url(`/password/${first}`), { password: NEW_PASSWORD, password2: NEW_PASSWORD });
      expect(set.status).toBe(303);
      expect((await person.get(url('/plans'))).status).toBe(200);

      // A municipal coordinator now: their session ends.
      const changed = await office.post(url('/users/sidorov'), { _csrf: csrfOf(usersPage.text), do: 'change', name: 'Сидоров Пётр', role: 'municipal', municipality: 'Шиловский район' });
      expect(changed.status).toBe(200);
      expect(changed.text).toContain('муниципальный координатор');
      expect((await person.get(url('/plans'))).status).toBe(303);
      expect(await findUser(store.pool, 'sidorov')).toMatchObject({ role: 'municipal', municipality: 'Шиловский район' });

      // A reset: the old password stops working, a new link sets a new one.
      const reset = await office.post(url('/users/sidorov'), { _csrf: csrfOf(usersPage.text), do: 'reset' });
      const second = /\/password\/([A-Za-z0-9_-]{43})/.exec(reset.text)![1]!;
      expect(second).not.toBe(first);
      await expect(new Visitor().login(web.url, 'sidorov', NEW_PASSWORD)).rejects.toThrow(/401/);
      const fresh = new Visitor();
      expect((await fresh.post(url(`/password/${second}`), { password: 'Ещё один пароль', password2: 'Ещё один пароль' })).status).toBe(303);
      await new Visitor().login(web.url, 'sidorov', 'Ещё один пароль');

      // Oneself: neither disabled nor stripped of the administrator's role.
      const selfDisable = await office.post(url('/users/office'), { _csrf: csrfOf(usersPage.text), do: 'disable' });
      expect(selfDisable.status).toBe(422);
      expect(selfDisable.text).toContain('Себя отключить нельзя');
      const selfDemote = await office.post(url('/users/office'), { _csrf: csrfOf(usersPage.text), do: 'change', name: 'Иванова О. Ю.', role: 'viewer' });
      expect(selfDemote.status).toBe(422);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows no «Пользователи» to a viewer and refuses them the forms; another region finds nobody of this one',
    async () => {
      const viewer = await freshPage();
      await loginAs(viewer, 'reader', PASSWORD);
      expect(await viewer.locator('header.top').innerText()).not.toContain('Пользователи');
      expect((await viewer.goto(url('/users')))!.status()).toBe(403);

      const reader = await visitor('reader');
      const plans = await reader.get(url('/plans'));
      const refused = await reader.post(url('/users'), { _csrf: csrfOf(plans.text), do: 'add', login: 'intruder', name: 'Чужой', role: 'administrator' });
      expect(refused.status).toBe(403);
      const chief = await visitor('chief');
      const chiefPlans = await chief.get(url('/plans'));
      expect(chiefPlans.text).not.toContain('href="/users"');
      const chiefRefused = await chief.post(url('/users/reader'), { _csrf: csrfOf(chiefPlans.text), do: 'disable' });
      expect(chiefRefused.status).toBe(403);
      expect(await findUser(store.pool, 'intruder')).toBeUndefined();
      expect(await findUser(store.pool, 'reader')).toMatchObject({ disabled: false });

      const tver = await visitor('tver');
      const tverUsers = await tver.get(url('/users'));
      expect(tverUsers.status).toBe(200);
      expect(tverUsers.text).not.toContain('Иванова О. Ю.');
      expect((await tver.get(url('/users/reader'))).status).toBe(404);
      expect((await tver.post(url('/users/reader'), { _csrf: csrfOf(tverUsers.text), do: 'disable' })).status).toBe(404);
      expect(await findUser(store.pool, 'reader')).toMatchObject({ disabled: false });
    },
    TEST_TIMEOUT,
  );
});

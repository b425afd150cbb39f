/**
 * The processes and the people of a deployment: `plangraf worker` and `plangraf web` (any
 * number of each, on any hosts, sharing one Temporal and one store), `plangraf serve` (the
 * pages for the plans named), `plangraf users`, `plangraf orgs` and `plangraf keys`.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { draftRefusal } from '../plan/drafts.ts';
import { isSmtpConfigured } from '../activities/mail.ts';
import { loadPlanFile } from '../activities/plan-files.ts';
import { connectClient, planKeyOf, temporalAddress } from '../client/plan-runs.ts';
import { temporalSettings } from '../client/temporal-settings.ts';
import type { Store } from '../store/database.ts';
import { ensureOrganisation, listOrganisations, ORG_ID } from '../store/organisations.ts';
import { findPlan, listPlans, savePlan } from '../store/plans.ts';
import { addSigningKey, listSigningKeys, retireSigningKey } from '../store/signing-keys.ts';
import { disableUser, endAllSessions, findUser, listUsers, LOGIN_PATTERN, MIN_PASSWORD_LENGTH, ROLE_NAMES, ROLES, saveUser, type Role } from '../store/users.ts';
import { recordAudit } from '../store/audit.ts';
import { hashPassword } from '../web/auth.ts';
import { startWebServer } from '../web/server.ts';
import { publicUrl, webPort } from '../web/settings.ts';
import { createPlangrafWorker } from '../worker.ts';
import { parseYearOption, UsageError, type Output } from './output.ts';
import { installQuietRuntime } from './quiet-runtime.ts';
import { cliStore, defaultOrg, organisationFor } from './store.ts';
import { userInfo } from 'node:os';
import { formatRussianDate } from '../plan/dates.ts';
import { tolerateClosedChannelsFromNowOn } from '../client/closed-channel.ts';

/** The school ids a plan's text names (`schools[].id`); none for a text that does not read. */
function schoolIdsIn(text: string): string[] {
  try {
    const schools = (parseYaml(text) as { schools?: unknown } | null)?.schools;
    return Array.isArray(schools) ? schools.flatMap((school) => (school && typeof (school as { id?: unknown }).id === 'string' ? [(school as { id: string }).id] : [])) : [];
  } catch {
    return [];
  }
}

/** Waits for Ctrl+C or SIGTERM. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
}

function parsePort(value: string | undefined): number {
  const port = value === undefined ? webPort() : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: ожидается номер порта, а указано «${value}»`);
  return port;
}

function readOrg(value: string | undefined): string {
  const org = value ?? defaultOrg();
  if (!ORG_ID.test(org)) throw new UsageError(`--org: идентификатор организации — латинские буквы, цифры и дефис (ryazan), а указано «${org}»`);
  return org;
}

async function connectOrSay(io: Output) {
  try {
    return await connectClient();
  } catch {
    io.err(`plangraf: не удаётся подключиться к Temporal (${temporalAddress()}). Запустите систему (npm start) или укажите адрес в TEMPORAL_ADDRESS.`);
    return null;
  }
}

/**
 * `plangraf worker`: a worker with nothing of its own on disk; runs until stopped. Mail goes to the
 * SMTP server of the settings; without one the worker refuses to start rather than swallow the
 * executors' letters, unless `PLANGRAF_MAIL_CATCHER=1` asks for the built-in catcher (a trial:
 * the letters are kept in the store, on the «Почта» page, on MAIL_CATCHER_PORT, 1025 by default).
 */
export async function workerCommand(argv: string[], io: Output): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  process.umask(0o077);
  const catcherAsked = process.env.PLANGRAF_MAIL_CATCHER === '1';
  if (!isSmtpConfigured(process.env) && !catcherAsked) {
    io.err('plangraf: почтовый сервер не задан: укажите SMTP_URL (smtp://пользователь:пароль@сервер:порт) или SMTP_HOST. Для пробы без почты — PLANGRAF_MAIL_CATCHER=1: письма будут перехвачены и видны на странице «Почта».');
    return 1;
  }
  const catcherPort = Number(process.env.MAIL_CATCHER_PORT?.trim() || 1025);
  if (!Number.isInteger(catcherPort) || catcherPort < 0 || catcherPort > 65535) throw new UsageError(`MAIL_CATCHER_PORT=${process.env.MAIL_CATCHER_PORT}: ожидается номер порта`);
  const settings = temporalSettings();
  const store = await cliStore();
  installQuietRuntime('WARN');
  let running;
  try {
    running = await createPlangrafWorker({ store, temporal: settings, publicUrl: publicUrl(), mailCatcherPort: catcherPort });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(
      code === 'EADDRINUSE'
        ? `plangraf: обработчик не запустился: порт перехвата почты ${catcherPort} занят (укажите другой в MAIL_CATCHER_PORT)`
        : `plangraf: обработчик не запустился: ${(error as Error).message} (Temporal: ${settings.description})`,
    );
    return 1;
  }
  io.out(`plangraf worker: очередь ${settings.taskQueue}, Temporal ${settings.description}, база данных ${store.target}, почта ${running.catcher ? `перехватывается (${running.mailTarget})` : running.mailTarget}. Остановить: Ctrl+C.`);
  const work = running.run();
  await Promise.race([untilStopped(), work]);
  tolerateClosedChannelsFromNowOn();
  await running.shutdown();
  await work;
  return 0;
}

/** `plangraf web [--port N]`: the pages of every plan in the store; runs until stopped. */
export async function webCommand(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true });
  return runPages(parsePort(values.port), values.host, io);
}

/**
 * `plangraf serve PLAN… [--year Y] [--org ORG] [--port N]`: records the plans named (as running
 * for the organisation) and serves the pages.
 */
export async function serveCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { year: { type: 'string' }, calendar: { type: 'string', multiple: true }, port: { type: 'string' }, org: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length === 0) throw new UsageError('укажите файлы планов, которые показывать: plangraf serve ПЛАН.yaml … (или plangraf web — все планы из базы данных)');
  const year = parseYearOption(values.year);
  const port = parsePort(values.port);
  if (values.org !== undefined) readOrg(values.org);
  const store = await cliStore();
  for (const file of positionals) {
    const result = await loadPlanFile(file, { ...(year !== undefined ? { year } : {}), calendars: values.calendar ?? [] });
    for (const line of result.lines) io.err(line);
    if (!result.ok) {
      io.err(`\nплан ${file} не принят: исправьте и запустите снова`);
      return 1;
    }
    const { loaded } = result;
    const draft = draftRefusal(loaded.plan, file);
    if (draft !== undefined) {
      io.err(`\n${draft}`);
      return 1;
    }
    const key = planKeyOf(loaded, year);
    const found = await organisationFor(store, values.org, loaded.plan.region);
    if (!found.ok) {
      io.err(`plangraf: ${found.message}`);
      return 1;
    }
    const { org } = found;
    const source = loaded.source!;
    if (!(await savePlan(store.pool, { key, org, planId: loaded.plan.id, title: loaded.plan.title ?? key, fileName: source.fileName, text: source.text, year: year ?? null, calendars: source.calendars }))) {
      io.err(`plangraf: план «${key}» принадлежит организации «${(await findPlan(store.pool, key))?.org}», а не «${org}»`);
      return 1;
    }
  }
  return runPages(port, undefined, io);
}

async function runPages(port: number, host: string | undefined, io: Output): Promise<number> {
  process.umask(0o077);
  const store = await cliStore();
  if ((await listUsers(store.pool)).length === 0) {
    io.err('plangraf: нет пользователей проектного офиса. Добавьте: plangraf users add office --name "Проектный офис" --role administrator');
    return 1;
  }
  const client = await connectOrSay(io);
  if (!client) return 1;
  const server = await startWebServer({ store, client, caughtMail: !isSmtpConfigured(process.env), port, ...(host ? { host } : {}), publicUrl: process.env.PLANGRAF_PUBLIC_URL ? publicUrl() : '' });
  io.out(`Страницы проектного офиса: ${server.url} (база данных ${store.target}). Остановить: Ctrl+C.`);
  await untilStopped();
  await server.close();
  await client.connection.close();
  return 0;
}

const USERS_USAGE = 'users: ожидается add ЛОГИН --name "Имя" [--org ОРГ] [--role РОЛЬ] [--schools sch-01,sch-02] [--municipality "…"], list [--org ОРГ], disable ЛОГИН или logout ЛОГИН';

/** `plangraf users add|list|disable|logout`. */
export async function usersCommand(argv: string[], io: Output): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' }, schools: { type: 'string' }, municipality: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const store = await cliStore();
  if (action === 'list') return listUsersCommand(store, values.org, io);
  const login = positionals[0];
  if (!['add', 'disable', 'logout'].includes(action ?? '')) throw new UsageError(USERS_USAGE);
  if (positionals.length !== 1 || !login || !LOGIN_PATTERN.test(login)) throw new UsageError('укажите логин: латинские буквы, цифры, точка, дефис (plangraf users add ivanova --name "Иванова О. Ю.")');
  const target = await findUser(store.pool, login);
  if (action !== 'add' && !target) {
    io.err(`plangraf: нет пользователя ${login} (plangraf users list)`);
    return 1;
  }
  if (action === 'disable') {
    const done = await disableUser(store.pool, target!.login);
    if (done) await recordAudit(store.pool, { login: null, org: target!.org, address: 'командная строка', action: 'user.disable', details: { user: target!.login, by: userInfo().username } });
    io.out(done ? `Пользователь ${target!.login} отключён: войти он не сможет, его сеансы завершены, история сохранена.` : `Пользователь ${target!.login} уже отключён.`);
    return 0;
  }
  if (action === 'logout') {
    const ended = await endAllSessions(store.pool, target!.login);
    await recordAudit(store.pool, { login: null, org: target!.org, address: 'командная строка', action: 'user.logout', details: { user: target!.login, sessions: ended, by: userInfo().username } });
    io.out(`Сеансов пользователя ${target!.login} завершено: ${ended}.`);
    return 0;
  }
  const role = (values.role ?? 'office') as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role: ${ROLES.map((name) => `${name} (${ROLE_NAMES[name]})`).join(', ')}; а указано «${values.role}»`);
  if (role === 'federal' && values.org !== undefined) throw new UsageError('федеральный оператор видит все регионы и не принадлежит организации: уберите --org');
  if (values.org !== undefined) readOrg(values.org);
  const schools = (values.schools ?? '').split(',').map((school) => school.trim()).filter(Boolean);
  if (role === 'curator' && schools.length === 0) throw new UsageError('куратору нужны его школы: --schools sch-01,sch-02 (id школ из плана)');
  if (role === 'municipal' && !values.municipality?.trim()) throw new UsageError('муниципальному координатору нужен его муниципалитет: --municipality "Шиловский район" (как в плане)');
  const existing = await findUser(store.pool, login);
  if (!existing && !values.name?.trim()) throw new UsageError(`укажите имя нового пользователя: plangraf users add ${login} --name "Иванова О. Ю."`);
  let org: string | null = null;
  if (role !== 'federal') {
    const found = await organisationFor(store, values.org);
    if (!found.ok) {
      io.err(`plangraf: ${found.message}`);
      return 1;
    }
    org = found.org;
  }
  // A curator's schools are the plans' ids: one no plan of the organisation has is most likely a typo.
  if (org !== null && schools.length > 0) {
    const known = new Set((await listPlans(store.pool, org)).flatMap((plan) => schoolIdsIn(plan.text)));
    const unknown = schools.filter((school) => !known.has(school));
    if (unknown.length > 0) io.err(`plangraf: внимание: ${unknown.map((school) => `«${school}»`).join(', ')} — такой школы нет ни в одном плане организации ${org}; проверьте id`);
  }
  // The password comes from PLANGRAF_PASSWORD (for scripts), or is made here and shown once.
  const given = process.env.PLANGRAF_PASSWORD;
  if (given !== undefined && given.length < MIN_PASSWORD_LENGTH) throw new UsageError('PLANGRAF_PASSWORD: пароль короче 8 знаков; задайте длиннее или не задавайте — тогда пароль будет создан');
  const password = given ?? randomBytes(9).toString('base64url');
  const outcome = await saveUser(store.pool, {
    // Logins are told apart without case: «Ivanova» is the user «ivanova».
    login: existing?.login ?? login,
    name: values.name?.trim() || existing!.name,
    org,
    role,
    schools,
    municipality: values.municipality?.trim() || null,
    passwordHash: await hashPassword(password),
  });
  await recordAudit(store.pool, { login: null, org, address: 'командная строка', action: outcome === 'added' ? 'user.add' : 'user.update', details: { user: login, role, by: userInfo().username } });
  io.out(
    `${outcome === 'added' ? 'Пользователь добавлен' : 'Пользователь обновлён, его сеансы завершены'}: ${login} — ${ROLE_NAMES[role]}${org ? `, организация ${org}` : ', все регионы'}.` +
      (given ? '' : ` Пароль: ${password} — сообщите его пользователю; он показан один раз.`),
  );
  return 0;
}

async function listUsersCommand(store: Store, org: string | undefined, io: Output): Promise<number> {
  const users = await listUsers(store.pool, org === undefined ? undefined : readOrg(org));
  for (const user of users) {
    const scope = user.role === 'curator' ? ` (школы: ${user.schools.join(', ')})` : user.role === 'municipal' ? ` (${user.municipality})` : '';
    io.out(`${user.login.padEnd(20)} ${user.name} — ${ROLE_NAMES[user.role]}${scope}, ${user.org ?? 'все регионы'}${user.disabled ? ', отключён' : ''}`);
  }
  if (users.length === 0) io.out('Пользователей нет.');
  return 0;
}

/** `plangraf orgs add ID --name "…"` and `plangraf orgs list`. */
export async function orgsCommand(argv: string[], io: Output): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options: { name: { type: 'string' } }, allowPositionals: true, strict: true });
  const store = await cliStore();
  if (action === 'list') {
    const orgs = await listOrganisations(store.pool);
    for (const org of orgs) io.out(`${org.id.padEnd(20)} ${org.name}`);
    if (orgs.length === 0) io.out('Организаций нет.');
    return 0;
  }
  if (action !== 'add' || positionals.length !== 1 || !values.name?.trim()) throw new UsageError('orgs: ожидается add ID --name "Министерство образования Рязанской области" или list');
  const id = readOrg(positionals[0]);
  const org = await ensureOrganisation(store.pool, id, values.name.trim());
  io.out(`Организация ${org.id}: ${org.name}.`);
  return 0;
}

/** `plangraf keys list|rotate|retire KID`: the keys the executors' links are signed with. */
export async function keysCommand(argv: string[], io: Output): Promise<number> {
  const [action, kid, ...extra] = argv;
  if (extra.length > 0) throw new UsageError('keys: ожидается list, rotate или retire КЛЮЧ');
  const store = await cliStore();
  if (action === 'list') {
    const keys = await listSigningKeys(store.pool);
    for (const key of keys) io.out(`${key.kid}  создан ${formatRussianDate(key.createdAt.toISOString().slice(0, 10))}${key.retiredAt ? `, выведен ${formatRussianDate(key.retiredAt.toISOString().slice(0, 10))}` : ', действует'}`);
    if (keys.length === 0) io.out('Ключей ещё нет: первый создаётся при запуске обработчика или страниц.');
    return 0;
  }
  if (action === 'rotate' && kid === undefined) {
    const added = await addSigningKey(store.pool);
    await recordAudit(store.pool, { login: null, org: null, address: 'командная строка', action: 'key.rotate', details: { kid: added, by: userInfo().username } });
    io.out(`Новый ключ ${added}: новые ссылки будут подписываться им через несколько минут, когда его прочтут все серверы; ссылки, подписанные прежними ключами, действуют, пока их ключ не выведен (plangraf keys retire КЛЮЧ).`);
    return 0;
  }
  if (action === 'retire' && kid) {
    const outcome = await retireSigningKey(store.pool, kid);
    if (outcome === 'unknown') io.err(`Нет действующего ключа ${kid}: см. plangraf keys list`);
    if (outcome === 'last') io.err(`Ключ ${kid} — последний действующий: сначала создайте новый (plangraf keys rotate)`);
    if (outcome === 'retired') {
      await recordAudit(store.pool, { login: null, org: null, address: 'командная строка', action: 'key.retire', details: { kid, by: userInfo().username } });
      io.out(`Ключ ${kid} выведен: ссылки и календари, подписанные им, перестанут действовать на всех серверах в течение минуты (серверы перечитывают ключи каждые 30 с).`);
    }
    return outcome === 'retired' ? 0 : 1;
  }
  throw new UsageError('keys: ожидается list, rotate или retire КЛЮЧ');
}


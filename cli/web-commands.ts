/** `plangraf serve`, the office's pages for plans on Temporal, and `plangraf users add`, their users. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCaughtMail } from '../activities/mail-catcher.ts';
import { loadPlanFile } from '../activities/plan-files.ts';
import { connectClient, planKeyOf, temporalAddress } from '../client/plan-runs.ts';
import { documentsDir } from '../documents/locations.ts';
import { pluralRu } from '../plan/russian-words.ts';
import type { ServedPlan } from '../web/plans.ts';
import { addUser, startWebServer } from '../web/server.ts';
import { publicUrl, webPort } from '../web/settings.ts';
import { VAR_DIR } from '../worker.ts';
import { parseYearOption, UsageError, type Output } from './output.ts';

/** The office's users: PLANGRAF_USERS, or var/office-users.yaml. */
export function usersFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLANGRAF_USERS ?? join(VAR_DIR, 'office-users.yaml');
}

/** Loads the plans to serve; an invalid one stops the command with its problems. */
export async function loadServedPlans(files: readonly string[], options: { year?: number; calendars?: string[] }, io: Output): Promise<ServedPlan[] | undefined> {
  const plans: ServedPlan[] = [];
  for (const file of files) {
    const result = await loadPlanFile(file, { ...(options.year !== undefined ? { year: options.year } : {}), calendars: options.calendars ?? [] });
    for (const line of result.lines) io.err(line);
    if (!result.ok) {
      io.err(`\nплан ${file} не принят: исправьте и запустите снова`);
      return undefined;
    }
    plans.push({ key: planKeyOf(result.loaded, options.year), file, loaded: result.loaded });
  }
  return plans;
}

export async function serveCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { year: { type: 'string' }, calendar: { type: 'string', multiple: true }, port: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length === 0) throw new UsageError('укажите файлы планов, которые показывать: plangraf serve ПЛАН.yaml …');
  const year = parseYearOption(values.year);
  const port = values.port === undefined ? webPort() : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: ожидается номер порта, а указано «${values.port}»`);
  const plans = await loadServedPlans(positionals, { ...(year !== undefined ? { year } : {}), calendars: values.calendar ?? [] }, io);
  if (!plans) return 1;
  const users = usersFile();
  if (!existsSync(users)) {
    io.err(`plangraf: нет пользователей проектного офиса (${users}). Добавьте: plangraf users add office --name "Проектный офис"`);
    return 1;
  }
  let client;
  try {
    client = await connectClient();
  } catch {
    io.err(`plangraf: не удаётся подключиться к Temporal по адресу ${temporalAddress()}. Запустите систему (npm start) или укажите адрес в TEMPORAL_ADDRESS.`);
    return 1;
  }
  const caught = join(VAR_DIR, 'mail', 'caught');
  const server = await startWebServer({
    plans,
    client,
    varDir: VAR_DIR,
    documentsDir: documentsDir(),
    usersFile: users,
    catcher: existsSync(caught) ? { messages: () => readCaughtMail(caught) } : null,
    port,
    publicUrl: publicUrl(),
  });
  io.out(`Страницы проектного офиса: ${server.url} (${plans.length} ${pluralRu(plans.length, ['план', 'плана', 'планов'])}). Остановить: Ctrl+C.`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await server.close();
  await client.connection.close();
  return 0;
}

export async function usersCommand(argv: string[], io: Output): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'add') throw new UsageError('users: ожидается add ЛОГИН --name "Имя"');
  const { values, positionals } = parseArgs({ args: rest, options: { name: { type: 'string' } }, allowPositionals: true, strict: true });
  const login = positionals[0];
  if (positionals.length !== 1 || !login || !/^[a-z0-9._-]{2,40}$/i.test(login)) throw new UsageError('укажите логин: латинские буквы, цифры, точка, дефис (plangraf users add ivanova --name "Иванова О. Ю.")');
  // The password comes from PLANGRAF_PASSWORD (for scripts), or is made here and shown once.
  const given = process.env.PLANGRAF_PASSWORD;
  const password = given ?? randomBytes(9).toString('base64url');
  const file = usersFile();
  const outcome = await addUser(file, { login, name: values.name ?? login, password });
  io.out(`${outcome === 'added' ? 'Пользователь добавлен' : 'Пароль обновлён'}: ${login} (${file}).${given ? '' : ` Пароль: ${password} — сообщите его пользователю; он показан один раз.`}`);
  return 0;
}

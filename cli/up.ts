/**
 * `plangraf up`, the main job on embedded defaults: the Temporal dev server (SQLite under
 * var/; its Web UI only when asked for), the embedded PostgreSQL under var/ (or DATABASE_URL),
 * the worker, the mail catcher, the pages, and a sample plan laid over the current year.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPlanFile, type LoadedPlan } from '../activities/plan-files.ts';
import { formatRussianDate } from '../plan/dates.ts';
import { dateOf, SEND_TIME, slotOnOrAfter, timeOf } from '../workflows/clock.ts';
import { connectClient, planInputOf, planKeyOf, planStatus } from '../client/plan-runs.ts';
import { registerAndStartPlan } from '../client/plan-registry.ts';
import { draftRefusal } from '../plan/drafts.ts';
import { ensurePrivateDir, listening } from '../store/embedded.ts';
import { cliEmbedded, cliStore, defaultOrg } from './store.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes.ts';
import { createPlangrafWorker, VAR_DIR } from '../worker.ts';
import type { Output } from './output.ts';
import { installQuietRuntime } from './quiet-runtime.ts';
import { ensureFirstUser, startWebServer } from '../web/server.ts';
import { publicUrl, webPort } from '../web/settings.ts';
import { tolerateClosedChannelsFromNowOn } from '../client/closed-channel.ts';
import { pluralRu } from '../plan/russian-words.ts';
import { sampleDoneBeforeStart, SAMPLE_LATE_WINDOW_DAYS } from './sample-progress.ts';

const TEMPORAL_CLI = fileURLToPath(new URL('../.temporal/bin/temporal', import.meta.url));
const SAMPLE_PLAN = fileURLToPath(new URL('../calendars/ryazan-2020.yaml', import.meta.url));
const HOST = '127.0.0.1';

export async function upCommand(_argv: string[], io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = Number(env.TEMPORAL_PORT ?? 7233);
  const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
  const mailPort = Number(env.MAIL_CATCHER_PORT ?? 1025);
  const planFile = env.PLANGRAF_PLAN ?? SAMPLE_PLAN;
  const year = Number(env.PLANGRAF_YEAR ?? new Date().getFullYear());
  const address = `${HOST}:${port}`;

  const loaded = await loadPlanFile(planFile, { year });
  for (const line of loaded.lines) io.err(line);
  if (!loaded.ok) return 1;
  const draft = draftRefusal(loaded.loaded.plan, planFile);
  if (draft !== undefined) {
    io.err(`\n${draft}`);
    return 1;
  }
  // What plangraf writes here (the Temporal database, caught letters, keys, logs) is its owner's alone.
  process.umask(0o077);
  await ensurePrivateDir(VAR_DIR);
  // Files an older plangraf may have left readable by others.
  for (const name of ['office-password.txt', 'office-users.yaml', 'secret.key', 'temporal.db']) {
    if (existsSync(`${VAR_DIR}${name}`)) chmodSync(`${VAR_DIR}${name}`, 0o600);
  }
  const store = await cliStore({ max: 20 });
  const embedded = await cliEmbedded();
  const ui = env.PLANGRAF_TEMPORAL_UI === '1';

  let server: ChildProcess | null = null;
  if (await listening(HOST, port)) {
    io.err(`Temporal уже работает на ${address}: использую его.`);
  } else {
    if (!existsSync(TEMPORAL_CLI)) {
      io.err('plangraf: нет Temporal CLI: выполните bash scripts/setup-temporal.sh (npm start делает это сам)');
      return 1;
    }
    const database = `${VAR_DIR}temporal.db`;
    server = spawn(
      TEMPORAL_CLI,
      [
        'server',
        'start-dev',
        '--ip',
        HOST,
        '--port',
        String(port),
        // The Web UI of this Temporal version cannot be made read-only, and anyone on the machine
        // could complete tasks or end plans in it: it is off unless asked for.
        ...(ui ? ['--ui-ip', HOST, '--ui-port', String(uiPort)] : ['--headless']),
        '--db-filename',
        database,
        '--log-level',
        'error',
        ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
      ],
      // Its own process group: Ctrl+C reaches plangraf alone, which stops the worker first and
      // the server after it, so the server never sees a worker vanish mid-call.
      { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
    );
    // However this process ends, the dev server it started ends with it.
    const devServer = server;
    process.once('exit', () => devServer.kill('SIGTERM'));
    if (!(await waitUntilListening(HOST, port, 60_000))) {
      server.kill();
      io.err(`plangraf: сервер Temporal не запустился на ${address} за минуту`);
      return 1;
    }
  }

  installQuietRuntime('WARN');
  const running = await createPlangrafWorker({ store, address, mailCatcherPort: mailPort, publicUrl: publicUrl(env) });
  const work = running.run();
  const client = await connectClient(address);
  // The sample is for seeing the system work: its clock is moved to just before the next mail
  // slot, so the first letters (with the executors' links) arrive now, not at tomorrow's 09:00.
  const shift = env.PLANGRAF_REAL_CLOCK === '1' ? 0 : demoClockShift(loaded.loaded);
  const org = defaultOrg(env);
  // The sample joins its year as an office would mid-year; a plan of the user's own starts as it is.
  const doneBeforeStart = planFile === SAMPLE_PLAN ? sampleDoneBeforeStart(loaded.loaded.schedule.tasks, dateOf(Date.now() + shift, loaded.loaded.plan.timezone)) : {};
  const outcome = await registerAndStartPlan(store, client, loaded.loaded, org, planInputOf(loaded.loaded, { year, clockShiftMs: shift, doneBeforeStart }), year);

  const key = planKeyOf(loaded.loaded, year);
  // A plan started before keeps the clock it was started with: say what day it is there.
  const planToday = outcome.started ? null : ((await planStatus(client, key, Date.now(), loaded.loaded).catch(() => null))?.asOf ?? null);
  const login = await ensureFirstUser(store, { id: org, name: loaded.loaded.plan.region ?? 'Проектный офис' }, `${VAR_DIR}office-password.txt`);
  const web = await startWebServer({ store, client, caughtMail: running.catcher !== null, port: webPort(env), publicUrl: publicUrl(env) });
  io.out(
    [
      'plangraf работает.',
      `  План «${key}» ${outcome.started ? 'запущен' : 'уже был запущен'}: ${loaded.loaded.schedule.tasks.length} задач на ${year} год.`,
      ...(outcome.started && Object.keys(doneBeforeStart).length > 0
        ? [`                     пример присоединился к году: ${Object.keys(doneBeforeStart).length} ${pluralRu(Object.keys(doneBeforeStart).length, ['задача', 'задачи', 'задач'])} со сроком больше ${SAMPLE_LATE_WINDOW_DAYS} дней назад отмечены выполненными (результат — плановый), более поздние идут как обычно`]
        : []),
      `  Проектный офис:    ${publicUrl(env)} (логин ${login.login}${login.password ? `, пароль ${login.password}; пароль лежит в ${VAR_DIR}office-password.txt` : ''})`,
      `  База данных:       ${embedded ? `встроенный PostgreSQL, данные в ${VAR_DIR}postgres` : store.target}`,
      `  Temporal Web UI:   ${ui ? `http://${HOST}:${uiPort}/namespaces/default/workflows — внимание: в нём любой пользователь этого компьютера может завершать задачи и процессы` : 'выключен (PLANGRAF_TEMPORAL_UI=1 — включить)'}`,
      `  Почта:             ${running.catcher ? `перехватывается: страница ${publicUrl(env)}/mail, файлы в ${VAR_DIR}mail/caught (SMTP ${running.mailTarget})` : running.mailTarget}`,
      `                     письма уходят в ${SEND_TIME} по рабочим дням; ${
        !outcome.started
          ? `план идёт по своим часам${planToday ? `: по ним сегодня ${formatRussianDate(planToday)}` : ''}`
          : shift > 0
            ? `часы примера сдвинуты вперёд на ${Math.round(shift / 60_000)} мин, чтобы письма ${nextSlot(loaded.loaded)} ушли сразу (PLANGRAF_REAL_CLOCK=1 — без сдвига)`
            : `ближайшие — ${nextSlot(loaded.loaded)}`
      }`,
      `  Документы:         в базе данных; журнал — на странице ${publicUrl(env)}/documents`,
      `  Состояние плана:   ${commandEnv(env, port)}npm run -s plangraf -- status ${planFile === SAMPLE_PLAN ? 'calendars/ryazan-2020.yaml' : planFile} --year ${year}`,
      'Остановить: Ctrl+C.',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    void work.then(() => resolve());
  });
  io.err('plangraf: останавливаюсь…');
  tolerateClosedChannelsFromNowOn();
  // Each step has its time: one that hangs is named, and the job goes on stopping the rest.
  const step = async (name: string, seconds: number, work: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), seconds * 1000)));
    const outcome = await Promise.race([work().then(() => 'done' as const, () => 'done' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') io.err(`plangraf: ${name} не остановились за ${seconds} с — продолжаю`);
  };
  try {
    await step('страницы', 10, () => web.close());
    await step('обработчик', 30, async () => {
      await running.shutdown();
      await work;
    });
    await step('подключение к Temporal', 5, () => client.connection.close());
  } finally {
    if (server) await stopServer(server);
  }
  io.err('plangraf остановлен.');
  return 0;
}

/** What another command must be told to find this job's servers when they are not on their default ports: `TEMPORAL_ADDRESS=… PLANGRAF_PG_PORT=… `. */
function commandEnv(env: NodeJS.ProcessEnv, port: number): string {
  const settings = [
    ...(port !== 7233 ? [`TEMPORAL_ADDRESS=${HOST}:${port}`] : []),
    ...(env.PLANGRAF_PG_PORT?.trim() ? [`PLANGRAF_PG_PORT=${env.PLANGRAF_PG_PORT.trim()}`] : []),
    ...(env.PLANGRAF_VAR?.trim() ? [`PLANGRAF_VAR=${env.PLANGRAF_VAR.trim()}`] : []),
  ];
  return settings.length > 0 ? `${settings.join(' ')} ` : '';
}

/** Asks the dev server to stop and waits for it (10 s at most, then kills it). */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** How far the sample plan's clock goes forward: to 10 s before its next mail slot (0 when that is within a minute). */
function demoClockShift({ plan, calendar }: LoadedPlan): number {
  const wait = slotOnOrAfter(Date.now(), calendar, plan.timezone) - Date.now();
  return wait > 60_000 ? wait - 10_000 : 0;
}

/** «02.12.2026 в 09:00 (Europe/Moscow)»: when the plan's next mail goes out. */
function nextSlot({ plan, calendar }: LoadedPlan): string {
  const at = slotOnOrAfter(Date.now(), calendar, plan.timezone);
  return `${formatRussianDate(dateOf(at, plan.timezone))} в ${timeOf(at, plan.timezone)} (${plan.timezone})`;
}


async function waitUntilListening(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await listening(host, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

/**
 * The year page of a plan of 5,200 tasks (400 schools × 10 per-school items, one quarterly) and
 * the federal overview of 85 regions, served by the real pages, side by side in one run with the
 * same server sending static files of the same bytes. The plan runs on the real dev server, and
 * its workflow keeps the store's read model (a throw-away embedded PostgreSQL on a free port),
 * where the pages read it, as on the deployment; every request's session is opened there too.
 *  - year page, two page servers: requests alternate between two instances of the pages, each
 *    with its own directory and its own connections to the store, reading the plan's state there
 *    (one query per request; the tasks travel only when they changed);
 *  - year page, the state changed before every request: a task's state written (untimed) before
 *    each request, as the workflow writes it, so every request reads the change and rebuilds;
 *  - year page, the state asked of the plan workflow (no read model): on every request (the cache
 *    off) and from one process's 2-second cache, the two ways before the read model;
 *  - federal overview: 85 regions, a plan each with its read model in the store, alternating
 *    between the two page servers; the counts come from one query.
 * Each figure is the median of the time per request over sequential requests, after a warm-up,
 * over 3 rounds; the ratios are to the static file of the same page. The run also prints how long
 * a completion takes to reach the store (the freshness every page server gets).
 * Run: node --import tsx bench/web.ts [schools=400] [requests=40] [regions=85] [region-schools=40]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createBenchWorker } from './bench-worker.ts';
import { createReadModelActivities } from '../activities/read-model.ts';
import { installQuietRuntime } from '../cli/quiet-runtime.ts';
import { completeTask, planInputOf, startPlan } from '../client/plan-runs.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan } from '../plan/schedule.ts';
import { Plan } from '../plan/schema.ts';
import { connectStore, type Store } from '../store/database.ts';
import { startEmbeddedPostgres } from '../store/embedded.ts';
import { freePort } from '../tests/support/ports.ts';
import { ensureOrganisation } from '../store/organisations.ts';
import { readPlanState, writePlanStates } from '../store/plan-states.ts';
import { savePlan } from '../store/plans.ts';
import { StoreDocumentRegister } from '../store/register.ts';
import { storeUsedLinks } from '../store/used-links.ts';
import { saveUser } from '../store/users.ts';
import { buildPlan, toYaml } from '../tests/support/build-plan.ts';
import { shippedYears } from '../tests/support/calendar.ts';
import { devServerEnvironment } from '../tests/support/temporal.ts';
import { createWebApp } from '../web/app.ts';
import { hashPassword, OfficeAuth } from '../web/auth.ts';
import { LinkSigner } from '../web/links.ts';
import { PlanDirectory } from '../web/plans.ts';
import { instantOf } from '../workflows/clock.ts';
import { planProgressQuery, planWorkflowId, TaskState } from '../workflows/messages.ts';
import { READ_MODEL_DELAY_MS, type PlanStateBatch } from '../workflows/read-model.ts';
import { initialSummary, overdueFrom, progressOf } from '../workflows/task-summary.ts';

const SCHOOLS = Number(process.argv[2] ?? 400);
const REQUESTS = Number(process.argv[3] ?? 40);
const REGIONS = Number(process.argv[4] ?? 85);
const REGION_SCHOOLS = Number(process.argv[5] ?? 40);
const QUEUE = 'bench-web';
const KEY = 'bench-web';
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

installQuietRuntime('ERROR');
const scratch = await mkdtemp(join(tmpdir(), 'plangraf-bench-web-'));
progress('starting PostgreSQL');
// A folder of its own, as the tests' server has: run as root, the server's user must pass through it.
const pgDir = await mkdtemp(join(tmpdir(), 'plangraf-bench-web-pg-'));
const postgres = await startEmbeddedPostgres(pgDir, { port: await freePort() });
const store = await connectStore(postgres.url, { max: 4 });
// Each page server has connections of its own, as two processes would.
const storeA = await connectStore(postgres.url, { max: 4, migrate: false });
const storeB = await connectStore(postgres.url, { max: 4, migrate: false });
const env = await devServerEnvironment();
const worker = await createBenchWorker(env, QUEUE, async () => ({ messageId: '', accepted: [], rejected: [], duplicate: false }), createReadModelActivities({ store }));

const shipped = await shippedYears();
const calendar = new ProductionCalendar(shipped);
const WHEN = ['март', 'апрель', 'май', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь', 'ежеквартально', 'с апреля', 'в течение года'];
const planData = (id: string, count: number) => {
  const schools = Array.from({ length: count }, (_, i) => ({ id: `s-${i}`, name: `МОУ «Школа № ${i + 1}»`, kind: 'ШНОР', municipality: `Район ${i % 25}`, director: { name: 'Иванов Иван Иванович', email: `d${i}@example.org` } }));
  return buildPlan({ id, schools, items: WHEN.map((when, i) => ({ id: String(i + 1), title: `Мероприятие ${i + 1} для каждой школы-участницы`, when, per: 'school' })) });
};
const data = planData(KEY, SCHOOLS);
const plan = Plan.parse(data);
const loaded = { plan, calendar, schedule: schedulePlan(plan, calendar) };
// Held in early November: the year's states are a mix of done-by-nobody, overdue and planned.
const clockShiftMs = instantOf('2020-11-02', '08:00', 'Europe/Moscow') - Date.now();

const figures = await worker.runUntil(async () => {
  await ensureOrganisation(store.pool, 'bench', 'Бенчмарк');
  await savePlan(store.pool, { key: KEY, org: 'bench', planId: KEY, title: plan.title ?? KEY, fileName: `${KEY}.yaml`, text: toYaml(data), year: null, calendars: [] });
  progress(`starting a plan of ${loaded.schedule.tasks.length} tasks`);
  await startPlan(env.client, { ...planInputOf(loaded, { clockShiftMs }), indexed: false }, QUEUE);
  for (;;) {
    const status = await env.client.workflow.getHandle(planWorkflowId(KEY)).query(planProgressQuery).catch(() => undefined);
    const stored = await readPlanState(store.pool, KEY);
    if (status && status.started === status.total && stored?.started === status.total) break;
    if (status) progress(`started ${status.started} of ${status.total}; the store has ${stored?.started ?? 0}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // Let the tasks' first reports settle into the store.
  await new Promise((resolve) => setTimeout(resolve, 5000));

  progress('how long a completion takes to reach the store');
  const lags: number[] = [];
  for (const task of loaded.schedule.tasks.filter((entry) => entry.due !== null && entry.due < '2020-11-02').slice(0, 5)) {
    await completeTask(env.client, KEY, task.task, { result: 'выполнено', by: 'bench' });
    const start = performance.now();
    while (!(await readPlanState(store.pool, KEY))!.tasks.some((entry) => entry.task === task.task && entry.state === TaskState.done)) await new Promise((resolve) => setTimeout(resolve, 20));
    lags.push(performance.now() - start);
  }

  progress(`recording ${REGIONS} regions' plans of ${REGION_SCHOOLS * 13} tasks and their read models`);
  for (let r = 1; r <= REGIONS; r += 1) {
    const key = `region-${String(r).padStart(2, '0')}-2020`;
    const org = `region-${String(r).padStart(2, '0')}`;
    await ensureOrganisation(store.pool, org, `Регион ${String(r).padStart(2, '0')}`);
    const regionData = planData(key, REGION_SCHOOLS);
    const regionPlan = Plan.parse(regionData);
    await savePlan(store.pool, { key, org, planId: key, title: key, fileName: `${key}.yaml`, text: toYaml(regionData), year: null, calendars: [] });
    await writePlanStates(store, seededBatch(key, regionPlan));
  }

  const secret = Buffer.alloc(32, 7);
  await saveUser(store.pool, { login: 'office', name: 'Офис', org: 'bench', role: 'office', schools: [], municipality: null, passwordHash: await hashPassword('bench') });
  await saveUser(store.pool, { login: 'federal', name: 'Федеральный оператор', org: null, role: 'federal', schools: [], municipality: null, passwordHash: await hashPassword('bench') });
  const auth = new OfficeAuth(store);
  const cookieOf = async (login: string) => {
    const opened = await auth.login(login, 'bench', 'bench');
    if (!opened.ok) throw new Error(`bench login of ${login} refused`);
    return `plangraf_session=${opened.token}`;
  };
  const office = await cookieOf('office');
  const federal = await cookieOf('federal');
  const served = [{ key: KEY, org: 'bench', file: `${KEY}.yaml`, loaded }];
  const pages = (pageStore: Store, plans: PlanDirectory) =>
    createWebApp({ client: env.client, store: pageStore, auth: new OfficeAuth(pageStore), signer: new LinkSigner(secret), usedLinks: storeUsedLinks(pageStore), register: new StoreDocumentRegister(pageStore), mailbox: null, publicUrl: '', secureCookies: false, plans });
  progress('loading the plans into two page servers');
  const serverA = pages(storeA, await PlanDirectory.fromStore(storeA, env.client));
  const serverB = pages(storeB, await PlanDirectory.fromStore(storeB, env.client));
  const cold = pages(store, new PlanDirectory(served, env.client, { ttlMs: 0 }));
  const warm = pages(store, new PlanDirectory(served, env.client));

  const first = await serverA.request(`/plans/${KEY}/year`, { headers: { cookie: office } });
  const yearPage = await first.text();
  if (first.status !== 200 || !yearPage.includes('data-occurrence')) throw new Error(`the year page did not render: ${first.status}`);
  await writeFile(join(scratch, 'year.html'), yearPage);
  const overview = await serverA.request('/regions', { headers: { cookie: federal } });
  const overviewPage = await overview.text();
  if (overview.status !== 200 || (overviewPage.match(/data-org=/g) ?? []).length !== REGIONS + 1) throw new Error(`the overview did not show ${REGIONS + 1} offices: ${overview.status}`);
  await writeFile(join(scratch, 'regions.html'), overviewPage);

  const listen = async (app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<{ base: string; close: () => Promise<void> }> => {
    let resolveUrl!: (url: string) => void;
    const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolveUrl(`http://127.0.0.1:${info.port}`));
    return { base: await listening, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  };
  const root = new Hono();
  root.get('/static/year.html', serveStatic({ path: join(scratch, 'year.html') }));
  root.get('/static/regions.html', serveStatic({ path: join(scratch, 'regions.html') }));
  root.route('/cold', cold);
  root.route('/warm', warm);
  const main = await listen(root);
  const a = await listen(serverA);
  const b = await listen(serverB);

  /** Requests in turn to each of `bases`; `before` runs untimed ahead of each. */
  const timeRequests = async (bases: string[], path: string, cookie: string | null, before?: () => Promise<void>): Promise<{ median: number; bytes: number }> => {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS; i += 1) {
      await before?.();
      const start = performance.now();
      const response = await fetch(`${bases[i % bases.length]}${path}`, { headers: cookie ? { cookie } : {} });
      const body = await response.arrayBuffer();
      times.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      bytes = body.byteLength;
    }
    times.sort((x, y) => x - y);
    return { median: times[Math.floor(times.length / 2)]!, bytes };
  };
  // Before every request a task's state changes (done, then back), as the workflow would write it:
  // each page server reads the change and rebuilds that task, not the plan's 5,200.
  const touched = (await readPlanState(store.pool, KEY))!.tasks;
  let touches = 0;
  const touch = async () => {
    const entry = touched[touches % touched.length]!;
    const state = Math.floor(touches / touched.length) % 2 === 0 ? TaskState.done : entry.state;
    touches += 1;
    const progress = state === TaskState.done ? { ...entry, state, result: 'выполнено', doneOn: '2020-11-02' } : entry;
    await writePlanStates(store, { planKey: KEY, revision: 2 ** 50 + touches, tasks: [{ task: entry.task, state, overdueFrom: null, progress }], plan: { plan: KEY, title: plan.title ?? KEY, timezone: 'Europe/Moscow', clockShiftMs, started: touched.length, total: touched.length, changes: null } });
  };

  const measures = {
    staticYear: () => timeRequests([main.base], '/static/year.html', null),
    storeYear: () => timeRequests([a.base, b.base], `/plans/${KEY}/year`, office),
    changedYear: () => timeRequests([a.base, b.base], `/plans/${KEY}/year`, office, touch),
    warmYear: () => timeRequests([main.base], `/warm/plans/${KEY}/year`, office),
    coldYear: () => timeRequests([main.base], `/cold/plans/${KEY}/year`, office),
    staticOverview: () => timeRequests([main.base], '/static/regions.html', null),
    storeOverview: () => timeRequests([a.base, b.base], '/regions', federal),
  };
  type Measure = keyof typeof measures;
  progress('warming up');
  for (const measure of Object.values(measures)) await measure();
  const rounds = Object.fromEntries(Object.keys(measures).map((name) => [name, [] as number[]])) as Record<Measure, number[]>;
  const sizes = { year: 0, overview: 0 };
  for (let round = 0; round < 3; round += 1) {
    progress(`round ${round + 1} of 3`);
    for (const [name, measure] of Object.entries(measures) as [Measure, () => Promise<{ median: number; bytes: number }>][]) {
      const { median, bytes } = await measure();
      rounds[name].push(median);
      if (name === 'storeYear') sizes.year = bytes;
      if (name === 'storeOverview') sizes.overview = bytes;
    }
  }
  for (const server of [main, a, b]) await server.close();
  return { rounds, sizes, lags, tasks: loaded.schedule.tasks.length };
});
await env.teardown();
for (const each of [store, storeA, storeB]) await each.close();
await postgres.stop();
await rm(pgDir, { recursive: true, force: true });
await rm(scratch, { recursive: true, force: true });

/** A region's read model as its workflow would have written it in early November: some done, the rest as the dates say. */
function seededBatch(planKey: string, regionPlan: Plan): PlanStateBatch {
  const schedule = schedulePlan(regionPlan, calendar);
  const tasks = schedule.tasks.map((task, i) => {
    const initial = initialSummary(regionPlan, task);
    const begun = task.start !== null && task.start <= '2020-11-02';
    const summary = i % 3 === 0 && begun ? { ...initial, state: TaskState.done, result: 'выполнено', doneOn: '2020-10-20' } : begun ? { ...initial, state: TaskState.active } : initial;
    return { task: task.task, state: summary.state, overdueFrom: overdueFrom(summary, calendar), progress: progressOf(summary, task) };
  });
  return { planKey, revision: 1, tasks, plan: { plan: planKey, title: planKey, timezone: regionPlan.timezone, clockShiftMs, started: tasks.length, total: tasks.length, changes: null }, keep: tasks.map((task) => task.task) };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const line = (label: string, name: keyof typeof figures.rounds, base: keyof typeof figures.rounds) =>
  console.log(`${label.padEnd(58)} ${ms(median(figures.rounds[name])).padStart(10)}  ${(median(figures.rounds[name]) / median(figures.rounds[base])).toFixed(2).padStart(6)}×  (rounds: ${figures.rounds[name].map(ms).join(', ')})`);
console.log(`the year page of ${figures.tasks} tasks: ${figures.sizes.year} bytes; ${REQUESTS} sequential requests × 3 rounds, median time per request`);
line('static file of the same bytes', 'staticYear', 'staticYear');
line('year page, read model, two page servers in turn', 'storeYear', 'staticYear');
line('year page, a task changed before every request', 'changedYear', 'staticYear');
line('year page, no read model: the 2-second cache of the query', 'warmYear', 'staticYear');
line('year page, no read model: the plan workflow asked', 'coldYear', 'staticYear');
console.log(`the federal overview of ${REGIONS} regions (+ the bench's own office): ${figures.sizes.overview} bytes`);
line('static file of the same bytes', 'staticOverview', 'staticOverview');
line('overview, read model, two page servers in turn', 'storeOverview', 'staticOverview');
console.log(`a completion reached the store after ${figures.lags.map((lag) => `${(lag / 1000).toFixed(2)} s`).join(', ')} (the workflow writes ${READ_MODEL_DELAY_MS / 1000} s after a change)`);

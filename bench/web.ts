/**
 * The year page of a plan of 4,000 school tasks (400 schools × 10 items), served by the real
 * pages from a plan running on the real dev server, side by side in one run with the same
 * server sending a static file of the same size:
 *  - cold: every request asks the plan workflow for its state (the cache is off);
 *  - warm: the state comes from the pages' cache (the default: asked at most every 2 s), so
 *    the figure is the page's own cost;
 *  - static: the page's bytes as a file, by @hono/node-server's serveStatic in the same server.
 * The pages' own parts are real too: the session of every request is opened in a PostgreSQL
 * (a throw-away embedded server on a free port), as on a page server of the deployment.
 * Each figure is the median of the time per request over sequential requests, after a warm-up;
 * the ratios are to the static file.
 * Run: node --import tsx bench/web.ts [schools=400] [requests=40]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createBenchWorker } from './bench-worker.ts';
import { installQuietRuntime } from '../cli/quiet-runtime.ts';
import { planInputOf, startPlan } from '../client/plan-runs.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan } from '../plan/schedule.ts';
import { Plan } from '../plan/schema.ts';
import { connectStore } from '../store/database.ts';
import { startEmbeddedPostgres } from '../store/embedded.ts';
import { freePort } from '../tests/support/ports.ts';
import { ensureOrganisation } from '../store/organisations.ts';
import { StoreDocumentRegister } from '../store/register.ts';
import { storeUsedLinks } from '../store/used-links.ts';
import { saveUser } from '../store/users.ts';
import { buildPlan } from '../tests/support/build-plan.ts';
import { shippedYears } from '../tests/support/calendar.ts';
import { devServerEnvironment } from '../tests/support/temporal.ts';
import { createWebApp } from '../web/app.ts';
import { hashPassword, OfficeAuth } from '../web/auth.ts';
import { LinkSigner } from '../web/links.ts';
import { PlanDirectory } from '../web/plans.ts';
import { instantOf } from '../workflows/clock.ts';
import { planProgressQuery, planWorkflowId } from '../workflows/messages.ts';

const SCHOOLS = Number(process.argv[2] ?? 400);
const REQUESTS = Number(process.argv[3] ?? 40);
const QUEUE = 'bench-web';
const progress = (text: string) => process.stderr.write(`… ${text}\n`);


installQuietRuntime('ERROR');
const scratch = await mkdtemp(join(tmpdir(), 'plangraf-bench-web-'));
progress('starting PostgreSQL');
// A folder of its own, as the tests' server has: run as root, the server's user must pass through it.
const pgDir = await mkdtemp(join(tmpdir(), 'plangraf-bench-web-pg-'));
const postgres = await startEmbeddedPostgres(pgDir, { port: await freePort() });
const store = await connectStore(postgres.url, { max: 4 });
const env = await devServerEnvironment();
const worker = await createBenchWorker(env, QUEUE, async () => ({ messageId: '', accepted: [], rejected: [], duplicate: false }));

const calendar = new ProductionCalendar(await shippedYears());
const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ id: `s-${i}`, name: `МОУ «Школа № ${i + 1}»`, kind: 'ШНОР', municipality: `Район ${i % 25}`, director: { name: 'Иванов Иван Иванович', email: `d${i}@example.org` } }));
const plan = Plan.parse(buildPlan({ id: 'bench-web', schools, items: Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), title: `Мероприятие ${i + 1} для каждой школы-участницы`, when: ['март', 'апрель', 'май', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь', 'ежеквартально', 'с апреля', 'в течение года'][i], per: 'school' })) }));
const loaded = { plan, calendar, schedule: schedulePlan(plan, calendar) };

const figures = await worker.runUntil(async () => {
  progress(`starting a plan of ${loaded.schedule.tasks.length} tasks`);
  // Held in early November: the year's states are a mix of done-by-nobody, overdue and planned.
  await startPlan(env.client, { ...planInputOf(loaded, { clockShiftMs: instantOf('2020-11-02', '08:00', 'Europe/Moscow') - Date.now() }), indexed: false }, QUEUE);
  for (;;) {
    const status = await env.client.workflow.getHandle(planWorkflowId('bench-web')).query(planProgressQuery).catch(() => undefined);
    if (status && status.started === status.total) break;
    if (status) progress(`started ${status.started} of ${status.total}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  const secret = Buffer.alloc(32, 7);
  await ensureOrganisation(store.pool, 'bench', 'Бенчмарк');
  await saveUser(store.pool, { login: 'office', name: 'Офис', org: 'bench', role: 'office', schools: [], municipality: null, passwordHash: await hashPassword('bench') });
  const auth = new OfficeAuth(store);
  const login = await auth.login('office', 'bench', 'bench');
  if (!login.ok) throw new Error('bench login refused');
  const cookie = `plangraf_session=${login.token}`;
  const served = [{ key: 'bench-web', org: 'bench', file: 'bench-web.yaml', loaded }];
  const common = { client: env.client, store, auth, signer: new LinkSigner(secret), usedLinks: storeUsedLinks(store), register: new StoreDocumentRegister(store), mailbox: null, publicUrl: '', secureCookies: false };
  const cold = createWebApp({ ...common, plans: new PlanDirectory(served, env.client, { ttlMs: 0 }) });
  const warm = createWebApp({ ...common, plans: new PlanDirectory(served, env.client) });

  const first = await warm.request('/plans/bench-web/year', { headers: { cookie } });
  const page = await first.text();
  if (first.status !== 200 || !page.includes('data-occurrence')) throw new Error(`the year page did not render: ${first.status}`);
  await writeFile(join(scratch, 'year.html'), page);

  const root = new Hono();
  root.get('/static/year.html', serveStatic({ path: join(scratch, 'year.html') }));
  root.route('/cold', cold);
  root.route('/warm', warm);
  let resolveUrl!: (url: string) => void;
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const server = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolveUrl(`http://127.0.0.1:${info.port}`));
  const base = await listening;

  const timeRequests = async (path: string, headers: Record<string, string>): Promise<{ median: number; bytes: number }> => {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS; i += 1) {
      const start = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      const body = await response.arrayBuffer();
      times.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      bytes = body.byteLength;
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)]!, bytes };
  };

  progress('warming up');
  for (const path of ['/static/year.html', '/cold/plans/bench-web/year', '/warm/plans/bench-web/year']) await timeRequests(path, { cookie });
  const rounds: Record<'static' | 'cold' | 'warm', number[]> = { static: [], cold: [], warm: [] };
  let sizes = { static: 0, page: 0 };
  for (let round = 0; round < 3; round += 1) {
    progress(`round ${round + 1} of 3`);
    const staticFile = await timeRequests('/static/year.html', {});
    const coldPage = await timeRequests('/cold/plans/bench-web/year', { cookie });
    const warmPage = await timeRequests('/warm/plans/bench-web/year', { cookie });
    rounds.static.push(staticFile.median);
    rounds.cold.push(coldPage.median);
    rounds.warm.push(warmPage.median);
    sizes = { static: staticFile.bytes, page: warmPage.bytes };
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { rounds, sizes, tasks: loaded.schedule.tasks.length };
});
await env.teardown();
await store.close();
await postgres.stop();
await rm(pgDir, { recursive: true, force: true });
await rm(scratch, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const staticMs = median(figures.rounds.static);
const coldMs = median(figures.rounds.cold);
const warmMs = median(figures.rounds.warm);
console.log(`the year page of ${figures.tasks} tasks: ${figures.sizes.page} bytes; ${REQUESTS} sequential requests × 3 rounds, median time per request`);
console.log(`static file of the same bytes:        ${ms(staticMs)}   1.00   (rounds: ${figures.rounds.static.map(ms).join(', ')})`);
console.log(`year page, state from the cache:       ${ms(warmMs)}   ${(warmMs / staticMs).toFixed(2)}×  (rounds: ${figures.rounds.warm.map(ms).join(', ')})`);
console.log(`year page, state asked of the plan:    ${ms(coldMs)}   ${(coldMs / staticMs).toFixed(2)}×  (rounds: ${figures.rounds.cold.map(ms).join(', ')})`);

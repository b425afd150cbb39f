/**
 * The plan's documents page's handlers on their own (the register a folder's, the plan's state a
 * stub): the execution report from the running plan's states, refused for a plan not running;
 * the subsidy report from the lines typed in, a wrong line named and nothing registered; the
 * office's staff refused; another plan's address a 404.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlanSource } from '../../activities/plan-files.ts';
import { FileDocumentRegister } from '../../documents/register.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import type { Session } from '../../web/auth.ts';
import { addPlanDocumentPages } from '../../web/documents/plan-documents.ts';
import type { PlanView, ServedPlan } from '../../web/plans.ts';
import type { PlanStatus } from '../../workflows/messages.ts';
import { buildPlan, toYaml } from '../support/build-plan.ts';

const ADMIN: Session = { login: 'office', name: 'Иванова О. Ю.', org: 'test', role: 'administrator', schools: [], municipality: null, csrf: 'csrf', expires: Number.MAX_SAFE_INTEGER };
const PEOPLE = [{ id: 'coordinator', name: 'Иванова Ольга Юрьевна', position: 'региональный координатор', organization: 'Министерство образования Рязанской области', email: 'coordinator@example.org' }, { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }];

let dir: string;
let register: FileDocumentRegister;
let served: ServedPlan;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plangraf-web-plan-documents-'));
  register = new FileDocumentRegister(dir);
  const load = await loadPlanSource({ text: toYaml(buildPlan({ region: 'Рязанская область', people: PEOPLE })), fileName: 'test-plan.yaml', calendars: [] });
  if (!load.ok) throw new Error(load.lines.join('\n'));
  served = { key: 'test-plan', org: 'test', file: 'test-plan.yaml', loaded: load.loaded };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function statusOf(state: 'done' | 'active'): PlanStatus {
  return {
    plan: 'test-plan', key: 'test-plan', title: 'Тестовый план-график', asOf: '2020-02-03', started: 0, total: 1,
    tasks: [{ task: '1', item: '1', title: 'Доработка региональной модели', period: 'январь', school: null, schoolName: null, executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }, start: '2020-01-09', due: '2020-01-31', plannedDue: '2020-01-31', state, target: '3', result: state === 'done' ? '3 модели' : null, comment: null, doneOn: null, daysLate: 0 }],
  };
}

function app(session: Session, status: PlanStatus | null): Hono<WebEnv> {
  const plans: PlanView = { list: () => [served], get: (key) => (key === served.key ? served : undefined), status: async () => status, task: async () => null, invalidate: () => undefined };
  // No executor sent files with a report in these plans.
  const deps = { plans, register, store: { pool: { query: async () => ({ rows: [] }) } } } as unknown as WebDeps;
  const hono = new Hono<WebEnv>();
  hono.use('*', async (c, next) => {
    c.set('session', session);
    c.set('deps', deps);
    await next();
  });
  addPlanDocumentPages(hono);
  return hono;
}

const post = (hono: Hono<WebEnv>, form: Record<string, string>, key = 'test-plan') => hono.request(`/plans/${key}/documents`, { method: 'POST', body: new URLSearchParams({ _csrf: 'csrf', ...form }) });

describe('the execution report from the page', () => {
  it('is made from the running plan’s states as of the plan’s today; asked again with the same states it is the same document, with changed ones a new one', async () => {
    const hono = app(ADMIN, statusOf('active'));
    const made = await post(hono, { do: 'execution-report' });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toMatch(/^\/plans\/test-plan\/documents\?made=test-plan%3Aexecution-report%3A2020-02-03%3A[0-9a-f]{16}$/);
    const page = await (await hono.request(made.headers.get('location')!)).text();
    expect(page).toMatch(/Сформировано: Отчёт о выполнении плана-графика № ОИ-2020\/001 от 03\.02\.2020/);
    expect((await post(hono, { do: 'execution-report' })).headers.get('location')).toBe(made.headers.get('location'));
    expect((await register.entries()).map((entry) => entry.number)).toEqual(['ОИ-2020/001']);
    // The task done since: the same day's report says so, under a number of its own.
    const later = await post(app(ADMIN, statusOf('done')), { do: 'execution-report' });
    expect(later.headers.get('location')).not.toBe(made.headers.get('location'));
    expect((await register.entries()).map((entry) => entry.number)).toEqual(['ОИ-2020/001', 'ОИ-2020/002']);
  });

  it('is refused for a plan not running, in words, with nothing registered', async () => {
    const refused = await post(app(ADMIN, null), { do: 'execution-report' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('План не запущен: отчёт об исполнении строится по состояниям задач идущего плана.');
    expect(await register.entries()).toEqual([]);
  });
});

describe('the subsidy report from the page', () => {
  it('names a wrong line, keeps what was typed, registers nothing; the right lines make the report', async () => {
    const hono = app(ADMIN, null);
    const lines = 'Повышение квалификации; 1 200 000; 1 150 000,50\nОборудование 300 000';
    const refused = await post(hono, { do: 'subsidy-report', lines, date: '2020-12-25' });
    expect(refused.status).toBe(422);
    const text = await refused.text();
    expect(text).toContain('Строка 2: нужно «статья; план; израсходовано» через точку с запятой, а в ней 1 часть.');
    expect(text).toContain('Оборудование 300 000</textarea>');
    expect(await register.entries()).toEqual([]);

    const made = await post(hono, { do: 'subsidy-report', lines: lines.replace('Оборудование 300 000', 'Оборудование; 300 000; сто'), date: '2020-12-25' });
    expect(made.status).toBe(422);
    expect(await made.text()).toMatch(/Отчёт о расходовании средств субсидии: строка 2: израсходовано: /);

    const good = await post(hono, { do: 'subsidy-report', lines: lines.replace('Оборудование 300 000', 'Оборудование; 300 000; 300 000'), date: '2020-12-25' });
    expect(good.status).toBe(303);
    expect((await register.entries()).map((entry) => [entry.number, entry.date])).toEqual([['ОС-2020/001', '2020-12-25']]);
  });
});

describe('who may make documents', () => {
  it('refuses the office’s staff (403) and answers another plan’s address with 404', async () => {
    expect((await post(app({ ...ADMIN, role: 'office' }, null), { do: 'order' })).status).toBe(403);
    expect((await post(app(ADMIN, null), { do: 'order' }, 'other-plan')).status).toBe(404);
    expect((await app(ADMIN, null).request('/plans/other-plan/documents.zip')).status).toBe(404);
    // A title of hundreds of characters, as orders have: the archive's name stays a name a disk can save.
    served.loaded.plan.title = `План-график реализации мероприятий ${'по поддержке школ с низкими образовательными результатами '.repeat(5)}на 2020 год`;
    const zip = await app(ADMIN, null).request('/plans/test-plan/documents.zip');
    const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(zip.headers.get('content-disposition') ?? '')![1]!);
    expect(name).toMatch(/^Документы План-график реализации мероприятий по поддержке .*…\.zip$/);
    expect(Buffer.byteLength(name)).toBeLessThan(255);
    expect(await register.entries()).toEqual([]);
  });
});

/**
 * The federal overview: every region's project office on one page, with its plans' tasks, how
 * many are done and how many overdue. Only the federal role has it; for anyone else the address
 * does not exist.
 */
import { listOrganisations } from '../../store/organisations.ts';
import { seesAllRegions } from '../access.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import { planTotals } from '../plans.ts';

export interface RegionRow {
  org: string;
  name: string;
  plans: number;
  started: number;
  tasks: number;
  done: number;
  overdue: number;
}

/** The rows of the overview: a row per organisation with a plan, by name. */
export async function regionRows(deps: WebDeps): Promise<RegionRow[]> {
  const names = new Map((await listOrganisations(deps.store.pool)).map((org) => [org.id, org.name]));
  const rows = new Map<string, RegionRow>();
  const served = deps.plans.list();
  const totals = await planTotals(deps.plans, served.map((plan) => plan.key));
  for (const { key, org } of served) {
    const row = rows.get(org) ?? { org, name: names.get(org) ?? org, plans: 0, started: 0, tasks: 0, done: 0, overdue: 0 };
    rows.set(org, row);
    row.plans += 1;
    const counts = totals.get(key);
    if (!counts) continue;
    row.started += 1;
    row.tasks += counts.tasks;
    row.done += counts.done;
    row.overdue += counts.overdue;
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}

export async function regionsPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const session = c.get('session');
  if (!seesAllRegions(session)) return c.notFound();
  const rows = await regionRows(deps);
  const total = rows.reduce((sum, row) => ({ tasks: sum.tasks + row.tasks, done: sum.done + row.done, overdue: sum.overdue + row.overdue }), { tasks: 0, done: 0, overdue: 0 });
  const percent = (done: number, tasks: number) => (tasks === 0 ? '—' : `${Math.round((done / tasks) * 100)} %`);
  const body = html`<h1>Регионы</h1>
<p>${rows.length} ${pluralRu(rows.length, ['регион', 'региона', 'регионов'])}: задач ${total.tasks}, выполнено ${total.done} (${percent(total.done, total.tasks)}), просрочено ${total.overdue}.</p>
<table class="grid"><thead><tr><th>Проектный офис</th><th>Планов</th><th>Задач</th><th>Выполнено</th><th>Просрочено</th><th>Доля выполненных</th></tr></thead>
<tbody>${rows.map(
    (row) => html`<tr data-org="${row.org}"><td><a href="/plans?org=${encodeURIComponent(row.org)}">${row.name}</a></td><td>${row.plans}${row.started < row.plans ? html` (запущено ${row.started})` : ''}</td><td>${row.tasks}</td><td>${row.done}</td><td>${row.overdue}</td><td>${percent(row.done, row.tasks)}</td></tr>`,
  )}</tbody></table>`;
  return c.html(page({ title: 'Регионы', body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'regions', allRegions: true } }));
}

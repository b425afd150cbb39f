/** The list of plans the user may see, with how far each has got; `?org=` keeps one region's (the federal overview links there). */
import { canAdminister, seesAllRegions } from '../access.ts';
import type { WebContext, WebDeps } from '../app.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export async function plansPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const session = c.get('session');
  const org = c.req.query('org');
  const rows = await Promise.all(
    deps.plans.list().filter((plan) => !org || plan.org === org).map(async (plan) => {
      const status = await deps.plans.status(plan.key);
      const done = status?.tasks.filter((task) => task.state === 'done').length ?? 0;
      const overdue = status?.tasks.filter((task) => task.state === 'overdue').length ?? 0;
      const key = encodeURIComponent(plan.key);
      return html`<tr>
<td><a href="/plans/${key}/year">${plan.loaded.plan.title ?? plan.key}</a></td>
<td>${plan.key}</td>
<td>${status ? `${done} из ${status.tasks.length}` : 'не запущен'}</td>
<td>${status ? String(overdue) : '—'}</td>
<td><a href="/plans/${key}/indicators">показатели</a></td>
</tr>`;
    }),
  );
  const body = html`<h1>Планы</h1>
<table class="grid"><thead><tr><th>План-график</th><th>Ключ</th><th>Выполнено задач</th><th>Просрочено</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${canAdminister(session) || seesAllRegions(session) ? html`<p><a href="/audit">Журнал действий</a>${seesAllRegions(session) ? html` · <a href="/regions">Регионы</a>` : ''}</p>` : ''}`;
  return c.html(page({ title: 'Планы', body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'plans', allRegions: seesAllRegions(session) } }));
}

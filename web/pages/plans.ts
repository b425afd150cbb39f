/**
 * The list of plans the user may see, with how far each has got; `?org=` keeps one region's (the
 * federal overview links there). Below them, the organisation's plan drafts and the way to upload one.
 */
import { canAdminister, draftsOrgOf, editsDrafts, seesAllRegions } from '../access.ts';
import { listDrafts } from '../../store/plan-drafts.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { describeSpan } from '../../plan/plan-span.ts';
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
<td>${describeSpan(plan.loaded.schedule.span)}</td>
<td>${status ? `${done} из ${status.tasks.length}` : 'не запущен'}</td>
<td>${status ? String(overdue) : '—'}</td>
<td><a href="/plans/${key}/indicators">показатели</a></td>
</tr>`;
    }),
  );
  const draftsOrg = draftsOrgOf(session);
  const startedTitle = (key: string) => {
    const served = deps.plans.get(key);
    return served ? `${served.loaded.plan.title ?? 'план'}, ${describeSpan(served.loaded.schedule.span)}` : undefined;
  };
  const drafts = draftsOrg === null ? [] : await listDrafts(deps.store.pool, draftsOrg);
  const when = (date: Date) => new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Moscow' }).format(date);
  const body = html`<h1>Планы</h1>
<table class="grid"><thead><tr><th>План-график</th><th>Период</th><th>Выполнено задач</th><th>Просрочено</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${
  draftsOrg === null
    ? ''
    : html`<h2 id="drafts">Черновики планов</h2>
${editsDrafts(session) ? html`<p><a href="/drafts/upload">Загрузить план</a> — из документа Word, книги Excel или файла YAML</p>` : ''}
${
  drafts.length === 0
    ? html`<p class="muted">Черновиков нет.</p>`
    : html`<table class="grid drafts"><thead><tr><th>План-график</th><th>Версия</th><th>Сохранён</th><th>Состояние</th></tr></thead>
<tbody>${drafts.map((draft) => html`<tr data-draft="${draft.id}"><td><a href="/drafts/${draft.id}">${draft.title || draft.planId}</a></td><td>${draft.latest.version}</td><td>${when(draft.latest.savedAt)}, ${draft.latest.authorName ?? draft.latest.author}</td><td>${draft.startedKey === null ? 'черновик' : html`запущен: <a href="/plans/${encodeURIComponent(draft.startedKey)}/year">${startedTitle(draft.startedKey) ?? 'открыть план'}</a>`}</td></tr>`)}</tbody></table>`
}`
}
${canAdminister(session) || seesAllRegions(session) ? html`<p><a href="/audit">Журнал действий</a>${seesAllRegions(session) ? html` · <a href="/regions">Регионы</a>` : ''}</p>` : ''}`;
  return c.html(page({ title: 'Планы', body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'plans', allRegions: seesAllRegions(session), administer: canAdminister(session) } }));
}

/**
 * The audit log as a page: who did what, when, from which address. An administrator reads their
 * organisation's; the federal operator reads every region's. For anyone else it does not exist.
 */
import { listAudit, type StoredAuditEntry } from '../../store/audit.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import { canAdminister, seesAllRegions } from '../access.ts';
import type { WebContext, WebDeps } from '../app.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

/** How the page names an action; an unknown one is shown as recorded. */
const ACTION_NAMES: Record<string, string> = {
  login: 'вход',
  logout: 'выход',
  'logout.everywhere': 'выход на всех устройствах',
  'link.complete': 'исполнитель сообщил о выполнении',
  'link.extend': 'исполнитель попросил перенести срок',
  'user.add': 'пользователь добавлен',
  'user.update': 'пользователь изменён',
  'user.disable': 'пользователь отключён',
  'login.failed': 'неверный логин или пароль',
  'login.throttled': 'вход отложен после неудачных попыток',
  'user.logout': 'завершены все сеансы пользователя',
  'key.rotate': 'новый ключ подписи ссылок',
  'key.retire': 'ключ подписи ссылок выведен',
  'cli.complete': 'задача выполнена (командная строка)',
  'cli.extend': 'срок перенесён (командная строка)',
  'cli.change': 'запущенный план изменён (командная строка)',
};

function actionName(action: string): string {
  const known = ACTION_NAMES[action];
  if (known) return known;
  const form = /^\/plans\/:key\/task#(.+)$/.exec(action);
  return form ? `действие по задаче: ${form[1]}` : action;
}

/** Who acted: the office user, the executor of a link, the person at the server's command line, or the login tried. */
function whoOf(entry: StoredAuditEntry): string {
  if (entry.login) return entry.login;
  const { executor, by, login } = entry.details as { executor?: unknown; by?: unknown; login?: unknown };
  if (typeof executor === 'string') return `исполнитель (${executor})`;
  if (typeof by === 'string') return `${by} (командная строка)`;
  if (typeof login === 'string') return `попытка входа как «${login}»`;
  return '—';
}

const TIME = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export async function auditPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const session = c.get('session');
  const everyRegion = seesAllRegions(session);
  if (!everyRegion && !canAdminister(session)) return c.notFound();
  const entries = await listAudit(deps.store.pool, { ...(everyRegion ? {} : { org: session.org! }), limit: 500 });
  const body = html`<h1>Журнал действий</h1>
<p class="muted">${entries.length === 0 ? 'Действий ещё нет.' : `Последние действия${everyRegion ? ' во всех регионах' : ''}: ${entries.length} ${pluralRu(entries.length, ['запись', 'записи', 'записей'])}, новые сверху; время московское.`}</p>
<table class="grid"><thead><tr><th>Когда</th><th>Кто</th><th>Действие</th><th>План</th><th>Задача</th><th>Адрес</th></tr></thead>
<tbody>${entries.map(
    (entry) => html`<tr><td>${TIME.format(entry.at)}</td><td>${whoOf(entry)}</td><td>${actionName(entry.action)}</td><td>${entry.plan ?? ''}</td><td>${entry.task ?? ''}</td><td>${entry.address ?? ''}</td></tr>`,
  )}</tbody></table>`;
  return c.html(page({ title: 'Журнал действий', body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'plans', allRegions: everyRegion } }));
}

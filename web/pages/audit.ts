/**
 * The audit log as a page: who did what, when, from which address. An administrator reads their
 * organisation's; the federal operator reads every region's. For anyone else it does not exist.
 */
import { listAudit, type StoredAuditEntry } from '../../store/audit.ts';
import { listDrafts } from '../../store/plan-drafts.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import { taskNames, type TaskNames } from '../../plan/task-names.ts';
import { canAdminister, seesAllRegions } from '../access.ts';
import type { WebContext, WebDeps } from '../context.ts';
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
  'plan.change': 'идущий план изменён',
  '/drafts/upload#upload': 'загружен план',
  '/drafts/upload#upload-version': 'новая версия черновика из файла',
  '/drafts/:id#save': 'черновик сохранён',
  '/drafts/:id/schools#schools': 'в черновик добавлены школы',
  '/drafts/:id/people#people': 'люди черновика из таблицы',
  '/drafts/:id/start#start': 'план запущен',
  '/drafts/:id/apply#apply': 'идущий план изменён',
  '/users#add': 'пользователь приглашён (ссылка для пароля)',
  '/users/:login#change': 'изменены роль или права пользователя',
  '/users/:login#disable': 'пользователь отключён',
  '/users/:login#enable': 'пользователь снова включён',
  '/users/:login#reset': 'пароль сброшен, новая ссылка для пароля',
  'password.set': 'пароль задан по ссылке',
  '/plans/:key/documents#order': 'сформирован приказ',
  '/plans/:key/documents#contracts': 'сформированы договоры',
  '/plans/:key/documents#execution-report': 'сформирован отчёт об исполнении',
  '/plans/:key/documents#subsidy-report': 'сформирован отчёт о расходовании субсидии',
};

/** A user's address as the actions name it: `/users/ivanova#disable` → `/users/:login#disable`. */
const USER_PATH = /^\/users\/[^/#]+(?=#|$)/;

/** The office's actions on a task page, by the form's `do`. */
const TASK_ACTION_NAMES: Record<string, string> = {
  extend: 'срок перенесён',
  reassign: 'передана другому исполнителю',
  complete: 'отмечена выполненной',
  decline: 'в переносе срока отказано',
  accept: 'отчёт принят, задача снята с контроля',
  return: 'отчёт возвращён на доработку',
  reopen: 'задача возобновлена',
};

/** A draft's address as the actions name it: `/drafts/7/start#start` → `/drafts/:id/start#start`. */
const DRAFT_PATH = /^\/drafts\/(\d+)(?=[/#]|$)/;

function actionName(action: string): string {
  const known = ACTION_NAMES[action] ?? ACTION_NAMES[action.replace(DRAFT_PATH, '/drafts/:id')] ?? ACTION_NAMES[action.replace(USER_PATH, '/users/:login')];
  if (known) return known;
  const form = /^\/plans\/:key\/task#(.+)$/.exec(action);
  if (form) return TASK_ACTION_NAMES[form[1]!] ?? 'действие по задаче';
  if (action.startsWith('/plans/:key/documents')) return 'документы плана';
  if (action.startsWith('/users')) return 'действие с пользователем';
  return action.startsWith('/drafts') ? 'действие с черновиком плана' : action;
}

/** The draft an entry is about: named in its address or its details. */
function draftIdOf(entry: StoredAuditEntry): string | undefined {
  const { draft } = entry.details as { draft?: unknown };
  return DRAFT_PATH.exec(entry.action)?.[1] ?? (typeof draft === 'string' && /^\d+$/.test(draft) ? draft : undefined);
}

/** The «План» column: the plan's title (a draft's, when the entry is about a draft); its key only when no title is known. */
function planOf(entry: StoredAuditEntry, titles: Map<string, { title: string; planId: string }>, planTitle: (key: string) => string | undefined): string {
  const id = draftIdOf(entry);
  const draft = id !== undefined ? titles.get(`${entry.org ?? ''}:${id}`) : undefined;
  const { title } = entry.details as { title?: unknown };
  const name = typeof title === 'string' && title !== '' ? title : draft?.title;
  const key = planKeyOf(entry, titles);
  return name ?? (key ? (planTitle(key) ?? key) : '');
}

/** The plan's key (or a draft's plan id), kept for the row's `data-plan`, not shown. */
function planKeyOf(entry: StoredAuditEntry, titles: Map<string, { title: string; planId: string }>): string {
  const id = draftIdOf(entry);
  return entry.plan ?? (id !== undefined ? titles.get(`${entry.org ?? ''}:${id}`)?.planId : undefined) ?? '';
}

/** The user an action on users was about: «: ivanova». */
function aboutUser(entry: StoredAuditEntry): string {
  const { user } = entry.details as { user?: unknown };
  return typeof user === 'string' && (entry.action.startsWith('/users') || entry.action.startsWith('user.')) ? `: ${user}` : '';
}

/** Who acted: the office user, the executor of a link, the person at the server's command line, or the login tried. */
function whoOf(entry: StoredAuditEntry, users: ReadonlyMap<string, string>, executorName: (plan: string | null, id: string) => string | undefined): string {
  if (entry.login) return users.get(entry.login) ?? entry.login;
  const { executor, by, login } = entry.details as { executor?: unknown; by?: unknown; login?: unknown };
  if (typeof executor === 'string') return `исполнитель ${executorName(entry.plan, executor) ?? 'по ссылке из письма'}`;
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
  // Entries of drafts written before they named their plan take its title from the draft.
  const titles = new Map<string, { title: string; planId: string }>();
  for (const org of new Set(entries.filter((entry) => entry.org !== null && draftIdOf(entry) !== undefined).map((entry) => entry.org!))) {
    for (const draft of await listDrafts(deps.store.pool, org)) titles.set(`${org}:${draft.id}`, { title: draft.title, planId: draft.planId });
  }
  const users = new Map((await deps.auth.users()).map((user) => [user.login, user.name]));
  const planTitle = (key: string) => deps.plans.get(key)?.loaded.plan.title;
  /** An executor of a link by name: a person of the plan, or a school's director. */
  const executorName = (plan: string | null, id: string): string | undefined => {
    const loaded = plan === null ? undefined : deps.plans.get(plan)?.loaded.plan;
    const school = id.startsWith('director:') ? loaded?.schools.find((entry) => `director:${entry.id}` === id) : undefined;
    return school ? `${school.director.name} (${school.shortName ?? school.name})` : loaded?.people.find((person) => person.id === id)?.name;
  };
  const namers = new Map<string, TaskNames | undefined>();
  const taskName = (plan: string | null, task: string) => {
    if (plan === null) return task;
    if (!namers.has(plan)) {
      const served = deps.plans.get(plan);
      namers.set(plan, served ? taskNames(served.loaded.plan, served.loaded.schedule.tasks) : undefined);
    }
    return namers.get(plan)?.task(task) ?? task;
  };
  const body = html`<h1>Журнал действий</h1>
<p class="muted">${entries.length === 0 ? 'Действий ещё нет.' : `Последние действия${everyRegion ? ' во всех регионах' : ''}: ${entries.length} ${pluralRu(entries.length, ['запись', 'записи', 'записей'])}, новые сверху; время московское.`}</p>
<table class="grid"><thead><tr><th>Когда</th><th>Кто</th><th>Действие</th><th>План</th><th>Задача</th><th>Адрес</th></tr></thead>
<tbody>${entries.map(
    (entry) => html`<tr data-plan="${planKeyOf(entry, titles)}"${entry.task ? html` data-task="${entry.task}"` : ''}><td>${TIME.format(entry.at)}</td><td>${whoOf(entry, users, executorName)}</td><td>${actionName(entry.action)}${aboutUser(entry)}</td><td>${planOf(entry, titles, planTitle)}</td><td>${entry.task ? taskName(entry.plan, entry.task) : ''}</td><td>${entry.address ?? ''}</td></tr>`,
  )}</tbody></table>`;
  return c.html(page({ title: 'Журнал действий', body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'plans', allRegions: everyRegion, administer: canAdminister(session) } }));
}

/**
 * «Пользователи»: the administrator of a region's project office manages its users from the
 * pages, through the same store functions as `plangraf users`. A new user gets no password on
 * screen: the administrator is given a one-time link «задать пароль» (valid 72 hours, usable once,
 * kept in the store only as its hash) to hand over or send from their own mail; the person who
 * opens it sets their password and is logged in. A change of role or scope, a disabled user and a
 * reset password end that user's sessions everywhere; a disabled user keeps their history.
 *
 * Who may: the administrator, for the users of their own organisation. Anyone else is told the
 * page is not theirs (403); another organisation's user does not exist for them (404).
 */
import type { Context, Hono } from 'hono';
import { recordAudit } from '../../store/audit.ts';
import {
  changeUserAccess,
  createPasswordLink,
  disableUser,
  enableUser,
  findPasswordLink,
  findUser,
  listUsersWithLogins,
  LOGIN_PATTERN,
  MIN_PASSWORD_LENGTH,
  NO_PASSWORD,
  PASSWORD_LINK_HOURS,
  ROLE_NAMES,
  saveUser,
  usePasswordLink,
  type ListedUser,
  type Role,
  type StoredUser,
} from '../../store/users.ts';
import { canAdminister } from '../access.ts';
import { addressOf, setSessionCookie, type WebContext, type WebDeps, type WebEnv } from '../context.ts';
import { hashPassword } from '../auth.ts';
import { html, type Html } from '../html.ts';
import { errorPage, page, type PageShell } from '../layout.ts';

/** The roles an administrator gives from the pages: the federal operator belongs to no region and is made by the command line. */
const PAGE_ROLES = ['administrator', 'office', 'viewer', 'curator', 'municipal'] as const satisfies readonly Role[];
type PageRole = (typeof PAGE_ROLES)[number];

/** What each role may, in a line, for the form. */
const ROLE_HINTS: Record<PageRole, string> = {
  administrator: 'всё, что проектный офис, а также пользователи, планы и документы',
  office: 'видит все планы организации и отмечает задачи',
  viewer: 'только смотрит планы организации',
  curator: 'видит и отмечает задачи своих школ',
  municipal: 'видит и отмечает задачи школ своего муниципалитета',
};

const TIME = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Adds the users' pages to the office's router (behind its login, CSRF check and audit). */
export function addUserPages(office: Hono<WebEnv>): void {
  const guard = async (c: WebContext, next: () => Promise<void>) => {
    const session = c.get('session');
    if (!canAdminister(session) || session.org === null) {
      return c.html(errorPage('Нет прав на эту страницу', 'Пользователей проектного офиса добавляет и меняет его администратор. Обратитесь к нему.'), 403);
    }
    await next();
  };
  office.use('/users', guard);
  office.use('/users/*', guard);
  office.get('/users', (c) => usersPage(c));
  office.post('/users', (c) => addUserSubmit(c));
  office.get('/users/:login', (c) => userPage(c));
  office.post('/users/:login', (c) => userAction(c));
}

// ---------------------------------------------------------------------------------------------
// The scope a role is given: the schools and municipalities of the organisation's plans

interface Scopes {
  /** School id → its name and municipality, from the organisation's plans. */
  schools: Map<string, { name: string; municipality: string | null }>;
  municipalities: string[];
}

function scopesOf(c: WebContext): Scopes {
  const schools = new Map<string, { name: string; municipality: string | null }>();
  for (const served of c.get('deps').plans.list()) {
    for (const school of served.loaded.plan.schools ?? []) if (!schools.has(school.id)) schools.set(school.id, { name: school.name, municipality: school.municipality ?? null });
  }
  const municipalities = [...new Set([...schools.values()].map((school) => school.municipality?.trim()).filter((name): name is string => Boolean(name)))].sort((a, b) => a.localeCompare(b, 'ru'));
  return { schools, municipalities };
}

/** A user's scope in words: a curator's schools by name, a municipal coordinator's municipality. */
function scopeText(user: Pick<StoredUser, 'role' | 'schools' | 'municipality'>, scopes: Scopes): string {
  if (user.role === 'curator') return user.schools.length === 0 ? 'школы не назначены' : user.schools.map((id) => scopes.schools.get(id)?.name ?? id).join('; ');
  if (user.role === 'municipal') return user.municipality ?? '—';
  if (user.role === 'federal') return 'все регионы';
  return 'вся организация';
}

// ---------------------------------------------------------------------------------------------
// The form of a user's name, role and scope

interface AccessForm {
  login: string;
  name: string;
  role: string;
  schools: string[];
  municipality: string;
}

async function readAccessForm(c: WebContext): Promise<AccessForm> {
  const form = await c.req.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  return { login: text('login'), name: text('name'), role: text('role'), schools: form.getAll('schools').filter((value): value is string => typeof value === 'string'), municipality: text('municipality') };
}

/** What is wrong with a form's role and scope, in Russian; the cleaned access when nothing is. */
function checkAccess(form: AccessForm, scopes: Scopes): { errors: string[]; access: Pick<StoredUser, 'name' | 'role' | 'schools' | 'municipality'> } {
  const errors: string[] = [];
  if (form.name === '') errors.push('Укажите имя пользователя: «Иванова Ольга Юрьевна».');
  const role = (PAGE_ROLES as readonly string[]).includes(form.role) ? (form.role as PageRole) : null;
  if (!role) errors.push('Выберите роль.');
  const schools = role === 'curator' ? [...new Set(form.schools)].filter((id) => scopes.schools.has(id)) : [];
  if (role === 'curator' && schools.length === 0) errors.push(scopes.schools.size === 0 ? 'Куратору нужны его школы, а в планах организации школ пока нет.' : 'Отметьте школы куратора.');
  const municipality = role === 'municipal' ? form.municipality : '';
  if (role === 'municipal' && municipality === '') errors.push('Укажите муниципалитет координатора, как он записан в планах.');
  return { errors, access: { name: form.name, role: role ?? 'viewer', schools, municipality: municipality || null } };
}

function accessFields(form: AccessForm, scopes: Scopes, idPrefix: string): Html {
  const id = (name: string) => `${idPrefix}-${name}`;
  return html`<label for="${id('name')}">Имя (как его увидят в журнале и на страницах)</label>
<input type="text" id="${id('name')}" name="name" value="${form.name}" required>
<fieldset class="roles"><legend>Роль</legend>
${PAGE_ROLES.map((role) => html`<label><input type="radio" name="role" value="${role}"${form.role === role ? html` checked` : ''} required> ${ROLE_NAMES[role]} <span class="muted">— ${ROLE_HINTS[role]}</span></label>`)}
</fieldset>
<fieldset class="scope-schools"><legend>Школы куратора</legend>
${
  scopes.schools.size === 0
    ? html`<p class="muted">В планах организации школ пока нет.</p>`
    : [...scopes.schools].map(([school, { name, municipality }]) => html`<label><input type="checkbox" name="schools" value="${school}"${form.schools.includes(school) ? html` checked` : ''}> ${name}${municipality ? html` <span class="muted">(${municipality})</span>` : ''}</label>`)
}
</fieldset>
<label for="${id('municipality')}">Муниципалитет координатора</label>
<input type="text" id="${id('municipality')}" name="municipality" value="${form.municipality}" list="${id('municipalities')}">
<datalist id="${id('municipalities')}">${scopes.municipalities.map((name) => html`<option value="${name}"></option>`)}</datalist>`;
}

// ---------------------------------------------------------------------------------------------
// The list and the invitation

function shell(c: WebContext, title: string, body: Html, flash?: PageShell['flash']): string {
  const session = c.get('session');
  return page({ title, body, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'users', administer: true }, flash: flash ?? null });
}

function stateText(user: ListedUser): string {
  if (user.disabled) return 'отключён';
  return user.hasPassword ? 'действует' : 'ещё не задал пароль';
}

async function usersPage(c: WebContext, form?: AccessForm, errors: string[] = []): Promise<Response> {
  const session = c.get('session');
  const { store } = c.get('deps');
  const scopes = scopesOf(c);
  const users = await listUsersWithLogins(store.pool, session.org);
  const typed = form ?? { login: '', name: '', role: 'office', schools: [], municipality: '' };
  const body = html`<h1>Пользователи</h1>
<p class="muted">Пользователи проектного офиса и их роли. Пароль новому пользователю не показывается: он получает ссылку и задаёт пароль сам.</p>
<table class="grid users"><thead><tr><th>Имя</th><th>Логин</th><th>Роль</th><th>Что видит</th><th>Последний вход</th><th>Состояние</th></tr></thead>
<tbody>${users.map(
    (user) => html`<tr data-login="${user.login}"><td><a href="/users/${encodeURIComponent(user.login)}">${user.name}</a></td><td>${user.login}</td><td>${ROLE_NAMES[user.role]}</td><td>${scopeText(user, scopes)}</td><td>${user.lastLoginAt ? TIME.format(user.lastLoginAt) : '—'}</td><td>${stateText(user)}</td></tr>`,
  )}</tbody></table>
<h2 id="add">Добавить пользователя</h2>
${errors.length > 0 ? html`<div class="flash flash-error" role="alert"><p>Пользователь не добавлен:</p><ul>${errors.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
<form method="post" action="/users" class="card">
<input type="hidden" name="_csrf" value="${session.csrf}">
<input type="hidden" name="do" value="add">
<label for="add-login">Логин (латинские буквы, цифры, точка, дефис)</label>
<input type="text" id="add-login" name="login" value="${typed.login}" required autocomplete="off" placeholder="ivanova">
${accessFields(typed, scopes, 'add')}
<p><button type="submit">Добавить и получить ссылку для пароля</button></p>
</form>`;
  return c.html(shell(c, 'Пользователи', body), errors.length > 0 ? 422 : 200);
}

async function addUserSubmit(c: WebContext): Promise<Response> {
  const session = c.get('session');
  const { store } = c.get('deps');
  const form = await readAccessForm(c);
  const { errors, access } = checkAccess(form, scopesOf(c));
  if (!LOGIN_PATTERN.test(form.login)) errors.unshift('Логин: от 2 до 40 латинских букв, цифр, точек, дефисов и подчёркиваний, например ivanova.');
  else if (await findUser(store.pool, form.login)) errors.unshift(`Логин «${form.login}» уже занят: выберите другой.`);
  if (errors.length > 0) {
    c.set('auditNote', { recorded: true });
    return usersPage(c, form, errors);
  }
  await saveUser(store.pool, { login: form.login, ...access, org: session.org, passwordHash: NO_PASSWORD });
  const link = await createPasswordLink(store.pool, form.login, session.login);
  c.set('auditNote', { details: { user: form.login, role: access.role, schools: access.schools.join(', ') } });
  return userPage(c, { login: form.login, flash: `Пользователь ${access.name} добавлен. Передайте пользователю ссылку: по ней задаётся пароль.`, link });
}

// ---------------------------------------------------------------------------------------------
// One user's page: role and scope, disable or enable, a new link

/** The organisation's user named in the address; another organisation's does not exist here. */
async function userOfAddress(c: WebContext, login?: string): Promise<ListedUser | undefined> {
  const wanted = (login ?? c.req.param('login') ?? '').toLowerCase();
  return (await listUsersWithLogins(c.get('deps').store.pool, c.get('session').org)).find((user) => user.login.toLowerCase() === wanted);
}

function userNotFound(c: WebContext): Response {
  return c.html(shell(c, 'Пользователь не найден', html`<h1>Пользователь не найден</h1><p>Такого пользователя в вашей организации нет. <a href="/users">Все пользователи</a></p>`), 404);
}

interface UserPageOptions {
  login?: string;
  flash?: string;
  errors?: string[];
  form?: AccessForm;
  link?: { token: string; expiresAt: Date };
}

function linkBlock(c: WebContext, user: ListedUser, link: { token: string; expiresAt: Date }): Html {
  const address = `${c.get('deps').publicUrl}/password/${link.token}`;
  const letter = `Здравствуйте, ${user.name}!\n\nДля вас создан вход на страницы проектного офиса (plangraf), логин: ${user.login}.\nЧтобы задать пароль, откройте ссылку: ${address}\nСсылка действует до ${TIME.format(link.expiresAt)} (время московское) и открывается один раз.`;
  const mailto = `mailto:?subject=${encodeURIComponent('Вход на страницы проектного офиса')}&body=${encodeURIComponent(letter)}`;
  return html`<section class="request password-link">
<h2>Ссылка, чтобы задать пароль</h2>
<p>Передайте эту ссылку пользователю: по ней он один раз задаст свой пароль и войдёт. Ссылка действует ${PASSWORD_LINK_HOURS} часа, до ${TIME.format(link.expiresAt)}; больше она нигде не показывается.</p>
<p><input type="text" id="password-link" readonly value="${address}" aria-label="Ссылка, чтобы задать пароль" size="80"></p>
<p><a href="${mailto}">Отправить ссылку письмом</a> — откроется ваша почтовая программа с готовым письмом; адрес получателя впишите сами.</p>
</section>`;
}

async function userPage(c: WebContext, options: UserPageOptions = {}): Promise<Response> {
  const session = c.get('session');
  const user = await userOfAddress(c, options.login);
  if (!user) return userNotFound(c);
  const scopes = scopesOf(c);
  const form = options.form ?? { login: user.login, name: user.name, role: user.role, schools: user.schools, municipality: user.municipality ?? '' };
  const action = `/users/${encodeURIComponent(user.login)}`;
  const self = user.login === session.login;
  const errors = options.errors ?? [];
  const body = html`<h1>${user.name}</h1>
${options.link ? linkBlock(c, user, options.link) : ''}
<dl class="fields">
<dt>Логин</dt><dd>${user.login}</dd>
<dt>Роль</dt><dd>${ROLE_NAMES[user.role]}</dd>
<dt>Что видит</dt><dd>${scopeText(user, scopes)}</dd>
<dt>Последний вход</dt><dd>${user.lastLoginAt ? TIME.format(user.lastLoginAt) : 'ещё не входил'}</dd>
<dt>Состояние</dt><dd>${stateText(user)}</dd>
</dl>
${errors.length > 0 ? html`<div class="flash flash-error" role="alert"><p>Не изменено:</p><ul>${errors.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
<div class="actions">
<form method="post" action="${action}">
<fieldset><legend>Роль и права</legend>
<input type="hidden" name="_csrf" value="${session.csrf}">
<input type="hidden" name="do" value="change">
${accessFields(form, scopes, 'change')}
<p class="muted">После изменения все сеансы пользователя завершатся: он войдёт заново уже с новыми правами.</p>
<p><button type="submit">Сохранить</button></p>
</fieldset>
</form>
<form method="post" action="${action}">
<fieldset><legend>Вход</legend>
<input type="hidden" name="_csrf" value="${session.csrf}">
${
  user.disabled
    ? html`<p>Пользователь отключён: войти он не может, его история сохранена.</p><p><button type="submit" name="do" value="enable">Включить</button></p>`
    : html`<p>Новая ссылка, чтобы задать пароль: прежний пароль перестанет действовать, сеансы пользователя завершатся.</p>
<p><button type="submit" name="do" value="reset" class="secondary">Сбросить пароль</button></p>
${self ? html`<p class="muted">Себя отключить нельзя.</p>` : html`<p>Отключённый пользователь не сможет войти; всё, что он сделал, остаётся в журнале.</p><p><button type="submit" name="do" value="disable" class="secondary">Отключить</button></p>`}`
}
</fieldset>
</form>
</div>
<p><a href="/users">Все пользователи</a></p>`;
  return c.html(shell(c, user.name, body, options.flash ? { kind: 'ok', text: options.flash } : null), errors.length > 0 ? 422 : 200);
}

async function userAction(c: WebContext): Promise<Response> {
  const session = c.get('session');
  const { store } = c.get('deps');
  const user = await userOfAddress(c);
  if (!user) return userNotFound(c);
  const form = await readAccessForm(c);
  const what = (await c.req.formData()).get('do');
  const self = user.login === session.login;
  const refuse = (text: string) => {
    c.set('auditNote', { recorded: true });
    return userPage(c, { errors: [text] });
  };
  c.set('auditNote', { details: { user: user.login } });
  switch (what) {
    case 'change': {
      const { errors, access } = checkAccess(form, scopesOf(c));
      if (self && access.role !== 'administrator') errors.push('Свою роль администратора снять нельзя: это сделает другой администратор или командная строка.');
      if (errors.length > 0) {
        c.set('auditNote', { recorded: true });
        return userPage(c, { errors, form });
      }
      await changeUserAccess(store.pool, user.login, access);
      c.set('auditNote', { details: { user: user.login, role: access.role, schools: access.schools.join(', ') } });
      if (self) return c.redirect('/login', 303);
      return userPage(c, { flash: `Изменено: ${ROLE_NAMES[access.role]}. Сеансы пользователя завершены.` });
    }
    case 'disable':
      if (self) return refuse('Себя отключить нельзя.');
      await disableUser(store.pool, user.login);
      return userPage(c, { flash: 'Пользователь отключён: войти он не сможет, его сеансы завершены, история сохранена.' });
    case 'enable':
      await enableUser(store.pool, user.login);
      return userPage(c, { flash: user.hasPassword ? 'Пользователь снова может войти со своим паролем.' : 'Пользователь включён; пароль он ещё не задал: сбросьте пароль, чтобы получить для него новую ссылку.' });
    case 'reset': {
      if (user.disabled) return refuse('Пользователь отключён: сначала включите его.');
      await saveUser(store.pool, { login: user.login, name: user.name, org: user.org, role: user.role, schools: user.schools, municipality: user.municipality, passwordHash: NO_PASSWORD });
      const link = await createPasswordLink(store.pool, user.login, session.login);
      if (self) return c.html(errorPage('Пароль сброшен', 'Ваш пароль сброшен, а сеансы завершены. Новую ссылку для пароля получите у другого администратора.'), 200);
      return userPage(c, { flash: 'Пароль сброшен, сеансы пользователя завершены. Передайте пользователю новую ссылку.', link });
    }
    default:
      return refuse('Неизвестное действие: откройте страницу заново.');
  }
}

// ---------------------------------------------------------------------------------------------
// The one-time link: the person sets their password and is logged in

function linkPage(c: Context, title: string, body: Html, status: 200 | 404 | 410 | 422 = 200): Response {
  return c.html(page({ title, body: html`<div class="card">${body}</div>` }), status);
}

/** A link that sets nothing (used, expired, unknown): why, and what to do. */
async function spentLink(c: Context, deps: WebDeps, token: string): Promise<Response | null> {
  const found = await findPasswordLink(deps.store.pool, token);
  if (!found) return linkPage(c, 'Ссылка не найдена', html`<h1>Ссылка не найдена</h1><p>Такой ссылки для пароля нет. Проверьте, что она скопирована целиком, или попросите администратора проектного офиса прислать новую.</p>`, 404);
  if (found.state === 'used') return linkPage(c, 'Ссылка уже использована', html`<h1>Ссылка уже использована</h1><p>По этой ссылке пароль уже задан (${TIME.format(found.usedAt)}, время московское); второй раз она не открывается. <a href="/login">Войти</a> с логином <b>${found.login}</b>. Если пароль забыт, попросите администратора сбросить его.</p>`, 410);
  if (found.state === 'expired') return linkPage(c, 'Ссылка устарела', html`<h1>Ссылка устарела</h1><p>Ссылка для пароля действует ${PASSWORD_LINK_HOURS} часа. Попросите администратора проектного офиса сбросить пароль: он пришлёт новую ссылку.</p>`, 410);
  return null;
}

function passwordForm(c: Context, token: string, who: { login: string; name: string }, error?: string): Response {
  const body = html`<h1>Задайте пароль</h1>
<p>Здравствуйте, ${who.name}! Ваш логин: <b>${who.login}</b>. Придумайте пароль не короче ${MIN_PASSWORD_LENGTH} знаков; эта ссылка откроется только один раз.</p>
${error ? html`<p class="flash flash-error" role="alert">${error}</p>` : ''}
<form method="post" action="/password/${token}">
<input type="hidden" name="username" value="${who.login}" autocomplete="username">
<label for="password">Новый пароль</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<label for="password2">Ещё раз</label>
<input id="password2" name="password2" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<p><button type="submit">Задать пароль и войти</button></p>
</form>`;
  return linkPage(c, 'Задайте пароль', body, error ? 422 : 200);
}

export async function passwordLinkPage(c: Context, deps: WebDeps): Promise<Response> {
  const token = c.req.param('token') ?? '';
  const spent = await spentLink(c, deps, token);
  if (spent) return spent;
  const found = (await findPasswordLink(deps.store.pool, token))!;
  return passwordForm(c, token, found);
}

export async function passwordLinkSubmit(c: Context, deps: WebDeps): Promise<Response> {
  const token = c.req.param('token') ?? '';
  const found = await findPasswordLink(deps.store.pool, token);
  if (!found || found.state !== 'open') return (await spentLink(c, deps, token))!;
  const form = await c.req.parseBody();
  const password = typeof form.password === 'string' ? form.password : '';
  const again = typeof form.password2 === 'string' ? form.password2 : '';
  if (password.length < MIN_PASSWORD_LENGTH) return passwordForm(c, token, found, `Пароль короче ${MIN_PASSWORD_LENGTH} знаков: придумайте длиннее.`);
  if (password !== again) return passwordForm(c, token, found, 'Пароли не совпадают: введите один и тот же пароль дважды.');
  const user = await usePasswordLink(deps.store.pool, token, await hashPassword(password));
  // Another tab used the link a moment ago, or it expired while the form was open.
  if (!user) return (await spentLink(c, deps, token)) ?? linkPage(c, 'Ссылка устарела', html`<h1>Ссылка устарела</h1><p>Попросите администратора прислать новую.</p>`, 410);
  const address = addressOf(c);
  const opened = await deps.auth.openFor(user, address);
  await recordAudit(deps.store.pool, { login: user.login, org: user.org, address, action: 'password.set' });
  setSessionCookie(c, deps, opened.token, Math.floor((opened.session.expires - Date.now()) / 1000));
  return c.redirect('/', 303);
}

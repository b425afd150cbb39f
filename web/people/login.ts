/**
 * The office's login page. The form carries a token that matches a cookie set with the page
 * (double submit), so a login cannot be posted from another site.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { safeEqual } from '../auth.ts';
import { addressOf, LOGIN_CSRF_COOKIE, setSessionCookie, type WebDeps } from '../context.ts';
import { recordAudit } from '../../store/audit.ts';
import { html } from '../html.ts';
import { errorPage, page } from '../layout.ts';

/**
 * Only a path of this site: a login never sends anyone elsewhere. Browsers read `/\evil.example`
 * and `/<tab>/evil.example` as `//evil.example`, another site: a path must start with one slash
 * followed by neither a slash nor a backslash, and hold no control character or backslash at all.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(next) || /^\/[\/\\]/.test(next)) return '/';
  return next;
}

/** A `next` that carries a line break or another control character: somebody is trying to split a header. */
export function brokenNext(next: unknown): boolean {
  return typeof next === 'string' && /[\u0000-\u001f\u007f]/.test(next);
}

function badAddress(c: Context): Response {
  return c.html(errorPage('Неверный адрес', 'В адресе для перехода после входа есть недопустимые символы. Откройте страницу входа заново.'), 400);
}

function loginForm(c: Context, deps: WebDeps, options: { next: string; login?: string; error?: string; notice?: string; status?: 200 | 401 | 429 }): Response {
  // The token of an earlier login page stays: a second page (another tab, a browser's own
  // request that ends up here) must not make the first one's form stale.
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  const token = existing && /^[A-Za-z0-9_-]{24}$/.test(existing) ? existing : randomBytes(18).toString('base64url');
  setCookie(c, LOGIN_CSRF_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, maxAge: 3600 });
  const body = html`<div class="card">
<h1>Вход для проектного офиса</h1>
<p class="muted">Исполнителям входить не нужно: они действуют по ссылкам из писем.</p>
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="next" value="${options.next}">
<label for="login">Логин</label>
<input id="login" name="login" type="text" autocomplete="username" required value="${options.login ?? ''}">
<label for="password">Пароль</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Войти</button></p>
</form>
</div>`;
  return c.html(page({ title: 'Вход', body, flash: options.error ? { kind: 'error', text: options.error } : options.notice ? { kind: 'ok', text: options.notice } : null }), options.status ?? 200);
}

export async function loginPage(c: Context, deps: WebDeps): Promise<Response> {
  if (brokenNext(c.req.query('next'))) return badAddress(c);
  const ended = c.req.query('ended') === 'everywhere' ? 'Все ваши сеансы завершены: на других устройствах тоже нужно войти заново.' : undefined;
  return loginForm(c, deps, { next: safeNext(c.req.query('next')), ...(ended ? { notice: ended } : {}) });
}

export async function loginSubmit(c: Context, deps: WebDeps): Promise<Response> {
  const form = await c.req.parseBody();
  if (brokenNext(form.next)) return badAddress(c);
  const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
  const cookie = getCookie(c, LOGIN_CSRF_COOKIE);
  if (!cookie || typeof form._csrf !== 'string' || !safeEqual(cookie, form._csrf)) {
    return loginForm(c, deps, { next, error: 'Страница входа устарела: введите логин и пароль ещё раз.', status: 401 });
  }
  const login = typeof form.login === 'string' ? form.login : '';
  const password = typeof form.password === 'string' ? form.password : '';
  const address = addressOf(c);
  const outcome = await deps.auth.login(login, password, address);
  if (!outcome.ok) {
    // A refused login is the audit log's business too: whose login was tried, from where.
    await recordAudit(deps.store.pool, { login: null, org: null, address, action: outcome.reason === 'throttled' ? 'login.throttled' : 'login.failed', details: { login: login.slice(0, 100) } });
    if (outcome.reason === 'throttled') return loginForm(c, deps, { next, login, error: `Слишком много неудачных попыток входа с этого компьютера. Попробуйте снова через ${waitText(outcome.seconds)}.`, status: 429 });
    return loginForm(c, deps, { next, login, error: 'Неверный логин или пароль.', status: 401 });
  }
  await recordAudit(deps.store.pool, { login: outcome.session.login, org: outcome.session.org, address, action: 'login' });
  setSessionCookie(c, deps, outcome.token, Math.floor((outcome.session.expires - Date.now()) / 1000));
  return c.redirect(next, 303);
}

/** «5 с», «2 мин», «15 мин». */
function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} с` : `${Math.ceil(seconds / 60)} мин`;
}

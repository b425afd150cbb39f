/**
 * The project office's pages and the executors' links, as one Hono application: office pages
 * behind a login, executor pages behind signed links, calendar feeds behind signed addresses.
 * Every page is rendered on the server; every form carries a CSRF token; only a POST acts.
 */
import type { Client } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { MailCatcher } from '../activities/mail-catcher.ts';
import type { DocumentRegister } from '../documents/register.ts';
import type { OfficeAuth, Session } from './auth.ts';
import { html } from './html.ts';
import { page, STYLESHEET } from './layout.ts';
import type { LinkSigner, UsedLinks } from './links.ts';
import type { PlanDirectory } from './plans.ts';
import { actionPage, actOnLink } from './pages/act.ts';
import { documentFile, documentsPage } from './pages/documents.ts';
import { indicatorsPage, indicatorsXlsx } from './pages/indicators.ts';
import { loginPage, loginSubmit, LOGIN_CSRF_COOKIE } from './pages/login.ts';
import { mailAttachment, mailMessage, mailPage } from './pages/mail.ts';
import { plansPage } from './pages/plans.ts';
import { taskAction, taskPage } from './pages/task.ts';
import { yearPage } from './pages/year.ts';
import { calendarFeed } from './feeds.ts';
import { statusXlsx } from './exports.ts';

export interface WebDeps {
  plans: PlanDirectory;
  client: Client;
  auth: OfficeAuth;
  signer: LinkSigner;
  usedLinks: UsedLinks;
  register: DocumentRegister;
  /** The caught mail in embedded mode (the built-in catcher's folder): it has a page. */
  catcher: Pick<MailCatcher, 'messages'> | null;
  /** How the server is reached from outside: links in mail and feeds point here. */
  publicUrl: string;
  /** Cookies get `Secure` when the public address is https. */
  secureCookies: boolean;
}

export type WebEnv = { Variables: { session: Session } };
export type WebContext = Context<WebEnv>;

export const SESSION_COOKIE = 'plangraf_session';

/** A green square with a white «п»: the tab's icon. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f6f43"/><text x="8" y="12.5" font-size="12" font-family="Arial" text-anchor="middle" fill="#fff">п</text></svg>';

export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.use('*', async (c, next) => {
    await next();
    // Links carry their token in the address: no page may pass it on, or be framed.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    // A page with a policy of its own (a caught letter's HTML, sandboxed) keeps it.
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.get('/static/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/healthz', (c) => c.text('ok'));
  // Browsers ask for it on every page; without it the request would land on the login page.
  app.get('/favicon.ico', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' });
  });

  // Executors: no account, a signed link.
  app.get('/act/:token', (c) => actionPage(c, deps));
  app.post('/act/:token', (c) => actOnLink(c, deps));
  app.get('/calendar/:file', (c) => calendarFeed(c, deps));

  // The office.
  app.get('/login', (c) => loginPage(c, deps));
  app.post('/login', (c) => loginSubmit(c, deps));
  app.post('/logout', async (c) => {
    const session = deps.auth.open(getCookie(c, SESSION_COOKIE));
    const form = await c.req.parseBody();
    if (session && deps.auth.checkCsrf(session, form._csrf)) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  const office = new Hono<WebEnv>();
  office.use('*', async (c, next) => {
    const session = deps.auth.open(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.method !== 'GET') return c.text('Нужно войти заново', 401);
      return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search)}`, 303);
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!deps.auth.checkCsrf(session, form._csrf)) return c.text('Форма устарела или пришла не с этой страницы (CSRF). Откройте страницу заново.', 403);
    }
    c.set('session', session);
    await next();
  });
  office.get('/', (c) => {
    const [first] = deps.plans.list();
    return c.redirect(first ? `/plans/${encodeURIComponent(first.key)}/year` : '/plans', 303);
  });
  office.get('/plans', (c) => plansPage(c, deps));
  office.get('/plans/:key/year', (c) => yearPage(c, deps));
  office.get('/plans/:key/indicators', (c) => indicatorsPage(c, deps));
  office.get('/plans/:key/task', (c) => taskPage(c, deps));
  office.post('/plans/:key/task', (c) => taskAction(c, deps));
  office.get('/plans/:key/status.xlsx', (c) => statusXlsx(c, deps));
  office.get('/plans/:key/indicators.xlsx', (c) => indicatorsXlsx(c, deps));
  office.get('/documents', (c) => documentsPage(c, deps));
  office.get('/documents/file', (c) => documentFile(c, deps));
  office.get('/mail', (c) => mailPage(c, deps));
  office.get('/mail/message', (c) => mailMessage(c, deps));
  office.get('/mail/attachment', (c) => mailAttachment(c, deps));
  app.route('/', office);

  app.notFound((c) => c.html(page({ title: 'Нет такой страницы', body: html`<div class="card"><h1>Нет такой страницы</h1><p>Адрес <code>${c.req.path}</code> ничего не показывает. Начните с <a href="/plans">списка планов</a>.</p></div>` }), 404));
  return app;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind https. */
export function setSessionCookie(c: Context, deps: WebDeps, value: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, maxAge: maxAgeSeconds });
  deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/login' });
}

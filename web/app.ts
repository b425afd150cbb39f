/**
 * The project office's pages and the executors' links, as one Hono application: office pages
 * behind a login, executor pages behind signed links, calendar feeds behind signed addresses.
 * Every page is rendered on the server; every form carries a CSRF token; only a POST acts.
 *
 * Region and role are applied here, once: the office's middleware gives each request a view of
 * the plans, the register and the mail that holds only what its user may see (`web/access.ts`),
 * and lets only roles that act post a form. Every office action goes to the audit log.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie } from 'hono/cookie';
import { recordAudit } from '../store/audit.ts';
import { canAct, seesAllRegions, viewOfMailbox, viewOfPlans, viewOfRegister } from './access.ts';
import { html } from './html.ts';
import { errorPage, page, STYLESHEET } from './layout.ts';
import { addressOf, SESSION_COOKIE, type WebContext, type WebDeps, type WebEnv } from './context.ts';
import { actionPage, actOnLink } from './tasks/act.ts';
import { documentFile, documentsPage } from './documents/documents.ts';
import { indicatorsPage, indicatorsXlsx } from './year/indicators.ts';
import { loginPage, loginSubmit } from './people/login.ts';
import { mailAttachment, mailMessage, mailPage } from './pages/mail.ts';
import { plansPage } from './pages/plans.ts';
import { regionsPage } from './pages/regions.ts';
import { auditPage } from './pages/audit.ts';
import { addDraftPages, takesFiles, tooLargePage, UPLOAD_BODY_LIMIT_BYTES } from './drafts/draft-routes.ts';
import { addPlanDocumentPages } from './documents/plan-documents.ts';
import { evidenceFile, taskAction, taskPage } from './tasks/task.ts';
import { EVIDENCE_LIMITS } from './evidence/file-check.ts';
import { addUserPages, passwordLinkPage, passwordLinkSubmit } from './people/users.ts';
import { yearPage } from './year/year.ts';
import { calendarFeed } from './feeds.ts';
import { statusXlsx } from './year/status-sheet.ts';

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
  // Forms are small: a request far larger than any is refused before it is read. An uploaded plan may be larger.
  const formLimit = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.html(errorPage('Слишком большой запрос', 'Отправленные данные больше, чем принимает эта страница (1 МБ). Сократите текст и отправьте снова.'), 413) });
  const fileLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT_BYTES, onError: (c) => c.html(tooLargePage(c.req.path), 413) });
  // An executor's report carries its files: all of them together up to the evidence limit, and the form.
  const reportLimit = bodyLimit({ maxSize: EVIDENCE_LIMITS.reportBytes + 1024 * 1024, onError: (c) => c.html(errorPage('Файлы слишком большие', `Все файлы отчёта вместе — не больше ${EVIDENCE_LIMITS.reportBytes / 1024 / 1024} МБ. Вернитесь назад, уберите или сожмите часть файлов и отправьте отчёт снова.`), 413) });
  app.use('*', (c, next) => (takesFiles(c.req.path) ? fileLimit(c, next) : c.req.path.startsWith('/act/') ? reportLimit(c, next) : formLimit(c, next)));
  // Plans started on another host since the last request appear here too.
  app.use('*', async (_c, next) => {
    await deps.plans.refresh?.();
    await next();
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
  app.post('/logout', (c) => logout(c, deps, false));
  app.post('/logout/everywhere', (c) => logout(c, deps, true));
  // A new user's one-time link to set their password: no account yet, the link is the right.
  app.get('/password/:token', (c) => passwordLinkPage(c, deps));
  app.post('/password/:token', (c) => passwordLinkSubmit(c, deps));

  const office = new Hono<WebEnv>();
  office.use('*', async (c, next) => {
    const session = await deps.auth.open(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.method !== 'GET') return c.html(errorPage('Нужно войти заново', 'Сеанс завершён: войдите снова и повторите действие.'), 401);
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!deps.auth.checkCsrf(session, form._csrf)) return c.html(errorPage('Форма устарела', 'Форма устарела или пришла не с этой страницы. Откройте страницу заново и повторите действие.'), 403);
      if (!canAct(session)) return c.html(errorPage('Нет прав на это действие', 'Ваша роль позволяет смотреть план, но не менять его. Обратитесь к администратору проектного офиса.'), 403);
    }
    const plans = viewOfPlans(deps.plans, session);
    c.set('session', session);
    c.set('deps', { ...deps, plans, register: viewOfRegister(deps.register, plans, session), mailbox: deps.mailbox ? viewOfMailbox(deps.mailbox, plans, session) : null });
    await next();
    const note = c.get('auditNote');
    if (c.req.method === 'POST' && c.res.status < 400 && !note?.recorded) {
      const form = await c.req.parseBody();
      await recordAudit(deps.store.pool, {
        login: session.login,
        org: session.org,
        address: addressOf(c),
        action: `${c.req.path.replace(/^\/plans\/[^/]+/, '/plans/:key')}${typeof form.do === 'string' ? `#${form.do}` : ''}`,
        plan: note?.plan ?? c.req.param('key') ?? null,
        task: c.req.query('t') ?? null,
        details: { ...Object.fromEntries(Object.entries(form).filter(([name, value]) => name !== '_csrf' && typeof value === 'string')), ...note?.details },
      });
    }
  });
  const own = (c: WebContext) => c.get('deps');
  office.get('/', (c) => {
    if (seesAllRegions(c.get('session'))) return c.redirect('/regions', 303);
    const [first] = own(c).plans.list();
    return c.redirect(first ? `/plans/${encodeURIComponent(first.key)}/year` : '/plans', 303);
  });
  office.get('/plans', (c) => plansPage(c, own(c)));
  office.get('/regions', (c) => regionsPage(c, own(c)));
  office.get('/audit', (c) => auditPage(c, own(c)));
  office.get('/plans/:key/year', (c) => yearPage(c, own(c)));
  office.get('/plans/:key/indicators', (c) => indicatorsPage(c, own(c)));
  office.get('/plans/:key/task', (c) => taskPage(c, own(c)));
  office.post('/plans/:key/task', (c) => taskAction(c, own(c)));
  office.get('/plans/:key/task/file', (c) => evidenceFile(c, own(c)));
  office.get('/plans/:key/status.xlsx', (c) => statusXlsx(c, own(c)));
  office.get('/plans/:key/indicators.xlsx', (c) => indicatorsXlsx(c, own(c)));
  office.get('/documents', (c) => documentsPage(c, own(c)));
  office.get('/documents/file', (c) => documentFile(c, own(c)));
  office.get('/mail', (c) => mailPage(c, own(c)));
  office.get('/mail/message', (c) => mailMessage(c, own(c)));
  office.get('/mail/attachment', (c) => mailAttachment(c, own(c)));
  addDraftPages(office, deps);
  addPlanDocumentPages(office);
  addUserPages(office);
  app.route('/', office);

  app.notFound((c) => c.html(page({ title: 'Нет такой страницы', body: html`<div class="card"><h1>Нет такой страницы</h1><p>Адрес <code>${c.req.path}</code> ничего не показывает. Начните со <a href="/plans">списка планов</a>.</p></div>` }), 404));
  // Whatever goes wrong inside, the user reads a Russian page; the details go to the log.
  app.onError((error, c) => {
    console.error(`plangraf: ошибка на странице ${c.req.method} ${c.req.path}:`, error);
    return c.html(errorPage('Ошибка на сервере', 'Страница не открылась из-за ошибки на сервере. Попробуйте ещё раз через минуту; если ошибка повторится, сообщите администратору.'), 500);
  });
  return app;
}

/** Ends the session (or, «на всех устройствах», every session of its user) and goes back to the login. */
async function logout(c: Context, deps: WebDeps, everywhere: boolean): Promise<Response> {
  const token = getCookie(c, SESSION_COOKIE);
  const session = await deps.auth.open(token);
  const form = await c.req.parseBody();
  if (session && token && deps.auth.checkCsrf(session, form._csrf)) {
    if (everywhere) await deps.auth.logoutEverywhere(session.login);
    else await deps.auth.logout(token);
    await recordAudit(deps.store.pool, { login: session.login, org: session.org, address: addressOf(c), action: everywhere ? 'logout.everywhere' : 'logout' });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
  }
  return c.redirect(everywhere ? '/login?ended=everywhere' : '/login', 303);
}

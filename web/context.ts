/**
 * What every page shares, apart from the application that routes to them: the dependencies a
 * handler is given (`WebDeps`), the request's context (its session, its user's view of the
 * dependencies, its audit note), the office's cookies and the client's address. Pages import
 * these from here, never from `web/app.ts`, which imports the pages.
 */
import type { Client } from '@temporalio/client';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { DocumentRegister } from '../documents/register.ts';
import type { Store } from '../store/database.ts';
import type { Mailbox } from '../store/caught-mail.ts';
import type { UsedLinkRegister } from '../store/used-links.ts';
import type { OfficeAuth, Session } from './auth.ts';
import type { LinkSigner } from './links.ts';
import type { PlanView } from './plans.ts';

export interface WebDeps {
  plans: PlanView;
  client: Client;
  /** The shared store: users, sessions, the audit log, organisations. */
  store: Store;
  auth: OfficeAuth;
  signer: LinkSigner;
  usedLinks: UsedLinkRegister;
  register: DocumentRegister;
  /** The caught mail in embedded mode (the built-in catcher keeps it in the store): it has a page. */
  mailbox: Mailbox | null;
  /** How the server is reached from outside: links in mail and feeds point here. */
  publicUrl: string;
  /** Cookies get `Secure` when the public address is https. */
  secureCookies: boolean;
  /** The task queue plans started from the pages run on (PLANGRAF_TASK_QUEUE by default). */
  taskQueue?: string;
}

/**
 * What a handler adds to the audit entry of its POST: the plan (or draft) it acted on and more
 * details; `recorded` when it wrote a fuller entry of its own, so the middleware writes none.
 */
export interface AuditNote {
  plan?: string | null;
  details?: Record<string, unknown>;
  recorded?: boolean;
}

export type WebEnv = { Variables: { session: Session; deps: WebDeps; auditNote?: AuditNote } };
export type WebContext = Context<WebEnv>;

export const SESSION_COOKIE = 'plangraf_session';
/** The login form's token (double submit): set with the login page, gone once the user is in. */
export const LOGIN_CSRF_COOKIE = 'plangraf_login';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind https. */
export function setSessionCookie(c: Context, deps: WebDeps, value: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, maxAge: maxAgeSeconds });
  deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/login' });
}

/**
 * The client's address, for the throttle and the audit log. Behind a load balancer or a reverse
 * proxy every request comes from the proxy: with `PLANGRAF_TRUST_PROXY=1` the address is the last
 * one the proxy appended to `X-Forwarded-For` (earlier ones the client may have written itself).
 */
export function addressOf(c: Context): string {
  if (process.env.PLANGRAF_TRUST_PROXY === '1') {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

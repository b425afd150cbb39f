/**
 * The executors' links: every assignment, reminder and overdue notice carries signed links to
 * report the task done or to ask for more time. A link is bound to its plan, task and executor
 * (an HMAC over them), expires, acts once, and is void once the task has another executor.
 * Calendar feeds have signed addresses of their own, which do not expire.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ActionLinks } from '../activities/mail.ts';
import type { IsoDate } from '../plan/dates.ts';
import { safeEqual } from './auth.ts';
import { keyIdOf } from '../store/signing-keys.ts';

export const LINK_ACTIONS = ['complete', 'extend'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export interface ActionLink {
  /** The plan key. */
  plan: string;
  task: string;
  /** The executor's id in the plan (`riro`, `director:sch-01`). */
  executor: string;
  action: LinkAction;
  /** Unix seconds. */
  expires: number;
  /** Tells two links for the same task apart (the message they came in). */
  nonce: string;
}

export interface FeedLink {
  plan: string;
  /** An executor's id, or `null` for the whole plan's deadlines. */
  executor: string | null;
  /**
   * The office user the address was given to on the pages: it serves only while that user is
   * enabled and may see the plan, and only what they may see. Executors' feeds (from letters) have none.
   */
  viewer?: string;
}

export type LinkCheck<T> = { ok: true; link: T; id: string } | { ok: false; reason: 'forged' | 'expired' };

/** A key to sign with and its id, which the token names. */
export interface LinkKey {
  kid: string;
  secret: Buffer;
}

/**
 * The keys links are checked against and the one new links are signed with. A bare secret is a
 * ring of one key; the store's ring (`storeKeyring`) follows rotations on every host.
 */
export interface Keyring {
  /** The key new tokens are signed with. */
  current(): LinkKey;
  /** A key that still verifies, by id; `undefined` when unknown or retired. */
  byId(kid: string): LinkKey | undefined;
  /** Every key that still verifies: a token of the old form (no key id) is checked against each. */
  all(): readonly LinkKey[];
}

export function singleKeyring(secret: Buffer): Keyring {
  const key = { kid: keyIdOf(secret), secret };
  return { current: () => key, byId: (kid) => (kid === key.kid ? key : undefined), all: () => [key] };
}

/**
 * Signs and checks the links; the same keys on the worker (which writes mail) and the pages.
 * A token is `payload.signature.kid`; one of the old form, `payload.signature`, written before
 * keys had ids, is checked against every key that is not retired.
 */
export class LinkSigner {
  private readonly keys: Keyring;

  constructor(keys: Keyring | Buffer) {
    this.keys = Buffer.isBuffer(keys) ? singleKeyring(keys) : keys;
  }

  actionToken(link: ActionLink): string {
    return this.seal('act', [link.plan, link.task, link.executor, link.action, String(link.expires), link.nonce]);
  }

  checkAction(token: string, now: number = Date.now()): LinkCheck<ActionLink> {
    const fields = this.unseal('act', token);
    if (!fields || fields.length !== 6 || !LINK_ACTIONS.includes(fields[3] as LinkAction)) return { ok: false, reason: 'forged' };
    const [plan, task, executor, action, expires, nonce] = fields as [string, string, string, LinkAction, string, string];
    const link: ActionLink = { plan, task, executor, action, expires: Number(expires), nonce };
    if (!(link.expires * 1000 > now)) return { ok: false, reason: 'expired' };
    return { ok: true, link, id: linkId(token) };
  }

  feedToken(link: FeedLink): string {
    return this.seal('feed', [link.plan, link.executor ?? '*', ...(link.viewer !== undefined ? [link.viewer] : [])]);
  }

  checkFeed(token: string): LinkCheck<FeedLink> {
    const fields = this.unseal('feed', token);
    if (!fields || (fields.length !== 2 && fields.length !== 3)) return { ok: false, reason: 'forged' };
    const link: FeedLink = { plan: fields[0]!, executor: fields[1] === '*' ? null : fields[1]!, ...(fields[2] !== undefined ? { viewer: fields[2] } : {}) };
    return { ok: true, link, id: linkId(token) };
  }

  /** A CSRF token for a page opened by a link: only the link's holder can make it. */
  formToken(token: string): string {
    return createHmac('sha256', this.keys.current().secret).update(`form:${token}`).digest('base64url');
  }

  /** Whether a form token is one this ring made for the link (with any key still in use). */
  checkFormToken(token: string, form: unknown): boolean {
    return typeof form === 'string' && this.keys.all().some((key) => safeEqual(form, createHmac('sha256', key.secret).update(`form:${token}`).digest('base64url')));
  }

  private seal(kind: string, fields: string[]): string {
    const key = this.keys.current();
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${payload}.${sign(key.secret, kind, payload)}.${key.kid}`;
  }

  private unseal(kind: string, token: string): string[] | null {
    const [payload, signature, kid, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const candidates = kid === undefined ? this.keys.all() : [this.keys.byId(kid)].filter((key): key is LinkKey => key !== undefined);
    if (!candidates.some((key) => safeEqual(signature, sign(key.secret, kind, payload)))) return null;
    try {
      const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
      return Array.isArray(fields) && fields.every((field) => typeof field === 'string') ? (fields as string[]) : null;
    } catch {
      return null;
    }
  }
}

function sign(secret: Buffer, kind: string, payload: string): string {
  return createHmac('sha256', secret).update(`${kind}:${payload}`).digest('base64url');
}

/** What the register of used links keeps: a hash, never the link itself. */
export function linkId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/** How long a link stays good: a month past the later of its message's day and the deadline. */
export function linkExpiry(sendDate: IsoDate, due: IsoDate | null, days = 30): number {
  const last = due !== null && due > sendDate ? due : sendDate;
  return Math.floor(Date.parse(`${last}T00:00:00Z`) / 1000) + (days + 1) * 86_400;
}

/**
 * The links a letter carries, for the mail activity: in an assignment, a reminder and an overdue
 * notice to the executor, one link to report the task done and one to ask for more time.
 */
/**
 * The full address of a calendar feed. A calendar client fetches it again and again, so it
 * carries no expiry: it stays good as long as the secret.
 * @example feedAddress(signer, 'https://plangraf.example.org', { plan: 'ryazan-2020', executor: 'riro' }) // 'https://plangraf.example.org/calendar/WyJyeWF6…ZXYi.ics'
 */
export function feedAddress(signer: LinkSigner, publicUrl: string, link: FeedLink): string {
  return `${publicUrl.replace(/\/+$/, '')}/calendar/${signer.feedToken(link)}.ics`;
}

export function executorActionLinks(signer: LinkSigner, publicUrl: string): ActionLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return (n) => {
    if (n.kind !== 'assigned' && n.kind !== 'reminder' && n.kind !== 'overdue' && n.kind !== 'returned' && n.kind !== 'reopened') return null;
    const executor = n.to[0];
    if (!executor) return null;
    const link = {
      plan: n.plan.key,
      task: n.task.task,
      executor: executor.id,
      expires: linkExpiry(n.sendDate, n.task.due),
      // From the message's key: a retried send writes the same links.
      nonce: createHash('sha256').update(n.key).digest('base64url').slice(0, 12),
    };
    return {
      complete: `${base}/act/${signer.actionToken({ ...link, action: 'complete' })}`,
      extend: `${base}/act/${signer.actionToken({ ...link, action: 'extend' })}`,
      // The assignment tells the executor once where all their deadlines are.
      ...(n.kind === 'assigned' ? { calendar: feedAddress(signer, publicUrl, { plan: n.plan.key, executor: executor.id }) } : {}),
    };
  };
}

/**
 * The executors' links: every assignment, reminder and overdue notice carries signed links to
 * report the task done or to ask for more time. A link is bound to its plan, task and executor
 * (an HMAC over them), expires, acts once, and is void once the task has another executor.
 * Calendar feeds have signed addresses of their own, which do not expire.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ActionLinks } from '../activities/mail.ts';
import type { IsoDate } from '../plan/dates.ts';
import { safeEqual } from './auth.ts';

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
}

export type LinkCheck<T> = { ok: true; link: T; id: string } | { ok: false; reason: 'forged' | 'expired' };

/** Signs and checks the links; the same secret on the worker (which writes mail) and the pages. */
export class LinkSigner {
  constructor(private readonly secret: Buffer) {}

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
    return this.seal('feed', [link.plan, link.executor ?? '*']);
  }

  checkFeed(token: string): LinkCheck<FeedLink> {
    const fields = this.unseal('feed', token);
    if (!fields || fields.length !== 2) return { ok: false, reason: 'forged' };
    return { ok: true, link: { plan: fields[0]!, executor: fields[1] === '*' ? null : fields[1]! }, id: linkId(token) };
  }

  /** A CSRF token for a page opened by a link: only the link's holder can make it. */
  formToken(token: string): string {
    return createHmac('sha256', this.secret).update(`form:${token}`).digest('base64url');
  }

  private seal(kind: string, fields: string[]): string {
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${payload}.${createHmac('sha256', this.secret).update(`${kind}:${payload}`).digest('base64url')}`;
  }

  private unseal(kind: string, token: string): string[] | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    if (!safeEqual(signature, createHmac('sha256', this.secret).update(`${kind}:${payload}`).digest('base64url'))) return null;
    try {
      const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
      return Array.isArray(fields) && fields.every((field) => typeof field === 'string') ? (fields as string[]) : null;
    } catch {
      return null;
    }
  }
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
 * The links already used, kept in a file so a link acts once even across restarts. Two requests
 * with one link at the same moment are taken in turn.
 */
export class UsedLinks {
  private used: Set<string> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async has(id: string): Promise<boolean> {
    return (await this.load()).has(id);
  }

  /**
   * Runs `act` unless the link was used; marks it used when `act` says it acted. Returns
   * `null` for a used link.
   */
  async once<T>(id: string, act: () => Promise<{ acted: boolean; value: T }>): Promise<T | null> {
    const run = this.queue.then(async () => {
      const used = await this.load();
      if (used.has(id)) return null;
      const outcome = await act();
      if (outcome.acted) {
        used.add(id);
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, `${JSON.stringify({ id, at: new Date().toISOString() })}\n`);
      }
      return outcome.value;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Set<string>> {
    if (this.used) return this.used;
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.used = new Set(text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id));
    return this.used;
  }
}

/**
 * The secret links and sessions are signed with: PLANGRAF_SECRET (hex or base64, 32 bytes or
 * more), else `secret.key` in the var directory, made on first use and kept (mode 600).
 */
export async function loadSecret(varDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  if (env.PLANGRAF_SECRET) {
    const text = env.PLANGRAF_SECRET.trim();
    const secret = /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
    if (secret.length < 32) throw new Error('PLANGRAF_SECRET: нужно не меньше 32 байт (64 шестнадцатеричных знака)');
    return secret;
  }
  const file = join(varDir, 'secret.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  await mkdir(varDir, { recursive: true });
  try {
    await writeFile(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    throw error;
  }
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
    if (n.kind !== 'assigned' && n.kind !== 'reminder' && n.kind !== 'overdue') return null;
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

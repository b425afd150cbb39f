/**
 * The project office's login: users and password hashes from a configuration file, a signed
 * session cookie (HttpOnly, SameSite), a CSRF token bound to the session for every form, and a
 * lock-out after repeated failures. Executors never log in: their links carry their right.
 */
import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const scrypt = (password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

export interface OfficeUser {
  login: string;
  /** How pages greet the user: «Иванова О. Ю.». */
  name: string;
  /** `scrypt$N$r$p$<salt base64>$<key base64>`, as `hashPassword` writes it. */
  passwordHash: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** A password's hash for the users file: scrypt with a random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const wanted = Buffer.from(expected, 'base64');
  const key = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), wanted.length, { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === wanted.length && timingSafeEqual(key, wanted);
}

/** Reads `users: [{ login, name, passwordHash }]`; a broken file is an error that names it. */
export async function readUsersFile(path: string): Promise<OfficeUser[]> {
  let data: unknown;
  try {
    data = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: не удаётся прочитать пользователей проектного офиса: ${(error as Error).message}`);
  }
  const users = (data as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) throw new Error(`${path}: ожидается список users: [{ login, name, passwordHash }]`);
  return users.map((user, index) => {
    const entry = user as Partial<OfficeUser>;
    if (typeof entry.login !== 'string' || typeof entry.passwordHash !== 'string' || !entry.passwordHash.startsWith('scrypt$')) {
      throw new Error(`${path}: users[${index}]: нужны login и passwordHash (plangraf users add ЛОГИН)`);
    }
    return { login: entry.login, name: typeof entry.name === 'string' ? entry.name : entry.login, passwordHash: entry.passwordHash };
  });
}

export interface Session {
  login: string;
  name: string;
  /** The CSRF token every form of this session carries. */
  csrf: string;
  /** Unix milliseconds. */
  expires: number;
}

export type LoginOutcome = { ok: true; session: Session } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'locked'; minutes: number };

export interface AuthOptions {
  users: readonly OfficeUser[];
  /** Signs the session cookies; at least 32 bytes. */
  secret: Buffer;
  sessionHours?: number;
  /** Failures within `lockoutMinutes` that lock a login out for as long (5). */
  maxFailures?: number;
  /** Failures from one address, whatever the logins, that lock the address out (20). */
  maxAddressFailures?: number;
  lockoutMinutes?: number;
  now?: () => number;
}

export class OfficeAuth {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: AuthOptions) {}

  /** The office users' logins and names, for pages that say who did what. */
  get users(): readonly { login: string; name: string }[] {
    return this.options.users.map(({ login, name }) => ({ login, name }));
  }

  /**
   * Checks a login. Failed attempts count per login (5 lock it) and per address (20 lock it),
   * so neither guessing one login's password nor trying many logins from one address goes on
   * for long, and one person's mistakes do not lock out colleagues behind the same proxy.
   */
  async login(login: string, password: string, address: string): Promise<LoginOutcome> {
    const now = this.now();
    const keys = [`login:${login.trim().toLowerCase()}`, `address:${address}`];
    // A login is locked after a few failures; an address only after many, since behind a proxy
    // the whole office shares one.
    const locked = Math.max(this.lockedUntil(keys[0]!, now, this.options.maxFailures ?? 5), this.lockedUntil(keys[1]!, now, this.options.maxAddressFailures ?? 20));
    if (locked > now) return { ok: false, reason: 'locked', minutes: Math.ceil((locked - now) / 60_000) };
    const user = this.options.users.find((entry) => entry.login.toLowerCase() === login.trim().toLowerCase());
    // A missing user costs the same time as a wrong password: the answer does not tell which.
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
      return { ok: false, reason: 'wrong' };
    }
    this.failures.delete(keys[0]!);
    return { ok: true, session: { login: user.login, name: user.name, csrf: randomBytes(18).toString('base64url'), expires: now + (this.options.sessionHours ?? 12) * 3_600_000 } };
  }

  /** The cookie value of a session: its data and an HMAC of it. */
  seal(session: Session): string {
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The session of a cookie, if it is ours, intact and not expired. */
  open(cookie: string | undefined): Session | null {
    if (!cookie) return null;
    const [payload, signature] = cookie.split('.');
    if (!payload || !signature || !safeEqual(signature, this.sign(payload))) return null;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
      if (typeof session.login !== 'string' || typeof session.csrf !== 'string' || !(session.expires > this.now())) return null;
      if (!this.options.users.some((user) => user.login === session.login)) return null;
      return session;
    } catch {
      return null;
    }
  }

  /** Whether a form's CSRF token is the session's. */
  checkCsrf(session: Session, token: unknown): boolean {
    return typeof token === 'string' && safeEqual(token, session.csrf);
  }

  private recent(key: string, now: number): number[] {
    const window = (this.options.lockoutMinutes ?? 15) * 60_000;
    return (this.failures.get(key) ?? []).filter((at) => now - at < window);
  }

  private lockedUntil(key: string, now: number, maxFailures: number): number {
    const recent = this.recent(key, now);
    if (recent.length < maxFailures) return 0;
    return recent.at(-1)! + (this.options.lockoutMinutes ?? 15) * 60_000;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.options.secret).update(`session:${payload}`).digest('base64url');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** A well-formed hash no password matches: checked against when the login is unknown. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

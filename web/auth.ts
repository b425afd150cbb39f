/**
 * The project office's login: users and password hashes in the shared store, server-side
 * sessions behind an HttpOnly cookie, a CSRF token bound to the session for every form, and
 * growing delays after wrong passwords. Executors never log in: their links carry their right.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Store } from '../store/database.ts';
import {
  clearLoginFailures,
  createSession,
  DEFAULT_THROTTLE,
  endAllSessions,
  endSession,
  findUser,
  listUsers,
  loginWait,
  openSession,
  recordLoginFailure,
  type StoredUser,
  type ThrottleRules,
} from '../store/users.ts';

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

/** Reads an old checkout's users file, `users: [{ login, name, passwordHash }]`, to import it; a broken file is an error that names it. */
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

/** A signed-in user's session, as the pages see it: who, with what right, and the form token. */
export type Session = Pick<StoredUser, 'login' | 'name' | 'org' | 'role' | 'schools' | 'municipality'> & {
  /** The CSRF token every form of this session carries. */
  csrf: string;
  /** Unix milliseconds. */
  expires: number;
};

export type LoginOutcome = { ok: true; session: Session; token: string } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'throttled'; seconds: number };

export interface AuthOptions {
  sessionHours?: number;
  throttle?: ThrottleRules;
}

/**
 * The office's login over the shared store: server-side sessions (a cookie holds a random
 * token, the store its hash), so logging out on one page server ends the session on all of
 * them; wrong passwords slow down their login and address with growing delays.
 */
export class OfficeAuth {
  constructor(
    private readonly store: Store,
    private readonly options: AuthOptions = {},
  ) {}

  /** The office users' logins and names, for pages that say who did what. */
  async users(): Promise<{ login: string; name: string }[]> {
    return (await listUsers(this.store.pool)).map(({ login, name }) => ({ login, name }));
  }

  /**
   * Checks a login. A pair of login and address that keeps failing waits longer each time, and
   * so does an address that tries many logins; the login itself is never locked, so nobody
   * else's guesses keep its owner out.
   */
  async login(login: string, password: string, address: string): Promise<LoginOutcome> {
    const rules = this.options.throttle ?? DEFAULT_THROTTLE;
    const wait = await loginWait(this.store.pool, login, address, rules);
    if (wait > 0) return { ok: false, reason: 'throttled', seconds: wait };
    const user = await findUser(this.store.pool, login);
    // A missing user costs the same time as a wrong password: the answer does not tell which.
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || user.disabled) {
      await recordLoginFailure(this.store.pool, login, address);
      return { ok: false, reason: 'wrong' };
    }
    await clearLoginFailures(this.store.pool, login, address);
    const opened = await createSession(this.store.pool, user.login, address, this.options.sessionHours ?? 12);
    return { ok: true, token: opened.token, session: sessionOf(user, opened.csrf, opened.expiresAt) };
  }

  /** Opens a session for a user who has just proved who they are another way: by setting their password through a one-time link. */
  async openFor(user: StoredUser, address: string): Promise<{ session: Session; token: string }> {
    await clearLoginFailures(this.store.pool, user.login, address);
    const opened = await createSession(this.store.pool, user.login, address, this.options.sessionHours ?? 12);
    return { token: opened.token, session: sessionOf(user, opened.csrf, opened.expiresAt) };
  }

  /** The session of a cookie, if it is open in the store, unexpired, and its user enabled. */
  async open(token: string | undefined): Promise<Session | null> {
    if (!token) return null;
    const opened = await openSession(this.store.pool, token);
    return opened ? sessionOf(opened.user, opened.session.csrf, opened.session.expiresAt) : null;
  }

  /** What an enabled user may see (for a calendar address given to them); `null` for a disabled or unknown login. */
  async viewer(login: string): Promise<Pick<Session, 'login' | 'org' | 'role' | 'schools' | 'municipality'> | null> {
    const user = await findUser(this.store.pool, login);
    return user && !user.disabled ? { login: user.login, org: user.org, role: user.role, schools: user.schools, municipality: user.municipality } : null;
  }

  /** Whether a form's CSRF token is the session's. */
  checkCsrf(session: Session, token: unknown): boolean {
    return typeof token === 'string' && safeEqual(token, session.csrf);
  }

  /** Ends this session, on every page server. */
  logout(token: string): Promise<void> {
    return endSession(this.store.pool, token);
  }

  /** «Выйти на всех устройствах»: every session of the login ends. */
  logoutEverywhere(login: string): Promise<number> {
    return endAllSessions(this.store.pool, login);
  }
}

function sessionOf(user: StoredUser, csrf: string, expiresAt: Date): Session {
  return { login: user.login, name: user.name, org: user.org, role: user.role, schools: user.schools, municipality: user.municipality, csrf, expires: expiresAt.getTime() };
}

/** A well-formed hash no password matches: checked against when the login is unknown. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

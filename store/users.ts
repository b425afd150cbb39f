/**
 * The office's users, their server-side sessions and the throttling of wrong passwords.
 *
 * A session is a random token in the browser's cookie; the store keeps only its SHA-256, so a
 * copy of the database opens no session. Logging out deletes the row: every page server sees
 * the session end at once. Wrong passwords slow down the pair of login and address that made
 * them (growing delays), and an address that tries many logins; never the login as such, so a
 * stranger's guesses do not lock the real user out of their own computer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './database.ts';

export const ROLES = ['administrator', 'office', 'viewer', 'curator', 'municipal', 'federal'] as const;
export type Role = (typeof ROLES)[number];

/** How the pages name a role. */
export const ROLE_NAMES: Record<Role, string> = {
  administrator: 'администратор',
  office: 'проектный офис',
  viewer: 'наблюдатель',
  curator: 'куратор',
  municipal: 'муниципальный координатор',
  federal: 'федеральный оператор',
};

export interface StoredUser {
  login: string;
  name: string;
  /** The organisation; `null` only for the federal role, which reads every region. */
  org: string | null;
  role: Role;
  /** A curator's schools (ids in the plans). */
  schools: string[];
  /** A municipal coordinator's municipality, as the plans write it. */
  municipality: string | null;
  passwordHash: string;
  disabled: boolean;
}

const USER_COLUMNS = `login, name, org, role, schools, municipality, password_hash as "passwordHash", disabled_at is not null as disabled`;

/** A login as the office writes it: Latin letters, digits, dot, hyphen, underscore; 2 to 40 of them. */
export const LOGIN_PATTERN = /^[a-z0-9._-]{2,40}$/i;

/** The shortest password a user may set (the command line and the one-time link alike). */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * The password hash of a user invited from the pages who has not yet opened their one-time link:
 * no password matches it (it is no `scrypt$…` hash), so nobody logs in as them until they set one.
 */
export const NO_PASSWORD = '!';

export async function findUser(db: Queryable, login: string): Promise<StoredUser | undefined> {
  return (await db.query<StoredUser>(`select ${USER_COLUMNS} from users where lower(login) = lower($1)`, [login.trim()])).rows[0];
}

export async function listUsers(db: Queryable, org?: string | null): Promise<StoredUser[]> {
  return org === undefined
    ? (await db.query<StoredUser>(`select ${USER_COLUMNS} from users order by login`)).rows
    : (await db.query<StoredUser>(`select ${USER_COLUMNS} from users where org is not distinct from $1 order by login`, [org])).rows;
}

/** A user as the «Пользователи» page lists them: with their last login and whether a password is set. */
export interface ListedUser extends StoredUser {
  lastLoginAt: Date | null;
  createdAt: Date;
  hasPassword: boolean;
}

/** The organisation's users (every user for `undefined`), with their last logins, by login. */
export async function listUsersWithLogins(db: Queryable, org?: string | null): Promise<ListedUser[]> {
  const columns = `${USER_COLUMNS}, last_login_at as "lastLoginAt", created_at as "createdAt", password_hash <> '${NO_PASSWORD}' as "hasPassword"`;
  return org === undefined
    ? (await db.query<ListedUser>(`select ${columns} from users order by login`)).rows
    : (await db.query<ListedUser>(`select ${columns} from users where org is not distinct from $1 order by login`, [org])).rows;
}

export type NewUser = Omit<StoredUser, 'disabled'>;

/**
 * Adds a user, or updates one with the same login (name, organisation, role, scope, password)
 * and enables it again. A new password ends the user's sessions everywhere.
 */
export async function saveUser(db: Queryable, user: NewUser): Promise<'added' | 'updated'> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `insert into users (login, name, org, role, schools, municipality, password_hash) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (login) do update set name = excluded.name, org = excluded.org, role = excluded.role, schools = excluded.schools,
       municipality = excluded.municipality, password_hash = excluded.password_hash, disabled_at = null
     returning (xmax = 0) as inserted`,
    [user.login, user.name, user.org, user.role, user.schools, user.municipality, user.passwordHash],
  );
  const inserted = rows[0]!.inserted;
  if (!inserted) await endAllSessions(db, user.login);
  return inserted ? 'added' : 'updated';
}

/** Disables a user (their history stays) and ends their sessions. */
export async function disableUser(db: Queryable, login: string): Promise<boolean> {
  const { rowCount } = await db.query('update users set disabled_at = now() where login = $1 and disabled_at is null', [login]);
  await endAllSessions(db, login);
  return (rowCount ?? 0) > 0;
}

/**
 * Changes a user's name, role and scope (a curator's schools, a municipal coordinator's
 * municipality) and ends their sessions everywhere, as `plangraf users add` of an existing login
 * does: the next page they open asks them to log in with their new rights.
 */
export async function changeUserAccess(db: Queryable, login: string, access: Pick<StoredUser, 'name' | 'role' | 'schools' | 'municipality'>): Promise<boolean> {
  const { rowCount } = await db.query('update users set name = $2, role = $3, schools = $4, municipality = $5 where login = $1', [login, access.name, access.role, access.schools, access.municipality]);
  await endAllSessions(db, login);
  return (rowCount ?? 0) > 0;
}

/** Enables a disabled user again: they log in with the password they had. */
export async function enableUser(db: Queryable, login: string): Promise<boolean> {
  const { rowCount } = await db.query('update users set disabled_at = null where login = $1 and disabled_at is not null', [login]);
  return (rowCount ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// One-time links to set a password

/** How long a link to set a password stays valid. */
export const PASSWORD_LINK_HOURS = 72;

export function passwordLinkHash(token: string): string {
  return createHash('sha256').update(`password-link:${token}`).digest('hex');
}

/**
 * Makes a one-time link for a user to set their own password: the token goes into the address
 * handed to the user, the store keeps only its SHA-256. A new link ends the user's earlier
 * unused ones, so only the last one handed over works.
 */
export async function createPasswordLink(db: Queryable, login: string, createdBy: string | null, hours: number = PASSWORD_LINK_HOURS): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  await db.query('update password_links set expires_at = least(expires_at, now()) where login = $1 and used_at is null', [login]);
  const { rows } = await db.query<{ expiresAt: Date }>(
    `insert into password_links (id_hash, login, created_by, expires_at) values ($1, $2, $3, now() + make_interval(hours => $4)) returning expires_at as "expiresAt"`,
    [passwordLinkHash(token), login, createdBy, hours],
  );
  return { token, expiresAt: rows[0]!.expiresAt };
}

/** What a password link's address finds: a link still to be used (with whose it is), a used or an expired one, or nothing. */
export type PasswordLinkState =
  | { state: 'open'; login: string; name: string; expiresAt: Date }
  | { state: 'used'; login: string; name: string; usedAt: Date }
  | { state: 'expired'; login: string; name: string };

export async function findPasswordLink(db: Queryable, token: string): Promise<PasswordLinkState | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const { rows } = await db.query<{ login: string; name: string; expiresAt: Date; usedAt: Date | null; disabled: boolean; expired: boolean }>(
    `select l.login, u.name, l.expires_at as "expiresAt", l.used_at as "usedAt", u.disabled_at is not null as disabled, l.expires_at <= now() as expired
     from password_links l join users u on u.login = l.login where l.id_hash = $1`,
    [passwordLinkHash(token)],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.usedAt) return { state: 'used', login: row.login, name: row.name, usedAt: row.usedAt };
  // A disabled user's link opens nothing: it reads as expired.
  if (row.expired || row.disabled) return { state: 'expired', login: row.login, name: row.name };
  return { state: 'open', login: row.login, name: row.name, expiresAt: row.expiresAt };
}

/**
 * Sets the password of a link's user and spends the link, in one statement: a link is used once
 * (two tabs posting at once: one wins), not after it expires, not for a disabled user. The user's
 * other sessions end. `null` when the link does not set anything.
 */
export async function usePasswordLink(db: Queryable, token: string, passwordHash: string): Promise<StoredUser | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const { rows } = await db.query<StoredUser>(
    `with link as (
       update password_links l set used_at = now() from users u
       where l.id_hash = $1 and l.used_at is null and l.expires_at > now() and u.login = l.login and u.disabled_at is null
       returning l.login)
     update users set password_hash = $2 where login = (select login from link)
     returning ${USER_COLUMNS}`,
    [passwordLinkHash(token), passwordHash],
  );
  const user = rows[0];
  if (!user) return null;
  await endAllSessions(db, user.login);
  return user;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface StoredSession {
  login: string;
  csrf: string;
  expiresAt: Date;
}

export function sessionIdHash(token: string): string {
  return createHash('sha256').update(`session:${token}`).digest('hex');
}

/** Opens a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(db: Queryable, login: string, address: string, hours: number): Promise<{ token: string; csrf: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(18).toString('base64url');
  const { rows } = await db.query<{ expiresAt: Date }>(
    `with seen as (update users set last_login_at = now() where login = $2)
     insert into sessions (id_hash, login, csrf, address, expires_at) values ($1, $2, $3, $4, now() + make_interval(hours => $5)) returning expires_at as "expiresAt"`,
    [sessionIdHash(token), login, csrf, address, hours],
  );
  return { token, csrf, expiresAt: rows[0]!.expiresAt };
}

/** The session of a cookie's token with its user, if it is open, unexpired and the user enabled. */
export async function openSession(db: Queryable, token: string): Promise<{ session: StoredSession; user: StoredUser } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const { rows } = await db.query<StoredUser & { csrf: string; expiresAt: Date }>(
    `update sessions s set last_seen_at = now() from users u
     where s.id_hash = $1 and s.expires_at > now() and u.login = s.login and u.disabled_at is null
     returning u.login, u.name, u.org, u.role, u.schools, u.municipality, u.password_hash as "passwordHash", false as disabled, s.csrf, s.expires_at as "expiresAt"`,
    [sessionIdHash(token)],
  );
  const row = rows[0];
  if (!row) return null;
  const { csrf, expiresAt, ...user } = row;
  return { session: { login: user.login, csrf, expiresAt }, user };
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where id_hash = $1', [sessionIdHash(token)]);
}

/** «Выйти на всех устройствах»: every session of the login ends. */
export async function endAllSessions(db: Queryable, login: string): Promise<number> {
  const { rowCount } = await db.query('delete from sessions where login = $1', [login]);
  return rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Throttling wrong passwords

export interface ThrottleRules {
  /** Failures of one login from one address before delays start (3). */
  pairFree: number;
  /** Failures from one address, whatever the logins, before delays start (20). */
  addressFree: number;
  /** The first delay; each further failure doubles it (1 s). */
  baseSeconds: number;
  /** The longest delay (15 min). */
  maxSeconds: number;
  /** Failures older than this are forgotten (24 h). */
  windowHours: number;
}

export const DEFAULT_THROTTLE: ThrottleRules = { pairFree: 3, addressFree: 20, baseSeconds: 1, maxSeconds: 900, windowHours: 24 };

/** The delay after `failures` failures when `free` of them cost nothing: 0, then 1 s, 2 s, 4 s … up to the cap. */
export function throttleDelaySeconds(failures: number, free: number, rules: ThrottleRules = DEFAULT_THROTTLE): number {
  if (failures < free) return 0;
  return Math.min(rules.maxSeconds, rules.baseSeconds * 2 ** Math.min(30, failures - free));
}

/** How many seconds this login from this address must still wait before its next try (0: none). */
export async function loginWait(db: Queryable, login: string, address: string, rules: ThrottleRules = DEFAULT_THROTTLE): Promise<number> {
  const { rows } = await db.query<{ pairCount: number; pairLast: Date | null; addressCount: number; addressLast: Date | null; now: Date }>(
    `select
       count(*) filter (where login = $1) as "pairCount", max(at) filter (where login = $1) as "pairLast",
       count(*) as "addressCount", max(at) as "addressLast", now() as now
     from login_failures where address = $2 and at > now() - make_interval(hours => $3)`,
    [normaliseLogin(login), address, rules.windowHours],
  );
  const row = rows[0]!;
  const until = (count: number, last: Date | null, free: number) => (last ? last.getTime() + throttleDelaySeconds(count, free, rules) * 1000 : 0);
  const readyAt = Math.max(until(row.pairCount, row.pairLast, rules.pairFree), until(row.addressCount, row.addressLast, rules.addressFree));
  return Math.max(0, Math.ceil((readyAt - row.now.getTime()) / 1000));
}

export async function recordLoginFailure(db: Queryable, login: string, address: string): Promise<void> {
  await db.query('insert into login_failures (login, address) values ($1, $2)', [normaliseLogin(login), address]);
}

/** A right password from an address forgets that pair's failures. */
export async function clearLoginFailures(db: Queryable, login: string, address: string): Promise<void> {
  await db.query('delete from login_failures where login = $1 and address = $2', [normaliseLogin(login), address]);
}

function normaliseLogin(login: string): string {
  return login.trim().toLowerCase().slice(0, 100);
}

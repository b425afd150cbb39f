/**
 * The office's login and the executors' links, as logic: password hashes, sealed sessions,
 * CSRF tokens, the lock-out, and links that are signed, expire, act once and name their task.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, OfficeAuth, verifyPassword, type OfficeUser } from '../../web/auth.ts';
import { executorActionLinks, LinkSigner, linkExpiry, loadSecret, UsedLinks } from '../../web/links.ts';
import { buildTaskNotification } from '../support/notifications.ts';

const SECRET = randomBytes(32);
let users: OfficeUser[];

beforeEach(async () => {
  users = [{ login: 'office', name: 'Проектный офис', passwordHash: await hashPassword('верный пароль') }];
});

describe('passwords', () => {
  it('are kept as scrypt hashes that only the password matches', async () => {
    const hash = await hashPassword('пароль-1');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('пароль');
    expect(await verifyPassword('пароль-1', hash)).toBe(true);
    expect(await verifyPassword('пароль-2', hash)).toBe(false);
    expect(await hashPassword('пароль-1')).not.toBe(hash);
  });
});

describe('the office\'s login', () => {
  it('opens a session for the right password, sealed so that a changed cookie is worthless', async () => {
    const auth = new OfficeAuth({ users, secret: SECRET });
    const outcome = await auth.login('Office ', 'верный пароль', '127.0.0.1');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const cookie = auth.seal(outcome.session);
    expect(auth.open(cookie)).toEqual(outcome.session);
    const [payload, signature] = cookie.split('.');
    const forged = Buffer.from(JSON.stringify({ ...outcome.session, login: 'admin' })).toString('base64url');
    expect(auth.open(`${forged}.${signature}`)).toBeNull();
    expect(auth.open(`${payload}.${signature!.slice(0, -2)}xx`)).toBeNull();
    expect(new OfficeAuth({ users, secret: randomBytes(32) }).open(cookie)).toBeNull();
    expect(auth.checkCsrf(outcome.session, outcome.session.csrf)).toBe(true);
    expect(auth.checkCsrf(outcome.session, 'другой')).toBe(false);
    expect(auth.checkCsrf(outcome.session, undefined)).toBe(false);
  });

  it('ends a session when it expires, or when its user is no longer in the configuration', async () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const auth = new OfficeAuth({ users, secret: SECRET, sessionHours: 8, now: () => now });
    const outcome = await auth.login('office', 'верный пароль', 'a');
    if (!outcome.ok) throw new Error('login refused');
    const cookie = auth.seal(outcome.session);
    now += 7 * 3_600_000;
    expect(auth.open(cookie)).not.toBeNull();
    now += 2 * 3_600_000;
    expect(auth.open(cookie)).toBeNull();
    expect(new OfficeAuth({ users: [], secret: SECRET }).open(cookie)).toBeNull();
  });

  it('locks a login out after five wrong passwords, even with the right one, until a quarter of an hour has passed', async () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const auth = new OfficeAuth({ users, secret: SECRET, now: () => now });
    for (let attempt = 0; attempt < 5; attempt += 1) expect(await auth.login('office', `догадка ${attempt}`, `10.0.0.${attempt}`)).toEqual({ ok: false, reason: 'wrong' });
    expect(await auth.login('office', 'верный пароль', '10.0.0.9')).toEqual({ ok: false, reason: 'locked', minutes: 15 });
    now += 14 * 60_000;
    expect(await auth.login('office', 'верный пароль', '10.0.0.9')).toEqual({ ok: false, reason: 'locked', minutes: 1 });
    now += 60_001;
    expect((await auth.login('office', 'верный пароль', '10.0.0.9')).ok).toBe(true);
  });

  it('locks out an address that tries twenty logins, not before, and answers an unknown login as a wrong password', async () => {
    const auth = new OfficeAuth({ users, secret: SECRET });
    for (let attempt = 0; attempt < 19; attempt += 1) expect(await auth.login(`user-${attempt}`, 'x', '192.0.2.1')).toEqual({ ok: false, reason: 'wrong' });
    // Behind one proxy: a colleague's mistakes do not lock the office out.
    expect((await auth.login('office', 'верный пароль', '192.0.2.1')).ok).toBe(true);
    expect(await auth.login('user-19', 'x', '192.0.2.1')).toEqual({ ok: false, reason: 'wrong' });
    expect((await auth.login('office', 'верный пароль', '192.0.2.1')).ok).toBe(false);
    expect((await auth.login('office', 'верный пароль', '192.0.2.2')).ok).toBe(true);
  });
});

describe('the executors\' links', () => {
  const signer = new LinkSigner(SECRET);
  const link = { plan: 'ryazan-2020', task: '13/2@sch-01', executor: 'director:sch-01', action: 'complete' as const, expires: Math.floor(Date.parse('2020-12-01T00:00:00Z') / 1000), nonce: 'n1' };

  it('carry their plan, task, executor and action, and are refused when anything in them is changed', () => {
    const token = signer.actionToken(link);
    expect(signer.checkAction(token, Date.parse('2020-10-01T00:00:00Z'))).toMatchObject({ ok: true, link });
    const [payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify(['ryazan-2020', '13/2@sch-02', 'director:sch-01', 'complete', String(link.expires), 'n1'])).toString('base64url');
    expect(signer.checkAction(`${other}.${signature}`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.checkAction(`${payload}.x${signature}`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.checkAction('не-ссылка', 0)).toEqual({ ok: false, reason: 'forged' });
    expect(new LinkSigner(randomBytes(32)).checkAction(token, 0)).toEqual({ ok: false, reason: 'forged' });
    // A feed address is not an action link, nor the other way round.
    expect(signer.checkAction(signer.feedToken({ plan: 'ryazan-2020', executor: 'riro' }), 0).ok).toBe(false);
    expect(signer.checkFeed(token).ok).toBe(false);
  });

  it('expire a month after the later of their letter and the deadline', () => {
    expect(new Date(linkExpiry('2020-10-01', '2020-10-30') * 1000).toISOString()).toBe('2020-11-30T00:00:00.000Z');
    expect(new Date(linkExpiry('2020-11-05', '2020-10-30') * 1000).toISOString()).toBe('2020-12-06T00:00:00.000Z');
    const token = signer.actionToken(link);
    expect(signer.checkAction(token, Date.parse('2020-12-01T00:00:01Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('are written into assignments, reminders and overdue notices only, the same for a retried letter', () => {
    const make = executorActionLinks(signer, 'https://plangraf.example.org/');
    const assigned = buildTaskNotification('assigned');
    const links = make(assigned)!;
    expect(links.complete).toMatch(/^https:\/\/plangraf\.example\.org\/act\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(make(assigned)).toEqual(links);
    const checked = signer.checkAction(links.complete.split('/act/')[1]!, Date.parse('2020-10-01T00:00:00Z'));
    expect(checked).toMatchObject({ ok: true, link: { plan: 'ryazan-2020', task: '13/2', executor: assigned.to[0]!.id, action: 'complete' } });
    expect(signer.checkAction(links.extend.split('/act/')[1]!, 0)).toMatchObject({ ok: true, link: { action: 'extend' } });
    // The assignment, and only it, carries the executor's calendar feed.
    const feed = signer.checkFeed(links.calendar!.replace(/^https:\/\/plangraf\.example\.org\/calendar\//, '').replace(/\.ics$/, ''));
    expect(feed).toMatchObject({ ok: true, link: { plan: 'ryazan-2020', executor: assigned.to[0]!.id } });
    expect(make(buildTaskNotification('reminder'))!.calendar).toBeUndefined();
    expect(make(buildTaskNotification('reminder'))!.complete).not.toBe(links.complete);
    expect(make(buildTaskNotification('overdue'))).not.toBeNull();
    for (const kind of ['escalation', 'extended', 'reassigned', 'undeliverable', 'document'] as const) expect(make(buildTaskNotification(kind))).toBeNull();
  });
});

describe('links already used', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plangraf-links-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('act once, even when two requests come at the same moment, and are remembered across restarts', async () => {
    const used = new UsedLinks(join(dir, 'used.jsonl'));
    let acted = 0;
    const act = async () => {
      acted += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { acted: true, value: 'готово' };
    };
    const outcomes = await Promise.all([used.once('abc', act), used.once('abc', act)]);
    expect(outcomes.sort()).toEqual(['готово', null].sort());
    expect(acted).toBe(1);
    expect(await new UsedLinks(join(dir, 'used.jsonl')).has('abc')).toBe(true);
  });

  it('stay unused when the action was refused, so the form can be sent again', async () => {
    const used = new UsedLinks(join(dir, 'used.jsonl'));
    expect(await used.once('abc', async () => ({ acted: false, value: 'пустой результат' }))).toBe('пустой результат');
    expect(await used.has('abc')).toBe(false);
  });

  it('and the secret they are signed with is made once and then kept', async () => {
    const first = await loadSecret(dir, {});
    expect(first).toHaveLength(32);
    expect(await loadSecret(dir, {})).toEqual(first);
    expect(await loadSecret(dir, { PLANGRAF_SECRET: 'ab'.repeat(32) })).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
    await expect(loadSecret(dir, { PLANGRAF_SECRET: 'abcd' })).rejects.toThrow('PLANGRAF_SECRET: нужно не меньше 32 байт');
  });
});

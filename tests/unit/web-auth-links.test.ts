/**
 * The office's login and the executors' links, as logic over a real store: password hashes,
 * server-side sessions, CSRF tokens, growing delays after wrong passwords, and links that are
 * signed with a ring of keys, expire, act once and name their task.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { addSigningKey, keyIdOf, retireSigningKey } from '../../store/signing-keys.ts';
import { storeUsedLinks } from '../../store/used-links.ts';
import { disableUser, saveUser, sessionIdHash, type ThrottleRules } from '../../store/users.ts';
import { hashPassword, OfficeAuth, verifyPassword } from '../../web/auth.ts';
import { secretFromEnv, storeKeyring } from '../../web/keyring.ts';
import { executorActionLinks, LinkSigner, linkExpiry, singleKeyring, type Keyring, type LinkKey } from '../../web/links.ts';
import { buildTaskNotification } from '../support/notifications.ts';
import { testDatabaseUrl } from '../support/store.ts';

const SECRET = randomBytes(32);

/** Two hosts on one database: what one writes, the other reads. */
let url: string;
let store: Store;
let other: Store;
beforeAll(async () => {
  url = await testDatabaseUrl();
  store = await connectStore(url, { max: 5 });
  other = await connectStore(url, { max: 5 });
  await ensureOrganisation(store.pool, 'ryazan', 'Рязанская область');
});
afterAll(async () => {
  await store?.close();
  await other?.close();
});

/** A fresh user for each test: failures and sessions of one test never reach another. */
let login: string;
let serial = 0;
beforeEach(async () => {
  serial += 1;
  login = `office-${serial}`;
  await saveUser(store.pool, { login, name: 'Проектный офис', org: 'ryazan', role: 'office', schools: [], municipality: null, passwordHash: await hashPassword('верный пароль') });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Moves a session's expiry by `hours`, standing for that much time having passed the other way. */
async function age(token: string, hours: number): Promise<void> {
  await store.pool.query(`update sessions set expires_at = expires_at - make_interval(hours => $2) where id_hash = $1`, [sessionIdHash(token), hours]);
}

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
  it('opens a server-side session for the right password, which another host opens by its token and a changed token does not', async () => {
    const auth = new OfficeAuth(store);
    const outcome = await auth.login(`${login.toUpperCase()} `, 'верный пароль', '127.0.0.1');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.session).toMatchObject({ login, name: 'Проектный офис', org: 'ryazan', role: 'office', schools: [], municipality: null });
    expect(await auth.open(outcome.token)).toEqual(outcome.session);
    expect(await new OfficeAuth(other).open(outcome.token)).toEqual(outcome.session);
    expect(await auth.open(`${outcome.token.slice(0, -2)}xx`)).toBeNull();
    expect(await auth.open(randomBytes(32).toString('base64url'))).toBeNull();
    expect(await auth.open(undefined)).toBeNull();
    expect(auth.checkCsrf(outcome.session, outcome.session.csrf)).toBe(true);
    expect(auth.checkCsrf(outcome.session, 'другой')).toBe(false);
    expect(auth.checkCsrf(outcome.session, undefined)).toBe(false);
    expect(await auth.users()).toContainEqual({ login, name: 'Проектный офис' });
    expect(await auth.viewer(login)).toEqual({ login, org: 'ryazan', role: 'office', schools: [], municipality: null });
  });

  it('ends a session on every host when its user logs out, and every session of the user on «выйти на всех устройствах»', async () => {
    const auth = new OfficeAuth(store);
    const first = await auth.login(login, 'верный пароль', '10.0.0.1');
    const second = await auth.login(login, 'верный пароль', '10.0.0.2');
    const third = await auth.login(login, 'верный пароль', '10.0.0.3');
    if (!first.ok || !second.ok || !third.ok) throw new Error('login refused');
    await auth.logout(first.token);
    expect(await new OfficeAuth(other).open(first.token)).toBeNull();
    expect(await auth.open(second.token)).not.toBeNull();
    expect(await new OfficeAuth(other).logoutEverywhere(login)).toBe(2);
    expect(await auth.open(second.token)).toBeNull();
    expect(await auth.open(third.token)).toBeNull();
  });

  it('ends a session when it expires, or when its user is disabled', async () => {
    const auth = new OfficeAuth(store, { sessionHours: 8 });
    const before = Date.now();
    const outcome = await auth.login(login, 'верный пароль', 'a');
    if (!outcome.ok) throw new Error('login refused');
    expect(outcome.session.expires - before).toBeGreaterThan(8 * 3_600_000 - 60_000);
    expect(outcome.session.expires - before).toBeLessThan(8 * 3_600_000 + 60_000);
    await age(outcome.token, 7);
    expect(await auth.open(outcome.token)).not.toBeNull();
    await age(outcome.token, 2);
    expect(await auth.open(outcome.token)).toBeNull();

    const again = await auth.login(login, 'верный пароль', 'a');
    if (!again.ok) throw new Error('login refused');
    await disableUser(store.pool, login);
    expect(await auth.open(again.token)).toBeNull();
    expect(await auth.viewer(login)).toBeNull();
    expect(await auth.login(login, 'верный пароль', 'a')).toEqual({ ok: false, reason: 'wrong' });
  });

  it('answers a wrong password and an unknown login alike', async () => {
    const auth = new OfficeAuth(store);
    expect(await auth.login(login, 'неверный', '198.51.100.1')).toEqual({ ok: false, reason: 'wrong' });
    expect(await auth.login('никого-нет', 'верный пароль', '198.51.100.1')).toEqual({ ok: false, reason: 'wrong' });
  });

  it('makes a login from an address that keeps failing wait longer each time, even with the right password, but not the user at their own other address', async () => {
    const rules: ThrottleRules = { pairFree: 2, addressFree: 20, baseSeconds: 1, maxSeconds: 900, windowHours: 24 };
    const auth = new OfficeAuth(store, { throttle: rules });
    const stranger = '203.0.113.7';
    for (let attempt = 0; attempt < 2; attempt += 1) expect(await auth.login(login, `догадка ${attempt}`, stranger)).toEqual({ ok: false, reason: 'wrong' });
    const waits: number[] = [];
    const throttled = async () => {
      const outcome = await auth.login(login, 'верный пароль', stranger);
      if (outcome.ok || outcome.reason !== 'throttled') throw new Error(`expected a wait, got ${JSON.stringify(outcome)}`);
      waits.push(outcome.seconds);
      return outcome.seconds;
    };
    await throttled();
    // The real user at their own computer is not kept out by the stranger's guesses.
    expect((await auth.login(login, 'верный пароль', '10.1.0.2')).ok).toBe(true);
    for (let round = 0; round < 2; round += 1) {
      await pause(waits.at(-1)! * 1000 + 100);
      expect(await auth.login(login, 'ещё догадка', stranger)).toEqual({ ok: false, reason: 'wrong' });
      await throttled();
    }
    expect(waits).toEqual([1, 2, 4]);
  }, 20_000);

  it('makes an address that tried twenty logins wait, not before, whatever login it tries, and no other address', async () => {
    const auth = new OfficeAuth(store);
    const proxy = `192.0.2.${serial}`;
    for (let attempt = 0; attempt < 19; attempt += 1) expect(await auth.login(`user-${serial}-${attempt}`, 'x', proxy)).toEqual({ ok: false, reason: 'wrong' });
    // Behind one proxy: a colleague's mistakes do not keep the office out.
    expect((await auth.login(login, 'верный пароль', proxy)).ok).toBe(true);
    expect(await auth.login(`user-${serial}-19`, 'x', proxy)).toEqual({ ok: false, reason: 'wrong' });
    expect(await auth.login(login, 'верный пароль', proxy)).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await auth.login(login, 'верный пароль', '198.51.100.200')).ok).toBe(true);
  });
});

describe('the executors\' links', () => {
  const signer = new LinkSigner(SECRET);
  const link = { plan: 'ryazan-2020', task: '13/2@sch-01', executor: 'director:sch-01', action: 'complete' as const, expires: Math.floor(Date.parse('2020-12-01T00:00:00Z') / 1000), nonce: 'n1' };

  it('carry their plan, task, executor and action, and are refused when anything in them is changed', () => {
    const token = signer.actionToken(link);
    expect(signer.checkAction(token, Date.parse('2020-10-01T00:00:00Z'))).toMatchObject({ ok: true, link });
    const [payload, signature, kid] = token.split('.');
    const forged = Buffer.from(JSON.stringify(['ryazan-2020', '13/2@sch-02', 'director:sch-01', 'complete', String(link.expires), 'n1'])).toString('base64url');
    expect(signer.checkAction(`${forged}.${signature}.${kid}`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.checkAction(`${payload}.x${signature}.${kid}`, 0)).toEqual({ ok: false, reason: 'forged' });
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
    expect(links.complete).toMatch(/^https:\/\/plangraf\.example\.org\/act\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
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

describe('the keys links are signed with', () => {
  const key = (secret: Buffer): LinkKey => ({ kid: keyIdOf(secret), secret });
  /** A ring of these keys that signs with the last. */
  const ring = (...keys: LinkKey[]): Keyring => ({ current: () => keys.at(-1)!, byId: (kid) => keys.find((candidate) => candidate.kid === kid), all: () => keys });
  const oldKey = key(randomBytes(32));
  const newKey = key(randomBytes(32));
  const link = { plan: 'ryazan-2020', task: '13/2@sch-01', executor: 'riro', action: 'extend' as const, expires: Math.floor(Date.parse('2020-12-01T00:00:00Z') / 1000), nonce: 'n2' };

  it('sign new links with the current key, named in the token, and still verify links of an older key in the ring', () => {
    const before = new LinkSigner(ring(oldKey)).actionToken(link);
    const signer = new LinkSigner(ring(oldKey, newKey));
    const token = signer.actionToken(link);
    expect(token.split('.')).toHaveLength(3);
    expect(token.split('.')[2]).toBe(newKey.kid);
    expect(before.split('.')[2]).toBe(oldKey.kid);
    expect(signer.checkAction(token, 0)).toMatchObject({ ok: true, link });
    expect(signer.checkAction(before, 0)).toMatchObject({ ok: true, link });
    // A bare secret is a ring of one key.
    expect(new LinkSigner(oldKey.secret).checkAction(before, 0)).toMatchObject({ ok: true, link });
    expect(singleKeyring(oldKey.secret).current()).toEqual(oldKey);
  });

  it('refuse a token of a retired key, of an unknown key id, or one whose key id was swapped', () => {
    const before = new LinkSigner(ring(oldKey)).actionToken(link);
    const retired = new LinkSigner(ring(newKey));
    expect(retired.checkAction(before, 0)).toEqual({ ok: false, reason: 'forged' });
    const [payload, signature] = before.split('.');
    expect(new LinkSigner(ring(oldKey, newKey)).checkAction(`${payload}.${signature}.nokey000`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(new LinkSigner(ring(oldKey, newKey)).checkAction(`${payload}.${signature}.${newKey.kid}`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(new LinkSigner(ring(oldKey, newKey)).checkAction(`${before}.extra`, 0)).toEqual({ ok: false, reason: 'forged' });
  });

  it('verify tokens of the old two-part form against every key still in use, and no retired one', () => {
    const [payload, signature] = new LinkSigner(ring(oldKey)).actionToken(link).split('.');
    const twoPart = `${payload}.${signature}`;
    expect(new LinkSigner(ring(oldKey, newKey)).checkAction(twoPart, 0)).toMatchObject({ ok: true, link });
    expect(new LinkSigner(ring(newKey)).checkAction(twoPart, 0)).toEqual({ ok: false, reason: 'forged' });
    const [feedPayload, feedSignature] = new LinkSigner(ring(oldKey)).feedToken({ plan: 'ryazan-2020', executor: null }).split('.');
    expect(new LinkSigner(ring(oldKey, newKey)).checkFeed(`${feedPayload}.${feedSignature}`)).toMatchObject({ ok: true, link: { plan: 'ryazan-2020', executor: null } });
  });

  it('make form tokens that only the link\'s holder can make and every key in use checks', () => {
    const token = new LinkSigner(ring(oldKey)).actionToken(link);
    const form = new LinkSigner(ring(oldKey)).formToken(token);
    expect(new LinkSigner(ring(oldKey, newKey)).checkFormToken(token, form)).toBe(true);
    expect(new LinkSigner(ring(oldKey, newKey)).checkFormToken(`${token}x`, form)).toBe(false);
    expect(new LinkSigner(ring(newKey)).checkFormToken(token, form)).toBe(false);
    expect(new LinkSigner(ring(oldKey)).checkFormToken(token, undefined)).toBe(false);
  });

  it('come from the store: made once and then kept, shared by every host, rotated and retired there', async () => {
    const url = await testDatabaseUrl();
    const [a, b] = await Promise.all([connectStore(url, { max: 3 }), connectStore(url, { max: 3 })]);
    try {
      const first = await storeKeyring(a, { env: {}, activationMs: 0 });
      const second = await storeKeyring(b, { env: {}, activationMs: 0 });
      expect(first.current().secret).toHaveLength(32);
      expect(second.current()).toEqual(first.current());
      const before = new LinkSigner(first).actionToken(link);

      const newer = await addSigningKey(a.pool);
      await Promise.all([first.refresh(), second.refresh()]);
      expect(first.current().kid).toBe(newer);
      const after = new LinkSigner(second).actionToken(link);
      expect(after.split('.')[2]).toBe(newer);
      expect(new LinkSigner(first).checkAction(before, 0)).toMatchObject({ ok: true, link });

      expect(await retireSigningKey(b.pool, before.split('.')[2]!)).toBe('retired');
      await Promise.all([first.refresh(), second.refresh()]);
      expect(new LinkSigner(first).checkAction(before, 0)).toEqual({ ok: false, reason: 'forged' });
      expect(new LinkSigner(first).checkAction(after, 0)).toMatchObject({ ok: true, link });
      first.close();
      second.close();

      // PLANGRAF_SECRET joins the ring: links signed with it before keep verifying.
      const third = await storeKeyring(a, { env: { PLANGRAF_SECRET: SECRET.toString('hex') }, activationMs: 0 });
      expect(new LinkSigner(third).checkAction(new LinkSigner(SECRET).actionToken(link), 0)).toMatchObject({ ok: true, link });
      third.close();
    } finally {
      await a.close();
      await b.close();
    }
    expect(secretFromEnv({ PLANGRAF_SECRET: 'ab'.repeat(32) })).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
    expect(secretFromEnv({})).toBeUndefined();
    expect(() => secretFromEnv({ PLANGRAF_SECRET: 'abcd' })).toThrow('PLANGRAF_SECRET: нужно не меньше 32 байт');
  });
});

describe('links already used', () => {
  it('act once, even when two requests come at the same moment to two hosts, and are remembered across restarts', async () => {
    let acted = 0;
    const act = async () => {
      acted += 1;
      await pause(20);
      return { acted: true, value: 'готово' };
    };
    const outcomes = await Promise.all([storeUsedLinks(store).once('abc', act), storeUsedLinks(other).once('abc', act)]);
    expect(outcomes.sort()).toEqual(['готово', null].sort());
    expect(acted).toBe(1);
    const restarted = await connectStore(url, { max: 1 });
    try {
      expect(await storeUsedLinks(restarted).has('abc')).toBe(true);
      expect(await storeUsedLinks(restarted).once('abc', act)).toBeNull();
    } finally {
      await restarted.close();
    }
  });

  it('stay unused when the action was refused, so the form can be sent again', async () => {
    const used = storeUsedLinks(store);
    expect(await used.once('refused', async () => ({ acted: false, value: 'пустой результат' }))).toBe('пустой результат');
    expect(await used.has('refused')).toBe(false);
    expect(await used.once('refused', async () => ({ acted: true, value: 'со второго раза' }))).toBe('со второго раза');
    expect(await used.has('refused')).toBe(true);
  });
});

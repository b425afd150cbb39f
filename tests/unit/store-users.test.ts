/**
 * Users managed from the pages, on a real PostgreSQL: the one-time links to set a password (kept
 * only as hashes, used once, not after 72 hours, not by a disabled user, only the last one of a
 * user), a change of role that ends the sessions, enabling a disabled user, the last login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import {
  changeUserAccess,
  createPasswordLink,
  createSession,
  disableUser,
  enableUser,
  findPasswordLink,
  findUser,
  listUsersWithLogins,
  NO_PASSWORD,
  openSession,
  passwordLinkHash,
  saveUser,
  usePasswordLink,
} from '../../store/users.ts';
import { testStore } from '../support/store.ts';

let store: Store;
beforeAll(async () => {
  store = await testStore();
  await ensureOrganisation(store.pool, 'ryazan', 'Рязанская область');
});
afterAll(() => store.close());

async function invite(login: string): Promise<void> {
  await saveUser(store.pool, { login, name: `Пользователь ${login}`, org: 'ryazan', role: 'office', schools: [], municipality: null, passwordHash: NO_PASSWORD });
}

describe('one-time links to set a password', () => {
  it('keeps only the SHA-256 of the token, never the token itself', async () => {
    await invite('hashed');
    const { token } = await createPasswordLink(store.pool, 'hashed', 'office');
    const { rows } = await store.pool.query<{ idHash: string }>(`select id_hash as "idHash" from password_links where login = 'hashed'`);
    expect(rows).toEqual([{ idHash: passwordLinkHash(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(passwordLinkHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is valid for 72 hours and names whose it is', async () => {
    await invite('open');
    const before = Date.now();
    const { token, expiresAt } = await createPasswordLink(store.pool, 'open', 'office');
    expect(expiresAt.getTime() - before).toBeGreaterThan(71.9 * 3600_000);
    expect(expiresAt.getTime() - before).toBeLessThan(72.1 * 3600_000);
    expect(await findPasswordLink(store.pool, token)).toMatchObject({ state: 'open', login: 'open', name: 'Пользователь open' });
  });

  it('sets the password once: the second use of the same link sets nothing and reads as used', async () => {
    await invite('once');
    const { token } = await createPasswordLink(store.pool, 'once', 'office');
    const user = await usePasswordLink(store.pool, token, 'scrypt$first');
    expect(user).toMatchObject({ login: 'once', passwordHash: 'scrypt$first' });
    expect(await usePasswordLink(store.pool, token, 'scrypt$second')).toBeNull();
    expect((await findUser(store.pool, 'once'))!.passwordHash).toBe('scrypt$first');
    expect(await findPasswordLink(store.pool, token)).toMatchObject({ state: 'used', login: 'once' });
  });

  it('lets only one of two uses at the same moment set the password', async () => {
    await invite('race');
    const { token } = await createPasswordLink(store.pool, 'race', 'office');
    const outcomes = await Promise.all([usePasswordLink(store.pool, token, 'scrypt$a'), usePasswordLink(store.pool, token, 'scrypt$b')]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('sets nothing after it has expired', async () => {
    await invite('late');
    const { token } = await createPasswordLink(store.pool, 'late', 'office');
    await store.pool.query(`update password_links set expires_at = now() - interval '1 minute' where id_hash = $1`, [passwordLinkHash(token)]);
    expect(await findPasswordLink(store.pool, token)).toMatchObject({ state: 'expired' });
    expect(await usePasswordLink(store.pool, token, 'scrypt$late')).toBeNull();
    expect((await findUser(store.pool, 'late'))!.passwordHash).toBe(NO_PASSWORD);
  });

  it('ends the earlier unused link of the user when a new one is made', async () => {
    await invite('twice');
    const first = await createPasswordLink(store.pool, 'twice', 'office');
    const second = await createPasswordLink(store.pool, 'twice', 'office');
    expect(await findPasswordLink(store.pool, first.token)).toMatchObject({ state: 'expired' });
    expect(await usePasswordLink(store.pool, first.token, 'scrypt$old')).toBeNull();
    expect(await usePasswordLink(store.pool, second.token, 'scrypt$new')).toMatchObject({ login: 'twice' });
  });

  it('sets nothing for a disabled user', async () => {
    await invite('gone');
    const { token } = await createPasswordLink(store.pool, 'gone', 'office');
    await disableUser(store.pool, 'gone');
    expect(await findPasswordLink(store.pool, token)).toMatchObject({ state: 'expired' });
    expect(await usePasswordLink(store.pool, token, 'scrypt$gone')).toBeNull();
  });

  it('finds nothing for a token it never made or a malformed one', async () => {
    expect(await findPasswordLink(store.pool, 'A'.repeat(43))).toBeNull();
    expect(await findPasswordLink(store.pool, 'short')).toBeNull();
    expect(await usePasswordLink(store.pool, "x' or 1=1 --", 'scrypt$x')).toBeNull();
  });

  it('ends the sessions the user had when the password is set', async () => {
    await invite('reset');
    const { token: session } = await createSession(store.pool, 'reset', '10.0.0.1', 1);
    const { token } = await createPasswordLink(store.pool, 'reset', 'office');
    await usePasswordLink(store.pool, token, 'scrypt$reset');
    expect(await openSession(store.pool, session)).toBeNull();
  });
});

describe('users changed from the pages', () => {
  it('changes a role and scope and ends the user’s sessions', async () => {
    await invite('promoted');
    const { token } = await createSession(store.pool, 'promoted', '10.0.0.1', 1);
    expect(await changeUserAccess(store.pool, 'promoted', { name: 'Куратор', role: 'curator', schools: ['sch-01'], municipality: null })).toBe(true);
    expect(await findUser(store.pool, 'promoted')).toMatchObject({ name: 'Куратор', role: 'curator', schools: ['sch-01'] });
    expect(await openSession(store.pool, token)).toBeNull();
  });

  it('enables a disabled user again, history and password kept', async () => {
    await saveUser(store.pool, { login: 'back', name: 'Вернувшийся', org: 'ryazan', role: 'viewer', schools: [], municipality: null, passwordHash: 'scrypt$kept' });
    await disableUser(store.pool, 'back');
    expect(await enableUser(store.pool, 'back')).toBe(true);
    expect(await enableUser(store.pool, 'back')).toBe(false);
    expect(await findUser(store.pool, 'back')).toMatchObject({ disabled: false, passwordHash: 'scrypt$kept' });
  });

  it('lists the organisation’s users with their last login and whether they have a password', async () => {
    await invite('fresh');
    await saveUser(store.pool, { login: 'seen', name: 'Входил', org: 'ryazan', role: 'office', schools: [], municipality: null, passwordHash: 'scrypt$seen' });
    await createSession(store.pool, 'seen', '10.0.0.1', 1);
    const users = await listUsersWithLogins(store.pool, 'ryazan');
    expect(users.find((user) => user.login === 'fresh')).toMatchObject({ hasPassword: false, lastLoginAt: null });
    const seen = users.find((user) => user.login === 'seen')!;
    expect(seen.hasPassword).toBe(true);
    expect(seen.lastLoginAt).toBeInstanceOf(Date);
  });
});

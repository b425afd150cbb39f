/**
 * A fresh store for a test file: a database of its own on the run's PostgreSQL, migrated.
 *
 * @example
 * const store = await testStore();
 * afterAll(() => store.close());
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectStore, type Store } from '../../store/database.ts';
import { saveUser, type Role } from '../../store/users.ts';
import { hashPassword } from '../../web/auth.ts';

/** The URL of a new, empty database on the test server. */
export async function testDatabaseUrl(): Promise<string> {
  const server = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return server.replace(/\/[^/]*$/, `/${name}`);
}

export async function testStore(): Promise<Store> {
  return connectStore(await testDatabaseUrl(), { max: 5 });
}

/** An office user of `org` with `role`, no school or municipality scope, and `password`. */
export async function addTestUser(store: Store, user: { login: string; name: string; role: Role; org: string }, password: string): Promise<void> {
  await saveUser(store.pool, { ...user, schools: [], municipality: null, passwordHash: await hashPassword(password) });
}

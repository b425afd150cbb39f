/**
 * The command line's organisations, users and keys, against a real store: what a typo gets, and
 * what goes to the audit log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStore, type Store } from '../../store/database.ts';
import { runPlangraf, STACK_TRACE } from '../support/plangraf-process.ts';
import { testDatabaseUrl } from '../support/store.ts';

const RYAZAN = 'calendars/ryazan-2021.yaml';

let scratch: string;
let env: Record<string, string>;
let store: Store;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-cli-people-'));
  const url = await testDatabaseUrl();
  env = { DATABASE_URL: url, PLANGRAF_VAR: join(scratch, 'var'), PLANGRAF_PASSWORD: 'пароль-из-скрипта', TEMPORAL_ADDRESS: '127.0.0.1:1' };
  store = await connectStore(url, { max: 2 });
});
afterAll(async () => {
  await store?.close();
  await rm(scratch, { recursive: true, force: true });
});

const run = (...args: string[]) => runPlangraf(args, env, { timeoutMs: 60_000 });

describe.sequential('organisations, users and keys from the command line', { timeout: 120_000 }, () => {
  it('add an organisation, and a user to it with a role', async () => {
    expect(await run('orgs', 'add', 'ryazan', '--name', 'Министерство образования Рязанской области')).toMatchObject({ code: 0, stdout: 'Организация ryazan: Министерство образования Рязанской области.\n' });
    const added = await run('users', 'add', 'ivanova', '--name', 'Иванова О. Ю.', '--org', 'ryazan', '--role', 'office');
    expect(added).toMatchObject({ code: 0, stdout: 'Пользователь добавлен: ivanova — проектный офис, организация ryazan.\n' });
    const listed = await run('users', 'list', '--org', 'ryazan');
    expect(listed.stdout).toContain('ivanova              Иванова О. Ю. — проектный офис, ryazan');
  });

  it('refuse an organisation that does not exist rather than make a new region of a typo', async () => {
    const user = await run('users', 'add', 'petrov', '--name', 'Петров', '--org', 'ryazn');
    expect(user.code).toBe(1);
    expect(user.stderr).toContain('нет организации «ryazn»; есть: ryazan (Министерство образования Рязанской области)');
    const start = await run('start', RYAZAN, '--org', 'ryazn');
    expect(start.code).toBe(1);
    expect(start.stderr).toContain('нет организации «ryazn»');
    expect(start.stderr).not.toMatch(STACK_TRACE);
    expect((await store.pool.query(`select id from organisations order by id`)).rows).toEqual([{ id: 'ryazan' }]);
  });

  it('refuse a federal operator with an organisation, a new user without a name, and a short password', async () => {
    expect(await run('users', 'add', 'fed', '--name', 'Федеральный оператор', '--role', 'federal', '--org', 'ryazan')).toMatchObject({ code: 2 });
    expect((await run('users', 'add', 'noname', '--org', 'ryazan')).stderr).toContain('укажите имя нового пользователя');
    const short = await runPlangraf(['users', 'add', 'shorty', '--name', 'Коротко', '--org', 'ryazan'], { ...env, PLANGRAF_PASSWORD: 'x' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('PLANGRAF_PASSWORD: пароль короче 8 знаков');
    expect(await run('users', 'add', 'fed', '--name', 'Федеральный оператор', '--role', 'federal')).toMatchObject({ code: 0, stdout: 'Пользователь добавлен: fed — федеральный оператор, все регионы.\n' });
  });

  it('say so with status 1 when the user to disable or log out does not exist', async () => {
    const missing = await run('users', 'disable', 'nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('нет пользователя nobody');
    expect((await run('users', 'logout', 'nobody')).code).toBe(1);
    expect(await run('users', 'disable', 'ivanova')).toMatchObject({ code: 0 });
  });

  it('write every change to the audit log under the organisation it concerns', async () => {
    expect((await run('keys', 'rotate')).code).toBe(0);
    const { rows } = await store.pool.query<{ org: string | null; action: string; user: string | null }>(`select org, action, details->>'user' as user from audit_log order by id`);
    expect(rows.map((row) => `${row.action} ${row.user ?? ''} ${row.org ?? ''}`.trim())).toEqual(['user.add ivanova ryazan', 'user.add fed', 'user.disable ivanova ryazan', 'key.rotate']);
  });
});

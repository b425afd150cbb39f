import { afterAll, describe, expect, it } from 'vitest';
import { connectStore, migrate } from '../../store/database.ts';
import { MIGRATIONS } from '../../store/migrations.ts';
import { testDatabaseUrl } from '../support/store.ts';

describe('the store migrations', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('migrate once when two hosts connect to an empty database at the same moment', async () => {
    const url = await testDatabaseUrl();
    const [first, second] = await Promise.all([connectStore(url, { migrate: false }), connectStore(url, { migrate: false })]);
    closers.push(() => first.close(), () => second.close());
    const [a, b] = await Promise.all([migrate(first), migrate(second)]);
    const all = MIGRATIONS.map((migration) => migration.version);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(all);
    expect(a.length === 0 || b.length === 0).toBe(true);
    const { rows } = await first.pool.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((row) => row.version)).toEqual(all);
  });

  it('apply nothing on a database that is up to date', async () => {
    const url = await testDatabaseUrl();
    const store = await connectStore(url);
    closers.push(() => store.close());
    expect(await migrate(store)).toEqual([]);
  });

  it('refuse an unreachable server with a Russian sentence that names it without its password', async () => {
    await expect(connectStore('postgres://plangraf:secret@127.0.0.1:1/plangraf')).rejects.toThrow(/не удаётся подключиться к базе данных postgres:\/\/plangraf:\*\*\*@127\.0\.0\.1:1\/plangraf/);
  });
});

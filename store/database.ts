/**
 * The connection to the store: a `pg` pool on `DATABASE_URL` (or the embedded server), the
 * migrations applied once under an advisory lock, and transactions. Every other store module
 * takes a `Store` and keeps its SQL to itself.
 */
import pg from 'pg';
import { MIGRATIONS } from './migrations.ts';

// Calendar dates stay `YYYY-MM-DD` strings, as everywhere in plangraf: never a Date at midnight UTC.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigserial ids and counts fit in a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface Store {
  pool: pg.Pool;
  /** Where the store is, for messages: the URL without its password. */
  target: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** An arbitrary constant of plangraf's: the advisory lock two hosts take to migrate one at a time. */
const MIGRATION_LOCK = 7_204_619_301;

export interface ConnectOptions {
  /** Connections of this process (default 10). */
  max?: number;
  /** Apply the migrations (default true). */
  migrate?: boolean;
}

/**
 * Connects to the store at `url` and brings its schema up to date.
 * @throws StoreUnavailable, in Russian, when the server cannot be reached or refuses the login
 */
export async function connectStore(url: string, options: ConnectOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle connection the server drops (a restart, a failover) is no reason to crash.
  pool.on('error', () => undefined);
  const target = redact(url);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreUnavailable(`не удаётся подключиться к базе данных ${target}: ${(error as Error).message}. Проверьте DATABASE_URL или запустите систему (npm start).`, { cause: error });
  }
  const store: Store = {
    pool,
    target,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  if (options.migrate ?? true) await migrate(store);
  return store;
}

export class StoreUnavailable extends Error {}

/**
 * Applies the migrations not yet applied, in order, each in its own transaction. The advisory
 * lock is held on one connection for the whole run, so a second host waits here and then
 * finds every version recorded.
 * @returns the versions applied by this call
 */
export async function migrate(store: Store): Promise<number[]> {
  const client = await store.pool.connect();
  const applied: number[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await client.query<{ version: number }>('select version from schema_migrations')).rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`миграция ${migration.version} («${migration.name}») не применена: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}

/** `postgres://plangraf:***@127.0.0.1:5433/plangraf`: a URL fit for a log. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(DATABASE_URL не разобрать как адрес)';
  }
}

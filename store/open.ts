/**
 * Where the store is: `DATABASE_URL` when set, else the embedded PostgreSQL of this checkout
 * (`var/postgres`), started for as long as it is needed when no other command runs it.
 */
import { connectStore, StoreUnavailable, type ConnectOptions, type Store } from './database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded.ts';

export interface OpenedStore {
  store: Store;
  /** The embedded server, when this checkout's is used; `null` for `DATABASE_URL`. */
  embedded: EmbeddedPostgresServer | null;
  /** Closes the pool, and stops the embedded server if this call started it. */
  close(): Promise<void>;
}

export interface OpenStoreOptions extends ConnectOptions {
  env?: NodeJS.ProcessEnv;
  varDir: string;
  log?: (line: string) => void;
}

export async function openStore(given: OpenStoreOptions): Promise<OpenedStore> {
  const env = given.env ?? process.env;
  const pool = env.PLANGRAF_DB_POOL?.trim();
  if (pool !== undefined && pool !== '' && !(Number.isInteger(Number(pool)) && Number(pool) > 0)) throw new StoreUnavailable(`PLANGRAF_DB_POOL=${pool}: ожидается целое число больше нуля`);
  const options = pool ? { ...given, max: Number(pool) } : given;
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const store = await connectStore(url, options);
    return { store, embedded: null, close: () => store.close() };
  }
  const port = env.PLANGRAF_PG_PORT ? Number(env.PLANGRAF_PG_PORT) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`PLANGRAF_PG_PORT=${env.PLANGRAF_PG_PORT}: ожидается номер порта от 1 до 65535`);
  let embedded;
  try {
    embedded = await startEmbeddedPostgres(options.varDir, { ...(port !== undefined ? { port } : {}), ...(options.log ? { log: options.log } : {}) });
  } catch (error) {
    throw new StoreUnavailable(`${(error as Error).message} Либо укажите внешний PostgreSQL в DATABASE_URL.`, { cause: error });
  }
  try {
    const store = await connectStore(embedded.url, options);
    return {
      store,
      embedded,
      async close() {
        // A connection still held somewhere must not keep the embedded server from stopping.
        await Promise.race([store.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        await embedded.stop();
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

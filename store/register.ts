/**
 * The register of issued documents in the shared store: numbers, entries and the files
 * themselves, so every host numbers from one counter and serves every document.
 *
 * Each organisation numbers its own documents: its plans' contracts are ДС-2026/001, 002 … in
 * every region alike. A document is issued in a transaction of its own: a lock on its key (the
 * same document asked twice at once is made once), then the next number of its organisation,
 * template and year from a counter row, whose lock holds other issuers of that kind back until
 * the number is committed. Numbers therefore come out unique and without gaps, whichever host asks.
 */
import { canonicalJson, newEntry, sha256, type DocumentMaker, type DocumentRegister, type IssuedDocument, type IssueRequest, type RegisterEntry } from '../documents/register.ts';
import { formatDocumentNumber } from '../plan/document-numbering.ts';
import type { Queryable, Store } from './database.ts';

const ENTRY_COLUMNS = `key, org, template, number, sequence, year, date, plan, path, file_name as "fileName", sha256, input_hash as "inputHash", issued_at as "issuedAt"`;

type EntryRow = Omit<RegisterEntry, 'issuedAt'> & { issuedAt: Date };

const entryOf = (row: EntryRow): RegisterEntry => ({ ...row, issuedAt: row.issuedAt.toISOString() });

export class StoreDocumentRegister implements DocumentRegister {
  constructor(private readonly store: Store) {}

  async issue(requests: readonly IssueRequest[], make: DocumentMaker, now: () => Date = () => new Date()): Promise<IssuedDocument[]> {
    const issued: IssuedDocument[] = [];
    for (const request of requests) issued.push(await this.issueOne(request, make, now));
    return issued;
  }

  private issueOne(request: IssueRequest, make: DocumentMaker, now: () => Date): Promise<IssuedDocument> {
    const inputHash = sha256(canonicalJson(request.input));
    return this.store.transaction(async (client) => {
      await client.query(`select pg_advisory_xact_lock(hashtextextended('document:' || $1, 0))`, [request.key]);
      const existing = await findEntry(client, request.key);
      if (existing) {
        const content = await fileContent(client, existing.sha256);
        if (!content) throw new Error(`документ ${existing.number} есть в журнале, но его файла нет в базе данных`);
        return { ...existing, content, fresh: false, inputChanged: existing.inputHash !== inputHash };
      }
      const org = await orgOfPlan(client, request.plan);
      const { rows } = await client.query<{ last: number }>(
        `insert into document_counters (org, template, year, last) values ($1, $2, $3, 1)
         on conflict (org, template, year) do update set last = document_counters.last + 1 returning last`,
        [org, request.template, request.year],
      );
      const sequence = rows[0]!.last;
      const number = formatDocumentNumber(request.numbering, request.year, sequence);
      const made = await make(request, { number, date: request.date });
      const entry: RegisterEntry = { ...newEntry(request, { number, sequence, inputHash, issuedAt: now() }, made), org };
      await insertEntry(client, org, entry, made.content);
      return { ...entry, content: made.content, fresh: true, inputChanged: false };
    });
  }

  async entries(): Promise<RegisterEntry[]> {
    const { rows } = await this.store.pool.query<EntryRow>(`select ${ENTRY_COLUMNS} from documents order by issued_at, template, year, sequence`);
    return rows.map(entryOf);
  }

  async find(key: string): Promise<RegisterEntry | undefined> {
    return findEntry(this.store.pool, key);
  }

  async verify(entry: RegisterEntry): Promise<'ok' | 'missing' | 'changed'> {
    const content = await fileContent(this.store.pool, entry.sha256);
    if (!content) return 'missing';
    return sha256(content) === entry.sha256 ? 'ok' : 'changed';
  }

  fileContent(hash: string): Promise<Buffer | undefined> {
    return fileContent(this.store.pool, hash);
  }

  /**
   * Takes entries registered elsewhere (an old checkout's `var/documents`) with their files,
   * keeping their numbers, as `org`'s; the counters move past them. An entry whose key is known is skipped.
   * @returns how many were taken
   */
  async importEntries(entries: readonly { entry: RegisterEntry; content: Buffer }[], org: string): Promise<number> {
    let taken = 0;
    await this.store.transaction(async (client) => {
      for (const { entry, content } of entries) {
        if (await findEntry(client, entry.key)) continue;
        const clash = await client.query('select 1 from documents where (org = $1 and template = $2 and year = $3 and sequence = $4) or path = $5', [org, entry.template, entry.year, entry.sequence, entry.path]);
        if (clash.rowCount! > 0) continue;
        await insertEntry(client, org, entry, content);
        await reserveNumber(client, org, entry);
        taken += 1;
      }
    });
    return taken;
  }
}

/** Moves the counter of an organisation's template and year past a number given out elsewhere. */
export async function reserveNumber(db: Queryable, org: string, entry: Pick<RegisterEntry, 'template' | 'year' | 'sequence'>): Promise<void> {
  await db.query(
    `insert into document_counters (org, template, year, last) values ($1, $2, $3, $4)
     on conflict (org, template, year) do update set last = greatest(document_counters.last, excluded.last)`,
    [org, entry.template, entry.year, entry.sequence],
  );
}

/**
 * The organisation a plan's documents are numbered in: the one it runs for, else the one its
 * earlier documents were (an old checkout's register, imported); '' for a document of no plan.
 */
async function orgOfPlan(db: Queryable, plan: string | null): Promise<string> {
  if (plan === null) return '';
  const { rows } = await db.query<{ org: string }>(
    `select org from plans where key = $1 union all (select org from documents where plan = $1 limit 1) limit 1`,
    [plan],
  );
  return rows[0]?.org ?? '';
}

async function findEntry(db: Queryable, key: string): Promise<RegisterEntry | undefined> {
  const row = (await db.query<EntryRow>(`select ${ENTRY_COLUMNS} from documents where key = $1`, [key])).rows[0];
  return row ? entryOf(row) : undefined;
}

async function fileContent(db: Queryable, hash: string): Promise<Buffer | undefined> {
  return (await db.query<{ content: Buffer }>('select content from document_files where sha256 = $1', [hash])).rows[0]?.content;
}

async function insertEntry(db: Queryable, org: string, entry: RegisterEntry, content: Buffer): Promise<void> {
  await db.query('insert into document_files (sha256, content) values ($1, $2) on conflict (sha256) do nothing', [entry.sha256, content]);
  await db.query(
    `insert into documents (key, org, template, number, sequence, year, date, plan, path, file_name, sha256, input_hash, issued_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [entry.key, org, entry.template, entry.number, entry.sequence, entry.year, entry.date, entry.plan, entry.path, entry.fileName, entry.sha256, entry.inputHash, entry.issuedAt],
  );
}

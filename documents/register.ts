/**
 * The register of issued documents (журнал регистрации): each document gets the next number of
 * its kind in its year, a date, a SHA-256 and a stable path.
 *
 * A document is known by its key (a contract by its plan and pair of schools): issuing the same
 * key again returns the registered document and takes no new number. The register of record is
 * the shared store's (`store/register.ts`): every host numbers from it and serves its files.
 * `FileDocumentRegister` here keeps a register in a folder of its own: a simulated year issues
 * its documents into a throw-away one, and an old checkout's `var/documents` is read from it once.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import type { IsoDate } from '../plan/dates.ts';
import { formatDocumentNumber, type DocumentTemplateId } from '../plan/documents.ts';

export interface RegisterEntry {
  /** What makes two requests the same document: `ryazan-2020:contract:sch-01:sch-11`. */
  key: string;
  template: DocumentTemplateId;
  /** `ДС-2026/007` */
  number: string;
  /** The running number within the template and year: 7. */
  sequence: number;
  year: number;
  date: IsoDate;
  /** The plan key the document belongs to, if any. */
  plan: string | null;
  /** The organisation that numbered it (the store's register only; '' for a document of no plan). */
  org?: string;
  /** Under the register's folder: `ryazan-2020/contract/ДС-2026-007.docx`. */
  path: string;
  /** The name to give the file when it is sent or downloaded. */
  fileName: string;
  sha256: string;
  /** SHA-256 of the input it was made from: a request with other data is told so. */
  inputHash: string;
  /** When it was issued (ISO instant). */
  issuedAt: string;
}

export interface IssueRequest {
  key: string;
  template: DocumentTemplateId;
  year: number;
  date: IsoDate;
  plan: string | null;
  /** The number format: `ДС-{year}/{n:3}`. */
  numbering: string;
  input: unknown;
}

export interface IssuedDocument extends RegisterEntry {
  /** The document's bytes. */
  content: Buffer;
  /** Issued by this request (false: it was in the register already). */
  fresh: boolean;
  /** Registered before with other input: the registered document stands. */
  inputChanged: boolean;
}

/** Makes the document once it has its number. */
export type DocumentMaker = (request: IssueRequest, issue: { number: string; date: IsoDate }) => Promise<{ content: Buffer; fileName: string }>;

/** A register of documents: the store's, or a folder's own (`FileDocumentRegister`). */
export interface DocumentRegister {
  /**
   * Issues the documents: each known key comes back as registered; each new one takes the next
   * number of its template and year, is made by `make` and registered.
   */
  issue(requests: readonly IssueRequest[], make: DocumentMaker, now?: () => Date): Promise<IssuedDocument[]>;
  /** Every registered document, in the order issued. */
  entries(): Promise<RegisterEntry[]>;
  find(key: string): Promise<RegisterEntry | undefined>;
  /** Whether the file of a registered document is still there and unchanged. */
  verify(entry: RegisterEntry): Promise<'ok' | 'missing' | 'changed'>;
  /** The bytes of a registered document's file, found by their SHA-256; `undefined` when gone. */
  fileContent(sha256: string): Promise<Buffer | undefined>;
}

interface RegisterFile {
  version: 1;
  /** The last sequence used, by `template:year`. */
  counters: Record<string, number>;
  entries: RegisterEntry[];
}

const REGISTER_FILE = 'register.json';

export class FileDocumentRegister implements DocumentRegister {
  private readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, REGISTER_FILE);
  }

  /**
   * Issues the documents: each known key comes back as registered; each new one takes the
   * next number, is made by `make`, written and registered. All under one lock: a bulk run of
   * contracts pays for it once.
   */
  async issue(requests: readonly IssueRequest[], make: DocumentMaker, now: () => Date = () => new Date()): Promise<IssuedDocument[]> {
    // Callers in this process queue up here; the file lock keeps other processes out.
    return inTurn(this.file, () => this.issueLocked(requests, make, now));
  }

  private async issueLocked(requests: readonly IssueRequest[], make: DocumentMaker, now: () => Date): Promise<IssuedDocument[]> {
    await mkdir(this.dir, { recursive: true });
    const release = await lock(this.dir, { lockfilePath: `${this.file}.lock`, realpath: false, stale: 30_000, retries: { retries: 200, factor: 1.3, minTimeout: 10, maxTimeout: 500 } });
    try {
      const register = await this.read();
      const byKey = new Map(register.entries.map((entry) => [entry.key, entry]));
      const issued: IssuedDocument[] = [];
      let changed = false;
      for (const request of requests) {
        const inputHash = sha256(canonicalJson(request.input));
        const existing = byKey.get(request.key);
        if (existing) {
          issued.push({ ...existing, content: await readFile(join(this.dir, existing.path)), fresh: false, inputChanged: existing.inputHash !== inputHash });
          continue;
        }
        const counter = `${request.template}:${request.year}`;
        const sequence = (register.counters[counter] ?? 0) + 1;
        const number = formatDocumentNumber(request.numbering, request.year, sequence);
        const made = await make(request, { number, date: request.date });
        const entry = newEntry(request, { number, sequence, inputHash, issuedAt: now() }, made);
        await writeAtomically(join(this.dir, entry.path), made.content);
        register.counters[counter] = sequence;
        register.entries.push(entry);
        byKey.set(entry.key, entry);
        changed = true;
        issued.push({ ...entry, content: made.content, fresh: true, inputChanged: false });
      }
      if (changed) await writeAtomically(this.file, Buffer.from(`${JSON.stringify(register, null, 2)}\n`));
      return issued;
    } finally {
      await release();
    }
  }

  /** Every registered document, in the order issued. */
  async entries(): Promise<RegisterEntry[]> {
    return (await this.read()).entries;
  }

  async find(key: string): Promise<RegisterEntry | undefined> {
    return (await this.read()).entries.find((entry) => entry.key === key);
  }

  /** Whether the file of a registered document is still there and unchanged. */
  async verify(entry: RegisterEntry): Promise<'ok' | 'missing' | 'changed'> {
    const file = join(this.dir, entry.path);
    try {
      await stat(file);
    } catch {
      return 'missing';
    }
    return sha256(await readFile(file)) === entry.sha256 ? 'ok' : 'changed';
  }

  async fileContent(hash: string): Promise<Buffer | undefined> {
    const entry = (await this.read()).entries.find((candidate) => candidate.sha256 === hash);
    if (!entry) return undefined;
    return readFile(join(this.dir, entry.path)).catch(() => undefined);
  }

  private async read(): Promise<RegisterFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, counters: {}, entries: [] };
      throw error;
    }
    try {
      const register = JSON.parse(text) as RegisterFile;
      if (register.version !== 1 || !Array.isArray(register.entries)) throw new Error('unknown format');
      return register;
    } catch {
      throw new Error(`${this.file}: журнал регистрации документов повреждён; восстановите его из копии — номера документов берутся из него`);
    }
  }
}

/** The register's entry of a document just made under its number. */
export function newEntry(request: IssueRequest, issue: { number: string; sequence: number; inputHash: string; issuedAt: Date }, made: { content: Buffer; fileName: string }): RegisterEntry {
  return {
    key: request.key,
    template: request.template,
    number: issue.number,
    sequence: issue.sequence,
    year: request.year,
    date: request.date,
    plan: request.plan,
    path: registerPathOf(request, issue.number),
    fileName: made.fileName,
    sha256: sha256(made.content),
    inputHash: issue.inputHash,
    issuedAt: issue.issuedAt.toISOString(),
  };
}

/** Where a document lies in the register: `ryazan-2020/contract/ДС-2026-007.docx`. */
export function registerPathOf(request: Pick<IssueRequest, 'plan' | 'template'>, number: string): string {
  return join(request.plan ?? 'без-плана', request.template, `${number.replace(/[\\/:*?"<>|\s]+/g, '-')}.docx`);
}

/** The last operation queued on each register file of this process. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier one queued on `key` has finished, failed or not. */
function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const current = previous.then(work, work);
  const settled = current.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return current;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** JSON with keys sorted, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}

/** Written to a temporary file and renamed: a reader never sees half a file. */
async function writeAtomically(file: string, content: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

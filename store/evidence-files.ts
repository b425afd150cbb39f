/**
 * Evidence files: what an executor attaches when they report a task done (the school's plan, a
 * protocol, a scan of an order). Each file's bytes are kept once, by their SHA-256, however many
 * times and under whatever names they are uploaded; what a report attached is recorded per task
 * and report (an executor reports again after the office returns the task), in the order given,
 * under a cleaned name. Bytes are read only through a task that has them, so whoever may see the
 * task's plan may download them and nobody reaches a file by its hash alone.
 *
 * What is accepted (the types, the sizes) is decided before: `web/evidence/file-check.ts`.
 */
import { createHash } from 'node:crypto';
import type { Queryable, Store } from './database.ts';

export interface EvidenceFileInput {
  /** As uploaded; stored cleaned (`cleanFileName`). */
  fileName: string;
  /** The type found by content: `application/pdf`, `image/jpeg`. */
  mediaType: string;
  content: Buffer;
}

export interface EvidenceReportInput {
  planKey: string;
  task: string;
  /** Which report of the task: 1 for the first, 2 after the office returned it once, and so on. */
  report: number;
  /** Who reported: an executor's id, a login. */
  reportedBy: string | null;
  /** When; the store's clock when not given. */
  reportedAt?: Date;
  files: readonly EvidenceFileInput[];
}

/** A file attached to a task's report, without its bytes. */
export interface EvidenceFile {
  task: string;
  report: number;
  /** Its place among the report's files, from 1. */
  position: number;
  reportedAt: Date;
  reportedBy: string | null;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
}

/** A file to serve. */
export interface EvidenceContent {
  fileName: string;
  mediaType: string;
  size: number;
  content: Buffer;
}

export type SaveEvidenceOutcome =
  | { saved: true; files: EvidenceFile[] }
  /** The report already has other files: they stay as they are, and are given back. */
  | { saved: false; reason: 'report-taken'; files: EvidenceFile[] };

const FILE_COLUMNS = `f.task, f.report, f.position, r.reported_at as "reportedAt", r.reported_by as "reportedBy", f.file_name as "fileName", f.media_type as "mediaType", f.size, f.sha256`;
const FILES_OF = `evidence_files f join evidence_reports r on r.plan_key = f.plan_key and r.task = f.task and r.report = f.report`;

/**
 * Saves the files of one report of a task in one transaction: all of them or, should anything
 * fail, none (neither the report nor any bytes). Bytes already in the store are not sent again.
 * A report's files are set once: saving the same files again (a retried request) changes nothing
 * and answers `saved: true`; other files for a report that has some are refused. A report
 * without files records nothing.
 *
 * @example
 * await saveReportFiles(store, { planKey: 'ryazan-2026', task: '13/2@sch-01', report: 1, reportedBy: 'director-sch-01',
 *   files: [{ fileName: 'План.docx', mediaType: DOCX, content }] });
 */
export async function saveReportFiles(store: Store, input: EvidenceReportInput): Promise<SaveEvidenceOutcome> {
  if (input.files.length === 0) return { saved: true, files: [] };
  const files = input.files.map((file) => ({ ...file, fileName: cleanFileName(file.fileName), sha256: sha256Of(file.content) }));
  return store.transaction(async (db) => {
    const { planKey, task, report } = input;
    // Two requests saving one report at once: the second waits here for the first to commit, then finds the report taken.
    const inserted = await db.query(
      `insert into evidence_reports (plan_key, task, report, reported_at, reported_by) values ($1, $2, $3, coalesce($4, now()), $5) on conflict do nothing`,
      [planKey, task, report, input.reportedAt ?? null, input.reportedBy],
    );
    if (inserted.rowCount === 0) {
      const stored = await reportFiles(db, planKey, task, report);
      const same = stored.length === files.length && stored.every((file, i) => file.sha256 === files[i]!.sha256 && file.fileName === files[i]!.fileName);
      return same ? { saved: true, files: stored } : { saved: false, reason: 'report-taken', files: stored };
    }
    const hashes = [...new Set(files.map((file) => file.sha256))];
    const known = new Set((await db.query<{ sha256: string }>('select sha256 from evidence_contents where sha256 = any($1::text[])', [hashes])).rows.map((row) => row.sha256));
    for (const file of files) {
      if (known.has(file.sha256)) continue;
      await db.query('insert into evidence_contents (sha256, content) values ($1, $2) on conflict (sha256) do nothing', [file.sha256, file.content]);
      known.add(file.sha256);
    }
    for (const [i, file] of files.entries()) {
      await db.query(
        `insert into evidence_files (plan_key, task, report, position, sha256, file_name, media_type, size) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [planKey, task, report, i + 1, file.sha256, file.fileName, file.mediaType, file.content.length],
      );
    }
    return { saved: true, files: await reportFiles(db, planKey, task, report) };
  });
}

/** The files of a task, every report's, in the order of the reports and, within one, as attached. */
export async function listTaskFiles(db: Queryable, planKey: string, task: string): Promise<EvidenceFile[]> {
  const { rows } = await db.query<EvidenceFile>(`select ${FILE_COLUMNS} from ${FILES_OF} where f.plan_key = $1 and f.task = $2 order by f.report, f.position`, [planKey, task]);
  return rows;
}

/** The files of a whole plan by task (for the execution report), each task's in the order of `listTaskFiles`; a task without files is absent. */
export async function listPlanFiles(db: Queryable, planKey: string): Promise<Map<string, EvidenceFile[]>> {
  const { rows } = await db.query<EvidenceFile>(`select ${FILE_COLUMNS} from ${FILES_OF} where f.plan_key = $1 order by f.task, f.report, f.position`, [planKey]);
  const byTask = new Map<string, EvidenceFile[]>();
  for (const row of rows) {
    const files = byTask.get(row.task) ?? [];
    files.push(row);
    byTask.set(row.task, files);
  }
  return byTask;
}

/**
 * The bytes of a file attached to this task of this plan, with the name and type to serve it
 * under (those of its latest attachment to the task, should it have come twice); `undefined`
 * when the task has no such file, even if another task or plan has.
 */
export async function readEvidenceFile(db: Queryable, planKey: string, task: string, sha256: string): Promise<EvidenceContent | undefined> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  const { rows } = await db.query<EvidenceContent>(
    `select f.file_name as "fileName", f.media_type as "mediaType", f.size, c.content
       from evidence_files f join evidence_contents c on c.sha256 = f.sha256
      where f.plan_key = $1 and f.task = $2 and f.sha256 = $3
      order by f.report desc, f.position
      limit 1`,
    [planKey, task, sha256],
  );
  return rows[0];
}

async function reportFiles(db: Queryable, planKey: string, task: string, report: number): Promise<EvidenceFile[]> {
  const { rows } = await db.query<EvidenceFile>(`select ${FILE_COLUMNS} from ${FILES_OF} where f.plan_key = $1 and f.task = $2 and f.report = $3 order by f.position`, [planKey, task, report]);
  return rows;
}

/** The SHA-256 of the bytes, in lowercase hex: the key they are stored under. */
export function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Longer names are cut (keeping the extension), so a file saved from a download fits any file system. */
const MAX_NAME_LENGTH = 150;

/**
 * A file name fit to store, show and download under: the last part of a path (a browser may send
 * `C:\Users\…\план.docx`), in Unicode NFC (macOS sends «й» as two characters), without control
 * characters or the direction marks that make `exe.docx` look like `xcod.exe`, spaces collapsed,
 * without leading or trailing dots and spaces, at most 150 characters with its extension kept;
 * «файл» when nothing is left.
 *
 * @example
 * cleanFileName('C:\\fakepath\\Протокол\t№ 3.pdf') // 'Протокол № 3.pdf'
 */
export function cleanFileName(name: string): string {
  const last = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const clean = last
    // C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (clean === '') return 'файл';
  const chars = [...clean];
  if (chars.length <= MAX_NAME_LENGTH) return clean;
  const extension = /\.[^.\s]{1,10}$/.exec(clean)?.[0] ?? '';
  return chars.slice(0, MAX_NAME_LENGTH - extension.length).join('').trimEnd() + extension;
}

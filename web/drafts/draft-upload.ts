/**
 * An uploaded file as a plan draft: a Word or Excel plan-graph through the importer
 * (import/), a YAML plan through the plan reader. Whatever the file, the answer is a draft's
 * YAML or the list of what is wrong with it, in Russian, each naming its place.
 *
 * A period cell the reader cannot read does not stop a table from becoming a draft, as it stops
 * `plangraf import`: in the pages the office fixes it on its row, where the preview shows the
 * reader's own message. So such cells are read as a placeholder period and written back as the
 * table has them.
 */
import { extname } from 'node:path';
import { ImportFileError, type GridTable } from '../../import/grid.ts';
import { readDocxTables } from '../../import/docx-table.ts';
import { importPlan, planYaml, type TableFileKind } from '../../import/import-plan.ts';
import { findPlanTable, planOfTable, yearMessage, type FoundTable, type ImportIssue, type ImportOptions } from '../../import/plan-table.ts';
import { readXlsxTables } from '../../import/xlsx-table.ts';
import { cleanCellText, slugify } from '../../import/cell-text.ts';
import { hasErrors } from '../../plan/issues.ts';
import { describeIssues } from '../../plan/read-plan.ts';
import { readYamlSource } from '../../plan/yaml-source.ts';

/** The largest file the upload takes: a plan-graph with a scanned stamp is a few megabytes. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The largest request an upload reads: a file somewhat over UPLOAD_LIMIT_BYTES is still read,
 * so the form comes back with its fields and the reason; only a far larger one is cut off unread.
 */
export const UPLOAD_BODY_LIMIT_BYTES = 3 * UPLOAD_LIMIT_BYTES;

export type DraftUpload = { ok: true; text: string; fileName: string; planId: string; title: string; /** Read from a Word or Excel table (not a whole plan). */ fromTable: boolean } | { ok: false; errors: string[] };

export interface UploadOptions {
  /** The plan's id; by default made of the file's name. */
  id?: string;
  /** The plan's year, over what the table says. */
  year?: number;
}

/**
 * Reads an uploaded file as a draft.
 * @example await draftFromUpload('План 2027.docx', bytes) // { ok: true, text: '# Импортировано…', planId: 'plan-2027', … }
 */
export async function draftFromUpload(fileName: string, bytes: Uint8Array, options: UploadOptions = {}): Promise<DraftUpload> {
  const extension = extname(fileName).toLowerCase();
  const base = fileName.slice(0, fileName.length - extension.length);
  const id = options.id ?? (slugify(base) || 'plan');
  if (bytes.length === 0) return { ok: false, errors: [`файл «${fileName}» пуст`] };
  if (extension === '.yaml' || extension === '.yml') return yamlDraft(fileName, bytes);
  const kind: TableFileKind | undefined = extension === '.docx' ? 'docx' : extension === '.xlsx' || extension === '.xlsm' ? 'xlsx' : undefined;
  if (!kind) return { ok: false, errors: [`Файл «${fileName}»: ${wrongKind(extension)}`] };
  try {
    return await tableDraft(fileName, bytes, kind, { id, fileName, ...(options.year !== undefined ? { year: options.year } : {}) });
  } catch (error) {
    if (error instanceof ImportFileError) return { ok: false, errors: [`${fileName}: ${error.message}`] };
    throw error;
  }
}

function wrongKind(extension: string): string {
  if (extension === '.doc') return 'это документ старого формата Word (.doc); откройте его в Word или LibreOffice и сохраните как .docx';
  if (extension === '.xls') return 'это книга старого формата Excel (.xls); откройте её в Excel или LibreOffice и сохраните как .xlsx';
  return `план читается из документа Word (.docx), книги Excel (.xlsx) или файла плана (.yaml), а это «${extension || 'файл без расширения'}»`;
}

/** A YAML plan: it must at least be YAML of a plan (a block of fields); the plan's own problems are the preview's to show. */
function yamlDraft(fileName: string, bytes: Uint8Array): DraftUpload {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errors: [`${fileName}: файл не в кодировке UTF-8; сохраните его как UTF-8 и загрузите снова`] };
  }
  const source = readYamlSource(text, fileName);
  if (hasErrors(source.issues)) return { ok: false, errors: describeIssues(source.issues, undefined) };
  const data = source.data as Record<string, unknown> | null | undefined;
  if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray(data.items)) {
    return { ok: false, errors: [`${fileName}: это не план: в файле плана должны быть поля id, year и список пунктов items`] };
  }
  return { ok: true, text, fileName, planId: typeof data.id === 'string' ? data.id : String(data.id ?? ''), title: typeof data.title === 'string' ? data.title : '', fromTable: false };
}

/** A placeholder that reads as a period and carries the number of the text it stands for: «в течение года (#plangraf-3)». */
const PLACEHOLDER = /^в течение года \(#plangraf-(\d+)\)$/;

async function tableDraft(fileName: string, bytes: Uint8Array, kind: TableFileKind, options: ImportOptions): Promise<DraftUpload> {
  const tables: GridTable[] = kind === 'docx' ? readDocxTables(bytes) : await readXlsxTables(bytes);
  const found = findPlanTable(tables);
  // Not a plan-graph: the importer says so in its own words.
  if (!found) return { ok: false, errors: (await importPlan(bytes, kind, options, `${options.id}.yaml`)).issues.map((issue) => describeImportIssue(fileName, issue)) };

  const first = planOfTable(found, options);
  const originals: string[] = [];
  let current: FoundTable = found;
  let imported = first;
  // Unreadable periods out of the way (a second pass catches those that read but fall outside the year the first pass found).
  for (let pass = 0; pass < 2 && !imported.plan; pass += 1) {
    const rows = new Set(imported.issues.filter((issue) => isPeriodIssue(issue, current)).map((issue) => issue.row));
    if (rows.size === 0) break;
    current = withPlaceholders(current, rows, originals);
    imported = planOfTable(current, options);
  }
  if (!imported.plan) return { ok: false, errors: first.issues.filter((issue) => issue.severity === 'error').map((issue) => describeImportIssue(fileName, issue)) };

  const plan = { ...imported.plan, items: imported.plan.items.map((item) => ({ ...item, when: originalPeriod(item.when, originals) })) };
  const text = planYaml(plan, imported.missing, `${options.id}.yaml`);
  return { ok: true, text, fileName: `${options.id}.yaml`, planId: plan.id, title: plan.title ?? '', fromTable: true };
}

function isPeriodIssue(issue: ImportIssue, found: FoundTable): boolean {
  const column = found.columns.roles.period;
  return issue.severity === 'error' && issue.row !== undefined && column !== undefined && issue.column?.endsWith(`«${found.columns.names[column]}»`) === true;
}

/** The table with the period cells of `rows` (as the importer names rows) replaced by placeholders. */
function withPlaceholders(found: FoundTable, rows: Set<string | undefined>, originals: string[]): FoundTable {
  const column = found.columns.roles.period!;
  const table = found.table;
  return {
    ...found,
    table: {
      ...table,
      rows: table.rows.map((row) => {
        const cell = row.cells[column];
        if (!cell || !rows.has(`${row.place ?? table.place}, ${row.label}`) || PLACEHOLDER.test(cell.text)) return row;
        originals.push(cell.text);
        const cells = [...row.cells];
        cells[column] = { ...cell, text: `в течение года (#plangraf-${originals.length - 1})` };
        return { ...row, cells };
      }),
    },
  };
}

function originalPeriod(when: string, originals: string[]): string {
  const match = PLACEHOLDER.exec(when);
  return match ? cleanCellText(originals[Number(match[1])]!) : when;
}

/** `plan.docx: таблица 1, строка 7, столбец «Срок»: «фервраль» — не понимаю …` */
export function describeImportIssue(file: string, issue: ImportIssue): string {
  const place = [issue.row, issue.column].filter((part) => part !== undefined).join(', ');
  // The page takes the plan's year in its «Год плана» field, not as --year.
  const message = issue.year ? yearMessage(issue.year, { field: 'Год плана' }) : issue.message;
  return `${file}${place ? `: ${place}` : ''}: ${issue.text !== undefined ? `«${issue.text}» — ` : ''}${message}`;
}

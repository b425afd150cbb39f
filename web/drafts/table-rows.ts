/**
 * The tables the office pastes (tab- or semicolon-separated lines, as Excel and Word copy them)
 * or uploads (.xlsx, .csv) on a draft's page: the schools and the people. Each row keeps the line
 * it came from (of the pasted text, or of the sheet), so that a bad row is named where the office
 * sees it. The columns are found by a heading row, named loosely and in any order; without one,
 * they are taken in the order the page gives.
 */
import { cleanCellText } from '../../import/cell-text.ts';
import { ImportFileError } from '../../import/grid.ts';
import { readXlsxTables } from '../../import/xlsx-table.ts';

/** A row of a table: its line in the text or the sheet (1-based), and its cells, cleaned. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A column a table may have: how the page names it, and how a heading that means it reads. */
export interface TableColumn<Key extends string> {
  key: Key;
  label: string;
  /** Matched against the heading in lower case, «ё» as «е»; headings of two columns must not both match. */
  heading: RegExp;
  /** A heading row without it is refused. */
  required?: boolean;
}

/** The rows of a table with each column's position, or why its heading row will not do. */
export type TableColumns<Key extends string> = { ok: true; at: Partial<Record<Key, number>>; body: TableRow[] } | { ok: false; error: string };

/** Headings that name no column of ours and do not make a row less of a heading: «№», «п/п». */
const NUMBER_HEADING = /^(№.*|n|номер|п\/п|№ п\/п)$/;
/** How many rows above the heading may be a title («Список сотрудников»). */
const TITLE_ROWS = 4;

/** The non-empty lines of pasted text as rows: tabs when a line has them, semicolons otherwise. */
export function rowsOfText(text: string): TableRow[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ line: index + 1, cells: (line.includes('\t') ? line.split('\t') : line.split(';')).map(unquoted) }))
    .filter((row) => row.cells.some((cell) => cell !== ''));
}

/**
 * An uploaded .xlsx (its first visible sheet) or .csv (UTF-8, or Windows-1251 as Excel in Russian
 * saves it) as rows; a file of another kind, or one that does not open, is said so.
 * @param what the table in the genitive, for the message: «школ», «людей»
 */
export async function rowsOfFile(fileName: string, bytes: Uint8Array, what: string): Promise<TableRow[] | { error: string }> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('windows-1251').decode(bytes);
    }
    return rowsOfText(text);
  }
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls')) {
    try {
      const sheet = (await readXlsxTables(bytes))[0];
      if (!sheet) return { error: `в книге «${fileName}» нет листов` };
      return sheet.rows
        .map((row) => ({ line: Number(row.label.replace(/\D+/g, '')), cells: row.cells.map((cell) => cleanCellText(cell?.text ?? '')) }))
        .filter((row) => row.cells.some((cell) => cell !== ''));
    } catch (error) {
      if (error instanceof ImportFileError) return { error: `«${fileName}»: ${error.message}` };
      throw error;
    }
  }
  return { error: `таблица ${what} читается из книги Excel (.xlsx) или файла CSV (.csv), а «${fileName}» — ни то, ни другое` };
}

/**
 * The table's rows from a page's form: the file when one is chosen, else the pasted text.
 * @param fields the form's names of the text and the file
 */
export async function rowsOfForm(form: Record<string, unknown>, fields: { text: string; file: string }, what: string): Promise<{ pasted: string; rows: TableRow[] } | { pasted: string; error: string }> {
  const pasted = typeof form[fields.text] === 'string' ? (form[fields.text] as string) : '';
  const file = form[fields.file];
  if (!(file instanceof File) || file.name === '') return { pasted, rows: rowsOfText(pasted) };
  const read = await rowsOfFile(file.name, new Uint8Array(await file.arrayBuffer()), what);
  return 'error' in read ? { pasted, error: read.error } : { pasted, rows: read };
}

/**
 * Where each column is: by the heading row, when one of the first rows is one (its cells name
 * our columns, at least two of them, and hold no address), the rows above it being a title;
 * otherwise by position, in the order of `columns`, every row a row of data.
 * @example tableColumns(rowsOfText('E-mail;ФИО\na@b.ru;Иванова'), PEOPLE_COLUMNS).at // { email: 0, name: 1 }
 */
export function tableColumns<Key extends string>(rows: readonly TableRow[], columns: readonly TableColumn<Key>[]): TableColumns<Key> {
  for (let index = 0; index < Math.min(rows.length, TITLE_ROWS + 1); index += 1) {
    const row = rows[index]!;
    const at = headingColumns(row, columns);
    if (!at) continue;
    const missing = columns.filter((column) => column.required && at[column.key] === undefined);
    if (missing.length > 0) {
      return { ok: false, error: `строка ${row.line} — заголовок таблицы, но в нём нет ${missing.length === 1 ? 'столбца' : 'столбцов'} ${missing.map((column) => `«${column.label}»`).join(', ')}` };
    }
    return { ok: true, at, body: rows.slice(index + 1) };
  }
  return { ok: true, at: Object.fromEntries(columns.map((column, position) => [column.key, position])) as Partial<Record<Key, number>>, body: [...rows] };
}

/** The cell of `key` in a row, `''` when the table has no such column or the row is short. */
function cellAt<Key extends string>(row: TableRow, at: Partial<Record<Key, number>>, key: Key): string {
  const position = at[key];
  return position === undefined ? '' : (row.cells[position] ?? '');
}

/** A table read: what its rows say, or every bad row named by its line. */
export type ReadTable<Value> = { ok: true; values: Value[] } | { ok: false; errors: string[] };

/**
 * Each row of a table read by `readRow` (given its cells by column), all of it or nothing: every
 * bad row is named by its line with what is wrong («строка 3 («Иванова | методист»): нет ФИО»),
 * and a table with no rows says `empty`.
 */
export function readTable<Key extends string, Value>(rows: readonly TableRow[], columns: readonly TableColumn<Key>[], readRow: (cell: (key: Key) => string, row: TableRow) => { value: Value } | { problems: string[] }, empty: string): ReadTable<Value> {
  const table = tableColumns(rows, columns);
  if (!table.ok) return { ok: false, errors: [table.error] };
  const errors: string[] = [];
  const values: Value[] = [];
  for (const row of table.body) {
    const read = readRow((key) => cellAt(row, table.at, key), row);
    if ('value' in read) values.push(read.value);
    else errors.push(`строка ${row.line} («${row.cells.filter((cell) => cell !== '').join(' | ')}»): ${read.problems.join('; ')}`);
  }
  if (errors.length === 0 && values.length === 0) errors.push(empty);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The columns a row names, when it is a heading row. */
function headingColumns<Key extends string>(row: TableRow, columns: readonly TableColumn<Key>[]): Partial<Record<Key, number>> | undefined {
  if (row.cells.some((cell) => cell.includes('@'))) return undefined;
  const at: Partial<Record<Key, number>> = {};
  let named = 0;
  let other = 0;
  row.cells.forEach((cell, position) => {
    const heading = cell.toLowerCase().replace(/ё/g, 'е').trim();
    if (heading === '' || NUMBER_HEADING.test(heading)) return;
    const column = columns.find((candidate) => at[candidate.key] === undefined && candidate.heading.test(heading));
    if (column) {
      at[column.key] = position;
      named += 1;
    } else {
      other += 1;
    }
  });
  // One heading of our own is not enough (a school named «…школа…» in a row of data); one column
  // of theirs («Телефон») does not make it data.
  return named >= 2 && other <= Math.max(1, Math.floor(named / 2)) ? at : undefined;
}

/** A cell as typed or exported: outer quotes dropped, doubled quotes made one, spaces of every kind made one. */
function unquoted(cell: string): string {
  const text = cleanCellText(cell);
  return /^".*"$/.test(text) ? text.slice(1, -1).replace(/""/g, '"').trim() : text;
}

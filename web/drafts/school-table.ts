/**
 * Schools and their partners from a table the office pastes (tab- or semicolon-separated
 * lines, as Excel and Word copy them) or uploads (.xlsx, .csv). The columns, in this order:
 * name; kind (ШНОР, ШНСУ, партнер); municipality; director's name; director's e-mail; partner
 * school (its name or id). A first line of headings is skipped.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { SchoolKind } from '../../plan/schema.ts';
import type { NewSchool } from './draft-edits.ts';

export type SchoolTable = { ok: true; schools: NewSchool[] } | { ok: false; errors: string[] };

/** The columns of the table, for the page's hint. */
export const SCHOOL_COLUMNS = ['Название', 'Вид (ШНОР, ШНСУ, партнер)', 'Муниципалитет', 'Директор (ФИО)', 'E-mail директора', 'Школа-партнёр'];

const Email = z.email();

/** The lines of pasted text as cells: tabs when a line has them, semicolons otherwise. */
export function cellsOfText(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => (line.includes('\t') ? line.split('\t') : line.split(';')).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').trim()));
}

/** An uploaded .xlsx (its first sheet) or .csv as cells; a file of another kind is said so. */
export async function cellsOfFile(fileName: string, bytes: Uint8Array): Promise<string[][] | { error: string }> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Excel in Russian saves CSV in Windows-1251.
      text = new TextDecoder('windows-1251').decode(bytes);
    }
    return cellsOfText(text);
  }
  if (lower.endsWith('.xlsx')) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
    } catch {
      return { error: `«${fileName}» не открывается как книга Excel (.xlsx)` };
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return { error: `в книге «${fileName}» нет листов` };
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells = Array.from({ length: Math.max(row.cellCount, SCHOOL_COLUMNS.length) }, (_, index) => row.getCell(index + 1).text.trim());
      if (cells.some((cell) => cell !== '')) rows.push(cells);
    });
    return rows;
  }
  return { error: `таблица школ читается из книги Excel (.xlsx) или файла CSV (.csv), а «${fileName}» — ни то, ни другое` };
}

/** The schools of a table of cells; every line with a problem is named with what is wrong. */
export function schoolsOfCells(rows: string[][]): SchoolTable {
  const body = rows.length > 0 && /назван|школ|наименован/i.test(rows[0]![0] ?? '') && /вид|тип/i.test(rows[0]!.join(' ')) ? rows.slice(1) : rows;
  const offset = rows.length - body.length;
  const errors: string[] = [];
  const schools: NewSchool[] = [];
  body.forEach((cells, index) => {
    const line = `строка ${index + 1 + offset}`;
    const [name = '', kindText = '', municipality = '', director = '', email = '', partner = ''] = cells;
    const problems: string[] = [];
    if (name === '') problems.push('нет названия школы');
    const kind = SchoolKind.safeParse(kindText);
    if (!kind.success) problems.push(`вид школы «${kindText}» — нужен «ШНОР», «ШНСУ» или «партнер»`);
    if (director === '') problems.push('не указан директор');
    if (email === '') problems.push('не указан e-mail директора');
    else if (!Email.safeParse(email).success) problems.push(`«${email}» — не адрес электронной почты`);
    if (problems.length > 0) {
      errors.push(`${line} («${cells.filter((cell) => cell !== '').join(' | ')}»): ${problems.join('; ')}`);
      return;
    }
    schools.push({ name, kind: kind.data!, ...(municipality ? { municipality } : {}), director: { name: director, email }, ...(partner ? { partner } : {}) });
  });
  if (errors.length === 0 && schools.length === 0) errors.push('в таблице нет ни одной школы');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, schools };
}

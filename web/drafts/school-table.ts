/**
 * Schools and their partners from a table the office pastes or uploads (web/drafts/table-rows.ts):
 * name; kind (ШНОР, ШНСУ, партнер); municipality; director's name; director's e-mail; partner
 * school (its name or id). A heading row names the columns in any order; without one they are
 * taken in this order.
 */
import { z } from 'zod';
import { SchoolKind } from '../../plan/schema.ts';
import type { NewSchool } from './draft-edits.ts';
import { readTable, type ReadTable, type TableColumn, type TableRow } from './table-rows.ts';

type SchoolColumn = 'name' | 'kind' | 'municipality' | 'director' | 'email' | 'partner';

/** The columns of the table, in the order a table without headings has them. */
export const SCHOOL_TABLE: readonly TableColumn<SchoolColumn>[] = [
  { key: 'name', label: 'Название', heading: /^(?!.*(партн|директор|руковод)).*(назван|наименован|школ|организац)/, required: true },
  { key: 'kind', label: 'Вид (ШНОР, ШНСУ, партнер)', heading: /^(вид|тип|категори)/, required: true },
  { key: 'municipality', label: 'Муниципалитет', heading: /муницип|район|округ|городск/ },
  { key: 'director', label: 'Директор (ФИО)', heading: /^(?!.*(e-?mail|почт|адрес)).*(директор|руковод)/, required: true },
  { key: 'email', label: 'E-mail директора', heading: /e-?mail|почт|адрес/, required: true },
  { key: 'partner', label: 'Школа-партнёр', heading: /партн/ },
];

/** The columns of the table, for the page's hint. */
export const SCHOOL_COLUMNS = SCHOOL_TABLE.map((column) => column.label);

const Email = z.email();

/** The schools of a table; every line with a problem is named with what is wrong. */
export function schoolsOfRows(rows: readonly TableRow[]): ReadTable<NewSchool> {
  return readTable<SchoolColumn, NewSchool>(rows, SCHOOL_TABLE, (cell) => {
    const [name, kindText, municipality, director, email, partner] = SCHOOL_TABLE.map((column) => cell(column.key)) as [string, string, string, string, string, string];
    const problems: string[] = [];
    if (name === '') problems.push('нет названия школы');
    const kind = SchoolKind.safeParse(kindText);
    if (!kind.success) problems.push(`вид школы «${kindText}» — нужен «ШНОР», «ШНСУ» или «партнер»`);
    if (director === '') problems.push('не указан директор');
    if (email === '') problems.push('не указан e-mail директора');
    else if (!Email.safeParse(email).success) problems.push(`«${email}» — не адрес электронной почты`);
    if (problems.length > 0 || !kind.success) return { problems };
    return { value: { name, kind: kind.data, ...(municipality ? { municipality } : {}), director: { name: director, email }, ...(partner ? { partner } : {}) } };
  }, 'в таблице нет ни одной школы');
}

/**
 * The plan's people from a table the office pastes or uploads (web/drafts/table-rows.ts): ФИО;
 * должность; e-mail. A heading row names the columns loosely and in any order («Ф.И.О.»,
 * «Адрес электронной почты»), and may leave out the position or the e-mail; without one the
 * columns are taken in this order.
 */
import { z } from 'zod';
import { nameKey } from './carry-over.ts';
import { readTable, type ReadTable, type TableColumn, type TableRow } from './table-rows.ts';

/** A person as a row of the table gives them; an empty position or e-mail is one the row does not say. */
export interface TablePerson {
  line: number;
  name: string;
  position: string;
  email: string;
}

type PersonColumn = 'name' | 'position' | 'email';

/** The columns of the table, in the order a table without headings has them. */
export const PEOPLE_TABLE: readonly TableColumn<PersonColumn>[] = [
  { key: 'name', label: 'ФИО', heading: /^(?!.*(e-?mail|почт)).*(фио|ф\.\s*и\.\s*о|фамили|^имя|сотрудник|исполнител|^человек|^кто)/, required: true },
  { key: 'position', label: 'Должность', heading: /должност|^роль|позици/ },
  { key: 'email', label: 'E-mail', heading: /e-?mail|почт|^адрес|^эл/ },
];

/** The columns of the table, for the page's hint. */
export const PEOPLE_COLUMNS = PEOPLE_TABLE.map((column) => column.label);

const Email = z.email();

/**
 * The people of a table; every line with a problem (no name, a wrong address, a name twice) is
 * named with what is wrong.
 * @example peopleOfRows(rowsOfText('ФИО;Должность;E-mail\nИванова О. Ю.;методист;ivanova@example.org')).values // [{ line: 2, name: 'Иванова О. Ю.', position: 'методист', email: 'ivanova@example.org' }]
 */
export function peopleOfRows(rows: readonly TableRow[]): ReadTable<TablePerson> {
  const seen = new Map<string, number>();
  return readTable<PersonColumn, TablePerson>(rows, PEOPLE_TABLE, (cell, row) => {
    const [name, position, email] = PEOPLE_TABLE.map((column) => cell(column.key)) as [string, string, string];
    const problems: string[] = [];
    if (name === '') problems.push('нет ФИО');
    if (email !== '' && !Email.safeParse(email).success) problems.push(`«${email}» — не адрес электронной почты`);
    const twice = seen.get(nameKey(name));
    if (name !== '' && twice !== undefined) problems.push(`«${name}» уже есть в строке ${twice}`);
    if (problems.length > 0) return { problems };
    seen.set(nameKey(name), row.line);
    return { value: { line: row.line, name, position, email } };
  }, 'в таблице нет ни одного человека');
}

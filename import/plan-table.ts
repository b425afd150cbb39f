/**
 * From a table of a Word or Excel file to a plan of the plan format: which table is the
 * plan-graph, which column is which, which rows are activities, and what the table cannot
 * say (an executor, an e-mail) — a warning naming its row, for the plan is then a draft.
 */
import { readPeriod } from '../plan/period.ts';
import { planSpan, resolvePeriod } from '../plan/plan-span.ts';
import { cleanCellText, normalizeLabel, slugify, splitCellLines } from './cell-text.ts';
import type { GridCell, GridRow, GridTable } from './grid.ts';
import { yearOfHeading, yearOfText, type PlanYear } from './year.ts';

export const COLUMN_ROLES = ['number', 'title', 'period', 'executor', 'result', 'year'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** A column's role from its header, the first that fits: «Ответственный за мероприятие» is an executor column. */
const ROLE_HEADERS: readonly [ColumnRole, RegExp][] = [
  // `\b` knows no Cyrillic: a word's end is «not followed by a letter».
  ['number', /^(№|n°|no(?![a-z])|номер(?![а-я])|п\s*\/\s*п(?![а-я]))/],
  ['executor', /ответствен|исполнител/],
  ['period', /^(срок|период|дата|время (проведения|исполнения|выполнения|реализации)|когда)/],
  ['result', /результат|показател|индикатор/],
  ['title', /мероприяти|содержание|наименование|вид(ы)? (работ|деятельности)|направлени|действи|задач|работ[аы]?$/],
  ['year', /^год( реализации)?$/],
];

/** Rows at the top of a table where its header may be: after a title row or two inside the table. */
const HEADER_SEARCH_ROWS = 10;

export interface Columns {
  /** The header row's index in the table. */
  headerRow: number;
  /** The first column of each role the header has. */
  roles: Partial<Record<ColumnRole, number>>;
  /** The header's texts, cleaned, by column: for messages and to know a repeated header. */
  names: string[];
}

/** What the header of a table says its columns are; `undefined` when it has no activity and period columns. */
export function detectColumns(table: GridTable): Columns | undefined {
  for (let rowIndex = 0; rowIndex < Math.min(HEADER_SEARCH_ROWS, table.rows.length); rowIndex += 1) {
    const names = Array.from({ length: table.width }, (_, column) => cleanCellText(table.rows[rowIndex]!.cells[column]?.text ?? ''));
    const roles: Partial<Record<ColumnRole, number>> = {};
    names.forEach((name, column) => {
      const role = roleOf(name);
      if (role !== undefined && roles[role] === undefined) roles[role] = column;
    });
    if (roles.title !== undefined && roles.period !== undefined && roles.title !== roles.period) return { headerRow: rowIndex, roles, names };
  }
  return undefined;
}

function roleOf(header: string): ColumnRole | undefined {
  const label = normalizeLabel(header);
  if (label === '' || label.length > 80) return undefined;
  return ROLE_HEADERS.find(([, pattern]) => pattern.test(label))?.[0];
}

export interface FoundTable {
  table: GridTable;
  columns: Columns;
}

/**
 * The plan-graph among the file's tables: the one whose header names the most of the known
 * columns (an activity and a period at least), the longest of equals. The tables next to it
 * with the same header (Word splits long tables) are one plan-graph with it, whichever part is
 * the longest: it starts at the first of them — its place, its header, the title before it —
 * and goes on with the rows of the others, each row naming its own table.
 */
export function findPlanTable(tables: readonly GridTable[]): FoundTable | undefined {
  const candidates = tables.flatMap((table, index) => {
    const columns = detectColumns(table);
    return columns ? [{ table, columns, index }] : [];
  });
  const score = (entry: { columns: Columns; table: GridTable }) => Object.keys(entry.columns.roles).length * 10_000 + entry.table.rows.length;
  const best = candidates.reduce<(typeof candidates)[number] | undefined>((found, entry) => (found === undefined || score(entry) > score(found) ? entry : found), undefined);
  if (!best) return undefined;
  const header = (columns: Columns) => columns.names.map(normalizeLabel).join('|');
  // The run of tables one after another (no other table between) with the best one's header.
  const at = candidates.indexOf(best);
  const joins = (left: (typeof candidates)[number] | undefined, right: (typeof candidates)[number] | undefined) =>
    left !== undefined && right !== undefined && right.index === left.index + 1 && header(left.columns) === header(best.columns) && header(right.columns) === header(best.columns);
  let start = at;
  while (joins(candidates[start - 1], candidates[start])) start -= 1;
  let end = at;
  while (joins(candidates[end], candidates[end + 1])) end += 1;
  const first = candidates[start]!;
  const rows = candidates.slice(start, end + 1).flatMap((entry) => (entry === first ? entry.table.rows : entry.table.rows.map((row) => ({ ...row, place: entry.table.place }))));
  return { table: { ...first.table, rows }, columns: first.columns };
}

export interface ImportIssue {
  severity: 'error' | 'warning';
  /** «таблица 1, строка 7» */
  row?: string;
  /** «столбец «Срок»» */
  column?: string;
  /** The cell's text as written. */
  text?: string;
  message: string;
  /**
   * The problem is the plan's year, which the caller takes from the user (`--year`, a form's
   * field): `message` then asks for it in neutral words, and `yearMessage(year, …)` says how.
   */
  year?: YearProblem;
}

/** The plan's year unknown: no title or table names it; or the table has rows of several years. */
export type YearProblem = { kind: 'missing' } | { kind: 'several'; years: number[] };

/** How the user gives the plan's year: a command-line option (`--year`) or a form's field («Год плана»). */
export type YearInput = { option: string } | { field: string };

/**
 * The message of a year problem; with `input`, it says how to give the year there.
 * @example yearMessage({ kind: 'missing' }, { option: '--year' }) // '… Укажите его: --year 2020 (для плана учебного года — год его начала)'
 */
export function yearMessage(problem: YearProblem, input?: YearInput): string {
  if (problem.kind === 'missing') {
    const ask = input === undefined ? 'Укажите год плана' : 'option' in input ? `Укажите его: ${input.option} 2020` : `Укажите год плана в поле «${input.field}»`;
    return `не нашёл, на какой год план: ни в заголовке («на 2020 год», «на 2020/2021 учебный год»), ни в таблице года нет. ${ask} (для плана учебного года — год его начала)`;
  }
  const example = problem.years[0]!;
  const ask = input === undefined ? `выберите год плана, например ${example}` : 'option' in input ? `выберите год, например ${input.option} ${example}` : `выберите год плана в поле «${input.field}», например ${example}`;
  return `в таблице мероприятия на несколько лет (${problem.years.join(', ')}): ${ask}`;
}

/** A plan of the plan format as plain data, ready to be written as YAML; `null` marks a field to fill in. */
export interface ImportedPlan {
  id: string;
  title?: string;
  year?: number;
  schoolYear?: number;
  source: string;
  people: { id: string; name: string; email: null }[];
  items: { id: string; title: string; when: string; executor: string | string[] | null; result?: string }[];
}

export interface ImportOptions {
  /** The plan's id. */
  id: string;
  /** `--year`: the plan's year (the start of a school year), over what the title says. */
  year?: number;
  /** The file's name as the user knows it, for `source`. */
  fileName: string;
}

export interface TableImport {
  plan?: ImportedPlan;
  issues: ImportIssue[];
  /** Ids of the people without an e-mail and of the items without an executor: what the author must fill in. */
  missing: { emails: string[]; executors: string[] };
}

interface RowItem {
  row: GridRow;
  number: string;
  title: string;
  when: string;
  executors: string[];
  result: string;
  year?: number;
}

/**
 * The plan a plan-graph table holds: one item per activity row, in table order. Section
 * headings (one cell across the table), repeated header rows, column-number rows and empty
 * rows are not items. Every problem is reported, each at its row, column and text.
 */
export function planOfTable(found: FoundTable, options: ImportOptions): TableImport {
  const { table, columns } = found;
  const issues: ImportIssue[] = [];
  const at = (row: GridRow) => `${row.place ?? table.place}, ${row.label}`;
  const columnName = (role: ColumnRole) => {
    const column = columns.roles[role]!;
    return `столбец ${table.columnLetter ? `${table.columnLetter(column)} ` : ''}«${columns.names[column]}»`;
  };
  const headerKey = rowKey(table.rows[columns.headerRow]!, table.width);

  const rows: RowItem[] = [];
  const headings: string[] = [];
  let sectionYear: number | undefined;
  let above: GridRow | undefined;
  for (const row of table.rows.slice(columns.headerRow + 1)) {
    const texts = Array.from({ length: table.width }, (_, column) => cleanCellText(row.cells[column]?.text ?? ''));
    // A row that only a merged cell from above reaches into (a «Год» column merged to the end) is an empty one.
    const ownTexts = texts.filter((_, column) => row.cells[column]?.key !== above?.cells[column]?.key);
    above = row;
    if (ownTexts.every((text) => text === '') || row.repeatedHeader || rowKey(row, table.width) === headerKey || isColumnNumbers(texts)) continue;
    const heading = headingOf(row, columns, table.width);
    if (heading !== undefined) {
      if (rows.length === 0) headings.push(heading);
      sectionYear = yearOfHeading(heading) ?? sectionYear;
      continue;
    }
    const cellOf = (role: ColumnRole): GridCell | undefined => {
      const column = columns.roles[role];
      const cell = column === undefined ? undefined : row.cells[column];
      // A title cell merged over the next columns says nothing of the period or the executor.
      if (cell && role !== 'title' && columns.roles.title !== undefined && row.cells[columns.roles.title]?.key === cell.key) return undefined;
      return cell;
    };
    const text = (role: ColumnRole) => cleanCellText(cellOf(role)?.text ?? '');
    const item: RowItem = {
      row,
      number: text('number'),
      title: text('title'),
      when: text('period'),
      executors: splitExecutors(cellOf('executor')?.text ?? ''),
      result: text('result'),
    };
    const year = yearOfHeading(text('year')) ?? sectionYear;
    if (year !== undefined) item.year = year;
    if (item.title === '') {
      issues.push({ severity: 'error', row: at(row), column: columnName('title'), message: `нет названия мероприятия, а в строке есть «${texts.filter((value) => value !== '').join(' | ')}»; впишите мероприятие или уберите строку` });
      continue;
    }
    rows.push(item);
  }

  const planYear = findYear(found, headings, rows, options, issues);
  // Without its year the rows cannot be checked, nor (in a table of several years) even chosen.
  if (!planYear) return { issues, missing: { emails: [], executors: [] } };
  const items = rows.filter((item) => item.year === undefined || planYear.chosen === undefined || item.year === planYear.chosen);
  if (items.length === 0 && !issues.some((issue) => issue.severity === 'error')) {
    issues.push({ severity: 'error', message: `в таблице (${table.place}) нет ни одной строки с мероприятием под заголовком` });
  }

  const ids = itemIds(items, columns.roles.number !== undefined, at, issues);
  const people = new Map<string, { id: string; name: string }>();
  const usedPersonIds = new Set<string>();
  const personOf = (name: string, row: GridRow) => {
    const key = nameKey(name);
    let person = people.get(key);
    if (!person) {
      person = { id: uniqueId(personIdBase(name), usedPersonIds), name };
      people.set(key, person);
      // Said at the row where the person first appears, so the warnings follow the table.
      issues.push({ severity: 'warning', row: at(row), column: columnName('executor'), text: name, message: `нет адреса электронной почты: впишите email человеку «${person.id}» в people` });
    }
    return person.id;
  };

  const span = planSpan(planYear.year);
  const planItems: ImportedPlan['items'] = items.map((item, index) => {
    if (item.when === '') {
      issues.push({ severity: 'error', row: at(item.row), column: columnName('period'), message: 'срок не указан: впишите период («февраль - март», «в течение года») или дату' });
    } else {
      const reading = readPeriod(item.when);
      const resolution = reading.ok ? resolvePeriod(reading.period, span) : undefined;
      const error = !reading.ok ? reading.error : resolution && !resolution.ok ? resolution.error : undefined;
      if (error !== undefined) issues.push({ severity: 'error', row: at(item.row), column: columnName('period'), text: item.when, message: error });
      else if (reading.ok && reading.period.kind === 'unscheduled') {
        issues.push({ severity: 'warning', row: at(item.row), column: columnName('period'), text: item.when, message: `«${item.when}»: сроки не заданы, задача не запланирована — укажите период или дату, когда график будет известен` });
      }
    }
    const executors = item.executors.map((name) => personOf(name, item.row)).filter((id, j, all) => all.indexOf(id) === j);
    if (executors.length === 0) {
      issues.push({ severity: 'warning', row: at(item.row), ...(columns.roles.executor !== undefined ? { column: columnName('executor') } : {}), message: `у пункта «${ids[index]}» не указан ответственный исполнитель — в плане он без executor (черновик): впишите id человека из people` });
    }
    return {
      id: ids[index]!,
      title: item.title,
      when: item.when,
      executor: executors.length === 0 ? null : executors.length === 1 ? executors[0]! : executors,
      ...(item.result !== '' ? { result: item.result } : {}),
    };
  });

  const missing = { emails: [...people.values()].map((person) => person.id), executors: planItems.filter((item) => item.executor === null).map((item) => item.id) };
  if (issues.some((issue) => issue.severity === 'error')) return { issues, missing };
  const title = titleOf(found, headings);
  return {
    plan: {
      id: options.id,
      ...(title !== undefined ? { title } : {}),
      ...planYear.year,
      source: `${options.fileName}, ${table.place}`,
      people: [...people.values()].map((person) => ({ id: person.id, name: person.name, email: null })),
      items: planItems,
    },
    issues,
    missing,
  };
}

/**
 * The plan's year: `--year`, else what the title says, else the table's own year (a heading
 * «2020 год», a «Год» column). A table of several years needs `--year` to say which one.
 */
function findYear(found: FoundTable, headings: string[], rows: RowItem[], options: ImportOptions, issues: ImportIssue[]): { year: PlanYear; chosen?: number } | undefined {
  const titled = titleTexts(found, headings).map(yearOfText).find((year) => year !== undefined);
  const tableYears = [...new Set(rows.flatMap((row) => (row.year === undefined ? [] : [row.year])))].sort();
  if (tableYears.length > 1) {
    if (options.year === undefined || !tableYears.includes(options.year)) {
      const year: YearProblem = { kind: 'several', years: tableYears };
      issues.push({ severity: 'error', message: yearMessage(year), year });
      return undefined;
    }
    return { year: { year: options.year }, chosen: options.year };
  }
  const school = titled !== undefined && 'schoolYear' in titled;
  if (options.year !== undefined) return { year: school ? { schoolYear: options.year } : { year: options.year } };
  if (titled) return { year: titled };
  if (tableYears.length === 1) return { year: { year: tableYears[0]! } };
  const year: YearProblem = { kind: 'missing' };
  issues.push({ severity: 'error', message: yearMessage(year), year });
  return undefined;
}

/** Where a title may be, nearest first: rows above the header inside the table, the paragraphs before it, headings before the first activity, the header. */
function titleTexts(found: FoundTable, headings: string[]): string[] {
  const { table, columns } = found;
  const above = table.rows.slice(0, columns.headerRow).map((row) => rowText(row, table.width)).reverse();
  const before = table.before.map((text) => cleanCellText(text)).filter((text) => text !== '').reverse();
  return [...above, ...before, ...headings, columns.names.join(' ')].filter((text) => text !== '');
}

/** The title: rows above the header inside the table, else the block of paragraphs right before it. */
function titleOf(found: FoundTable, headings: string[]): string | undefined {
  const { table, columns } = found;
  const above = table.rows.slice(0, columns.headerRow).map((row) => rowText(row, table.width)).filter((text) => text !== '');
  if (above.length > 0) return above.join(' ');
  const block: string[] = [];
  for (const paragraph of [...table.before].reverse()) {
    const text = cleanCellText(paragraph);
    // The approval stamp above a title («УТВЕРЖДЁН приказом … от 12.01.2026 № 15») is not the title.
    if (text === '' || isApprovalStamp(text)) {
      if (block.length > 0) break;
      continue;
    }
    block.unshift(text);
    if (block.length === 4) break;
  }
  return block.length > 0 ? block.join(' ') : headings[0];
}

/** «УТВЕРЖДЁН», «Приложение № 1 к приказу …», «от 12.01.2026 № 15»: the lines of an approval stamp or an annex mark. */
export function isApprovalStamp(text: string): boolean {
  return /^(?:утвержд[её]н[аоы]?|согласован[аоы]?|приложение(?:\s|$)|к\s+(?:приказу|распоряжению|постановлению|решению)|приказом|распоряжением|постановлением|от\s+[«"]?\d{1,2}[.\s»"]|№\s*\d)/i.test(text.trim());
}

/** A row's text, each physical cell once. */
function rowText(row: GridRow, width: number): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (let column = 0; column < width; column += 1) {
    const cell = row.cells[column];
    if (!cell || seen.has(cell.key)) continue;
    seen.add(cell.key);
    const text = cleanCellText(cell.text);
    if (text !== '') parts.push(text);
  }
  return parts.join(' ');
}

/** What a row says, to know a repeated header: its texts, normalised. */
function rowKey(row: GridRow, width: number): string {
  return Array.from({ length: width }, (_, column) => normalizeLabel(row.cells[column]?.text ?? '')).join('|');
}

/** «1 | 2 | 3 | 4»: the row that numbers the columns under the header. */
function isColumnNumbers(texts: string[]): boolean {
  const numbers = texts.filter((text) => text !== '');
  return numbers.length >= 2 && numbers.every((text, index) => /^\d+\.?$/.test(text) && (index === 0 || parseInt(text, 10) === parseInt(numbers[index - 1]!, 10) + 1));
}

/**
 * A section heading: one cell, merged across the table (or across all but the «№» column),
 * and nothing else in the row. Its text; `undefined` for any other row.
 */
function headingOf(row: GridRow, columns: Columns, width: number): string | undefined {
  const filled = new Map<string, GridCell>();
  for (let column = 0; column < width; column += 1) {
    const cell = row.cells[column];
    if (cell && cleanCellText(cell.text) !== '') filled.set(cell.key, cell);
  }
  // The «№» cell and a year merged down the rows of its year stand beside a heading, not in it.
  const cells = [...filled.values()].filter((cell) => !(cell.first === cell.last && (cell.first === columns.roles.number || cell.first === columns.roles.year)));
  if (cells.length !== 1) return undefined;
  const cell = cells[0]!;
  if (cell.last === cell.first) return undefined;
  const covers = (role: ColumnRole) => columns.roles[role] !== undefined && cell.first <= columns.roles[role]! && columns.roles[role]! <= cell.last;
  const across = cell.first === 0 && cell.last >= width - 1;
  if (!across && !(covers('title') && (covers('period') || covers('executor') || covers('result')))) return undefined;
  const number = columns.roles.number === undefined ? '' : cleanCellText(row.cells[columns.roles.number]?.key === cell.key ? '' : (row.cells[columns.roles.number]?.text ?? ''));
  const text = cleanCellText(cell.text);
  return number === '' ? text : `${number} ${text}`;
}

/**
 * Item ids: the «№» column as written, a trailing dot dropped («1.» → «1», «2.1.» → «2.1»);
 * 1..N when the table has no numbers. A missing or repeated number is made up, with a warning.
 */
function itemIds(items: RowItem[], hasNumberColumn: boolean, at: (row: GridRow) => string, issues: ImportIssue[]): string[] {
  const written = items.map((item) => item.number.replace(/\s+/g, '').replace(/\.+$/, '').replace(/^№/, '').replace(/[/@]/g, '-'));
  const numbered = hasNumberColumn && written.some((id) => id !== '');
  const used = new Set<string>();
  return items.map((item, index) => {
    let id = numbered ? written[index]! : String(index + 1);
    if (id === '') {
      id = uniqueId(String(index + 1), used);
      issues.push({ severity: 'warning', row: at(item.row), message: `в столбце «№» пусто — пункту дан номер «${id}»` });
    } else if (used.has(id)) {
      const repeated = id;
      id = uniqueId(id, used);
      issues.push({ severity: 'warning', row: at(item.row), text: item.number, message: `номер «${repeated}» уже был выше — пункту дан номер «${id}»` });
    }
    used.add(id);
    return id;
  });
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * The executors a cell names, the responsible one first: split at commas, semicolons and
 * line ends, but not inside quotes or brackets («ГБУ ДПО «Институт развития образования, науки»»);
 * a line that goes on in lower case continues the name above; «(по согласованию)» is a remark.
 * @example splitExecutors('Кожехов М.С.,\nКлюшанова С.В.') // ['Кожехов М.С.', 'Клюшанова С.В.']
 */
export function splitExecutors(raw: string): string[] {
  // Joined lines are split at their commas below all the same, so joining too much costs nothing.
  const continues = (last: string, line: string) => /^[а-яё(«"]/.test(line) || /-$|(^|\s)(и|в|по|на|для|при)$/i.test(last);
  const lines = splitCellLines(raw).reduce<string[]>((joined, line) => {
    const last = joined.at(-1);
    if (last !== undefined && continues(last, line)) joined[joined.length - 1] = /[а-яё]-$/i.test(last) ? last + line : `${last} ${line}`;
    else joined.push(line);
    return joined;
  }, []);
  const names: string[] = [];
  for (const line of lines) {
    let depth = 0;
    let current = '';
    for (const char of line) {
      if (char === '«' || char === '(' || char === '“') depth += 1;
      else if ((char === '»' || char === ')' || char === '”') && depth > 0) depth -= 1;
      if ((char === ',' || char === ';') && depth === 0) {
        names.push(current);
        current = '';
      } else {
        current += char;
      }
    }
    names.push(current);
  }
  return names.map((name) => name.replace(/\(\s*по\s+согласованию\s*\)/gi, '').replace(/\s+/g, ' ').replace(/^[\s\-–—•·]+|[\s;,]+$/g, '').trim()).filter((name) => name !== '');
}

/** The same name the same person: «Гурьянова Л. Ю.» is «Гурьянова Л.Ю.». */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/ё/g, 'е').replace(/[\s"«»]+/g, '').replace(/\.$/, '');
}

const SURNAME = '([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)';

/** A person's id: the surname of a person («Гурьянова Л.Ю.» → `guryanova`), the words of an organisation («РИРО» → `riro`). */
function personIdBase(name: string): string {
  const surname =
    new RegExp(`^${SURNAME}\\s+[А-ЯЁ]\\.\\s*(?:[А-ЯЁ]\\.?)?$`).exec(name)?.[1] ??
    new RegExp(`^[А-ЯЁ]\\.\\s*(?:[А-ЯЁ]\\.)?\\s*${SURNAME}$`).exec(name)?.[1] ??
    new RegExp(`^${SURNAME}\\s+[А-ЯЁ][а-яё]+\\s+[А-ЯЁ][а-яё]+(?:вич|вна|ична|чна|ич|оглы|кызы)$`).exec(name)?.[1];
  return slugify(surname ?? name, 32) || 'person';
}

/**
 * Where a broken YAML file breaks, said in the user's words: the line and column where the
 * structure goes wrong, the line quoted as typed, and what to type instead.
 *
 * The YAML parser reports where it noticed a problem, which is often a line or more after the
 * slip that caused it, and then reports the echoes of that slip on the lines that follow. So each
 * error is traced back to its cause (a shifted key, a tab, an unclosed quote or bracket, a missing
 * space after a colon, a list item at the wrong level), the cause is repaired in a copy of the text
 * (the same lines, so every position stays put), and the copy is parsed again: what it still
 * reports are mistakes of their own, what it no longer reports were echoes.
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type YAMLError } from 'yaml';
import type { FileIssue } from './issues.ts';

/** A document parsed the way plans are read, with its line positions. */
export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** The text's lines (`\n`-separated). */
  lines: string[];
}

/** Parses YAML text as a plan file is read; never throws for what the user wrote. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  return { doc, lineCounter, lines: text.split('\n') };
}

/** At most this many YAML syntax errors are listed: after the first few, the rest are mostly echoes. */
const MAX_SYNTAX_ERRORS = 12;

/** One cause of a syntax error, at the place the user should look. */
interface Break {
  /** 1-based, in the file as typed. */
  line: number;
  col: number;
  message: string;
  /** Where the field the message is about is, 1-based: in the repaired text when there is one. */
  field: { line: number; col: number };
  /** The text's lines with this one cause fixed, as many as before. */
  repaired?: string[];
}

/** The syntax errors of a parsed YAML text, each at its cause: an empty list when the text parses. */
export function syntaxIssues(first: ParsedYaml, file: string): FileIssue[] {
  const issues: FileIssue[] = [];
  const reported = new Set<number>();
  let pending: Break | undefined;
  let parsed = first;
  for (let round = 0; round <= MAX_SYNTAX_ERRORS; round += 1) {
    // A repaired break's field is looked up in the repaired document, where it has its place.
    if (pending) issues.push(toIssue(pending, file, parsed));
    pending = undefined;
    const errors = [...parsed.doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
    for (const error of errors) {
      const found = diagnose(error, parsed);
      if (reported.has(found.line)) continue;
      reported.add(found.line);
      if (found.repaired) {
        pending = found;
        break;
      }
      issues.push(toIssue(found, file, parsed));
    }
    if (!pending) break;
    parsed = parseYaml(pending.repaired!.join('\n'));
  }
  if (pending) issues.push(toIssue(pending, file, parsed));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  if (issues.length > MAX_SYNTAX_ERRORS) {
    const rest = issues.length - MAX_SYNTAX_ERRORS;
    issues.splice(MAX_SYNTAX_ERRORS, rest, { severity: 'error', file, path: [], message: `YAML: и ещё ${rest} — исправьте первые ошибки и проверьте снова` });
  }
  return issues;
}

function toIssue(found: Break, file: string, { doc, lineCounter }: ParsedYaml): FileIssue {
  const offset = (lineCounter.lineStarts[found.field.line - 1] ?? 0) + found.field.col - 1;
  return { severity: 'error', file, line: found.line, col: found.col, path: fieldPath(pathAt(doc, offset)), message: `YAML: ${found.message}` };
}

/** The cause of one parser error, trying the slips people make, most telling first. */
function diagnose(error: YAMLError, { doc, lineCounter, lines }: ParsedYaml): Break {
  const position = lineCounter.linePos(error.pos[0]);
  const index = position.line - 1;
  if (/Missing closing .?quote/.test(error.message)) {
    const quote = unclosedQuote(doc, lineCounter, lines, error.pos[0]);
    if (quote) return quote;
  }
  if (/Flow (sequence|mapping)|end with a [\]}]|Expected flow/.test(error.message)) {
    const bracket = unclosedBracket(lines, index);
    if (bracket) return bracket;
  }
  if (error.code === 'TAB_AS_INDENT' || /^\t/.test(lines[index] ?? '')) {
    const tab = tabIndent(lines, index);
    if (tab) return tab;
  }
  const found = quoteClosedEarly(lines, index) ?? missingSpaceAfterColon(lines, index) ?? missingColon(lines, index) ?? shiftedKey(lines, index) ?? misplacedItem(lines, index);
  if (found) return found;
  const here = { line: position.line, col: position.col };
  if (/Nested mappings are not allowed in compact mappings/.test(error.message)) {
    const colon = colonInValue(lines, index);
    if (colon) return colon;
  }
  if (error.code === 'DUPLICATE_KEY') {
    const duplicate = duplicateKey(lines, index, position.col);
    if (duplicate) return duplicate;
  }
  const text = lines[index]?.trim();
  const message = describeYamlError(error.code, error.message);
  return { ...here, field: here, message: text ? `${message}: «${cut(text)}»` : message };
}

/** A line as the message quotes it: without its indentation, and not endless. */
function cut(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 70 ? `${trimmed.slice(0, 69)}…` : trimmed;
}

/** A quote opened and never closed: at the opening quote, to be closed at the end of its line. */
function unclosedQuote(doc: Document, lineCounter: LineCounter, lines: string[], offset: number): Break | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      if (quoted && node.range && node.range[0] <= offset && offset <= node.range[2]) start = node.range[0];
    },
  });
  let position = start === undefined ? undefined : lineCounter.linePos(start);
  // Without the node, the nearest line above that opens a quote it does not close.
  for (let i = lineCounter.linePos(offset).line - 1; position === undefined && i >= 0; i -= 1) {
    const col = openQuoteColumn(lines[i] ?? '');
    if (col !== undefined) position = { line: i + 1, col };
  }
  if (!position) return undefined;
  const line = lines[position.line - 1] ?? '';
  const mark = line[position.col - 1] === "'" ? "'" : '"';
  const repaired = [...lines];
  repaired[position.line - 1] = `${line.trimEnd()}${mark}`;
  return {
    ...position,
    field: position,
    message: `кавычка ${mark} открыта и не закрыта: «${cut(line)}» — допишите ${mark} в конце этой строки, иначе YAML читает всё ниже как одно значение`,
    repaired,
  };
}

/** The 1-based column of a quote that opens a value and is not closed on its line. */
function openQuoteColumn(line: string): number | undefined {
  const match = /^(\s*(?:- +)?(?:[^\s"'#][^:#]*:\s+)?)(["'])/.exec(line);
  if (!match) return undefined;
  const mark = match[2]!;
  const rest = line.slice(match[0].length);
  const closed = mark === '"' ? /(^|[^\\])(\\\\)*"/.test(rest) : /'/.test(rest.replace(/''/g, ''));
  return closed ? undefined : match[1]!.length + 1;
}

/** A `[` or `{` never closed: at the bracket, on the nearest line above that leaves one open. */
function unclosedBracket(lines: string[], index: number): Break | undefined {
  for (let i = Math.min(index, lines.length - 1); i >= 0 && i >= index - 30; i -= 1) {
    const line = lines[i] ?? '';
    const open = unmatchedBracket(line);
    if (open === undefined) continue;
    const closer = line[open] === '[' ? ']' : '}';
    const noun = closer === ']' ? 'квадратная скобка «[»' : 'фигурная скобка «{»';
    const repaired = [...lines];
    const comment = / #.*$/.exec(line);
    const body = comment ? line.slice(0, comment.index) : line;
    repaired[i] = `${body.trimEnd()}${closer}${comment ? comment[0] : ''}`;
    const position = { line: i + 1, col: open + 1 };
    return { ...position, field: position, message: `не закрыта ${noun}: «${cut(line)}» — допишите ${closer} там, где ${closer === ']' ? 'список' : 'запись'} кончается: ${cut(repaired[i]!)}`, repaired };
  }
  return undefined;
}

/** The index of the last bracket a line opens and leaves open, outside quotes and comments. */
function unmatchedBracket(line: string): number | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (char === '[' || char === '{') open.push(i);
    else if (char === ']' || char === '}') open.pop();
  }
  return open.at(-1);
}

/** Tabs in the indentation: YAML takes spaces only. Repairs every tab-indented line, reports this one. */
function tabIndent(lines: string[], index: number): Break | undefined {
  if (!/^ *\t/.test(lines[index] ?? '')) return undefined;
  const repaired = [...lines];
  let count = 0;
  for (let i = index; i < repaired.length; i += 1) {
    if (!/^ *\t/.test(repaired[i] ?? '')) continue;
    count += 1;
    repaired[i] = `${' '.repeat(expectedIndent(repaired, i))}${repaired[i]!.replace(/^[ \t]+/, '')}`;
  }
  const text = lines[index]!.trim();
  const key = /^ *- /.test(repaired[index]!) ? '-' : KEY_LINE.exec(repaired[index]!)?.[3];
  const spaces = expectedIndent(repaired, index);
  const others = count > 1 ? ` (и ещё ${count - 1} ${lineWord(count - 1)} ниже)` : '';
  const position = { line: index + 1, col: 1 };
  return {
    ...position,
    field: { line: index + 1, col: spaces + (key === '-' ? 3 : 1) },
    message: `табуляция в отступе строки «${cut(text)}»${others}: YAML принимает в отступах только пробелы — поставьте ${spaces} ${spaceWord(spaces)}${key ? `, чтобы «${key}» встал в столбец ${spaces + 1}` : ''}`,
    repaired,
  };
}

/** Where a line most likely belongs: under the key that opens a block above it, or beside the line above. */
function expectedIndent(lines: readonly string[], index: number): number {
  const line = (lines[index] ?? '').replace(/^[ \t]+/, '');
  const above = previousContent(lines, index);
  if (above < 0) return 0;
  const match = /^( *)(- +)?/.exec(lines[above]!)!;
  const dash = match[1]!.length;
  const key = dash + (match[2]?.length ?? 0);
  if (/:\s*(#.*)?$/.test(lines[above]!)) return key + 2;
  if (!line.startsWith('- ')) return key;
  if (match[2]) return dash;
  // A new item after the fields of the one before: under the dash of that one.
  for (let j = above; j >= 0; j = previousContent(lines, j)) {
    const other = /^( *)(- +)?/.exec(lines[j]!)!;
    if (other[2] && other[1]!.length < key) return other[1]!.length;
    if (other[1]!.length === 0) break;
  }
  return key;
}

function previousContent(lines: readonly string[], index: number): number {
  for (let j = index - 1; j >= 0; j -= 1) if (isContent(lines[j])) return j;
  return -1;
}

function nextContent(lines: readonly string[], index: number): number {
  for (let j = index + 1; j < lines.length; j += 1) if (isContent(lines[j])) return j;
  return -1;
}

function isContent(line: string | undefined): boolean {
  const trimmed = (line ?? '').trim();
  return trimmed !== '' && !trimmed.startsWith('#');
}

/** `title "Приказ "Об утверждении""`: a quote inside a quoted value ends it, and the rest is left dangling. */
function quoteClosedEarly(lines: string[], index: number): Break | undefined {
  const line = lines[index] ?? '';
  const match = /^(\s*(?:- +)?[A-Za-z_][\w-]*:\s+)"(.*)"\s*$/.exec(line);
  if (!match) return undefined;
  const inner = match[2]!;
  const early = /(^|[^\\])(\\\\)*"/.exec(inner);
  if (!early) return undefined;
  const closing = match[1]!.length + 1 + early.index + early[0].length;
  const repaired = [...lines];
  repaired[index] = `${match[1]}'${inner.replace(/'/g, "''")}'`;
  const position = { line: index + 1, col: closing };
  return {
    ...position,
    field: { line: index + 1, col: /^\s*(?:- +)?/.exec(line)![0].length + 1 },
    message: `кавычка внутри значения закрывает его раньше времени: «${cut(line)}» — заключите значение в одинарные кавычки: ${cut(repaired[index]!)}`,
    repaired,
  };
}

/** `title Доработка`: a key and its value without the colon between them. */
function missingColon(lines: string[], index: number): Break | undefined {
  const line = lines[index] ?? '';
  const match = /^( *(?:- +)?)([A-Za-z_][\w-]*)( +)[^\s:#]/.exec(line);
  if (!match || line.includes(': ')) return undefined;
  const above = previousContent(lines, index);
  if (above < 0 || !KEY_LINE.test(lines[above]!)) return undefined;
  const keyEnd = match[1]!.length + match[2]!.length;
  const repaired = [...lines];
  repaired[index] = `${line.slice(0, keyEnd)}:${line.slice(keyEnd)}`;
  const position = { line: index + 1, col: keyEnd + 1 };
  return {
    ...position,
    field: { line: index + 1, col: match[1]!.length + 1 },
    message: `после «${match[2]}» нет двоеточия: «${cut(line)}» — нужно ${cut(repaired[index]!)}`,
    repaired,
  };
}

/** `title:План`: a colon glued to the value makes one word of key and value. */
function missingSpaceAfterColon(lines: string[], index: number): Break | undefined {
  for (const i of [index, index - 1]) {
    const line = lines[i] ?? '';
    const match = /^( *(?:- +)?)([A-Za-z_][\w-]*):(?=[^\s:/\\])/.exec(line);
    if (!match) continue;
    const colon = match[0].length;
    const repaired = [...lines];
    repaired[i] = `${line.slice(0, colon)} ${line.slice(colon)}`;
    const position = { line: i + 1, col: colon + 1 };
    return {
      ...position,
      field: { line: i + 1, col: match[1]!.length + 1 },
      message: `после двоеточия нет пробела: «${cut(line)}» — YAML читает это как одно слово; нужно ${cut(repaired[i]!)}`,
      repaired,
    };
  }
  return undefined;
}

const KEY_LINE = /^( *)(- +)?([A-Za-z_][\w.-]*) *:(?: |$)/;

/** A `key: value` line whose key sits off the column of the keys around it. */
export interface MisalignedKey {
  /** 1-based line and column of the shifted key. */
  line: number;
  col: number;
  key: string;
  /** The line as typed, without its indentation. */
  text: string;
  /** Columns to the right (positive) or left (negative) of where its neighbours' keys are. */
  shift: number;
  /** The neighbouring keys it should line up with, and where the first of them is. */
  neighbours: string[];
  neighbourLine: number;
  neighbourCol: number;
  /** The key it should line up with opens a list item (`- id: …`). */
  inItem: boolean;
  /** 1-based lines shifted with it, the key's own line first: its siblings below and what nests under them. */
  lines: number[];
}

/**
 * A key line within a few lines of `index` that is indented off the key before it, where that
 * key holds a value of its own (so nothing may nest under it). Shifted right, it always breaks
 * the structure (YAML reads it as the rest of the value above, then trips on its colon), and so
 * do the lines shifted along with it; shifted left, only when the key after it is back in line
 * or shifted the same. That is where the structure breaks, whichever line the parser complains of.
 */
export function misalignedKeyNear(lines: readonly string[], index: number): MisalignedKey | undefined {
  const keyAt = (i: number) => {
    const match = KEY_LINE.exec(lines[i] ?? '');
    if (!match) return undefined;
    const column = match[1]!.length + (match[2]?.length ?? 0);
    // `key:` opens a block, and so does `key: |` (text on the lines below, which may hold anything).
    return { column, key: match[3]!, nests: /:\s*([|>][-+0-9]*\s*)?(#.*)?$/.test(lines[i]!), item: match[2] !== undefined };
  };
  for (const i of [index, index + 1, index - 1, index + 2, index - 2, index + 3]) {
    const here = keyAt(i);
    if (!here || here.item) continue;
    const before = previousContent(lines, i);
    const above = before >= 0 ? keyAt(before) : undefined;
    if (!above || above.nests) continue;
    const shift = here.column - above.column;
    if (shift === 0 || shift < -4) continue;
    // Back to the column of a key that encloses the one before is how a block ends, not a slip.
    const enclosing = enclosingColumns(lines, before, above.column);
    if (shift < 0 && enclosing.has(here.column)) continue;
    // Nearer to an enclosing key's column than to the key above (` items:` after a person's
    // fields), it is that key's sibling pushed right, not the one above's pulled left.
    const nearest = shift < 0 ? [...enclosing].filter((column) => column < here.column && here.column - column < -shift).sort((a, b) => b - a)[0] : undefined;
    if (nearest !== undefined) {
      const sibling = siblingKeyAt(lines, before, nearest);
      if (sibling) {
        return {
          line: i + 1,
          col: here.column + 1,
          key: here.key,
          text: lines[i]!.trim(),
          shift: here.column - nearest,
          neighbours: [sibling.key],
          neighbourLine: sibling.line,
          neighbourCol: nearest + 1,
          inItem: false,
          lines: shiftedRun(lines, i, here.column),
        };
      }
    }
    const after = nextContent(lines, i);
    const below = after >= 0 ? keyAt(after) : undefined;
    const belowAligned = below !== undefined && !below.item && below.column === above.column;
    // Shifted left, it is a slip only when the key after it is back in line, or shifted with it.
    if (shift < 0 && below && !below.item && !belowAligned && below.column !== here.column && below.column > here.column - 1) continue;
    return {
      line: i + 1,
      col: here.column + 1,
      key: here.key,
      text: lines[i]!.trim(),
      shift,
      neighbours: [above.key, ...(belowAligned ? [below.key] : [])],
      neighbourLine: before + 1,
      neighbourCol: above.column + 1,
      inItem: above.item,
      lines: shiftedRun(lines, i, here.column),
    };
  }
  return undefined;
}

/** The nearest key above `index` written at `column` (not a list item's first key): the sibling a shifted key belongs beside. */
function siblingKeyAt(lines: readonly string[], index: number, column: number): { key: string; line: number } | undefined {
  for (let j = index; j >= 0; j -= 1) {
    const match = KEY_LINE.exec(lines[j] ?? '');
    if (match && match[2] === undefined && match[1]!.length === column) return { key: match[3]!, line: j + 1 };
  }
  return undefined;
}

/** The line at `start` and the lines below shifted with it: its siblings at `column` and what nests under them. */
function shiftedRun(lines: readonly string[], start: number, column: number): number[] {
  const run = [start + 1];
  let nesting = /:\s*(#.*)?$/.test(lines[start] ?? '');
  for (let j = start + 1; j < lines.length; j += 1) {
    if (!isContent(lines[j])) continue;
    const indent = /^ */.exec(lines[j]!)![0].length;
    if (indent < column || (indent > column && !nesting)) break;
    // A list item at the key's column is the next item of the list the key belongs in, not a sibling shifted with it.
    if (indent === column && /^ *- /.test(lines[j]!)) break;
    if (indent === column) nesting = /:\s*(#.*)?$/.test(lines[j]!);
    run.push(j + 1);
  }
  return run;
}

/** The columns of the keys (and list dashes) that enclose the line at `index`, whose key is at `column`. */
function enclosingColumns(lines: readonly string[], index: number, column: number): Set<number> {
  const columns = new Set<number>();
  let limit = column;
  for (let j = index - 1; j >= 0 && limit > 0; j -= 1) {
    const match = /^( *)(- +)?\S/.exec(lines[j] ?? '');
    if (!match || (lines[j] ?? '').trim().startsWith('#')) continue;
    const dash = match[1]!.length;
    const key = dash + (match[2]?.length ?? 0);
    if (key < limit) {
      columns.add(key);
      if (match[2]) columns.add(dash);
      limit = match[2] ? dash : key;
    }
  }
  columns.add(0);
  return columns;
}

function shiftedKey(lines: string[], index: number): Break | undefined {
  const shifted = misalignedKeyNear(lines, index);
  if (!shifted) return undefined;
  const repaired = [...lines];
  for (const line of shifted.lines) {
    const text = repaired[line - 1]!;
    repaired[line - 1] = shifted.shift > 0 ? text.slice(shifted.shift) : `${' '.repeat(-shifted.shift)}${text}`;
  }
  const spaces = Math.abs(shifted.shift);
  const subject = shifted.lines.length > 1 ? `строки ${shifted.line}–${shifted.lines.at(-1)} («${cut(shifted.text)}» и ниже) сдвинуты` : `строка «${cut(shifted.text)}» сдвинута`;
  const against = shifted.inItem
    ? `относительно «${shifted.neighbours[0]}» в строке ${shifted.neighbourLine} — поля одного элемента списка пишутся в одном столбце, под первым полем после «- »`
    : `относительно соседних полей (${shifted.neighbours.map((key) => `«${key}»`).join(', ')})`;
  const position = { line: shifted.line, col: shifted.col };
  return {
    ...position,
    // Inside the key's text: at its first character the value before it may still claim the offset.
    field: { line: shifted.line, col: shifted.neighbourCol + 1 },
    message: `неверный отступ: ${subject} ${shifted.shift > 0 ? 'вправо' : 'влево'} на ${spaces} ${spaceWord(spaces)} ${against}: поставьте «${shifted.key}» в столбец ${shifted.neighbourCol}${shifted.inItem ? `, под «${shifted.neighbours[0]}»` : ''}`,
    repaired,
  };
}

/**
 * A list item (`- id: …`) whose dash is not under the dashes of its list. Its list is the one whose
 * dash column, among the lists enclosing it, is nearest; the line opening a new list under a
 * `key:` is never one.
 */
function misplacedItem(lines: string[], index: number): Break | undefined {
  for (const i of [index, index + 1, index - 1]) {
    const match = /^( *)- /.exec(lines[i] ?? '');
    if (!match) continue;
    const dash = match[1]!.length;
    const before = previousContent(lines, i);
    if (before < 0) continue;
    if (/:\s*(#.*)?$/.test(lines[before]!) && /^ */.exec(lines[before]!)![0].length <= dash) continue;
    const columns = new Map<number, number>();
    let limit = Number.POSITIVE_INFINITY;
    for (let j = before; j >= 0; j = previousContent(lines, j)) {
      const other = /^( *)(- +)?/.exec(lines[j]!)!;
      const indent = other[1]!.length;
      if (other[2] && indent <= limit && !columns.has(indent)) columns.set(indent, j);
      if (indent < limit) limit = indent;
      if (indent === 0 && !other[2]) break;
    }
    if (columns.has(dash) || columns.size === 0) continue;
    const [expected, sibling] = [...columns].sort(([a], [b]) => Math.abs(a - dash) - Math.abs(b - dash) || a - b)[0]!;
    if (Math.abs(expected - dash) > 4) continue;
    const shift = expected - dash;
    const repaired = [...lines];
    const moved = [i];
    for (let j = nextContent(lines, i); j > 0 && /^ */.exec(lines[j]!)![0].length > dash; j = nextContent(lines, j)) moved.push(j);
    for (const j of moved) repaired[j] = shift > 0 ? `${' '.repeat(shift)}${lines[j]}` : lines[j]!.slice(-shift);
    const position = { line: i + 1, col: dash + 1 };
    const body = moved.length > 1 ? ', и его поля — на столько же' : '';
    return {
      ...position,
      field: { line: i + 1, col: expected + 3 },
      message: `элемент списка «${cut(lines[i]!)}» не на своём уровне: его «-» в столбце ${dash + 1}, а у элементов этого списка (строка ${sibling + 1}: «${cut(lines[sibling]!)}») — в столбце ${expected + 1}; поставьте «-» в столбец ${expected + 1}${body}`,
      repaired,
    };
  }
  return undefined;
}

/** «: » inside a value: at that colon, with the line's own value quoted as it should be. */
function colonInValue(lines: string[], index: number): Break | undefined {
  const line = lines[index] ?? '';
  const match = /^(\s*(?:- +)?)([^:#\s][^:#]*?):\s+(.+)$/.exec(line);
  if (!match) return undefined;
  const value = match[3]!.replace(/\s+#.*$/, '');
  const inner = value.indexOf(': ');
  if (inner < 0 || /^["'[{]/.test(value)) return undefined;
  const valueStart = line.length - match[3]!.length;
  const fixed = `${match[1]}${match[2]}: "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const repaired = [...lines];
  repaired[index] = fixed;
  const position = { line: index + 1, col: valueStart + inner + 1 };
  return {
    ...position,
    field: { line: index + 1, col: match[1]!.length + 1 },
    message: `в значении есть «: »: «${cut(line)}» — YAML читает его как начало нового поля; заключите всё значение в кавычки: ${fixed.trim()}`,
    repaired,
  };
}

/** A key written twice in one block: at the second, naming the line of the first. */
function duplicateKey(lines: string[], index: number, col: number): Break | undefined {
  const match = KEY_LINE.exec(lines[index] ?? '');
  if (!match) return undefined;
  const column = match[1]!.length + (match[2]?.length ?? 0);
  if (column + 1 !== col) return undefined;
  const key = match[3]!;
  for (let j = previousContent(lines, index); j >= 0 && !match[2]; j = previousContent(lines, j)) {
    const other = /^( *)(- +)?/.exec(lines[j]!)!;
    const otherColumn = other[1]!.length + (other[2]?.length ?? 0);
    if (otherColumn < column) break;
    if (otherColumn === column && KEY_LINE.exec(lines[j]!)?.[3] === key) {
      const position = { line: index + 1, col };
      return { ...position, field: position, message: `поле «${key}» указано дважды в одном блоке: «${cut(lines[index]!)}» и выше, в строке ${j + 1}, «${cut(lines[j]!)}» — оставьте одно` };
    }
    if (otherColumn === column && other[2]) break;
  }
  return undefined;
}

function spaceWord(count: number): string {
  return plural(count, 'пробел', 'пробела', 'пробелов');
}

function lineWord(count: number): string {
  return plural(count, 'строка', 'строки', 'строк');
}

function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
}

/**
 * YAML's own messages in plain Russian, for what is not traced to a cause above. Matched by
 * message first, since one code covers unlike mistakes.
 */
const YAML_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/Missing closing .?quote/, 'не закрыта кавычка'],
  [/Sequence item without - indicator|All sequence items must start at the same column/, 'неверный отступ: строка сдвинута относительно соседних полей; выровняйте её по остальным'],
  [/Implicit map keys need to be followed by map values/, 'после ключа нет двоеточия со значением, или строка сдвинута относительно соседних'],
  [/Nested mappings are not allowed in compact mappings/, 'в значении есть «: » — заключите всё значение в кавычки'],
  [/Flow sequence in block collection|end with a \]/, 'не закрыта квадратная скобка [ … ]'],
  [/Flow mapping in block collection|end with a \}/, 'не закрыта фигурная скобка { … }'],
  [/Missing , or : between|Missing , between/, 'в записи в скобках не хватает запятой'],
  [/Missing space after :/, 'после двоеточия нужен пробел'],
  [/Comments must be separated/, 'перед # комментария нужен пробел'],
  [/Implicit keys need to be on a single line/, 'ключ не может занимать несколько строк: возможно, пропущено двоеточие'],
  [/Map keys must be unique/, 'этот ключ уже есть выше в том же блоке'],
  [/Plain value cannot start with (.)/, 'значение не может начинаться с этого символа: заключите его в кавычки'],
  [/Tabs are not allowed|\btabs?\b/i, 'табуляция в отступе: используйте пробелы'],
];

const YAML_CODES: Record<string, string> = {
  DUPLICATE_KEY: 'этот ключ уже есть выше в том же блоке',
  BAD_INDENT: 'неверный отступ: выровняйте строку по соседним полям',
  TAB_AS_INDENT: 'табуляция в отступе: используйте пробелы',
  BLOCK_AS_IMPLICIT_KEY: 'неверная структура: возможно, пропущено двоеточие или лишний отступ',
  MULTILINE_IMPLICIT_KEY: 'ключ не может занимать несколько строк: возможно, пропущено двоеточие',
  UNEXPECTED_TOKEN: 'неожиданный символ: проверьте отступы, кавычки и скобки в этой строке',
  MISSING_CHAR: 'не хватает символа: проверьте кавычки, скобки и двоеточия в этой строке',
  BAD_SCALAR_START: 'значение не может начинаться с этого символа: заключите его в кавычки',
  MULTIPLE_DOCS: 'в файле несколько документов YAML (---): план должен быть одним документом',
};

function describeYamlError(code: string, message: string): string {
  return YAML_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? YAML_CODES[code] ?? `ошибка синтаксиса YAML (${message.split('\n')[0]})`;
}

/**
 * A syntax error's path cut at the field the user wrote (`items[0].title`, `schools[2].director.email`):
 * deeper parts are the parser's guesses about broken text.
 */
function fieldPath(path: (string | number)[]): (string | number)[] {
  if (typeof path[1] !== 'number') return path.slice(0, path[0] === 'reminders' ? 2 : 1);
  return path.slice(0, path[2] === 'director' || path[2] === 'reminders' ? 4 : 3);
}

/** The data path of the deepest node at a text offset: where a YAML error sits, as `items[0].when`. */
function pathAt(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  // Up to the end of its text, or short of where its trailing space ends (which is where the next key starts).
  const contains = (candidate: unknown) => isNode(candidate) && candidate.range !== undefined && candidate.range !== null && candidate.range[0] <= offset && (offset <= candidate.range[1] || offset < candidate.range[2]);
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && (contains(item.key) || contains(item.value)));
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      if (contains(pair.key)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(contains);
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

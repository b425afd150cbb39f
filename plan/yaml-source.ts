/**
 * A YAML file read with its positions, so a problem found in the data can be shown at
 * the line and column the user typed it.
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document } from 'yaml';
import type { FileIssue } from './issues.ts';

export interface YamlSource {
  file: string;
  /** The data, or `undefined` when the YAML itself is broken (see `issues`). */
  data: unknown;
  /** YAML syntax problems. */
  issues: FileIssue[];
  /** Where a data path is in the file: the node itself, or the nearest enclosing one that exists. */
  locate(path: readonly (string | number)[]): { line: number; col: number };
  /** The text as typed of a scalar at a path (`1.10` stays `1.10`, not the number 1.1). */
  sourceOf(path: readonly (string | number)[]): string | undefined;
  /** The keys of the mapping at a path, in file order. */
  keysAt(path: readonly (string | number)[]): string[];
}

/** At most this many YAML syntax errors are listed: after the first few, the rest are mostly echoes. */
const MAX_SYNTAX_ERRORS = 12;

/** Parses YAML text; never throws for what the user wrote. */
export function readYamlSource(rawText: string, file: string): YamlSource {
  // A BOM and Windows or old Mac line endings are how editors save files, not mistakes.
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const seenLines = new Set<number>();
  const issues: FileIssue[] = [];
  const lines = text.split('\n');
  for (const error of doc.errors) {
    const path = fieldPath(pathAt(doc, error.pos[0]));
    // An unclosed bracket is noticed where the next line starts; show the line where it opened.
    const opened = /Flow (sequence|mapping)|end with a [\]}]/.test(error.message) ? nodeStart(doc, path) : undefined;
    const position = lineCounter.linePos(opened ?? error.pos[0]);
    // A key shifted off its neighbours' column confuses the parser into errors about other lines:
    // blame the shifted line itself, at its first character, quoting it.
    const shifted = opened === undefined ? misalignedKeyNear(lines, position.line - 1) : undefined;
    if (shifted) {
      if (seenLines.has(shifted.line)) continue;
      seenLines.add(shifted.line);
      const neighbourPath = fieldPath(pathAt(doc, lineCounter.lineStarts[shifted.neighbourLine - 1]! + shifted.neighbourCol - 1));
      const keyPath = neighbourPath.length > 0 ? [...neighbourPath.slice(0, -1), shifted.key] : [shifted.key];
      issues.push({ severity: 'error', file, line: shifted.line, col: shifted.col, path: keyPath, message: `YAML: ${shiftMessage(shifted)}` });
      continue;
    }
    if (seenLines.has(position.line)) continue;
    seenLines.add(position.line);
    const message = /Nested mappings are not allowed in compact mappings/.test(error.message) ? colonInValue(lines[position.line - 1] ?? '') : describeYamlError(error.code, error.message);
    issues.push({ severity: 'error', file, line: position.line, col: position.col, path, message: `YAML: ${message}` });
  }
  if (issues.length > MAX_SYNTAX_ERRORS) {
    const rest = issues.length - MAX_SYNTAX_ERRORS;
    issues.splice(MAX_SYNTAX_ERRORS, rest, { severity: 'error', file, path: [], message: `YAML: и ещё ${rest} — исправьте первые ошибки и проверьте снова` });
  }
  const nodeAt = (path: readonly (string | number)[]) => doc.getIn(path, true);
  const data = doc.errors.length > 0 ? undefined : toData(doc, file, lineCounter, issues);
  return {
    file,
    data,
    issues,
    locate(path) {
      for (let length = path.length; length >= 0; length -= 1) {
        const node = length === 0 ? doc.contents : nodeAt(path.slice(0, length));
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
      }
      return { line: 1, col: 1 };
    },
    sourceOf(path) {
      const node = nodeAt(path);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    },
    keysAt(path) {
      const node = path.length === 0 ? doc.contents : nodeAt(path);
      if (!isMap(node)) return [];
      // `<<: *base` merges fields in; it is not a field itself.
      return node.items.flatMap((pair) => (isScalar(pair.key) && typeof pair.key.value === 'symbol' ? [] : [isScalar(pair.key) ? String(pair.key.value) : String(pair.key)]));
    },
  };
}

/**
 * The document as data. Aliases (`*name`) that point nowhere, into themselves, or expand
 * beyond reason are the user's mistakes: they become issues at the alias, not exceptions.
 */
function toData(doc: Document, file: string, lineCounter: LineCounter, issues: FileIssue[]): unknown {
  const aliasIssue = (node: Alias, message: string) => {
    const position = lineCounter.linePos(node.range?.[0] ?? 0);
    issues.push({ severity: 'error', file, line: position.line, col: position.col, path: [], message });
  };
  const broken: Alias[] = [];
  const aliases: Alias[] = [];
  visit(doc, {
    Alias(_, node) {
      aliases.push(node);
      if (!node.resolve(doc)) broken.push(node);
    },
  });
  for (const node of broken) aliasIssue(node, `YAML: ссылка *${node.source} указывает на якорь &${node.source}, которого нет выше в файле`);
  if (broken.length > 0) return undefined;
  try {
    const data = doc.toJS({ maxAliasCount: 200 });
    JSON.stringify(data);
    return data;
  } catch {
    aliasIssue(aliases[0] ?? (doc.contents as unknown as Alias), 'YAML: ссылки (*якоря) ссылаются сами на себя или раскрываются в слишком большой объём; замените их значениями');
    return undefined;
  }
}

/**
 * A syntax error's path cut at the field the user wrote (`items[0].title`, `schools[2].director.email`):
 * deeper parts are the parser's guesses about broken text.
 */
function fieldPath(path: (string | number)[]): (string | number)[] {
  if (typeof path[1] !== 'number') return path.slice(0, 1);
  return path.slice(0, path[2] === 'director' || path[2] === 'reminders' ? 4 : 3);
}

function nodeStart(doc: Document, path: (string | number)[]): number | undefined {
  const node = path.length > 0 ? doc.getIn(path, true) : undefined;
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/**
 * YAML's own messages in plain Russian. Matched by message first, since one code covers
 * unlike mistakes («Sequence item without - indicator» is an indentation slip, not a missing quote).
 */
const YAML_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/Missing closing .?quote/, 'не закрыта кавычка'],
  [/Sequence item without - indicator|All sequence items must start at the same column/, 'неверный отступ: строка сдвинута относительно соседних полей; выровняйте её по остальным'],
  [/Implicit map keys need to be followed by map values/, 'после ключа нет двоеточия со значением, или строка сдвинута относительно соседних'],
  [/Nested mappings are not allowed in compact mappings/, 'в значении есть «: » — заключите всё значение в кавычки: title: "Приказ: утвердить критерии"'],
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
}

const KEY_LINE = /^( *)(- +)?([A-Za-z_][\w.-]*) *:(?: |$)/;

/**
 * A key line within a few lines of `index` that is indented off the key before it, where that
 * key holds a value of its own (so nothing may nest under it) and the key after it, if any,
 * lines up with the one before. That is a slip of the space bar, and it is where the structure
 * breaks, whichever line the parser complains of.
 */
export function misalignedKeyNear(lines: readonly string[], index: number): MisalignedKey | undefined {
  const keyAt = (i: number) => {
    const match = KEY_LINE.exec(lines[i] ?? '');
    if (!match) return undefined;
    const column = match[1]!.length + (match[2]?.length ?? 0);
    return { column, key: match[3]!, nests: /:\s*(#.*)?$/.test(lines[i]!), item: match[2] !== undefined };
  };
  const isContent = (i: number) => (lines[i] ?? '').trim() !== '' && !(lines[i] ?? '').trim().startsWith('#');
  const previous = (i: number) => {
    for (let j = i - 1; j >= 0; j -= 1) if (isContent(j)) return j;
    return -1;
  };
  const next = (i: number) => {
    for (let j = i + 1; j < lines.length; j += 1) if (isContent(j)) return j;
    return -1;
  };
  for (const i of [index, index + 1, index - 1, index + 2, index - 2, index + 3]) {
    const here = keyAt(i);
    if (!here || here.item) continue;
    const before = previous(i);
    const above = before >= 0 ? keyAt(before) : undefined;
    if (!above || above.nests) continue;
    const shift = here.column - above.column;
    if (shift === 0 || Math.abs(shift) > 4) continue;
    // Back to the column of a key that encloses the one before is how a block ends, not a slip.
    if (shift < 0 && enclosingColumns(lines, before, above.column).has(here.column)) continue;
    const after = next(i);
    const below = after >= 0 ? keyAt(after) : undefined;
    // The key after it (when it is a sibling) sits where the one before does: this line alone is off.
    if (below && !below.item && below.column !== above.column && below.column > here.column - 1) continue;
    return {
      line: i + 1,
      col: here.column + 1,
      key: here.key,
      text: lines[i]!.trim(),
      shift,
      neighbours: [above.key, ...(below && !below.item && below.column === above.column ? [below.key] : [])],
      neighbourLine: before + 1,
      neighbourCol: above.column + 1,
    };
  }
  return undefined;
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

function shiftMessage(shifted: MisalignedKey): string {
  const spaces = Math.abs(shifted.shift);
  const words = spaces === 1 ? 'пробел' : spaces < 5 ? 'пробела' : 'пробелов';
  return `неверный отступ: строка «${shifted.text}» сдвинута ${shifted.shift > 0 ? 'вправо' : 'влево'} на ${spaces} ${words} относительно соседних полей (${shifted.neighbours.map((key) => `«${key}»`).join(', ')}): выровняйте «${shifted.key}» по ним`;
}

/** «: » inside a value: the line's own value, quoted as it should be. */
function colonInValue(line: string): string {
  const match = /^\s*(?:- +)?([^:#]+?):\s+(.+)$/.exec(line);
  const example = match ? `${match[1]}: "${match[2]!.replace(/"/g, '\\"')}"` : 'title: "Приказ: утвердить критерии"';
  return `в значении есть «: » — заключите всё значение в кавычки: ${example}`;
}

function describeYamlError(code: string, message: string): string {
  return YAML_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? YAML_CODES[code] ?? `ошибка синтаксиса YAML (${message.split('\n')[0]})`;
}

/** The data path of the deepest node at a text offset: where a YAML error sits, as `items[0].when`. */
function pathAt(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  const contains = (candidate: unknown) => isNode(candidate) && candidate.range !== undefined && candidate.range !== null && candidate.range[0] <= offset && offset <= candidate.range[2];
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

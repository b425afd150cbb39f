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
  for (const error of doc.errors) {
    const path = fieldPath(pathAt(doc, error.pos[0]));
    // An unclosed bracket is noticed where the next line starts; show the line where it opened.
    const opened = /Flow (sequence|mapping)|end with a [\]}]/.test(error.message) ? nodeStart(doc, path) : undefined;
    const position = lineCounter.linePos(opened ?? error.pos[0]);
    if (seenLines.has(position.line)) continue;
    seenLines.add(position.line);
    issues.push({ severity: 'error', file, line: position.line, col: position.col, path, message: `YAML: ${describeYamlError(error.code, error.message)}` });
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

/**
 * A YAML file read with its positions, so a problem found in the data can be shown at
 * the line and column the user typed it.
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
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

/** Parses YAML text; never throws for what the user wrote. */
export function readYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: FileIssue[] = [...doc.errors, ...doc.warnings.map((w) => Object.assign(w, { isWarning: true }))].map((error) => {
    const position = lineCounter.linePos(error.pos[0]);
    return {
      severity: 'isWarning' in error ? 'warning' : 'error',
      file,
      line: position.line,
      col: position.col,
      // A duplicate key is about one field; other syntax slips are about the line, whose path may mislead.
      path: error.code === 'DUPLICATE_KEY' ? pathAt(doc, error.pos[0]) : [],
      message: `YAML: ${describeYamlError(error.code, error.message)}`,
    };
  });
  const nodeAt = (path: readonly (string | number)[]) => doc.getIn(path, true);
  return {
    file,
    data: doc.errors.length > 0 ? undefined : doc.toJS(),
    issues,
    locate(path) {
      for (let length = path.length; length >= 0; length -= 1) {
        const node = nodeAt(path.slice(0, length));
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
      return node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
    },
  };
}

/** The length of the sequence at a path, 0 when there is none. */
export function seqLength(data: unknown, key: string): number {
  const value = (data as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(value) ? value.length : 0;
}

/**
 * YAML's own messages in plain Russian. Matched by message first, since one code covers
 * unlike mistakes («Sequence item without - indicator» is an indentation slip, not a missing quote).
 */
const YAML_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/Missing closing .?quote/, 'не закрыта кавычка'],
  [/Sequence item without - indicator|All sequence items must start at the same column/, 'неверный отступ: строка сдвинута относительно соседних полей; выровняйте её по остальным'],
  [/Implicit map keys need to be followed by map values/, 'после ключа нет двоеточия со значением, или строка сдвинута относительно соседних'],
  [/Missing , or : between|Missing , between/, 'в записи в скобках не хватает запятой'],
  [/Missing space after :/, 'после двоеточия нужен пробел'],
  [/Comments must be separated/, 'перед # комментария нужен пробел'],
  [/Implicit keys need to be on a single line/, 'ключ не может занимать несколько строк: возможно, пропущено двоеточие'],
  [/Map keys must be unique/, 'этот ключ уже есть выше в том же блоке'],
  [/Plain value cannot start with (.)/, 'значение не может начинаться с этого символа: заключите его в кавычки'],
  [/Tabs are not allowed|tab/i, 'табуляция в отступе: используйте пробелы'],
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

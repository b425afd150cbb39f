/**
 * A YAML file read with its positions, so a problem found in the data can be shown at
 * the line and column the user typed it.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
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
      path: [],
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

function describeYamlError(code: string, message: string): string {
  const known: Record<string, string> = {
    DUPLICATE_KEY: 'ключ повторяется в одном и том же блоке',
    BAD_INDENT: 'неверный отступ',
    TAB_AS_INDENT: 'табуляция в отступе: используйте пробелы',
    MISSING_CHAR: 'не хватает символа (кавычки или скобки)',
    BLOCK_AS_IMPLICIT_KEY: 'неверная структура: возможно, пропущено двоеточие или лишний отступ',
    MULTILINE_IMPLICIT_KEY: 'ключ не может занимать несколько строк: возможно, пропущено двоеточие',
    UNEXPECTED_TOKEN: 'неожиданный символ',
  };
  const firstLine = message.split('\n')[0] ?? message;
  return known[code] ? `${known[code]} (${firstLine})` : firstLine;
}

export { isSeq };

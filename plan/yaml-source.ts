/**
 * A YAML file read with its positions, so a problem found in the data can be shown at
 * the line and column the user typed it.
 */
import { isMap, isNode, isScalar, visit, type Alias, type Document, type LineCounter } from 'yaml';
import type { FileIssue } from './issues.ts';
import { parseYaml, syntaxIssues } from './yaml-syntax.ts';

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
export function readYamlSource(rawText: string, file: string): YamlSource {
  // A BOM and Windows or old Mac line endings are how editors save files, not mistakes.
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parsed = parseYaml(text);
  const { doc, lineCounter } = parsed;
  const issues: FileIssue[] = doc.errors.length > 0 ? syntaxIssues(parsed, file) : [];
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

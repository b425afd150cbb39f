/**
 * A template checked against its data contract before anyone fills it in: every tag must name
 * a field the contract has, a list must be walked with a section, and a field that may be
 * absent must sit inside a section on it, so a document never comes out with a gap.
 */
import { expressionParser } from './expression-parser.ts';
import type { z } from 'zod';
import { splitFilters, type CompiledTemplate, type TemplateProblem, type TemplateTag } from './docx-template.ts';
import { fieldAt, fieldNames, type FieldInfo } from './schema-paths.ts';

/** Names a template may use that are not data: docxtemplater's loop index and the current item. */
const BUILT_INS = new Set(['$index', 'this']);

interface Scope {
  /** The group of fields visible here (the item of a list inside its section), or `null` inside a section on a single value. */
  schema: z.ZodType | null;
}

/** Every problem of the template against the contract; an empty list when they agree. */
export function lintTemplate(template: CompiledTemplate, contract: z.ZodType): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  walk(template.tags, [{ schema: contract }], [], contract, problems);
  return problems;
}

function walk(tags: readonly TemplateTag[], scopes: readonly Scope[], guards: readonly string[], root: z.ZodType, problems: TemplateProblem[]): void {
  for (const tag of tags) {
    const { value } = splitFilters(tag.expression);
    const paths = pathsOf(value);
    if (paths === null) {
      problems.push({ place: tag.place, message: `не понимаю выражение «{${tag.expression}}»` });
      continue;
    }
    let inner: Scope | null = null;
    for (const path of paths) {
      if (BUILT_INS.has(path[0]!)) continue;
      const info = resolve(scopes, path);
      const name = path.join('.');
      if (!info) {
        const innermost = [...scopes].reverse().find((scope) => scope.schema !== null)?.schema ?? root;
        problems.push({ place: tag.place, message: `в данных шаблона нет поля «${name}»; здесь есть: ${fieldNames(innermost).join(', ')}` });
        continue;
      }
      if (tag.kind === 'value') {
        if (info.shape === 'list') problems.push({ place: tag.place, message: `«${name}» — список: выводите его элементы в блоке {#${name}}…{/${name}}` });
        else if (info.shape === 'group') problems.push({ place: tag.place, message: `«${name}» — группа полей (${fieldNames(info.inner!).join(', ')}): выведите нужное поле, например {${name}.${fieldNames(info.inner!)[0] ?? '…'}}` });
        else if (info.optional && !isGuarded(name, guards)) {
          problems.push({ place: tag.place, message: `поле «${name}» может отсутствовать: поставьте его внутрь блока {#${name}}…{/${name}}, иначе документ без него не соберётся` });
        }
      } else if (paths.length === 1) {
        inner = { schema: info.shape === 'value' ? null : info.inner };
      }
    }
    if (tag.kind === 'section' || tag.kind === 'inverted') {
      // Inside {^x} there is no x: its scope stays the enclosing one.
      const childScopes = tag.kind === 'section' && inner ? [...scopes, inner] : scopes;
      walk(tag.children, childScopes, [...guards, value], root, problems);
    }
  }
}

/** Looked up as docxtemplater does: the innermost scope first, then outwards. */
function resolve(scopes: readonly Scope[], path: readonly string[]): FieldInfo | null {
  for (let index = scopes.length - 1; index >= 0; index -= 1) {
    const schema = scopes[index]!.schema;
    if (schema === null) continue;
    const info = fieldAt(schema, path);
    if (info) return info;
  }
  return null;
}

function isGuarded(name: string, guards: readonly string[]): boolean {
  return guards.some((guard) => guard === name || name.startsWith(`${guard}.`));
}

/** The data paths an expression reads: `a || b.c` → `[['a'], ['b', 'c']]`; `null` when it does not parse. */
export function pathsOf(expression: string): string[][] | null {
  if (expression === '' || expression === '.') return [['this']];
  let identifiers: Record<string, object>;
  try {
    identifiers = (expressionParser(expression) as unknown as { getObjectIdentifiers(): Record<string, object> }).getObjectIdentifiers();
  } catch {
    return null;
  }
  const paths: string[][] = [];
  const collect = (node: Record<string, object>, prefix: string[]) => {
    for (const [key, child] of Object.entries(node)) {
      const entries = Object.keys(child);
      if (entries.length === 0) paths.push([...prefix, key]);
      else collect(child as Record<string, object>, [...prefix, key]);
    }
  };
  collect(identifiers, []);
  return paths;
}

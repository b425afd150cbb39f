/**
 * From a plan file's text to a validated plan, or to the full list of what to fix in it,
 * each problem at its line and column.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { type FileIssue, formatIssue, hasErrors } from './issues.ts';
import { Director, Item, Person, Plan, Reminders, School } from './schema.ts';
import { Paperwork } from './documents.ts';
import { draftGaps } from './drafts.ts';
import { readYamlSource, type YamlSource } from './yaml-source.ts';

z.config(z.locales.ru());

export type PlanReading = { ok: true; plan: Plan; source: YamlSource; issues: FileIssue[] } | { ok: false; source: YamlSource; issues: FileIssue[] };

/** Reads and validates a plan. Warnings (unknown fields) come with a valid plan too. */
export function readPlan(text: string, file: string): PlanReading {
  const source = readYamlSource(text, file);
  if (hasErrors(source.issues)) return { ok: false, source, issues: source.issues };
  if (source.data === null || source.data === undefined) {
    return { ok: false, source, issues: [{ severity: 'error', file, line: 1, col: 1, path: [], message: 'файл пуст: в нём нет плана (id, year, people, items …)' }] };
  }
  if (typeof source.data !== 'object' || Array.isArray(source.data)) {
    const { line, col } = source.locate([]);
    return { ok: false, source, issues: [{ severity: 'error', file, line, col, path: [], message: 'файл плана должен быть блоком полей (id, year, people, items …), а не списком или отдельным значением' }] };
  }
  const data = asTyped(source);
  const issues: FileIssue[] = [...source.issues, ...unknownFieldWarnings(source, data)];
  const parsed = Plan.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((issue) => toFileIssue(issue, source)));
    return { ok: false, source, issues };
  }
  if (hasErrors(issues)) return { ok: false, source, issues };
  return { ok: true, plan: parsed.data, source, issues: [...issues, ...draftWarnings(parsed.data, source)] };
}

/** A draft's gaps (an item without an executor, a person without an e-mail), each a warning at its place. */
function draftWarnings(plan: Plan, source: YamlSource): FileIssue[] {
  return draftGaps(plan).map((gap) => {
    const { line, col } = source.locate(gap.path);
    return { severity: 'warning', file: source.file, line, col, path: gap.path, message: gap.message };
  });
}

/** Issue lines, each with what its path points at («пункт «9»»). */
export function describeIssues(issues: readonly FileIssue[], data: unknown): string[] {
  return issues.map((issue) => formatIssue(issue, contextOf(issue.path, data)));
}

function contextOf(path: readonly (string | number)[], data: unknown): string | undefined {
  const [list, index] = path;
  if (typeof index !== 'number' || typeof list !== 'string') return undefined;
  const entry = (data as Record<string, unknown[]> | undefined)?.[list]?.[index] as { id?: unknown } | undefined;
  if (entry?.id === undefined) return undefined;
  const noun: Record<string, string> = { items: 'пункт', people: 'человек', schools: 'школа' };
  return noun[list] ? `${noun[list]} «${String(entry.id)}»` : undefined;
}

/**
 * The data as the user meant it. An empty field (`timezone:`) is an absent one. Item ids,
 * `after` and targets are labels, not numbers: `id: 1.10` means «1.10», and `result: 012`
 * means «012», which YAML would read as 1.1 and 12. Take them as typed.
 */
function asTyped(source: YamlSource): unknown {
  const data = dropEmpty(structuredClone(source.data)) as { items?: unknown };
  if (!Array.isArray(data.items)) return data;
  data.items.forEach((item: unknown, index) => {
    if (!item || typeof item !== 'object') return;
    const record = item as Record<string, unknown>;
    const typed = (value: unknown, ...path: (string | number)[]) => (typeof value === 'number' ? source.sourceOf(['items', index, ...path]) ?? String(value) : value);
    record.id = typed(record.id, 'id');
    record.result = typed(record.result, 'result');
    record.after = Array.isArray(record.after) ? record.after.map((value, j) => typed(value, 'after', j)) : typed(record.after, 'after');
  });
  return data;
}

/** Removes fields left empty (`key:` with nothing after it), at any depth. */
function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null).map(([key, field]) => [key, dropEmpty(field)]));
  }
  return value;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'текст',
  number: 'число',
  int: 'целое число',
  array: 'список',
  object: 'блок полей',
  boolean: 'true или false',
};

function toFileIssue(issue: z.core.$ZodIssue, source: YamlSource): FileIssue {
  let path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  // `executor: rir` is read as a list of one; point at what the user wrote, not at its [0].
  if (typeof path.at(-1) === 'number' && source.sourceOf(path.slice(0, -1)) !== undefined) path = path.slice(0, -1);
  const position = source.locate(path);
  return { severity: 'error', file: source.file, line: position.line, col: position.col, path, message: messageOf(issue, path) };
}

function messageOf(issue: z.core.$ZodIssue, path: (string | number)[]): string {
  const field = path.at(-1);
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return typeof field === 'string' ? `не указано обязательное поле «${field}»` : 'не указано обязательное значение';
    return `ожидается ${TYPE_NAMES[issue.expected] ?? issue.expected}, а указано ${describeInput(issue.input)}`;
  }
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat().find((nested) => nested.code !== 'invalid_type' && nested.code !== 'invalid_union');
    if (inner) return messageOf(inner, path);
    const expected = field === 'executor' ? 'id человека или список id' : field === 'after' ? 'номер пункта или список номеров' : field === 'calendar' ? 'имя файла или список имён' : 'текст или число';
    return `ожидается ${expected}, а указано ${describeInput(issue.input)}`;
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'string') return 'значение не может быть пустым';
    if (issue.origin === 'array') return field === 'items' ? issue.message : 'список не может быть пустым';
    return `значение должно быть не меньше ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big') return issue.origin === 'array' || issue.origin === 'string' ? issue.message : `значение должно быть не больше ${String(issue.maximum)}`;
  return issue.message;
}

/** A user's value, quoted as they would recognise it, whatever it is. */
function describeInput(value: unknown): string {
  if (typeof value === 'string') return `«${value}»`;
  if (Array.isArray(value)) return 'список';
  if (value && typeof value === 'object') return 'блок полей';
  return String(value);
}

/**
 * The known field a key misspells: one at most two edits away (one for short names), or the
 * same but for letter case. A field other tools add to the format is far from every known one.
 */
export function misspelledField(key: string, known: readonly string[]): string | undefined {
  const nearest = closest(key, [...known]);
  if (nearest === undefined) return undefined;
  if (nearest.toLowerCase() === key.toLowerCase()) return nearest;
  const allowed = Math.min(key.length, nearest.length) >= 6 ? 2 : 1;
  return distance(key, nearest) <= allowed ? nearest : undefined;
}

/**
 * Fields the schema does not know are kept out of the plan. A misspelt known field is an error
 * (the plan would otherwise run on the default, silently); any other unknown field is a warning.
 */
function unknownFieldWarnings(source: YamlSource, data: unknown): FileIssue[] {
  const warnings: FileIssue[] = [];
  const check = (path: (string | number)[], known: readonly string[]) => {
    for (const key of source.keysAt(path)) {
      if (known.includes(key)) continue;
      const position = source.locate([...path, key]);
      const meant = misspelledField(key, known);
      warnings.push(
        meant !== undefined
          ? { severity: 'error', file: source.file, line: position.line, col: position.col, path: [...path, key], message: `неизвестное поле «${key}» — опечатка в «${meant}»? Исправьте имя поля: с ним план работал бы без этого значения` }
          : { severity: 'warning', file: source.file, line: position.line, col: position.col, path: [...path, key], message: `неизвестное поле «${key}» не используется; нет ли опечатки? Известные поля: ${known.join(', ')}` },
      );
    }
  };
  const record = data as Record<string, unknown>;
  const each = (key: string, fn: (index: number) => void) => (Array.isArray(record[key]) ? (record[key] as unknown[]).forEach((_, index) => fn(index)) : undefined);
  check([], Object.keys(Plan.shape));
  check(['reminders'], Object.keys(Reminders.shape));
  check(['paperwork'], Object.keys(Paperwork.shape));
  each('people', (index) => check(['people', index], Object.keys(Person.shape)));
  each('schools', (index) => {
    check(['schools', index], Object.keys(School.shape));
    check(['schools', index, 'director'], Object.keys(Director.shape));
  });
  each('items', (index) => {
    check(['items', index], Object.keys(Item.shape));
    check(['items', index, 'reminders'], Object.keys(Reminders.shape));
  });
  return warnings;
}

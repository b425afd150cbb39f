/**
 * A zod contract's complaints about a document's data, in Russian, one per field: what is
 * missing or wrong and where, so the person preparing the data can fix it.
 */
import type { z } from 'zod';
import { formatPath } from '../plan/issues.ts';
import type { DataProblem } from './docx-template.ts';

const TYPE_NAMES: Record<string, string> = {
  string: 'текст',
  number: 'число',
  int: 'целое число',
  boolean: 'да/нет',
  array: 'список',
  object: 'группа полей',
  date: 'дата',
};

function describe(value: unknown): string {
  if (value === undefined) return 'ничего';
  if (value === null) return 'пустое значение';
  if (typeof value === 'string') return `«${value}»`;
  if (Array.isArray(value)) return 'список';
  if (typeof value === 'object') return 'группа полей';
  return String(value);
}

/** One problem per issue of a failed parse, with the field's path (`lines[2].spent`). */
export function dataProblems(error: z.ZodError): DataProblem[] {
  return error.issues.map((issue) => ({ field: formatPath(issue.path as (string | number)[]) || '(данные целиком)', message: messageOf(issue) }));
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'нет значения: поле обязательно';
      return `ожидается ${TYPE_NAMES[issue.expected] ?? issue.expected}, а указано ${describe(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `в списке должно быть не меньше ${String(issue.minimum)}` : issue.origin === 'string' ? issue.message : `значение должно быть не меньше ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `в списке должно быть не больше ${String(issue.maximum)}` : `значение должно быть не больше ${String(issue.maximum)}`;
    case 'invalid_value':
      return `ожидается одно из: ${issue.values.map((value) => `«${String(value)}»`).join(', ')}`;
    case 'unrecognized_keys':
      return `неизвестные поля: ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

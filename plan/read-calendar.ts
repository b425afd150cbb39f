/** From a production-calendar file's text to its years, or to what to fix in it. */
import { z } from 'zod';
import { CalendarYear, CalendarYears, yearsOf } from './calendar-data.ts';
import { hasErrors, type FileIssue } from './issues.ts';
import { readYamlSource } from './yaml-source.ts';

export type CalendarReading = { ok: true; years: CalendarYear[]; issues: FileIssue[] } | { ok: false; issues: FileIssue[] };

export function readCalendar(text: string, file: string): CalendarReading {
  const source = readYamlSource(text, file);
  if (source.data === undefined || hasErrors(source.issues)) return { ok: false, issues: source.issues };
  const data = source.data as Record<string, unknown>;
  if (typeof data === 'object' && data !== null && 'years' in data) {
    const parsed = CalendarYears.safeParse(data, { reportInput: true });
    if (parsed.success) return { ok: true, years: yearsOf(parsed.data), issues: source.issues };
    return failed(parsed.error.issues);
  }
  const parsed = CalendarYear.safeParse(data, { reportInput: true });
  if (parsed.success) return { ok: true, years: [parsed.data], issues: source.issues };
  return failed(parsed.error.issues);

  function failed(issues: z.core.$ZodIssue[]): CalendarReading {
    return {
    ok: false,
    issues: issues.map((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      const position = source.locate(path);
      const message = issue.code === 'invalid_type' && issue.input === undefined ? `не указано обязательное поле «${String(path.at(-1) ?? '')}»` : issue.message;
      return { severity: 'error', file, line: position.line, col: position.col, path, message } satisfies FileIssue;
    }),
  };
  }
}

z.config(z.locales.ru());

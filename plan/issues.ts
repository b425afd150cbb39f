/**
 * Problems found in a user's file, each with where it is and a plain sentence, in the
 * form compilers use: `calendars/plan.yaml:12:11: ошибка: items[7].when (пункт «8»): …`.
 */

export type Severity = 'error' | 'warning';

export interface FileIssue {
  severity: Severity;
  file: string;
  /** 1-based; absent when the problem is the file as a whole. */
  line?: number;
  col?: number;
  /** The data path: `['items', 7, 'when']`. */
  path: readonly (string | number)[];
  message: string;
}

/** `items[7].when` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? key : `${text}.${key}`), '');
}

const SEVERITY_WORD: Record<Severity, string> = { error: 'ошибка', warning: 'предупреждение' };

/** One issue as one line. `context` names what the path points at («пункт «9»»). */
export function formatIssue(issue: FileIssue, context?: string): string {
  const place = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.col ?? 1}` : issue.file;
  const path = formatPath(issue.path);
  const subject = path === '' ? '' : context ? `${path} (${context}): ` : `${path}: `;
  return `${place}: ${SEVERITY_WORD[issue.severity]}: ${subject}${issue.message}`;
}

export function hasErrors(issues: readonly FileIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** Errors first, then by position. */
export function sortIssues(issues: readonly FileIssue[]): FileIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

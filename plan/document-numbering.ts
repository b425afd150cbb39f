/**
 * The program's document templates by id, and how their documents are numbered. Plain data
 * and functions: the workflows use them too.
 */

/** Every document template plangraf ships, by id. */
export const DOCUMENT_TEMPLATE_IDS = ['order', 'contract', 'execution-report', 'subsidy-report', 'analytic-note'] as const;
export type DocumentTemplateId = (typeof DOCUMENT_TEMPLATE_IDS)[number];

/** Templates plangraf fills from the plan alone; the others need data a person gives (`plangraf render`). */
export const PLAN_DOCUMENTS: readonly DocumentTemplateId[] = ['order', 'contract', 'execution-report'];

/** The default number formats: `ДС-2026/007` for the seventh contract of 2026. */
export const DEFAULT_NUMBERING: Record<DocumentTemplateId, string> = {
  order: '{n}-П',
  contract: 'ДС-{year}/{n:3}',
  'execution-report': 'ОИ-{year}/{n:3}',
  'subsidy-report': 'ОС-{year}/{n:3}',
  'analytic-note': 'АС-{year}/{n:3}',
};

/**
 * The number `n` of a year in a format: `{year}` the year, `{n}` the running number, `{n:3}`
 * padded to three digits.
 * @example formatDocumentNumber('ДС-{year}/{n:3}', 2026, 7) // 'ДС-2026/007'
 */
export function formatDocumentNumber(format: string, year: number, n: number): string {
  return format.replace(/\{year\}/g, String(year)).replace(/\{n(?::(\d))?\}/g, (_, width: string | undefined) => String(n).padStart(width ? Number(width) : 0, '0'));
}

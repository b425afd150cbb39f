/**
 * The program's documents as a plan names them: which templates exist, what people call them,
 * and the plan's settings for its paperwork (where documents are signed, who signs, how they
 * are numbered).
 */
import { z } from 'zod';

/** Every document template plangraf ships, by id. */
export const DocumentTemplateId = z.enum(['order', 'contract', 'execution-report', 'subsidy-report', 'analytic-note']);
export type DocumentTemplateId = z.infer<typeof DocumentTemplateId>;

/** What people write in a plan's `documents:` besides the ids, lower-cased, «ё» as «е». */
const ALIASES: Record<string, DocumentTemplateId> = {
  приказ: 'order',
  'приказ об утверждении перечня': 'order',
  договор: 'contract',
  договоры: 'contract',
  'договор о сотрудничестве': 'contract',
  'договоры о сотрудничестве': 'contract',
  'отчет о выполнении': 'execution-report',
  'отчет о выполнении плана-графика': 'execution-report',
  'отчет об исполнении плана-графика': 'execution-report',
  'отчет о расходовании': 'subsidy-report',
  'отчет о расходовании средств субсидии': 'subsidy-report',
  'аналитическая справка': 'analytic-note',
  справка: 'analytic-note',
};

/** A template id, or one of the Russian names people give it («договоры», «аналитическая справка»). */
export const DocumentName = z.preprocess(
  (value) => (typeof value === 'string' ? ALIASES[value.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ')] ?? value.trim() : value),
  z.enum(DocumentTemplateId.options, {
    error: (issue) => `неизвестный документ «${String(issue.input)}»; есть: ${DocumentTemplateId.options.join(', ')} (или по-русски: приказ, договоры, отчет о выполнении, отчет о расходовании, аналитическая справка)`,
  }),
);

/** `ДС-{year}/{n:3}`: `{year}` the plan's year, `{n}` the running number, `{n:3}` padded to three digits. */
export const NumberFormat = z.string().regex(/\{n(?::\d)?\}/, { error: 'в формате номера нет места для порядкового номера: {n} или {n:3}' });

/** The plan's paperwork settings (an extension of the plan format). */
export const Paperwork = z.object({
  /** Where documents are signed: «г. Рязань». Default: the plan's region. */
  place: z.string().min(1).optional(),
  /** The program the documents serve, in the genitive after «в рамках реализации». Default: the program for schools with low results. */
  program: z.string().min(1).optional(),
  /** The body that issues orders. Default: the signer's organization. */
  issuer: z.string().min(1).optional(),
  /** Person id who signs orders and reports. Default: the office. */
  signer: z.string().min(1).optional(),
  /** Number formats by document, e.g. `contract: "ДС-{year}/{n:3}"`. */
  numbering: z.partialRecord(DocumentTemplateId, NumberFormat).optional(),
});
export type Paperwork = z.infer<typeof Paperwork>;

/** The default number formats: `ДС-2026/007` for the seventh contract of 2026. */
export const DEFAULT_NUMBERING: Record<DocumentTemplateId, string> = {
  order: '{n}-П',
  contract: 'ДС-{year}/{n:3}',
  'execution-report': 'ОИ-{year}/{n:3}',
  'subsidy-report': 'ОС-{year}/{n:3}',
  'analytic-note': 'АС-{year}/{n:3}',
};

/** The number `n` of a year in a format: `formatNumber('ДС-{year}/{n:3}', 2026, 7)` → `ДС-2026/007`. */
export function formatDocumentNumber(format: string, year: number, n: number): string {
  return format.replace(/\{year\}/g, String(year)).replace(/\{n(?::(\d))?\}/g, (_, width: string | undefined) => String(n).padStart(width ? Number(width) : 0, '0'));
}

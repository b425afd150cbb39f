/**
 * The program's documents as a plan names them: which templates exist, what people call them,
 * and the plan's settings for its paperwork (where documents are signed, who signs, how they
 * are numbered).
 */
import { z } from 'zod';
import { DOCUMENT_TEMPLATE_IDS, type DocumentTemplateId as TemplateId } from './document-numbering.ts';

export { DEFAULT_NUMBERING, formatDocumentNumber } from './document-numbering.ts';

/** Every document template plangraf ships, by id. */
export const DocumentTemplateId = z.enum(DOCUMENT_TEMPLATE_IDS);
export type DocumentTemplateId = TemplateId;

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

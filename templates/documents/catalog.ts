/**
 * Every document template plangraf ships, by id: its .docx under templates/docx/ and its data
 * contract.
 */
import { fileURLToPath } from 'node:url';
import type { DocumentTemplateId } from '../../plan/documents.ts';
import { analyticNoteTemplate } from './analytic-note.ts';
import { contractTemplate } from './contract.ts';
import { executionReportTemplate } from './execution-report.ts';
import { orderTemplate } from './order.ts';
import { subsidyReportTemplate } from './subsidy-report.ts';
import type { TemplateDefinition } from './definition.ts';

export const DOCX_DIR = fileURLToPath(new URL('../docx/', import.meta.url));

// Each definition keeps its own input and data types; the catalog holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TEMPLATES: Record<DocumentTemplateId, TemplateDefinition<any, any, any>> = {
  order: orderTemplate,
  contract: contractTemplate,
  'execution-report': executionReportTemplate,
  'subsidy-report': subsidyReportTemplate,
  'analytic-note': analyticNoteTemplate,
};

export function templateDefinition(id: DocumentTemplateId): TemplateDefinition<unknown, object> {
  return TEMPLATES[id];
}

/**
 * Issuing a plan's documents: every input checked first (bad data takes no number), then each
 * document numbered, rendered and registered once.
 */
import type { IsoDate } from '../plan/dates.ts';
import { DocumentDataError } from './docx-template.ts';
import type { DocumentRenderer } from './document-renderer.ts';
import { DEFAULT_NUMBERING, type DocumentTemplateId } from '../plan/document-numbering.ts';
import type { DocumentOrder } from './plan-documents.ts';
import type { DocumentRegister, IssuedDocument, IssueRequest } from './register.ts';

/** Whose documents they are and how they are numbered. */
export interface IssueContext {
  planKey: string;
  /** The plan's year: documents are numbered within it. */
  year: number;
  /** The plan's own number formats (`paperwork.numbering`); the defaults for the rest. */
  numbering: Partial<Record<DocumentTemplateId, string>>;
}

export interface IssueOptions {
  /**
   * Told how many of the documents are issued (new or already registered): `(0, total)` once
   * their data is checked, then after each. Given, the documents are registered one at a time.
   */
  onProgress?: (done: number, total: number) => void;
}

export interface DocumentOffice {
  register: DocumentRegister;
  renderer: DocumentRenderer;
}

/**
 * Issues the documents of a plan dated `date`, numbered within the plan's year.
 * @throws DocumentDataError with the problems of every document whose data does not fit (none is issued then)
 * @throws TemplateError when a template is broken
 */
export async function issuePlanDocuments(office: DocumentOffice, context: IssueContext, orders: readonly DocumentOrder[], date: IsoDate, options: IssueOptions = {}): Promise<IssuedDocument[]> {
  const templates = [...new Set(orders.map((order) => order.template))];
  await Promise.all(templates.map((template) => office.renderer.template(template)));
  const problems = orders.flatMap((order) => {
    try {
      office.renderer.parseInput(order.template, order.input);
      return [];
    } catch (error) {
      if (!(error instanceof DocumentDataError)) throw error;
      return error.problems.map((problem) => ({ ...problem, field: `${order.key}: ${problem.field}` }));
    }
  });
  if (problems.length > 0) throw new DocumentDataError(templates.join(', '), problems);
  const requests = orders.map((order) => ({
    key: order.key,
    template: order.template,
    year: context.year,
    date,
    plan: context.planKey,
    numbering: context.numbering[order.template] ?? DEFAULT_NUMBERING[order.template],
    input: order.input,
  }));
  const make = async (request: IssueRequest, issue: { number: string; date: IsoDate }) => {
    const rendered = await office.renderer.render(request.template, request.input, issue);
    return { content: rendered.content, fileName: rendered.fileName };
  };
  const { onProgress } = options;
  if (!onProgress) return office.register.issue(requests, make);
  // One at a time, so progress counts documents already registered as well as new ones.
  onProgress(0, requests.length);
  const issued: IssuedDocument[] = [];
  for (const request of requests) {
    issued.push(...(await office.register.issue([request], make)));
    onProgress(issued.length, requests.length);
  }
  return issued;
}

/**
 * A plan's documents made on request, one way for the command line and the pages alike: the
 * order, the contracts of every pair, the execution report and the subsidy report, each dated
 * by the same rules and numbered and registered in the same register. What the caller does with
 * the documents (files in a folder, a download, an archive) is its own.
 */
import type { IsoDate } from '../plan/dates.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import { defaultDocumentDate } from './document-dates.ts';
import { issuePlanDocuments, type DocumentOffice } from './issue-documents.ts';
import { contractOrders, executionReportOrder, issueContextOf, orderOrder, subsidyReportOrder, type PlanPaperwork, type SpendingLine, type TaskProgress } from './plan-documents.ts';
import { canonicalJson, sha256, type IssuedDocument } from './register.ts';

/** A plan as its documents need it: its paperwork and the production calendar it is laid over. */
export interface PlanDocumentSource {
  paperwork: PlanPaperwork;
  calendar: ProductionCalendar;
}

/** The plan names no pair of schools (a participant with a partner): there is no contract to make. */
export class NoContractPairs extends Error {
  constructor() {
    super('в плане нет пар для договоров: у школ-участниц (ШНОР, ШНСУ) не указан partner');
  }
}

/** A contract dated after the end of the term it runs for would be void: refused. */
export class ContractDateAfterTerm extends Error {
  constructor(
    readonly date: IsoDate,
    readonly end: IsoDate,
  ) {
    super(`дата ${date} позже окончания срока действия договоров (${end})`);
  }
}

/**
 * The date a plan's contracts or order are signed on: `date` as given, else `today` while the
 * plan runs, else its first working day (`defaultDocumentDate`).
 */
export function planDocumentDate(source: PlanDocumentSource, date: IsoDate | undefined, today: IsoDate): IsoDate {
  return date ?? defaultDocumentDate(source.paperwork.span, source.calendar, today);
}

/**
 * The order approving the participant schools, their curators and working groups.
 * @throws DocumentDataError when the plan lacks what the order needs (nothing is registered then)
 */
export async function issueOrder(office: DocumentOffice, source: PlanDocumentSource, options: { date?: IsoDate | undefined; today: IsoDate }): Promise<IssuedDocument> {
  const [issued] = await issuePlanDocuments(office, issueContextOf(source.paperwork), [orderOrder(source.paperwork)], planDocumentDate(source, options.date, options.today));
  return issued!;
}

/**
 * A contract for every pair of a participant school and its partner, all checked before any is
 * numbered; `onProgress` hears how many of them are issued (new or registered before).
 * @throws ContractDateAfterTerm for a `date` after the contracts' term
 * @throws NoContractPairs when the plan names no pair
 * @throws DocumentDataError when any contract's data is short (none is registered then)
 */
export async function issueContracts(
  office: DocumentOffice,
  source: PlanDocumentSource,
  options: { date?: IsoDate | undefined; today: IsoDate; onProgress?: (done: number, total: number) => void },
): Promise<IssuedDocument[]> {
  const end = source.paperwork.span.end;
  if (options.date !== undefined && options.date > end) throw new ContractDateAfterTerm(options.date, end);
  const orders = contractOrders(source.paperwork);
  if (orders.length === 0) throw new NoContractPairs();
  const date = planDocumentDate(source, options.date, options.today);
  return issuePlanDocuments(office, issueContextOf(source.paperwork), orders, date, options.onProgress ? { onProgress: options.onProgress } : {});
}

/**
 * The report on the plan's execution from its tasks' states as of `asOf`, dated `date` (else
 * `asOf`). Asked again for the same day and the same states it is the registered one; with the
 * states changed since (a task done or accepted), a new one with its own number.
 */
export async function issueExecutionReport(office: DocumentOffice, paperwork: PlanPaperwork, tasks: readonly TaskProgress[], options: { asOf: IsoDate; date?: IsoDate | undefined }): Promise<IssuedDocument> {
  const [issued] = await issuePlanDocuments(office, issueContextOf(paperwork), [executionReportOrder(paperwork, tasks, options.asOf, (input) => sha256(canonicalJson(input)))], options.date ?? options.asOf);
  return issued!;
}

/**
 * The report on the spending of the subsidy from the lines a person gives; the same lines make
 * the same document (its number comes back), other lines a new one.
 * @throws DocumentDataError naming each line's field that does not fit
 */
export async function issueSubsidyReport(office: DocumentOffice, paperwork: PlanPaperwork, given: { lines: readonly SpendingLine[]; basis?: string | undefined; date: IsoDate }): Promise<IssuedDocument> {
  const order = subsidyReportOrder(paperwork, { lines: given.lines, ...(given.basis ? { basis: given.basis } : {}), inputHash: (input) => sha256(canonicalJson(input)) });
  const [issued] = await issuePlanDocuments(office, issueContextOf(paperwork), [order], given.date);
  return issued!;
}

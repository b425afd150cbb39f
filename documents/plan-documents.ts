/**
 * The documents a plan yields, built from what the plan already says so nobody retypes a name:
 * a partnership contract per participant school and its partner, the order approving the
 * schools, curators and working groups, and the report on the plan's execution from the tasks'
 * states. Pure: the plan and the states in, the documents' inputs and register keys out.
 */
import { formatRussianDate, type IsoDate } from '../plan/dates.ts';
import type { DocumentTemplateId } from '../plan/document-numbering.ts';
import type { Recipient } from '../plan/notifications.ts';
import type { PlanSpan } from '../plan/plan-span.ts';
import { participantSchools } from '../plan/schedule.ts';
import type { Plan, School } from '../plan/schema.ts';
import { DocumentDataError } from './document-errors.ts';

/** The program plangraf is made for, in the genitive after «в рамках реализации»; `paperwork.program` names another. */
export const DEFAULT_PROGRAM = 'мероприятия по повышению качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях';

/** A plan as its documents see it: the plan, the key it runs under and the year it is laid over. */
export interface PlanPaperwork {
  plan: Plan;
  planKey: string;
  span: PlanSpan;
}

/** One document to issue: its template, its register key and its input. */
export interface DocumentOrder {
  template: DocumentTemplateId;
  /** The register key: the same key is the same document, issued once. */
  key: string;
  input: unknown;
  /** Who must receive it besides the task's executor: a contract's two directors. */
  recipients: Recipient[];
}

/** Whose the documents are and how they are numbered: the plan key, its year, its number formats. */
export function issueContextOf({ plan, planKey, span }: PlanPaperwork): { planKey: string; year: number; numbering: Partial<Record<DocumentTemplateId, string>> } {
  return { planKey, year: span.firstYear, numbering: plan.paperwork?.numbering ?? {} };
}

/** «2026 год», «2022/2023 учебный год». */
export function periodText(span: PlanSpan): string {
  return span.kind === 'year' ? `${span.firstYear} год` : `${span.firstYear}/${span.firstYear + 1} учебный год`;
}

function programOf(plan: Plan): string {
  return plan.paperwork?.program ?? DEFAULT_PROGRAM;
}

function placeOf(plan: Plan, template: string): string {
  const place = plan.paperwork?.place ?? plan.region;
  if (place === undefined) throw new DocumentDataError(template, [{ field: 'paperwork.place', message: 'в плане не сказано, где подписываются документы: добавьте paperwork.place (например, «г. Рязань») или region' }]);
  return place;
}

function signerOf(plan: Plan, template: string): { position: string; name: string } {
  const id = plan.paperwork?.signer ?? plan.office;
  const person = id === undefined ? undefined : plan.people.find((entry) => entry.id === id);
  if (!person) throw new DocumentDataError(template, [{ field: 'paperwork.signer', message: 'не сказано, кто подписывает документы: добавьте paperwork.signer (id человека из people) или office' }]);
  if (!person.position) throw new DocumentDataError(template, [{ field: `people (${person.id}).position`, message: `у подписывающего ${person.name} не указана должность (position)` }]);
  return { position: person.position, name: person.name };
}

function directorRecipient(school: School): Recipient {
  return { id: `director:${school.id}`, name: school.director.name, email: school.director.email };
}

function partyOf(school: School) {
  return {
    name: school.name,
    ...(school.shortName ? { shortName: school.shortName } : {}),
    ...(school.municipality ? { municipality: school.municipality } : {}),
    ...(school.address ? { address: school.address } : {}),
    director: {
      name: school.director.name,
      ...(school.director.nameGenitive ? { nameGenitive: school.director.nameGenitive } : {}),
      position: school.director.position,
    },
  };
}

/** The register key of a plan's document: `ryazan-2020:contract:sch-01:sch-11`. */
export function documentKey(planKey: string, template: DocumentTemplateId, ...parts: string[]): string {
  return [planKey, template, ...parts].join(':');
}

/**
 * A contract per participant school that has a partner, in plan order; `schools` limits them
 * (a per-school task's contract is its school's).
 */
export function contractOrders({ plan, planKey, span }: PlanPaperwork, schools?: readonly string[]): DocumentOrder[] {
  const byId = new Map(plan.schools.map((school) => [school.id, school]));
  return participantSchools(plan)
    .filter((school) => school.partner !== undefined && (schools === undefined || schools.includes(school.id)))
    .map((school) => {
      const partner = byId.get(school.partner!)!;
      return {
        template: 'contract',
        key: documentKey(planKey, 'contract', school.id, partner.id),
        recipients: [directorRecipient(school), directorRecipient(partner)],
        input: { place: placeOf(plan, 'contract.docx'), program: programOf(plan), validUntil: span.end, partner: partyOf(partner), participant: partyOf(school) },
      };
    });
}

/** The order approving the participant schools, their curators and the municipal working groups. */
export function orderOrder({ plan, planKey, span }: PlanPaperwork): DocumentOrder {
  const byId = new Map(plan.schools.map((school) => [school.id, school]));
  const person = (id: string | undefined) => (id === undefined ? undefined : plan.people.find((entry) => entry.id === id));
  const participants = participantSchools(plan);
  const municipalityOf = (school: School) => school.municipality ?? plan.municipality ?? plan.region ?? 'муниципальное образование не указано';
  const schools = participants.map((school) => {
    const curator = person(school.curator);
    const partner = school.partner === undefined ? undefined : byId.get(school.partner);
    return {
      name: school.name,
      kind: school.kind,
      municipality: municipalityOf(school),
      director: school.director.name,
      curator: curator?.name ?? 'не назначен',
      ...(curator?.position ? { curatorPosition: [curator.position, curator.organization].filter(Boolean).join(', ') } : {}),
      ...(partner ? { partner: partner.name } : {}),
    };
  });
  const municipalities = [...new Set(participants.map(municipalityOf))];
  const workingGroups = municipalities.map((municipality) => {
    const here = participants.filter((school) => municipalityOf(school) === municipality);
    const curators = [...new Set(here.flatMap((school) => (school.curator === undefined ? [] : [school.curator])))].flatMap((id) => person(id) ?? []);
    return {
      municipality,
      members: [
        ...curators.map((curator) => ({ name: curator.name, role: `персональный куратор${curator.position ? `, ${curator.position}` : ''}` })),
        ...here.map((school) => ({ name: school.director.name, role: `${school.director.position} ${school.name}` })),
      ],
    };
  });
  const signer = signerOf(plan, 'order.docx');
  const issuerPerson = person(plan.paperwork?.signer ?? plan.office);
  const issuer = plan.paperwork?.issuer ?? issuerPerson?.organization;
  if (issuer === undefined) throw new DocumentDataError('order.docx', [{ field: 'paperwork.issuer', message: 'не сказано, кто издаёт приказ: добавьте paperwork.issuer или organization у подписывающего' }]);
  return {
    template: 'order',
    key: documentKey(planKey, 'order', 'participants'),
    recipients: [],
    input: { issuer, place: placeOf(plan, 'order.docx'), program: programOf(plan), period: periodText(span), schools, workingGroups, signer },
  };
}

/** A task's state as the plan knows it, enough for the report. */
export interface TaskProgress {
  task: string;
  item: string;
  school: string | null;
  state: 'planned' | 'waiting' | 'active' | 'overdue' | 'review' | 'done' | 'unscheduled';
  due: IsoDate | null;
  result: string | null;
  /** The files the executor sent with the report that closed the task (`withReportFiles`). */
  files?: readonly string[];
}

/** Files named in a row of the report before «и ещё N»: the register keeps them all. */
const FILES_NAMED = 5;

/**
 * The tasks with the names of the files sent with the report that closed each done one (its last
 * report); a task without files, or not done, is as it was.
 */
export function withReportFiles<T extends TaskProgress>(tasks: readonly T[], files: ReadonlyMap<string, readonly { report: number; fileName: string }[]>): T[] {
  return tasks.map((task) => {
    const own = task.state === 'done' ? (files.get(task.task) ?? []) : [];
    const last = Math.max(0, ...own.map((file) => file.report));
    const names = own.filter((file) => file.report === last).map((file) => file.fileName);
    return names.length > 0 ? { ...task, files: names } : task;
  });
}

/** «подтверждено файлами: скан.pdf, протокол.docx и ещё 3». */
function filesText(tasks: readonly TaskProgress[]): string {
  const names = tasks.flatMap((task) => task.files ?? []);
  if (names.length === 0) return '';
  const rest = names.length - FILES_NAMED;
  return `подтверждено ${names.length === 1 ? 'файлом' : 'файлами'}: ${names.slice(0, FILES_NAMED).join(', ')}${rest > 0 ? ` и ещё ${rest}` : ''}`;
}

/** The report on the plan's execution as of a day: one row per activity, in plan order. */
/**
 * @param inputHash given, the register key holds the report's content as well as its day: a
 *   report asked again with the same states is the registered one, with other states (a task
 *   done or accepted since) a new one; without it (a task's documents), one report a day.
 */
export function executionReportOrder({ plan, planKey, span }: PlanPaperwork, tasks: readonly TaskProgress[], asOf: IsoDate, inputHash?: (input: unknown) => string): DocumentOrder {
  const rows = plan.items.map((item) => {
    const own = tasks.filter((task) => task.item === item.id);
    const done = own.filter((task) => task.state === 'done');
    const overdue = own.filter((task) => task.state === 'overdue');
    const results = [...new Set(done.flatMap((task) => (task.result ? [task.result] : [])))];
    const dues = own.flatMap((task) => (task.due ? [task.due] : [])).sort();
    const actual = results.length === 0 ? '—' : own.length > 1 && results.length === 1 ? `${results[0]} (${done.length} из ${own.length})` : results.join('; ');
    const evidence = filesText(done);
    return {
      item: item.id,
      title: item.title,
      period: item.when ?? item.within ?? '—',
      executor: executorText(plan, item.executor, item.per === 'school'),
      target: item.result === undefined ? '—' : String(item.result),
      actual: evidence ? `${actual}; ${evidence}` : actual,
      state: stateText(own.length, done.length, overdue.length, own),
      due: dues.length === 0 ? '—' : dues[0] === dues.at(-1) ? formatRussianDate(dues[0]!) : `${formatRussianDate(dues[0]!)} – ${formatRussianDate(dues.at(-1)!)}`,
      done: own.length > 0 && done.length === own.length,
      overdue: overdue.length > 0,
      tasks: own.length,
      tasksDone: done.length,
    };
  });
  let signer: { position: string; name: string } | undefined;
  try {
    signer = signerOf(plan, 'execution-report.docx');
  } catch {
    signer = undefined;
  }
  const input = { title: plan.title ?? plan.id, ...(plan.region ? { region: plan.region } : {}), period: periodText(span), asOf, rows, ...(signer ? { signer } : {}) };
  return {
    template: 'execution-report',
    key: documentKey(planKey, 'execution-report', inputHash ? `${asOf}:${inputHash(input).slice(0, 16)}` : asOf),
    recipients: [],
    input,
  };
}

function executorText(plan: Plan, executor: string[] | undefined, perSchool: boolean): string {
  const names = (executor ?? []).map((id) => {
    const person = plan.people.find((entry) => entry.id === id);
    return person ? person.name : id;
  });
  return [...(perSchool ? ['директора школ-участниц'] : []), ...names].join(', ') || '—';
}

function stateText(total: number, done: number, overdue: number, tasks: readonly TaskProgress[]): string {
  if (total === 0) return '—';
  if (done === total) return 'выполнено';
  // A report on check is not done: only what the office accepted counts.
  const onReview = tasks.filter((task) => task.state === 'review').length;
  const late = overdue > 0 ? (total > 1 ? `, просрочено ${overdue}` : '') : '';
  const checking = onReview > 0 ? `, на проверке ${onReview}` : '';
  if (done > 0) return `выполнено ${done} из ${total}${late}${checking}`;
  if (onReview === total) return 'на проверке';
  if (overdue > 0) return total > 1 ? `просрочено ${overdue} из ${total}${checking}` : 'просрочено';
  if (onReview > 0) return `на проверке ${onReview} из ${total}`;
  if (tasks.some((task) => task.state === 'active' || task.state === 'waiting')) return 'в работе';
  if (tasks.every((task) => task.state === 'unscheduled')) return 'по отдельному графику';
  return 'не начато';
}

/**
 * The documents a task's start produces, from the item's `documents:`: a per-school task's
 * contract is its own school's, the others' every pair's; the report is as of `asOf`. The
 * subsidy report and the analytic note need data a person gives, so a plan cannot name them.
 */
export function ordersForTask(paperwork: PlanPaperwork, templates: readonly DocumentTemplateId[], school: string | null, tasks: readonly TaskProgress[], asOf: IsoDate): DocumentOrder[] {
  return templates.flatMap((template): DocumentOrder[] => {
    switch (template) {
      case 'contract':
        return contractOrders(paperwork, school === null ? undefined : [school]);
      case 'order':
        return [orderOrder(paperwork)];
      case 'execution-report':
        return [executionReportOrder(paperwork, tasks, asOf)];
      default:
        return [];
    }
  });
}

/** One line of the subsidy report as a person gives it: what the money was for, planned and spent. */
export interface SpendingLine {
  name: string;
  planned: string | number;
  spent: string | number;
  note?: string;
}

/**
 * The report on the spending of the subsidy: the lines a person gives, the rest from the plan
 * (who received it, the region, the program, the period, who signs). The same lines make the
 * same document: its key carries their hash, so asking again returns the registered one.
 */
export function subsidyReportOrder({ plan, planKey, span }: PlanPaperwork, given: { lines: readonly SpendingLine[]; basis?: string; inputHash: (input: unknown) => string }): DocumentOrder {
  const template = 'subsidy-report.docx';
  const signer = signerOf(plan, template);
  const signerPerson = plan.people.find((entry) => entry.id === (plan.paperwork?.signer ?? plan.office));
  const recipient = plan.paperwork?.issuer ?? signerPerson?.organization;
  if (recipient === undefined) throw new DocumentDataError(template, [{ field: 'paperwork.issuer', message: 'не сказано, кто получил субсидию: добавьте paperwork.issuer или organization у подписывающего' }]);
  const region = plan.region ?? plan.paperwork?.place;
  if (region === undefined) throw new DocumentDataError(template, [{ field: 'region', message: 'в плане не указан регион (region)' }]);
  const input = {
    recipient,
    region,
    program: programOf(plan),
    period: periodText(span),
    ...(given.basis ? { basis: given.basis } : {}),
    lines: given.lines.map((line) => ({ name: line.name, planned: line.planned, spent: line.spent, ...(line.note ? { note: line.note } : {}) })),
    signer,
  };
  return { template: 'subsidy-report', key: documentKey(planKey, 'subsidy-report', given.inputHash(input).slice(0, 16)), recipients: [], input };
}

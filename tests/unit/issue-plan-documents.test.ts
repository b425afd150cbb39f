/**
 * A plan's documents made the one way the command line and the pages share: the contracts of
 * every pair with their progress, the order, the subsidy report from a person's lines; the same
 * numbers when asked again; nothing registered when the data falls short; and what the pages say
 * of a problem, in the words of the person who fixes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DocumentDataError } from '../../documents/document-errors.ts';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { ContractDateAfterTerm, issueContracts, issueOrder, issueSubsidyReport, NoContractPairs, type PlanDocumentSource } from '../../documents/issue-plan-documents.ts';
import { FileDocumentRegister } from '../../documents/register.ts';
import { planSpan } from '../../plan/plan-span.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { Plan } from '../../plan/schema.ts';
import { zipOf } from '../../web/documents/document-files.ts';
import { DocumentJobs } from '../../web/documents/document-jobs.ts';
import { explainDocumentError, fieldInWords, problemInWords, spendingLinesOf } from '../../web/documents/plan-documents.ts';
import type { ServedPlan } from '../../web/plans.ts';
import { buildPlan } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { docxText } from '../support/docx-text.ts';

const PEOPLE = [
  { id: 'coordinator', name: 'Иванова Ольга Юрьевна', position: 'региональный координатор', organization: 'Министерство образования Рязанской области', email: 'coordinator@example.org' },
  { id: 'riro', name: 'Петров Иван Сергеевич', position: 'методист', email: 'riro@example.org' },
];

let calendar: ProductionCalendar;
let dir: string;
let office: { register: FileDocumentRegister; renderer: DocumentRenderer };

beforeAll(async () => {
  calendar = await shippedCalendar();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plangraf-issue-'));
  office = { register: new FileDocumentRegister(dir), renderer: new DocumentRenderer() };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sourceOf(data: unknown): PlanDocumentSource {
  const plan = Plan.parse(data);
  return { paperwork: { plan, planKey: plan.id, span: planSpan(plan) }, calendar };
}

const goodPlan = () => sourceOf(buildPlan({ region: 'Рязанская область', people: PEOPLE }));

describe('the contracts of every pair', () => {
  it('issues one per pair, tells the progress of each, and asked again returns the same numbers without new ones', async () => {
    const progress: string[] = [];
    const first = await issueContracts(office, goodPlan(), { date: '2020-03-02', today: '2026-05-01', onProgress: (done, total) => progress.push(`${done}/${total}`) });
    expect(first.map((document) => [document.number, document.fresh])).toEqual([['ДС-2020/001', true], ['ДС-2020/002', true]]);
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
    expect(docxText(first[0]!.content)).toContain('МОУ «Ерахтурская средняя школа»');

    const again: string[] = [];
    const second = await issueContracts(office, goodPlan(), { today: '2026-05-01', onProgress: (done, total) => again.push(`${done}/${total}`) });
    expect(second.map((document) => [document.number, document.fresh])).toEqual([['ДС-2020/001', false], ['ДС-2020/002', false]]);
    expect(again).toEqual(['0/2', '1/2', '2/2']);
    expect((await office.register.entries()).map((entry) => entry.number)).toEqual(['ДС-2020/001', 'ДС-2020/002']);
  });

  it('dates them by the plan when no date is given: its first working day for a plan of a past year', async () => {
    const [contract] = await issueContracts(office, goodPlan(), { today: '2026-05-01' });
    expect(contract!.date).toBe('2020-01-09');
  });

  it('refuses a date after the contracts’ term, and a plan without pairs, registering nothing', async () => {
    await expect(issueContracts(office, goodPlan(), { date: '2021-01-11', today: '2026-05-01' })).rejects.toBeInstanceOf(ContractDateAfterTerm);
    const noPartners = sourceOf(buildPlan({ region: 'Рязанская область', people: PEOPLE, schools: (buildPlan().schools as Record<string, unknown>[]).map(({ partner: _partner, ...school }) => school) }));
    await expect(issueContracts(office, noPartners, { today: '2026-05-01' })).rejects.toBeInstanceOf(NoContractPairs);
    expect(await office.register.entries()).toEqual([]);
  });

  it('registers none when one pair’s data falls short, and the page names the school and the field', async () => {
    const schools = (buildPlan().schools as { id: string; director: Record<string, unknown> }[]).map((school) => (school.id === 'sch-02' ? { ...school, director: { ...school.director, name: ' ' } } : school));
    const source = sourceOf(buildPlan({ region: 'Рязанская область', people: PEOPLE, schools }));
    const error = await issueContracts(office, source, { today: '2026-05-01' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DocumentDataError);
    expect(await office.register.entries()).toEqual([]);
    const served = { key: 'test-plan', loaded: { plan: source.paperwork.plan } } as unknown as ServedPlan;
    expect(explainDocumentError(error, served)).toEqual([
      'Документы не сформированы и не зарегистрированы: в плане не хватает данных. Исправьте план и повторите.',
      'Договор МОУ «Лесновская средняя школа» и МБОУ «Шиловская средняя школа № 1»: МОУ «Лесновская средняя школа» (школа-участница) — ФИО директора: пусто: документ напечатал бы пропуск',
    ]);
  });
});

describe('the order and the subsidy report', () => {
  it('issues the order once: the second request gets its number back', async () => {
    const first = await issueOrder(office, goodPlan(), { date: '2020-03-02', today: '2026-05-01' });
    const second = await issueOrder(office, goodPlan(), { today: '2026-05-01' });
    expect([first.number, first.fresh, second.number, second.fresh]).toEqual(['1-П', true, '1-П', false]);
  });

  it('says which field of the plan the order lacks', async () => {
    const source = sourceOf(buildPlan({ people: PEOPLE }));
    const error = await issueOrder(office, source, { today: '2026-05-01' }).catch((caught: unknown) => caught);
    expect(explainDocumentError(error, { key: 'test-plan', loaded: { plan: source.paperwork.plan } } as unknown as ServedPlan)?.[1]).toMatch(/paperwork\.place/);
  });

  it('makes the subsidy report from the lines a person gives; the same lines are the same document, other lines a new one', async () => {
    const lines = spendingLinesOf('Повышение квалификации; 1 200 000; 1 150 000,50\n\nОборудование; 300000; 300000; закуплено полностью');
    if (!lines.ok) throw new Error(lines.problems.join('\n'));
    const first = await issueSubsidyReport(office, goodPlan().paperwork, { lines: lines.lines, date: '2020-12-25' });
    const again = await issueSubsidyReport(office, goodPlan().paperwork, { lines: lines.lines, date: '2020-12-25' });
    const other = await issueSubsidyReport(office, goodPlan().paperwork, { lines: lines.lines.slice(0, 1), date: '2020-12-25' });
    expect([first.number, again.number, again.fresh, other.number]).toEqual(['ОС-2020/001', 'ОС-2020/001', false, 'ОС-2020/002']);
    expect(docxText(first.content)).toMatch(/Повышение квалификации/);
  });

  it('reads the lines as people write them and says which line is wrong', () => {
    expect(spendingLinesOf('Статья; 100')).toEqual({ ok: false, problems: ['Строка 1: нужно «статья; план; израсходовано» через точку с запятой, а в ней 2 части.'] });
    expect(spendingLinesOf('  \n')).toEqual({ ok: false, problems: ['Не указано ни одной строки расходов.'] });
    expect(fieldInWords('lines[1].spent')).toBe('строка 2: израсходовано');
    expect(problemInWords(goodPlan().paperwork.plan, 'test-plan', { field: 'test-plan:subsidy-report:abc: lines[0].planned', message: 'не число' })).toBe('Отчёт о расходовании средств субсидии: строка 1: сумма по плану: не число');
  });
});

describe('the pages’ background jobs and archives', () => {
  it('runs one job of a plan at a time, counting its progress, and keeps how it ended', async () => {
    const jobs = new DocumentJobs();
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const job = jobs.start('p', 'contracts', 'office', async (progress) => {
      progress(0, 3);
      progress(1, 3);
      await gate;
      progress(3, 3);
      return [];
    }, { explain: () => null });
    expect(jobs.start('p', 'contracts', 'office', async () => [], { explain: () => null }).id).toBe(job.id);
    expect([job.state, job.done, job.total]).toEqual(['running', 1, 3]);
    finish();
    const ended = await jobs.settled(job.id);
    expect([ended?.state, ended?.done]).toEqual(['done', 3]);
  });

  it('packs files into a .zip that opens, a name met twice numbered', () => {
    const zip = new PizZip(zipOf([{ name: 'Договор.docx', content: Buffer.from('a') }, { name: 'Договор.docx', content: Buffer.from('b') }]));
    expect(Object.keys(zip.files)).toEqual(['Договор.docx', 'Договор (2).docx']);
    expect(zip.file('Договор (2).docx')!.asText()).toBe('b');
  });
});

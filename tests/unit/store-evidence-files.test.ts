/**
 * Evidence files in the store, on a real PostgreSQL: bytes kept once by their SHA-256, a report's
 * files saved all or none and once, listed in the order of reports and attachment, under cleaned
 * names, and read only through the plan and task they were attached to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/database.ts';
import { cleanFileName, listPlanFiles, listTaskFiles, readEvidenceFile, saveReportFiles, sha256Of, type EvidenceFileInput, type EvidenceReportInput } from '../../store/evidence-files.ts';
import { testStore } from '../support/store.ts';

let store: Store;
beforeAll(async () => {
  store = await testStore();
});
afterAll(() => store?.close());

/** A PDF of its own for each `text`. */
const pdf = (text: string, fileName = `${text}.pdf`): EvidenceFileInput => ({ fileName, mediaType: 'application/pdf', content: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });

/** Each test its own plan, so none reads another's files. */
let plans = 0;
const newPlan = () => `plan-${++plans}`;

const report = (planKey: string, overrides: Partial<EvidenceReportInput> = {}): EvidenceReportInput => ({
  planKey,
  task: '13/2@sch-01',
  report: 1,
  reportedBy: 'director-sch-01',
  reportedAt: new Date('2026-03-31T09:15:00Z'),
  files: [pdf('план')],
  ...overrides,
});

const contents = async (hash: string) => Number((await store.pool.query<{ n: number }>('select count(*) as n from evidence_contents where sha256 = $1', [hash])).rows[0]!.n);

describe('evidence files in the store', () => {
  it('keeps the bytes of a file once, however many reports, tasks and plans attach them', async () => {
    const same = pdf('протокол');
    const first = newPlan();
    const second = newPlan();
    await saveReportFiles(store, report(first, { files: [same] }));
    await saveReportFiles(store, report(first, { report: 2, files: [{ ...same, fileName: 'протокол (исправленный).pdf' }] }));
    await saveReportFiles(store, report(first, { task: '14/1@sch-02', files: [same] }));
    await saveReportFiles(store, report(second, { files: [same] }));
    expect(await contents(sha256Of(same.content))).toBe(1);
    expect((await listTaskFiles(store.pool, first, '13/2@sch-01')).map((file) => file.fileName)).toEqual(['протокол.pdf', 'протокол (исправленный).pdf']);
  });

  it('saves a report\'s files all or none: a file failing leaves neither the report nor the bytes before it', async () => {
    const planKey = newPlan();
    const fresh = pdf('приказ только что');
    await expect(saveReportFiles(store, report(planKey, { files: [fresh, { fileName: 'пусто.pdf', mediaType: 'application/pdf', content: Buffer.alloc(0) }] }))).rejects.toThrow(/check constraint/);
    expect(await listTaskFiles(store.pool, planKey, '13/2@sch-01')).toEqual([]);
    expect(await contents(sha256Of(fresh.content))).toBe(0);
    const saved = await saveReportFiles(store, report(planKey, { files: [fresh] }));
    expect(saved).toMatchObject({ saved: true, files: [{ report: 1, fileName: 'приказ только что.pdf' }] });
  });

  it('lists a task\'s files by report and then as attached, with who reported them and when, and the plan\'s by task', async () => {
    const planKey = newPlan();
    await saveReportFiles(store, report(planKey, { files: [pdf('план'), { fileName: 'фото.jpg', mediaType: 'image/jpeg', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]) }] }));
    await saveReportFiles(store, report(planKey, { task: '2/1@sch-01', files: [pdf('справка')] }));
    await saveReportFiles(store, report(planKey, { report: 2, reportedBy: 'curator-1', reportedAt: new Date('2026-04-03T12:00:00Z'), files: [pdf('план, исправленный')] }));

    const files = await listTaskFiles(store.pool, planKey, '13/2@sch-01');
    expect(files.map(({ report, position, fileName, mediaType, size, reportedBy }) => ({ report, position, fileName, mediaType, size, reportedBy }))).toEqual([
      { report: 1, position: 1, fileName: 'план.pdf', mediaType: 'application/pdf', size: pdf('план').content.length, reportedBy: 'director-sch-01' },
      { report: 1, position: 2, fileName: 'фото.jpg', mediaType: 'image/jpeg', size: 5, reportedBy: 'director-sch-01' },
      { report: 2, position: 1, fileName: 'план, исправленный.pdf', mediaType: 'application/pdf', size: pdf('план, исправленный').content.length, reportedBy: 'curator-1' },
    ]);
    expect(files[0]!.reportedAt).toEqual(new Date('2026-03-31T09:15:00Z'));
    expect(files[2]!.reportedAt).toEqual(new Date('2026-04-03T12:00:00Z'));
    expect(files[0]).not.toHaveProperty('content');

    const plan = await listPlanFiles(store.pool, planKey);
    expect([...plan.keys()].sort()).toEqual(['13/2@sch-01', '2/1@sch-01']);
    expect(plan.get('13/2@sch-01')).toEqual(files);
    expect(plan.get('2/1@sch-01')!.map((file) => [file.fileName, file.size])).toEqual([['справка.pdf', pdf('справка').content.length]]);
    expect(await listPlanFiles(store.pool, newPlan())).toEqual(new Map());
  });

  it('stores names cleaned: no path, no control characters or direction marks', async () => {
    const planKey = newPlan();
    const saved = await saveReportFiles(store, report(planKey, { files: [pdf('x', 'C:\\fakepath\\Протокол\u0007 №\u00a03\u202Efdp.exe'), pdf('y', '../../etc/passwd'), pdf('z', ' ..\n')] }));
    expect(saved.files.map((file) => file.fileName)).toEqual(['Протокол № 3 fdp.exe', 'passwd', 'файл']);
  });

  it('takes the same files saved again for a report as done, and refuses other files for it', async () => {
    const planKey = newPlan();
    const first = await saveReportFiles(store, report(planKey, { files: [pdf('a'), pdf('b')] }));
    const again = await saveReportFiles(store, report(planKey, { files: [pdf('a'), pdf('b')] }));
    expect(again).toEqual(first);
    const other = await saveReportFiles(store, report(planKey, { files: [pdf('c')] }));
    expect(other).toMatchObject({ saved: false, reason: 'report-taken' });
    expect(other.files.map((file) => file.fileName)).toEqual(['a.pdf', 'b.pdf']);
    expect(await listTaskFiles(store.pool, planKey, '13/2@sch-01')).toHaveLength(2);
  });

  it('saves one of two different sets of files sent for one report at the same moment', async () => {
    const planKey = newPlan();
    const outcomes = await Promise.all([saveReportFiles(store, report(planKey, { files: [pdf('раз')] })), saveReportFiles(store, report(planKey, { files: [pdf('два')] }))]);
    expect(outcomes.map((outcome) => outcome.saved).sort()).toEqual([false, true]);
    expect(await listTaskFiles(store.pool, planKey, '13/2@sch-01')).toHaveLength(1);
  });

  it('records nothing for a report without files', async () => {
    const planKey = newPlan();
    expect(await saveReportFiles(store, report(planKey, { files: [] }))).toEqual({ saved: true, files: [] });
    expect(await saveReportFiles(store, report(planKey, { files: [pdf('позже')] }))).toMatchObject({ saved: true });
  });

  it('reads a file\'s bytes only through the plan and task it was attached to', async () => {
    const planKey = newPlan();
    const scan = pdf('скан приказа');
    const hash = sha256Of(scan.content);
    await saveReportFiles(store, report(planKey, { files: [scan] }));
    await saveReportFiles(store, report(newPlan(), { task: '13/2@sch-02', files: [{ ...scan, fileName: 'чужой.pdf' }] }));

    const read = await readEvidenceFile(store.pool, planKey, '13/2@sch-01', hash);
    expect(read).toMatchObject({ fileName: 'скан приказа.pdf', mediaType: 'application/pdf', size: scan.content.length });
    expect(read!.content.equals(scan.content)).toBe(true);
    expect(await readEvidenceFile(store.pool, planKey, '13/2@sch-02', hash)).toBeUndefined();
    expect(await readEvidenceFile(store.pool, newPlan(), '13/2@sch-01', hash)).toBeUndefined();
    expect(await readEvidenceFile(store.pool, planKey, '13/2@sch-01', sha256Of(Buffer.from('другое')))).toBeUndefined();
    expect(await readEvidenceFile(store.pool, planKey, '13/2@sch-01', "' or 1=1 --")).toBeUndefined();
  });

  it('serves a file attached to a task twice under its latest name', async () => {
    const planKey = newPlan();
    const scan = pdf('скан');
    await saveReportFiles(store, report(planKey, { files: [scan] }));
    await saveReportFiles(store, report(planKey, { report: 2, files: [{ ...scan, fileName: 'скан, подписанный.pdf' }] }));
    expect((await readEvidenceFile(store.pool, planKey, '13/2@sch-01', sha256Of(scan.content)))!.fileName).toBe('скан, подписанный.pdf');
  });
});

describe('cleaned file names', () => {
  it('cut a long name to 150 characters, keeping its extension, and compose «й» sent as two characters', () => {
    const long = cleanFileName(`${'Протокол заседания рабочей группы '.repeat(10)}.docx`);
    expect([...long].length).toBeLessThanOrEqual(150);
    expect([...long].length).toBeGreaterThan(140);
    expect(long.endsWith('.docx')).toBe(true);
    expect(cleanFileName('Мои\u0306 план.pdf')).toBe('Мой план.pdf');
  });
});

/**
 * The dates the plan's documents get when a command is not told one, and what the commands
 * say about a `--date`: a contract is never dated after its term, a day off is pointed out.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingReportDate, defaultDocumentDate } from '../../documents/document-dates.ts';
import { planSpan } from '../../plan/plan-span.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { docxText } from '../support/docx-text.ts';
import { runPlangraf, STACK_TRACE } from '../support/plangraf-process.ts';
import { testDatabaseUrl } from '../support/store.ts';

const RYAZAN_2020 = 'calendars/ryazan-2020.yaml';

let calendar: ProductionCalendar;
let scratch: string;

beforeAll(async () => {
  calendar = await shippedCalendar();
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-document-dates-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('defaultDocumentDate', () => {
  it('is today while the plan runs', () => {
    expect(defaultDocumentDate(planSpan({ year: 2026 }), calendar, '2026-03-02')).toBe('2026-03-02');
    expect(defaultDocumentDate(planSpan({ schoolYear: 2022 }), calendar, '2023-08-31')).toBe('2023-08-31');
  });

  it('is the first working day of the plan after its span, past the January holidays', () => {
    expect(defaultDocumentDate(planSpan({ year: 2020 }), calendar, '2026-12-01')).toBe('2020-01-09');
    expect(defaultDocumentDate(planSpan({ schoolYear: 2022 }), calendar, '2023-09-01')).toBe('2022-09-01');
  });

  it('is the first working day of the plan before its span', () => {
    expect(defaultDocumentDate(planSpan({ year: 2027 }), calendar, '2026-12-01')).toBe('2027-01-11');
  });
});

describe('closingReportDate', () => {
  it('is 31 December when people work that day', () => {
    expect(closingReportDate(planSpan({ year: 2020 }), calendar)).toBe('2020-12-31');
  });

  it('is the last working day before a 31 December that is a Saturday or a moved day off', () => {
    expect(closingReportDate(planSpan({ year: 2022 }), calendar)).toBe('2022-12-30');
    expect(closingReportDate(planSpan({ year: 2021 }), calendar)).toBe('2021-12-30');
    expect(closingReportDate(planSpan({ year: 2026 }), calendar)).toBe('2026-12-30');
  });
});

describe.concurrent('plangraf contracts and order with dates', { timeout: 30_000 }, () => {
  // Each run numbers in a store of its own, with nothing of the checkout's var/ to bring in.
  const run = async (name: string, args: string[]) => runPlangraf(args, { DATABASE_URL: await testDatabaseUrl(), PLANGRAF_VAR: join(scratch, `var-${name}`) });

  it('dates a past plan’s contracts on its first working day, within their term', async () => {
    const out = join(scratch, 'default');
    const result = await run('default', ['contracts', RYAZAN_2020, '-o', out]);
    expect(result.code).toBe(0);
    const [first] = (await readdir(out)).filter((file) => file.endsWith('.docx')).sort();
    const text = docxText(await readFile(join(out, first!)));
    expect(text).toContain('\t«09» января 2020 г.');
    expect(text).toContain('действует по «31» декабря 2020 г.');
  });

  it('refuses a --date after the contracts’ term with status 1, saying what to do, and writes nothing', async () => {
    const out = join(scratch, 'late');
    const result = await run('late', ['contracts', RYAZAN_2020, '-o', out, '--date', '2026-12-01']);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr.trim()).toBe('plangraf: --date 2026-12-01 позже окончания срока действия договоров (31.12.2020): договор нельзя заключить после того, как он перестал действовать. Укажите --date не позднее 2020-12-31 или не указывайте её — договоры получат сегодняшнюю дату, пока план действует, иначе первый рабочий день плана.');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('warns of a --date on a day off and issues the order on it', async () => {
    const result = await run('day-off', ['order', RYAZAN_2020, '-o', join(scratch, 'order.docx'), '--date', '2020-03-08']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe('plangraf: внимание: --date 2020-03-08 (08.03.2020) — нерабочий день по производственному календарю; ближайшие рабочие дни — 06.03.2020 и 10.03.2020');
    expect(result.stdout).toContain('от 08.03.2020');
  });
});

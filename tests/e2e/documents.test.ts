/**
 * The documents as people get them: the commands run as a user runs them, every document read
 * back by LibreOffice (converted to PDF and to text), on a plan the project has never seen whose
 * schools carry `&`, `<`, quotes, «ёлочки» and a 100-character name.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { convertWithLibreOffice } from '../../documents/pdf.ts';
import { DOCUMENT_TEMPLATE_IDS } from '../../plan/document-numbering.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import { TEMPLATES } from '../../templates/documents/catalog.ts';
import { testDatabaseUrl } from '../support/store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TIMEOUT = 180_000;
/** What a program error looks like: a stack trace or a thrown error's name. */
const STACK_TRACE = /^\s{4}at |\bError:|внутренняя ошибка/m;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let scratch: string;
/** The store the commands number and register their documents in. */
let databaseUrl: string;
let store: Store;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-documents-'));
  databaseUrl = await testDatabaseUrl();
  store = await connectStore(databaseUrl, { max: 2 });
});
afterAll(async () => {
  await store?.close();
  await rm(scratch, { recursive: true, force: true });
});

function plangraf(args: string[], env: Record<string, string> = {}): Promise<Run> {
  // The test's store, and a var folder of its own: nothing of the checkout's is read or imported.
  const own = { DATABASE_URL: databaseUrl, PLANGRAF_VAR: join(scratch, 'var'), PLANGRAF_DOCUMENTS: join(scratch, 'var', 'documents') };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, timeout: RUN_TIMEOUT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...own, ...env } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** LibreOffice's own reading of the documents: their plain text, one file each. */
async function readBack(files: string[]): Promise<string[]> {
  const out = await mkdtemp(join(scratch, 'text-'));
  const texts = await convertWithLibreOffice(files, out, 'txt:Text');
  return Promise.all(texts.map((file) => readFile(file, 'utf8')));
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

const LONG_NAME = `МБОУ «${'Средняя общеобразовательная школа с углублённым изучением отдельных предметов '.repeat(2)}`.slice(0, 99) + '»';
const SCHOOLS = [
  { id: 'u-1', name: 'МОУ «Школа & <Сад> "Радуга"»', kind: 'ШНОР', municipality: 'Сасовский район', director: { name: 'Сидоров Пётр Петрович', email: 'u1@example.org' }, partner: 'p-1' },
  { id: 'u-2', name: LONG_NAME, kind: 'ШНСУ', municipality: 'Касимовский район', director: { name: 'Кузнецова Анна Викторовна', email: 'u2@example.org' }, partner: 'p-2' },
  { id: 'u-3', name: "МОУ 'Лесная' школа № 3", kind: 'ШНОР', municipality: 'Сасовский район', director: { name: 'Ёлкина Алёна Сергеевна', email: 'u3@example.org' }, partner: 'p-1' },
  { id: 'p-1', name: 'МБОУ «Лицей № 1 им. А. С. Пушкина»', kind: 'партнер', director: { name: 'Орлов Максим Андреевич', email: 'p1@example.org' } },
  { id: 'p-2', name: 'МАОУ «Гимназия "Эрудит" & К°»', kind: 'партнер', director: { name: 'Белова Ирина Петровна', email: 'p2@example.org' } },
];
const PLAN = {
  id: 'sasovo-2026',
  title: 'План-график мероприятий по повышению качества образования на 2026 год',
  region: 'Рязанская область',
  year: 2026,
  office: 'office',
  paperwork: { place: 'г. Сасово', numbering: { contract: 'ДС-{year}/{n:3}' } },
  people: [{ id: 'office', name: 'Фролова Дарья Игоревна', position: 'руководитель проектного офиса', organization: 'Управление образования', email: 'office@example.org' }],
  schools: SCHOOLS,
  items: [
    { id: '1', title: 'Заключение договоров о сетевом партнёрстве', when: 'март - апрель', per: 'school', documents: ['contract'], result: 3 },
    { id: '2', title: 'Мониторинг', when: 'октябрь', executor: 'office', result: '100%' },
  ],
};

describe('the shipped templates read back by LibreOffice', () => {
  let texts: Map<string, string>;

  beforeAll(async () => {
    const renderer = new DocumentRenderer();
    const files: string[] = [];
    for (const id of DOCUMENT_TEMPLATE_IDS) {
      const document = await renderer.render(id, TEMPLATES[id].sample, { number: `N-${id}`, date: '2026-03-02' });
      const file = join(scratch, `${id}.docx`);
      await writeFile(file, document.content);
      files.push(file);
    }
    const pdfDir = await mkdtemp(join(scratch, 'pdf-'));
    const pdfs = await convertWithLibreOffice(files, pdfDir);
    for (const pdf of pdfs) expect((await readFile(pdf)).subarray(0, 5).toString()).toBe('%PDF-');
    texts = new Map((await readBack(files)).map((text, index) => [DOCUMENT_TEMPLATE_IDS[index]!, oneLine(text)]));
  }, RUN_TIMEOUT);

  it.each(DOCUMENT_TEMPLATE_IDS)('%s opens, with its number and date and no tag left', (id) => {
    const text = texts.get(id)!;
    expect(text).toContain(`N-${id}`);
    expect(text).toMatch(/«02» марта 2026 г\.|02\.03\.2026/);
    expect(text).not.toMatch(/[{}]/);
  });

  it('writes the contract\'s parties in the genitive, as «в лице директора …, действующего на основании Устава»', () => {
    expect(texts.get('contract')).toContain('в лице директора Орлова Максима Андреевича, действующего на основании Устава');
    expect(texts.get('contract')).toContain('в лице директора Жуковой Светланы Михайловны, действующей на основании Устава');
  });

  it('writes the subsidy totals in figures and in words', () => {
    const text = texts.get('subsidy-report')!;
    expect(text).toContain('Итого 1 250 000,00 1 234 567,89 15 432,11 98,8 %');
    expect(text).toContain('(Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек)');
  });

  it('counts with the right plural forms', () => {
    expect(texts.get('order')).toMatch(/2 общеобразовательные организации из 2 муниципальных образований/);
    expect(texts.get('analytic-note')).toContain('Число участников мониторинга — 3 общеобразовательные организации. Для 2 организаций результаты сопоставлены');
  });
});

describe('plangraf contracts on a plan it has never seen', () => {
  let planFile: string;
  let out: string;
  let run: Run;
  let texts: string[];

  beforeAll(async () => {
    planFile = join(scratch, 'sasovo-2026.yaml');
    await writeFile(planFile, stringify(PLAN, { lineWidth: 0 }));
    out = join(scratch, 'contracts');
    run = await plangraf(['contracts', planFile, '-o', out, '--date', '2026-03-02', '--pdf']);
    const docx = (await readdir(out)).filter((file) => file.endsWith('.docx')).sort();
    texts = (await readBack(docx.map((file) => join(out, file)))).map(oneLine);
  }, RUN_TIMEOUT);

  it('writes exactly one contract per pair, each with its own number, and a PDF of each', async () => {
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 договора');
    const files = (await readdir(out)).sort();
    expect(files.filter((file) => file.endsWith('.docx'))).toHaveLength(3);
    expect(files.filter((file) => file.endsWith('.pdf'))).toHaveLength(3);
    expect(texts.map((text) => /ДОГОВОР № (ДС-2026\/\d{3})/.exec(text)?.[1]).sort()).toEqual(['ДС-2026/001', 'ДС-2026/002', 'ДС-2026/003']);
  });

  it('names both schools and both directors exactly in each', () => {
    const byId = new Map(SCHOOLS.map((school) => [school.id, school]));
    for (const school of SCHOOLS.filter((entry) => entry.kind !== 'партнер')) {
      const partner = byId.get(school.partner!)!;
      const matching = texts.filter((text) => text.includes(`${school.name}, именуемое в дальнейшем «Школа-участник»`));
      expect(matching, school.name).toHaveLength(1);
      const [text] = matching;
      expect(text).toContain(`${partner.name}, именуемое в дальнейшем «Школа-партнёр»`);
      expect(text).toContain(school.director.name);
      expect(text).toContain(partner.director.name);
    }
    expect(texts.join('\n')).toContain('в лице директора Ёлкиной Алёны Сергеевны, действующей на основании Устава');
  });

  it('registers them in the store, and a second run takes no new numbers', async () => {
    const register = new StoreDocumentRegister(store);
    const entries = (await register.entries()).filter((entry) => entry.plan === 'sasovo-2026');
    expect(entries.map((entry) => entry.number)).toEqual(['ДС-2026/001', 'ДС-2026/002', 'ДС-2026/003']);
    for (const entry of entries) expect(await register.verify(entry)).toBe('ok');
    const again = await plangraf(['contracts', planFile, '-o', join(scratch, 'again')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('3 уже были в журнале');
    expect((await register.entries()).filter((entry) => entry.plan === 'sasovo-2026')).toHaveLength(3);
  }, RUN_TIMEOUT);
});

describe('plangraf render', () => {
  it('makes a document from a data file, numbered in the register', async () => {
    const data = join(scratch, 'subsidy.yaml');
    await writeFile(data, stringify(TEMPLATES['subsidy-report'].sample));
    const run = await plangraf(['render', 'subsidy-report', '--data', data, '-o', join(scratch, 'subsidy.docx'), '--date', '2026-12-20']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/subsidy\.docx: Отчёт о расходовании средств субсидии, № ОС-2026\/\d{3} от 20\.12\.2026/);
    const [text] = await readBack([join(scratch, 'subsidy.docx')]);
    expect(oneLine(text!)).toContain('ОГБУ ДПО «Рязанский институт развития образования»');
  }, RUN_TIMEOUT);

  it('points at the line of each field the data lacks, and writes nothing', async () => {
    const data = join(scratch, 'broken-contract.yaml');
    await writeFile(data, ['place: г. Рязань', 'program: мероприятия', 'validUntil: 2026-31-12', 'partner:', '  name: МБОУ «Лицей»', '  director: { name: Орлов Максим Андреевич }', 'participant:', '  name: ""', '  director: {}', ''].join('\n'));
    const run = await plangraf(['render', 'contract', '--data', data, '-o', join(scratch, 'never.docx')]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr.split('\n').slice(0, 3)).toEqual([
      `${data}:3:13: ошибка: validUntil: «2026-31-12» — не дата; ожидается ГГГГ-ММ-ДД, например 2026-03-02`,
      `${data}:8:9: ошибка: participant.name: пусто: документ напечатал бы пропуск`,
      `${data}:9:13: ошибка: participant.director.name: нет значения: поле обязательно`,
    ]);
    await expect(readFile(join(scratch, 'never.docx'))).rejects.toThrow();
  }, RUN_TIMEOUT);

  it('says plainly when --pdf has no LibreOffice, and keeps the .docx', async () => {
    const data = join(scratch, 'note.yaml');
    await writeFile(data, stringify(TEMPLATES['analytic-note'].sample));
    const run = await plangraf(['render', 'analytic-note', '--data', data, '-o', join(scratch, 'note.docx'), '--number', 'АС-1', '--pdf'], { PLANGRAF_SOFFICE: '/nonexistent/soffice' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('для --pdf нужен LibreOffice, а он не установлен: apt-get install libreoffice-writer-nogui');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect((await readFile(join(scratch, 'note.docx'))).subarray(0, 2).toString()).toBe('PK');
  }, RUN_TIMEOUT);
});

describe('plangraf templates check', () => {
  it('passes the shipped templates', async () => {
    const run = await plangraf(['templates', 'check']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(5);
  }, RUN_TIMEOUT);

  it('refuses an edited template with each problem at its place', async () => {
    const dir = join(scratch, 'my-templates');
    await execFileAsync('cp', ['-r', join(ROOT, 'templates/docx'), dir]);
    const PizZip = (await import('pizzip')).default;
    const zip = new PizZip(await readFile(join(dir, 'contract.docx')));
    zip.file('word/document.xml', zip.file('word/document.xml')!.asText().replace('{program}', '{programme}').replace('ДОГОВОР № {number}', 'ДОГОВОР № {number'));
    await writeFile(join(dir, 'contract.docx'), zip.generate({ type: 'nodebuffer' }));
    const run = await plangraf(['templates', 'check', '--templates', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('contract.docx: 1 ошибка:');
    expect(run.stderr).toContain('абзац 1: «ДОГОВОР № {number»: тег «{number» не закрыт: не хватает «}»');
    expect(run.stderr).toContain('1 шаблон с ошибками');
  }, RUN_TIMEOUT);
});

describe('plangraf report', () => {
  it('drafts the execution report from a simulated year, as of its last working day (31 December 2026 is a day off)', async () => {
    const planFile = join(scratch, 'report-plan.yaml');
    await writeFile(planFile, stringify(PLAN, { lineWidth: 0 }));
    const run = await plangraf(['report', planFile, '-o', join(scratch, 'report.docx'), '--simulate', 'on-due']);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/report\.docx: Отчёт о выполнении плана-графика, № ОИ-2026\/001 от 30\.12\.2026/);
    const [text] = await readBack([join(scratch, 'report.docx')]);
    expect(oneLine(text!)).toContain('по состоянию на «30» декабря 2026 г.');
    expect(oneLine(text!)).toContain('Заключение договоров о сетевом партнёрстве');
    expect(oneLine(text!)).toMatch(/выполнено/);
  }, RUN_TIMEOUT);
});

function execFileAsync(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(command, args, (error) => (error ? reject(error) : resolve())));
}

/**
 * `plangraf import` of Word tables built to look like real plan-graphs (the Konakovo programme:
 * «№ / Мероприятие / сроки / Ответственный исполнитель»), compared item by item and date by
 * date with the same plan typed in YAML.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, PageBreak, Paragraph, Table, TableCell, TableRow } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../activities/plan-files.ts';
import { readDocxTables } from '../../import/docx-table.ts';
import { ImportFileError } from '../../import/grid.ts';
import { importPlan } from '../../import/import-plan.ts';
import { findPlanTable, planOfTable, type ImportOptions } from '../../import/plan-table.ts';
import { draftFromUpload } from '../../web/drafts/draft-upload.ts';
import { buildDocx, loadPlanText, planEssence, type DocxSpec } from './import-builders.ts';

const SHY = '\u00ad';
const NBSP = '\u00a0';
const HEADER = ['№', 'Мероприятие', `Сро${SHY}ки`, 'Ответственный исполнитель', 'Ожидаемый результат'];

/** The Konakovo-like plan-graph: a title in paragraphs, merged executor cells, headings, a «second page». */
const KONAKOVO: DocxSpec = {
  otherTableFirst: [['УТВЕРЖДЕН', 'приказом Управления образования от 29.12.2022 № 100']],
  before: ['Программа повышения качества образования', '', 'План мероприятий', `по реализации программы повышения качества образования в школах с низкими образовательными результатами на 2022-2023${NBSP}учебный год`, ''],
  rows: [
    { header: true, cells: HEADER },
    { cells: ['1', '2', '3', '4', '5'] },
    { cells: [{ text: '1. Организационные мероприятия', columnSpan: 5 }] },
    { cells: ['1.', 'Собеседование с администрацией ШНОР', 'декабрь', { text: 'Гурьянова Л.Ю.', rowSpan: 2 }, '100%'] },
    { cells: ['2.', 'Совещание с руководством ШНОР', 'январь', ''] },
    { cells: ['2.1', `Анализ до${SHY}рожных карт\nШНОР`, 'Декабрь-\nиюнь', 'Кожехов М.С.,\nКлюшанова С.В.', 'да'] },
    // Word repeats the header on the next page; a copy typed by hand looks the same.
    { cells: HEADER },
    { cells: ['', '', '', '', ''] },
    { cells: [{ text: '2. Методическое сопровождение', columnSpan: 5 }] },
    { cells: ['3.', 'Мониторинг обеспеченности учебниками', `в течение${NBSP}года`, '', '100%'] },
    { cells: ['4.', 'Семинар для педагогов ШНОР', 'ежеквартально', 'РИРО, МОУО (по согласованию)', '4 семинара'] },
    { cells: ['5.', 'Итоговая конференция', '29.05.2023', 'Гурьянова Л. Ю.', ''] },
  ],
};

/** The same plan typed by hand, as PLAN-FORMAT.md writes it. */
const KONAKOVO_TYPED = `
id: konakovo
title: План мероприятий по реализации программы повышения качества образования в школах с низкими образовательными результатами на 2022-2023 учебный год
schoolYear: 2022
people:
  - { id: guryanova, name: Гурьянова Л.Ю. }
  - { id: kozhekhov, name: Кожехов М.С. }
  - { id: klyushanova, name: Клюшанова С.В. }
  - { id: riro, name: РИРО }
  - { id: mouo, name: МОУО }
items:
  - { id: "1", title: Собеседование с администрацией ШНОР, when: декабрь, executor: guryanova, result: 100% }
  - { id: "2", title: Совещание с руководством ШНОР, when: январь, executor: guryanova }
  - { id: "2.1", title: Анализ дорожных карт ШНОР, when: Декабрь-июнь, executor: [kozhekhov, klyushanova], result: да }
  - { id: "3", title: Мониторинг обеспеченности учебниками, when: в течение года, result: 100% }
  - { id: "4", title: Семинар для педагогов ШНОР, when: ежеквартально, executor: [riro, mouo], result: 4 семинара }
  - { id: "5", title: Итоговая конференция, when: 29.05.2023, executor: guryanova }
`;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-import-docx-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const OPTIONS: ImportOptions = { id: 'konakovo', fileName: 'konakovo.docx' };

/** Imports the spec, writes the YAML and loads it back as `plangraf validate` would. */
async function importAndLoad(spec: DocxSpec, options: Partial<ImportOptions> = {}) {
  const imported = await importPlan(await buildDocx(spec), 'docx', { ...OPTIONS, ...options }, 'imported.yaml');
  expect(imported.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  const file = join(scratch, `${options.id ?? OPTIONS.id}-imported.yaml`);
  await writeFile(file, imported.yaml!);
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) throw new Error(loaded.lines.join('\n'));
  return { imported, loaded };
}


describe('importing a Word plan-graph', () => {
  it('reads the Konakovo-like table item by item and date by date as the plan typed by hand', async () => {
    const { loaded } = await importAndLoad(KONAKOVO);
    const typed = await loadPlanText(scratch, KONAKOVO_TYPED, 'konakovo-typed.yaml');
    expect(planEssence(loaded.loaded)).toEqual(planEssence(typed));
    expect(loaded.loaded.plan.title).toBe(typed.plan.title);
  });

  it('gives a vertically merged executor cell to every row it spans, and splits «РИРО, МОУО» into the responsible one and a co-executor', async () => {
    const { loaded } = await importAndLoad(KONAKOVO);
    const tasks = loaded.loaded.schedule.tasks;
    expect(tasks.find((task) => task.task === '2')).toMatchObject({ executor: 'guryanova', coExecutors: [] });
    expect(tasks.find((task) => task.task === '4/1')).toMatchObject({ executor: 'riro', coExecutors: ['mouo'] });
    // «Гурьянова Л. Ю.» in row 12 is the same person as «Гурьянова Л.Ю.» in row 4.
    expect(loaded.loaded.plan.people.map((person) => person.id)).toEqual(['guryanova', 'kozhekhov', 'klyushanova', 'riro', 'mouo']);
  });

  it('warns, naming the row, of an activity without an executor and of every person without an e-mail', async () => {
    const { imported } = await importAndLoad(KONAKOVO);
    expect(imported.issues.map((issue) => `${issue.severity}: ${issue.row}: ${issue.text ?? ''} ${issue.message}`)).toMatchInlineSnapshot(`
      [
        "warning: таблица 2, строка 4: Гурьянова Л.Ю. нет адреса электронной почты: впишите email человеку «guryanova» в people",
        "warning: таблица 2, строка 6: Кожехов М.С. нет адреса электронной почты: впишите email человеку «kozhekhov» в people",
        "warning: таблица 2, строка 6: Клюшанова С.В. нет адреса электронной почты: впишите email человеку «klyushanova» в people",
        "warning: таблица 2, строка 10:  у пункта «3» не указан ответственный исполнитель — в плане он без executor (черновик): впишите id человека из people",
        "warning: таблица 2, строка 11: РИРО нет адреса электронной почты: впишите email человеку «riro» в people",
        "warning: таблица 2, строка 11: МОУО нет адреса электронной почты: впишите email человеку «mouo» в people",
      ]
    `);
  });

  it('writes a comment saying where the plan came from and what to fill in, and marks the gaps with empty fields', async () => {
    const { imported } = await importAndLoad(KONAKOVO);
    const yaml = imported.yaml!;
    expect(yaml).toMatch(/^# Импортировано командой plangraf import из konakovo\.docx, таблица 2\.$/m);
    expect(yaml).toContain('#   - email у людей (people): guryanova, kozhekhov, klyushanova, riro, mouo');
    expect(yaml).toContain('#   - executor у пунктов (items): 3 — id человека из people');
    expect(yaml).toContain('executor: [ kozhekhov, klyushanova ]');
    expect(yaml).toMatch(/- id: guryanova\n\s+name: Гурьянова Л\.Ю\.\n\s+email:\n/);
  });

  it('takes ids from Word’s automatic numbering when the «№» column is numbered by Word', async () => {
    const numbered = (title: string, when: string) => ({ cells: [{ text: '', autoNumber: true }, title, when, 'РИРО', ''] });
    const { loaded } = await importAndLoad({
      before: ['План-график реализации мероприятий в 2020 году'],
      rows: [{ header: true, cells: ['№ п/п', 'Наименование мероприятия', 'Срок исполнения', 'Ответственный', 'Результат'] }, numbered('Разработка критериев', 'январь'), numbered('Создание рабочих групп', 'февраль'), numbered('Мониторинг', 'март, октябрь')],
    }, { id: 'numbered' });
    expect(loaded.loaded.plan.year).toBe(2020);
    expect(loaded.loaded.plan.items.map((item) => item.id)).toEqual(['1', '2', '3']);
    expect(loaded.loaded.schedule.tasks.map((task) => [task.task, task.start, task.due])).toEqual([
      ['1', '2020-01-09', '2020-01-31'],
      ['2', '2020-02-03', '2020-02-28'],
      ['3/1', '2020-03-02', '2020-03-31'],
      ['3/2', '2020-10-01', '2020-10-30'],
    ]);
  });

  it('warns of an activity «по отдельному графику» on its row: it has no dates yet', async () => {
    const result = await importPlan(await buildDocx({
      before: ['План мероприятий на 2026 год'],
      rows: [{ cells: ['Содержание', 'Период', 'Исполнитель'] }, { cells: ['Анализ', 'январь', 'РИРО'] }, { cells: ['Выезды в школы', 'по отдельному графику', 'РИРО'] }],
    }), 'docx', { id: 'unscheduled', fileName: 'unscheduled.docx' }, 'unscheduled.yaml');
    expect(result.issues.filter((issue) => issue.severity === 'warning' && /сроки не заданы/.test(issue.message))).toEqual([
      expect.objectContaining({ row: 'таблица 1, строка 3', column: 'столбец «Период»', text: 'по отдельному графику' }),
    ]);
  });

  it('leaves the approval stamp above the title out of the title', async () => {
    const { loaded } = await importAndLoad({
      before: ['УТВЕРЖДЁН', 'приказом министерства образования Тверской области', 'от 12.01.2026 № 15', '', 'Приложение № 2', 'к приказу от 12.01.2026 № 15', 'План-график реализации проекта «Точка роста» на 2026 год'],
      rows: [{ cells: ['Содержание', 'Период', 'Исполнитель'] }, { cells: ['Анализ', 'январь', 'РИРО'] }],
    }, { id: 'stamped' });
    expect(loaded.loaded.plan.title).toBe('План-график реализации проекта «Точка роста» на 2026 год');
    expect(loaded.loaded.plan.year).toBe(2026);
  });

  it('numbers the items 1..N when the table has no «№» column', async () => {
    const { loaded } = await importAndLoad({
      before: ['План мероприятий на 2021 год'],
      rows: [{ cells: ['Содержание', 'Период', 'Исполнитель'] }, { cells: ['Анализ', 'январь', 'РИРО'] }, { cells: ['Отчёт', 'декабрь', 'РИРО'] }],
    }, { id: 'plain' });
    expect(loaded.loaded.plan.items.map((item) => [item.id, item.title])).toEqual([['1', 'Анализ'], ['2', 'Отчёт']]);
  });

  it('takes the year of a vertically merged «Год» column and, with --year, the rows of that year only', async () => {
    const spec: DocxSpec = {
      before: ['План-график выполнения работ'],
      rows: [
        { cells: ['Год', '№', 'Период', 'Наименование мероприятия', 'Ответственный'] },
        { cells: [{ text: '2020', rowSpan: 2 }, '1', 'январь', 'Доработка модели', 'РИРО'] },
        { cells: ['2', 'февраль', 'Создание рабочих групп', 'МОУО'] },
        { cells: [{ text: '2021', rowSpan: 2 }, '1', 'январь', 'Доработка модели', 'РИРО'] },
        { cells: ['2', 'март', 'Мониторинг', 'РИРО'] },
      ],
    };
    const refused = await importPlan(await buildDocx(spec), 'docx', { id: 'years', fileName: 'years.docx' }, 'years.yaml');
    expect(refused.issues.map((issue) => issue.message)).toEqual(['в таблице мероприятия на несколько лет (2020, 2021): выберите год, например --year 2020']);
    const { loaded } = await importAndLoad(spec, { id: 'years', year: 2021 });
    expect(loaded.loaded.plan.year).toBe(2021);
    expect(loaded.loaded.plan.items.map((item) => [item.id, item.when])).toEqual([['1', 'январь'], ['2', 'март']]);
  });

  it('takes the year from a heading «2020 год» across the table when the title names none', async () => {
    const { loaded } = await importAndLoad({
      before: ['1.3. План-график выполнения работ'],
      rows: [
        { cells: ['№ п/п', 'Период', 'Наименование мероприятия', 'Прогнозируемый результат'] },
        { cells: ['1', '2', '3', '4'] },
        { cells: [{ text: '2020 год', columnSpan: 4 }] },
        { cells: ['1', `Январь-${SHY}\nфевраль`, 'Доработка региональной модели', '3'] },
      ],
    }, { id: 'ryazan' });
    expect(loaded.loaded.plan.year).toBe(2020);
    expect(loaded.loaded.schedule.tasks.map((task) => [task.task, task.start, task.due, task.executor, task.result])).toEqual([['1', '2020-01-09', '2020-02-28', null, '3']]);
  });
});

describe('a Word table split across pages', () => {
  it('continues in the next table with the same header, and names that table’s rows in messages', async () => {
    const row = (cells: string[]) => new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) });
    const header = ['№', 'Мероприятие', 'Срок', 'Ответственный'];
    const document = new Document({
      sections: [{ children: [new Paragraph('План на 2021 год'), new Table({ rows: [row(header), row(['1', 'Анализ', 'январь', 'РИРО'])] }), new Paragraph(''), new Table({ rows: [row(header), row(['2', 'Отчёт', 'декабрь', 'Гурьянова Л.Ю.'])] })] }],
    });
    const result = await importPlan(await Packer.toBuffer(document), 'docx', { id: 'split', fileName: 'split.docx' }, 'split.yaml');
    expect(result.plan!.items.map((item) => [item.id, item.title, item.executor])).toEqual([['1', 'Анализ', 'riro'], ['2', 'Отчёт', 'guryanova']]);
    expect(result.issues.map((issue) => issue.row)).toEqual(['таблица 1, строка 2', 'таблица 2, строка 2']);
  });

  it('is one plan-graph with its title and year when the second part is the longer one', async () => {
    const row = (cells: string[]) => new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) });
    const header = ['№', 'Мероприятие', 'Срок', 'Ответственный'];
    const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь'];
    const part = (numbers: number[]) => new Table({ rows: [row(header), ...numbers.map((n) => row([`${n}.`, `Мероприятие ${n}`, MONTHS[n - 1]!, 'РИРО']))] });
    const document = new Document({
      sections: [{ children: [new Paragraph('План-график реализации мероприятий в 2025 году'), part([1, 2, 3, 4]), new Paragraph({ children: [new PageBreak()] }), part([5, 6, 7, 8, 9, 10])] }],
    });
    const result = await importPlan(await Packer.toBuffer(document), 'docx', { id: 'split', fileName: 'split.docx' }, 'split.yaml');
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(result.plan).toMatchObject({ title: 'План-график реализации мероприятий в 2025 году', year: 2025, source: 'split.docx, таблица 1' });
    expect(result.plan!.items.map((item) => [item.id, item.when])).toEqual(MONTHS.map((month, index) => [String(index + 1), month]));
    expect(result.issues.map((issue) => issue.row)).toEqual(['таблица 1, строка 2']);
  });
});

describe('what the Word import refuses', () => {
  it('names the row, the column and the text of a period it cannot read, with the reader’s own explanation', async () => {
    const result = await importPlan(await buildDocx({
      before: ['План на 2020 год'],
      rows: [{ cells: ['№', 'Мероприятие', 'Срок', 'Ответственный'] }, { cells: ['1', 'Анализ', 'фервраль', 'РИРО'] }, { cells: ['2', 'Отчёт', 'март 2021 года', 'РИРО'] }],
    }), 'docx', { id: 'bad', fileName: 'bad.docx' }, 'bad.yaml');
    expect(result.yaml).toBeUndefined();
    expect(result.issues.filter((issue) => issue.severity === 'error')).toMatchInlineSnapshot(`
      [
        {
          "column": "столбец «Срок»",
          "message": "не понимаю «фервраль»; ожидается месяц («январь», «февраль - март», «март, октябрь»), «ежеквартально», «с апреля», «в течение года», дата «29.12.2020» или «по отдельному графику»",
          "row": "таблица 1, строка 2",
          "severity": "error",
          "text": "фервраль",
        },
        {
          "column": "столбец «Срок»",
          "message": "март 2021 — вне периода плана (январь–декабрь 2020)",
          "row": "таблица 1, строка 3",
          "severity": "error",
          "text": "март 2021 года",
        },
      ]
    `);
  });

  it('asks for --year when neither the title nor the table names a year', async () => {
    const result = await importPlan(await buildDocx({ before: ['План мероприятий'], rows: [{ cells: ['Мероприятие', 'Срок'] }, { cells: ['Анализ', 'январь'] }] }), 'docx', { id: 'no-year', fileName: 'no-year.docx' }, 'no-year.yaml');
    expect(result.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('Укажите его: --year 2020')]);
  });

  it('asks for the year in neutral words, and on the upload page in its «Год плана» field, not as --year', async () => {
    const docx = await buildDocx({ before: ['План мероприятий'], rows: [{ cells: ['Мероприятие', 'Срок'] }, { cells: ['Анализ', 'январь'] }] });
    const found = findPlanTable(readDocxTables(docx))!;
    expect(planOfTable(found, { id: 'no-year', fileName: 'no-year.docx' }).issues).toEqual([
      { severity: 'error', year: { kind: 'missing' }, message: 'не нашёл, на какой год план: ни в заголовке («на 2020 год», «на 2020/2021 учебный год»), ни в таблице года нет. Укажите год плана (для плана учебного года — год его начала)' },
    ]);
    const upload = await draftFromUpload('no-year.docx', new Uint8Array(docx));
    expect(upload).toEqual({ ok: false, errors: [expect.stringContaining('Укажите год плана в поле «Год плана» (для плана учебного года — год его начала)')] });
    expect(JSON.stringify(upload)).not.toContain('--year');
  });

  it('says so when no table of the document looks like a plan-graph', async () => {
    const result = await importPlan(await buildDocx({ before: ['Справка'], rows: [{ cells: ['Показатель', 'Значение'] }, { cells: ['Доля школ', '100%'] }] }), 'docx', OPTIONS, 'x.yaml');
    expect(result.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/^ни в одной из таблиц документа \(1\) не нашёл плана-графика/)]);
  });

  it('tells a .doc and a broken file from a .docx', () => {
    expect(() => readDocxTables(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).toThrow(new ImportFileError('это документ старого формата Word (.doc); откройте его в Word или LibreOffice и сохраните как .docx'));
    expect(() => readDocxTables(new TextEncoder().encode('not a zip at all'))).toThrow(ImportFileError);
  });
});

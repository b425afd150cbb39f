/**
 * `plangraf import` as a user runs it: a real process, its exit status, what it prints, and
 * the plan file it writes, which `plangraf validate` then accepts as a draft.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlangraf, STACK_TRACE } from '../support/plangraf-process.ts';
import { buildDocx, buildXlsx, sheetRows, type DocxSpec } from './import-builders.ts';

const PLAN: DocxSpec = {
  before: ['План мероприятий', 'на 2022/2023 учебный год'],
  rows: [
    { header: true, cells: ['№', 'Мероприятие', 'Сроки', 'Ответственный'] },
    { cells: ['1.', 'Совещание с руководством ШНОР', 'январь', 'Кожехов М.С.'] },
    { cells: ['2.', 'Мониторинг обеспеченности учебниками', 'Декабрь-июнь', ''] },
  ],
};

let scratch: string;
const at = (name: string) => join(scratch, name);
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-import-cli-'));
  await writeFile(at('Конаково план 2022.docx'), await buildDocx(PLAN));
  await writeFile(at('bad-period.docx'), await buildDocx({ ...PLAN, rows: [...PLAN.rows, { cells: ['3.', 'Отчёт', 'фервраль', 'Кожехов М.С.'] }] }));
  await writeFile(at('no-year.docx'), await buildDocx({ ...PLAN, before: ['План мероприятий'] }));
  await writeFile(at('no-table.docx'), await buildDocx({ before: ['Справка'], rows: [{ cells: ['Показатель', 'Значение'] }, { cells: ['Доля', '100%'] }] }));
  await writeFile(at('old.doc'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  await writeFile(at('broken.docx'), 'PK this is not really a zip');
  await writeFile(at('plan.xlsx'), await buildXlsx([{ name: 'Лист1', cells: sheetRows(1, [['План-график на 2020 год'], ['Мероприятие', 'Срок', 'Исполнитель'], ['Анализ', new Date(Date.UTC(2020, 11, 29)), 'РИРО']]) }]));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('plangraf import', { timeout: 30_000 }, () => {
  it('writes a draft plan with exit 0, the gaps as warnings naming their rows, and an id made from the file name', async () => {
    const output = at('konakovo.yaml');
    const run = await runPlangraf(['import', at('Конаково план 2022.docx'), '-o', output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/konakovo\.yaml: записан план «konakovo-plan-2022» из .*Конаково план 2022\.docx — 2 пункта, 1 исполнитель; 2 предупреждения/);
    expect(run.stderr).toMatch(/Конаково план 2022\.docx: таблица 1, строка 2, столбец «Ответственный»: предупреждение: «Кожехов М\.С\.» — нет адреса электронной почты/);
    expect(run.stderr).toMatch(/Конаково план 2022\.docx: таблица 1, строка 3, столбец «Ответственный»: предупреждение: у пункта «2» не указан ответственный исполнитель/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const text = await readFile(output, 'utf8');
    expect(text).toMatch(/^schoolYear: 2022$/m);

    const validate = await runPlangraf(['validate', output]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/план «konakovo-plan-2022» в порядке — 2 пункта, 2 задачи, с 01\.12\.2022 по 30\.06\.2023; 2 предупреждения/);
  });

  it('reads an Excel date cell as the date it shows, with --id and --year', async () => {
    const output = at('excel.yaml');
    const run = await runPlangraf(['import', at('plan.xlsx'), '-o', output, '--id', 'excel-plan', '--year', '2020']);
    expect(run.code).toBe(0);
    const text = await readFile(output, 'utf8');
    expect(text).toMatch(/^id: excel-plan$/m);
    expect(text).toMatch(/^\s+when: 29\.12\.2020$/m);
  });

  it('refuses a period it cannot read with exit 1, naming the row, the column and the text, and writes nothing', async () => {
    const output = at('bad.yaml');
    const run = await runPlangraf(['import', at('bad-period.docx'), '-o', output]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad-period\.docx: таблица 1, строка 4, столбец «Сроки»: ошибка: «фервраль» — не понимаю «фервраль»; ожидается месяц/);
    expect(run.stderr).toMatch(/1 ошибка — план не записан/);
    expect(existsSync(output)).toBe(false);
  });

  it('asks for --year when the document names no year', async () => {
    const run = await runPlangraf(['import', at('no-year.docx'), '-o', at('no-year.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Укажите его: --year 2020/);
  });

  it.each([
    ['a missing file', 'missing.docx', /missing\.docx: файл не найден/],
    ['a .doc', 'old.doc', /old\.doc: это документ старого формата Word \(\.doc\); откройте его в Word или LibreOffice и сохраните как \.docx/],
    ['a broken .docx', 'broken.docx', /broken\.docx: файл повреждён или это не документ Word \(\.docx\)/],
    ['a document without a plan-graph', 'no-table.docx', /no-table\.docx: ошибка: ни в одной из таблиц документа \(1\) не нашёл плана-графика/],
  ])('refuses %s with exit 1 and a Russian sentence naming the file, no stack trace', async (_what, name, message) => {
    const run = await runPlangraf(['import', at(name), '-o', at('out.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('says how to use it with exit 2 when -o is missing', async () => {
    const run = await runPlangraf(['import', at('plan.xlsx')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^plangraf: укажите, куда записать план: -o ПЛАН\.yaml/);
    expect(run.stderr).toContain('plangraf import ПЛАН.docx|ПЛАН.xlsx -o ПЛАН.yaml [--id ID] [--year ГОД]');
  });
});

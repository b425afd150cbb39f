/**
 * `plangraf import` of Excel sheets built to look like real plan-graphs (the Ryazan one:
 * «№ п/п / Период / Наименование мероприятия / Прогнозируемый результат»), compared item by
 * item and date by date with the same plan typed in YAML.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from '../../import/grid.ts';
import { importPlan } from '../../import/import-plan.ts';
import { readXlsxTables } from '../../import/xlsx-table.ts';
import { buildXlsx, loadPlanText, planEssence, sheetRows } from './import-builders.ts';

const SHY = '\u00ad';
const HEADER = ['№ п/п', 'Период', 'Наименование мероприятия', 'Ответственный', `Прогнозиру${SHY}емый результат`];

/** Two sheets: notes, then the plan-graph with a merged title, headings, a merged executor, a date and a percent. */
function ryazanWorkbook(overrides: { period2?: string } = {}) {
  return buildXlsx([
    { name: 'Пояснения', cells: sheetRows(1, [['Методология реализации мероприятий'], ['См. лист «План-график»']]) },
    {
      name: 'План-график',
      cells: sheetRows(1, [
        ['План-график выполнения работ в 2020 году'],
        [],
        HEADER,
        [1, 2, 3, 4, 5],
        ['I. Организационно-управленческие мероприятия'],
        [1, 'Январь-февраль', 'Доработка региональной модели', 'РИРО', 3],
        [2, overrides.period2 ?? 'январь', 'Разработка критериев\nШСНРО и ШФНСУ', null, 'ШСНРО - 5, ШФНСУ - 2'],
        [3, new Date(Date.UTC(2020, 11, 29)), 'Утверждение перечня школ', null, { value: 1, numFmt: '0%' }],
        // The header again, where the sheet's second printed page begins.
        HEADER,
        ['3.1', 'с\u00a0мая 2020 года', 'Стажировки команд школ', 'Министерство образования, РИРО', '10 команд (60 человек)'],
        ['4.', 'ежеквартально', 'Информационное сопровождение_x000D_\nпроекта', null, null],
        [],
      ]),
      merges: ['A1:E1', 'A5:E5', 'D6:D8'],
    },
  ]);
}

const RYAZAN_TYPED = `
id: ryazan
title: План-график выполнения работ в 2020 году
year: 2020
people:
  - { id: riro, name: РИРО }
  - { id: ministerstvo-obrazovaniya, name: Министерство образования }
items:
  - { id: "1", title: Доработка региональной модели, when: Январь-февраль, executor: riro, result: 3 }
  - { id: "2", title: Разработка критериев ШСНРО и ШФНСУ, when: январь, executor: riro, result: "ШСНРО - 5, ШФНСУ - 2" }
  - { id: "3", title: Утверждение перечня школ, when: 29.12.2020, executor: riro, result: 100% }
  - { id: "3.1", title: Стажировки команд школ, when: с мая 2020 года, executor: [ministerstvo-obrazovaniya, riro], result: 10 команд (60 человек) }
  - { id: "4", title: Информационное сопровождение проекта, when: ежеквартально }
`;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-import-xlsx-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});


describe('importing an Excel plan-graph', () => {
  it('reads the Ryazan-like sheet item by item and date by date as the plan typed by hand', async () => {
    const imported = await importPlan(await ryazanWorkbook(), 'xlsx', { id: 'ryazan', fileName: 'ryazan.xlsx' }, 'ryazan.yaml');
    expect(imported.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    const fromExcel = await loadPlanText(scratch, imported.yaml!, 'ryazan-imported.yaml');
    const typed = await loadPlanText(scratch, RYAZAN_TYPED, 'ryazan-typed.yaml');
    expect({ ...planEssence(fromExcel), title: fromExcel.plan.title }).toEqual({ ...planEssence(typed), title: typed.plan.title });
  });

  it('reads a date cell as the date it shows and a percent cell as a percent', async () => {
    const imported = await importPlan(await ryazanWorkbook(), 'xlsx', { id: 'ryazan', fileName: 'ryazan.xlsx' }, 'ryazan.yaml');
    expect(imported.plan!.items[2]).toEqual({ id: '3', title: 'Утверждение перечня школ', when: '29.12.2020', executor: 'riro', result: '100%' });
  });

  it('reads a date cell formatted as a month («Март 2022») as that month, due at its end', async () => {
    const workbook = await buildXlsx([
      {
        name: 'План',
        cells: sheetRows(1, [
          ['План-график на 2022 год'],
          HEADER,
          [1, { value: new Date(Date.UTC(2022, 2, 1)), numFmt: 'mmmm yyyy' }, 'Мониторинг', 'РИРО', 1],
          [2, { value: new Date(Date.UTC(2022, 3, 15)), numFmt: '[$-419]d mmmm yyyy;@' }, 'Семинар', 'РИРО', 1],
        ]),
      },
    ]);
    const imported = await importPlan(workbook, 'xlsx', { id: 'months', fileName: 'months.xlsx' }, 'months.yaml');
    expect(imported.plan!.items.map((item) => item.when)).toEqual(['март 2022', '15.04.2022']);
  });

  it('skips a section heading beside a year merged down its rows, as it does one across the whole table', async () => {
    const workbook = await buildXlsx([
      {
        name: 'План',
        cells: sheetRows(1, [
          ['План-график'],
          ['Год', '№', 'Мероприятие', 'Сроки', 'Ответственный', 'Результат'],
          [2021, '1. Организационные мероприятия'],
          [null, '1', 'Рабочие группы', 'февраль', 'РИРО', 1],
          [null, '2', 'Кураторы', 'март', 'РИРО', 1],
          [null, '2. Методическое сопровождение'],
          [null, '3', 'Семинар', 'ноябрь', 'РИРО', 1],
        ]),
        merges: ['A3:A7', 'B3:F3', 'B6:F6'],
      },
    ]);
    const imported = await importPlan(workbook, 'xlsx', { id: 'years', fileName: 'years.xlsx' }, 'years.yaml');
    expect(imported.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(imported.plan!.year).toBe(2021);
    expect(imported.plan!.items.map((item) => [item.id, item.title, item.when])).toEqual([
      ['1', 'Рабочие группы', 'февраль'],
      ['2', 'Кураторы', 'март'],
      ['3', 'Семинар', 'ноябрь'],
    ]);
  });

  it('names the sheet, the row and the column letter of what it warns about', async () => {
    const imported = await importPlan(await ryazanWorkbook(), 'xlsx', { id: 'ryazan', fileName: 'ryazan.xlsx' }, 'ryazan.yaml');
    expect(imported.issues.map((issue) => [issue.row, issue.column, issue.message])).toEqual([
      ['лист «План-график», строка 6', 'столбец D «Ответственный»', 'нет адреса электронной почты: впишите email человеку «riro» в people'],
      ['лист «План-график», строка 10', 'столбец D «Ответственный»', 'нет адреса электронной почты: впишите email человеку «ministerstvo-obrazovaniya» в people'],
      ['лист «План-график», строка 11', 'столбец D «Ответственный»', 'у пункта «4» не указан ответственный исполнитель — в плане он без executor (черновик): впишите id человека из people'],
    ]);
  });

  it('refuses a period it cannot read, naming the sheet, row, column and text', async () => {
    const imported = await importPlan(await ryazanWorkbook({ period2: 'в теченние квартала' }), 'xlsx', { id: 'ryazan', fileName: 'ryazan.xlsx' }, 'ryazan.yaml');
    expect(imported.yaml).toBeUndefined();
    const [error] = imported.issues.filter((issue) => issue.severity === 'error');
    expect(error).toMatchObject({ row: 'лист «План-график», строка 7', column: 'столбец B «Период»', text: 'в теченние квартала' });
    expect(error!.message).toMatch(/не понимаю/);
  });

  it('with --year lays the plan on that year and keeps the periods as written', async () => {
    const imported = await importPlan(await ryazanWorkbook(), 'xlsx', { id: 'ryazan', fileName: 'ryazan.xlsx', year: 2020 }, 'ryazan.yaml');
    expect(imported.plan!.year).toBe(2020);
    expect(imported.plan!.items.map((item) => item.when)).toEqual(['Январь-февраль', 'январь', '29.12.2020', 'с мая 2020 года', 'ежеквартально']);
  });

  it('tells an .xls and a broken file from an .xlsx', async () => {
    await expect(readXlsxTables(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toThrow(new ImportFileError('это книга старого формата Excel (.xls); откройте её в Excel или LibreOffice и сохраните как .xlsx'));
    await expect(readXlsxTables(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))).rejects.toThrow(ImportFileError);
  });
});

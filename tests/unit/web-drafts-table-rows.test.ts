/**
 * The tables of the draft pages as the reader gives them: pasted or uploaded rows with their
 * lines, and the columns found by a heading named loosely, in any order; the schools' table read
 * through it.
 */
import { describe, expect, it } from 'vitest';
import { SCHOOL_TABLE, schoolsOfRows } from '../../web/drafts/school-table.ts';
import { rowsOfFile, rowsOfText, tableColumns } from '../../web/drafts/table-rows.ts';
import { buildXlsx, sheetRows } from './import-builders.ts';

describe('rows of a pasted or uploaded table', () => {
  it('splits lines by tabs, or by «;» when a line has none, keeping each row’s line past the empty ones', () => {
    expect(rowsOfText('\uFEFFИванова\tкоординатор\n\n"Петров; П. П.";"методист ""ЦОДО""";\r\n')).toEqual([
      { line: 1, cells: ['Иванова', 'координатор'] },
      { line: 3, cells: ['"Петров', 'П. П."', 'методист "ЦОДО"', ''] },
    ]);
  });

  it('finds the columns by a heading named loosely and in any order, below a title, past a «№» and a column of its own', () => {
    const table = tableColumns(rowsOfText('Список школ\n№;E-mail директора;Наименование ОО;Телефон;Вид;ФИО директора\n1;d@example.org;МОУ СОШ № 1;123;ШНОР;Петров П. П.'), SCHOOL_TABLE);
    expect(table).toEqual({ ok: true, at: { email: 1, name: 2, kind: 4, director: 5 }, body: [{ line: 3, cells: ['1', 'd@example.org', 'МОУ СОШ № 1', '123', 'ШНОР', 'Петров П. П.'] }] });
  });

  it('takes the columns in the page’s order when there is no heading, even when a school’s name and municipality read like headings', () => {
    expect(tableColumns(rowsOfText('МОУ «Средняя школа № 1»;ШНОР;Шиловский район;Петров П. П.'), SCHOOL_TABLE)).toMatchObject({ ok: true, at: { name: 0, kind: 1, municipality: 2, director: 3, email: 4, partner: 5 } });
  });

  it('refuses a heading without a column it needs, naming its line', () => {
    expect(schoolsOfRows(rowsOfText('Вид;Директор;E-mail директора\nШНОР;Петров П. П.;d@example.org'))).toEqual({ ok: false, errors: ['строка 1 — заголовок таблицы, но в нём нет столбца «Название»'] });
  });

  it('reads the first sheet of a workbook with the sheet’s row numbers, and a CSV saved by Excel in Windows-1251', async () => {
    const xlsx = await buildXlsx([{ name: 'Люди', cells: sheetRows(2, [['ФИО', 'Должность', 'E-mail'], [null, null, null], ['Иванова Ольга Юрьевна', 'координатор', 'ivanova@example.org']]) }]);
    expect(await rowsOfFile('люди.xlsx', new Uint8Array(xlsx), 'людей')).toEqual([
      { line: 2, cells: ['ФИО', 'Должность', 'E-mail'] },
      { line: 4, cells: ['Иванова Ольга Юрьевна', 'координатор', 'ivanova@example.org'] },
    ]);
    const cp1251 = new Uint8Array([0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2, 0xe0, 0x3b, 0xec, 0xe5, 0xf2, 0xee, 0xe4, 0xe8, 0xf1, 0xf2]);
    expect(await rowsOfFile('люди.csv', cp1251, 'людей')).toEqual([{ line: 1, cells: ['Иванова', 'методист'] }]);
  });

  it('says which files it does not read, and why', async () => {
    expect(await rowsOfFile('школы.docx', new Uint8Array([0x50, 0x4b]), 'школ')).toEqual({ error: 'таблица школ читается из книги Excel (.xlsx) или файла CSV (.csv), а «школы.docx» — ни то, ни другое' });
    expect(await rowsOfFile('школы.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), 'школ')).toEqual({ error: '«школы.xls»: это книга старого формата Excel (.xls); откройте её в Excel или LibreOffice и сохраните как .xlsx' });
  });

  it('reads the schools’ table with its heading in another order, and names each bad line by the line it is on', () => {
    expect(schoolsOfRows(rowsOfText('Директор;E-mail директора;Название;Вид;Школа-партнёр\nСидоров П. П.;director1@example.org;МОУ «Ерахтурская СШ»;шнор;МБОУ «Шиловская СШ № 1»'))).toEqual({
      ok: true,
      values: [{ name: 'МОУ «Ерахтурская СШ»', kind: 'ШНОР', director: { name: 'Сидоров П. П.', email: 'director1@example.org' }, partner: 'МБОУ «Шиловская СШ № 1»' }],
    });
    expect(schoolsOfRows(rowsOfText('МОУ СОШ № 1;ШНОР;;Петров П. П.;p@example.org\n\nМОУ СОШ № 2;лицей;;Орлов М. А.;orlov.example.org'))).toEqual({
      ok: false,
      errors: ['строка 3 («МОУ СОШ № 2 | лицей | Орлов М. А. | orlov.example.org»): вид школы «лицей» — нужен «ШНОР», «ШНСУ» или «партнер»; «orlov.example.org» — не адрес электронной почты'],
    });
  });
});

/** The year a plan-graph's title names, as offices write it. */
import { describe, expect, it } from 'vitest';
import { cleanCellText, slugify } from '../../import/cell-text.ts';
import { splitExecutors } from '../../import/plan-table.ts';
import { yearOfHeading, yearOfText } from '../../import/year.ts';

describe('the year of a title', () => {
  it.each([
    ['План-график реализации мероприятий в 2018 году', { year: 2018 }],
    ['План мероприятий на 2018 год', { year: 2018 }],
    ['План на 2019г.', { year: 2019 }],
    ['План мероприятий на 2020/2021 учебный год', { schoolYear: 2020 }],
    ['Программа на 2020-2021 учебный год', { schoolYear: 2020 }],
    ['… с низкими образовательными результатами на   2022-2023учебный год', { schoolYear: 2022 }],
    ['План на 2021–22 уч. год', { schoolYear: 2021 }],
  ])('reads «%s»', (title, year) => {
    expect(yearOfText(title)).toEqual(year);
  });

  it.each([
    ['УТВЕРЖДЕН приказом от 29.12.2020 г. № 1852'],
    ['Программа на 2018-2020 годы'],
    ['План мероприятий'],
  ])('finds no plan year in «%s»', (title) => {
    expect(yearOfText(title)).toBeUndefined();
  });

  it('reads a heading that is a year and nothing else', () => {
    expect([yearOfHeading('2020 год'), yearOfHeading('2021 г.'), yearOfHeading('2022'), yearOfHeading('2020 год и далее')]).toEqual([2020, 2021, 2022, undefined]);
  });
});

describe('the text of a cell', () => {
  it('drops soft hyphens, joins a word broken at a line end, and makes every space one', () => {
    expect(cleanCellText('Январь-\nфев\u00adраль\u00a0 ')).toBe('Январь-февраль');
    expect(cleanCellText('в\u00a0течение\r\nгода')).toBe('в течение года');
    expect(cleanCellText('Информационное_x000D_\nсопровождение')).toBe('Информационное сопровождение');
  });

  it('makes ASCII ids of Russian words', () => {
    expect([slugify('Гурьянова'), slugify('Клюшанова'), slugify('РИРО'), slugify('Щёлково-Объединённое')]).toEqual(['guryanova', 'klyushanova', 'riro', 'shchelkovo-obedinennoe']);
  });
});

describe('the executors of a cell', () => {
  it.each([
    ['Кожехов М.С.,\nКлюшанова С.В.', ['Кожехов М.С.', 'Клюшанова С.В.']],
    ['РИРО, МОУО (по согласованию)', ['РИРО', 'МОУО']],
    ['ГБУ ДПО «Институт развития образования, науки»; МОУО', ['ГБУ ДПО «Институт развития образования, науки»', 'МОУО']],
    ['Министерство образования и\nмолодежной политики', ['Министерство образования и молодежной политики']],
    ['РИРО\nМОУО', ['РИРО', 'МОУО']],
  ])('reads «%s»', (cell, names) => {
    expect(splitExecutors(cell)).toEqual(names);
  });
});

import { describe, expect, it } from 'vitest';
import {
  amountInWords,
  formatDateNumeric,
  formatDateQuoted,
  formatMoney,
  formatRubles,
  genderOfName,
  nameInGenitive,
  pluralForm,
  positionInGenitive,
  shortName,
  toKopecks,
} from '../../documents/russian-format.ts';

const NBSP = '\u00a0';

/** Runtime values that templates may hand a filter despite the types. */
const untyped = (value: unknown) => value as never;

describe('formatDateQuoted', () => {
  it('writes the day in two digits within «ёлочки», the month in the genitive and «г.»', () => {
    expect(formatDateQuoted('2020-12-29')).toBe('«29» декабря 2020 г.');
    expect(formatDateQuoted('2021-03-05')).toBe('«05» марта 2021 г.');
    expect(formatDateQuoted('2021-01-01')).toBe('«01» января 2021 г.');
  });

  it('writes the leap day of a leap year', () => {
    expect(formatDateQuoted('2024-02-29')).toBe('«29» февраля 2024 г.');
  });

  it('refuses a day that does not exist and text that is no ISO date, in Russian', () => {
    expect(() => formatDateQuoted('2021-02-29')).toThrowErrorMatchingInlineSnapshot(`[Error: «2021-02-29» — не дата: ожидается дата в виде ГГГГ-ММ-ДД, например 2020-12-29]`);
    expect(() => formatDateQuoted('29.12.2020')).toThrowErrorMatchingInlineSnapshot(`[Error: «29.12.2020» — не дата: ожидается дата в виде ГГГГ-ММ-ДД, например 2020-12-29]`);
    expect(() => formatDateQuoted(untyped(undefined))).toThrowErrorMatchingInlineSnapshot(`[Error: Пустое значение — не дата: ожидается дата в виде ГГГГ-ММ-ДД, например 2020-12-29]`);
  });
});

describe('formatDateNumeric', () => {
  it('writes DD.MM.YYYY with leading zeros', () => {
    expect(formatDateNumeric('2020-12-29')).toBe('29.12.2020');
    expect(formatDateNumeric('2021-03-05')).toBe('05.03.2021');
  });

  it('refuses a month that does not exist', () => {
    expect(() => formatDateNumeric('2020-13-01')).toThrowErrorMatchingInlineSnapshot(`[Error: «2020-13-01» — не дата: ожидается дата в виде ГГГГ-ММ-ДД, например 2020-12-29]`);
  });
});

describe('toKopecks', () => {
  it('reads numbers exactly, whatever their binary fraction', () => {
    expect(toKopecks(1234567.89)).toBe(123456789);
    expect(toKopecks(0.1 + 0.2)).toBe(30);
    expect(toKopecks(0.07)).toBe(7);
    expect(toKopecks(1.15)).toBe(115);
    expect(toKopecks(4.35)).toBe(435);
    expect(toKopecks(0)).toBe(0);
    expect(toKopecks(-0)).toBe(0);
  });

  it('adds a hundred cents up to one rouble without a kopeck of noise', () => {
    let sum = 0;
    for (let i = 0; i < 100; i += 1) sum += 0.01;
    expect(sum).not.toBe(1);
    expect(toKopecks(sum)).toBe(100);
  });

  it('reads strings with a point or a comma and spaces between thousands', () => {
    expect(toKopecks('1234567.89')).toBe(123456789);
    expect(toKopecks('1 234 567,89')).toBe(123456789);
    expect(toKopecks(`1${NBSP}234${NBSP}567,89`)).toBe(123456789);
    expect(toKopecks('1\u202f234,5')).toBe(123450);
    expect(toKopecks('1234567,8')).toBe(123456780);
    expect(toKopecks(' 500 ')).toBe(50000);
    expect(toKopecks('007,10')).toBe(710);
  });

  it('accepts the largest sum, 9 999 999 999 999,99, as a number and as a string', () => {
    expect(toKopecks(9999999999999.99)).toBe(999999999999999);
    expect(toKopecks('9 999 999 999 999,99')).toBe(999999999999999);
  });

  it('refuses a third decimal, in a number and in a string', () => {
    expect(() => toKopecks(1.005)).toThrowErrorMatchingInlineSnapshot(`[Error: 1.005 — не сумма: ожидается число с не более чем двумя знаками после запятой]`);
    expect(() => toKopecks('1234,567')).toThrowErrorMatchingInlineSnapshot(`[Error: «1234,567» — не сумма: ожидается число с не более чем двумя знаками после запятой]`);
    expect(() => toKopecks(1e-7)).toThrow('не сумма');
  });

  it('refuses text that is no sum', () => {
    expect(() => toKopecks('abc')).toThrowErrorMatchingInlineSnapshot(`[Error: «abc» — не сумма: ожидается число с не более чем двумя знаками после запятой]`);
    expect(() => toKopecks('')).toThrowErrorMatchingInlineSnapshot(`[Error: «» — не сумма: ожидается число с не более чем двумя знаками после запятой]`);
    for (const text of ['1.', '.5', '1,234,567', '1 23 456', '12 руб.', '+5', '1e3']) expect(() => toKopecks(text), text).toThrow('не сумма');
  });

  it('refuses negative sums, NaN, Infinity and sums of ten trillion and more', () => {
    expect(() => toKopecks(-5)).toThrowErrorMatchingInlineSnapshot(`[Error: -5 — отрицательная сумма: ожидается сумма не меньше нуля]`);
    expect(() => toKopecks('-5,00')).toThrowErrorMatchingInlineSnapshot(`[Error: «-5,00» — отрицательная сумма: ожидается сумма не меньше нуля]`);
    expect(() => toKopecks(Number.NaN)).toThrowErrorMatchingInlineSnapshot(`[Error: NaN — не сумма: ожидается конечное число]`);
    expect(() => toKopecks(Number.POSITIVE_INFINITY)).toThrow('ожидается конечное число');
    expect(() => toKopecks(1e13)).toThrowErrorMatchingInlineSnapshot(`[Error: 10000000000000 — слишком большая сумма: ожидается не более 9 999 999 999 999,99]`);
    expect(() => toKopecks('10 000 000 000 000')).toThrow('слишком большая сумма');
  });

  it('refuses a missing value and values of other types', () => {
    expect(() => toKopecks(untyped(undefined))).toThrowErrorMatchingInlineSnapshot(`[Error: Пустое значение — не сумма: ожидается число или строка вида "1 234 567,89"]`);
    expect(() => toKopecks(untyped(null))).toThrow('Пустое значение — не сумма');
    expect(() => toKopecks(untyped(true))).toThrow('true — не сумма');
  });
});

describe('formatMoney', () => {
  it('groups roubles by no-break spaces and writes the kopecks in two digits after a comma', () => {
    expect(formatMoney(1234567.89)).toBe(`1${NBSP}234${NBSP}567,89`);
    expect(formatMoney('1 234 567,8')).toBe(`1${NBSP}234${NBSP}567,80`);
    expect(formatMoney(1000)).toBe(`1${NBSP}000,00`);
    expect(formatMoney(999.9)).toBe('999,90');
    expect(formatMoney(0.1 + 0.2)).toBe('0,30');
    expect(formatMoney(0)).toBe('0,00');
  });

  it('passes on the error of an unusable sum', () => {
    expect(() => formatMoney('abc')).toThrow('«abc» — не сумма: ожидается число с не более чем двумя знаками после запятой');
  });
});

describe('formatRubles', () => {
  it('writes roubles and kopecks with their abbreviations', () => {
    expect(formatRubles(1234567.89)).toBe(`1${NBSP}234${NBSP}567 руб. 89 коп.`);
    expect(formatRubles(15)).toBe('15 руб. 00 коп.');
    expect(formatRubles('0,05')).toBe('0 руб. 05 коп.');
  });

  it('passes on the error of an unusable sum', () => {
    expect(() => formatRubles(-1)).toThrow('-1 — отрицательная сумма');
  });
});

describe('amountInWords', () => {
  it('spells the roubles out with a capital and writes the kopecks in two digits', () => {
    expect(amountInWords(1234567.89)).toBe('Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек');
    expect(amountInWords(0)).toBe('Ноль рублей 00 копеек');
    expect(amountInWords(1)).toBe('Один рубль 00 копеек');
    expect(amountInWords(2)).toBe('Два рубля 00 копеек');
    expect(amountInWords(21.01)).toBe('Двадцать один рубль 01 копейка');
  });

  it('agrees rouble and kopeck with the last digits, 11 to 14 included', () => {
    expect(amountInWords(11.11)).toBe('Одиннадцать рублей 11 копеек');
    expect(amountInWords(14.04)).toBe('Четырнадцать рублей 04 копейки');
    expect(amountInWords(22.02)).toBe('Двадцать два рубля 02 копейки');
    expect(amountInWords(101.21)).toBe('Сто один рубль 21 копейка');
    expect(amountInWords(111.5)).toBe('Сто одиннадцать рублей 50 копеек');
    expect(amountInWords(0.01)).toBe('Ноль рублей 01 копейка');
  });

  it('takes the feminine «тысяча» and the masculine «миллион»', () => {
    expect(amountInWords(1000)).toBe('Одна тысяча рублей 00 копеек');
    expect(amountInWords(2000)).toBe('Две тысячи рублей 00 копеек');
    expect(amountInWords(1000001)).toBe('Один миллион один рубль 00 копеек');
    expect(amountInWords(2000000000)).toBe('Два миллиарда рублей 00 копеек');
  });

  it('spells a sum given as a string and a sum with binary noise', () => {
    expect(amountInWords('1 500,5')).toBe('Одна тысяча пятьсот рублей 50 копеек');
    expect(amountInWords(0.1 + 0.2)).toBe('Ноль рублей 30 копеек');
  });

  it('passes on the error of an unusable sum', () => {
    expect(() => amountInWords(1.005)).toThrow('1.005 — не сумма');
  });
});

describe('pluralForm', () => {
  const contracts = (count: number) => pluralForm(count, 'договор', 'договора', 'договоров');

  it('agrees the noun with the count', () => {
    expect(contracts(5)).toBe('5 договоров');
    expect(contracts(1)).toBe('1 договор');
    expect(contracts(2)).toBe('2 договора');
    expect(contracts(4)).toBe('4 договора');
    expect(contracts(0)).toBe('0 договоров');
  });

  it('takes the plural genitive for 11 to 14 and 111 to 114, and the singular for 21 and 101', () => {
    expect([11, 12, 13, 14, 111, 112, 114].map(contracts)).toEqual(['11 договоров', '12 договоров', '13 договоров', '14 договоров', '111 договоров', '112 договоров', '114 договоров']);
    expect([21, 22, 25, 101, 102, 1001].map(contracts)).toEqual(['21 договор', '22 договора', '25 договоров', '101 договор', '102 договора', '1001 договор']);
  });

  it('writes a fraction with a comma and the genitive singular', () => {
    expect(contracts(1.5)).toBe('1,5 договора');
    expect(contracts(0.5)).toBe('0,5 договора');
    expect(contracts(2.25)).toBe('2,25 договора');
    expect(contracts(0.1 + 0.2)).toBe('0,3 договора');
  });

  it('agrees a negative count like its absolute value', () => {
    expect(contracts(-1)).toBe('-1 договор');
    expect(contracts(-12)).toBe('-12 договоров');
  });

  it('refuses NaN, Infinity and non-numbers', () => {
    expect(() => contracts(Number.NaN)).toThrowErrorMatchingInlineSnapshot(`[Error: NaN — не число: ожидается количество, например 5 или 1,5]`);
    expect(() => contracts(Number.POSITIVE_INFINITY)).toThrow('Infinity — не число');
    expect(() => contracts(untyped('5'))).toThrow('«5» — не число');
  });
});

describe('nameInGenitive', () => {
  it('declines a man’s and a woman’s full name', () => {
    expect(nameInGenitive('Петров Пётр Петрович')).toBe('Петрова Петра Петровича');
    expect(nameInGenitive('Жукова Светлана Михайловна')).toBe('Жуковой Светланы Михайловны');
    expect(nameInGenitive('Толстой Лев Николаевич')).toBe('Толстого Льва Николаевича');
    expect(nameInGenitive('Толстая Софья Андреевна')).toBe('Толстой Софьи Андреевны');
    expect(nameInGenitive('Ильин Павел Кузьмич')).toBe('Ильина Павла Кузьмича');
    expect(nameInGenitive('Ильина Мария Ильинична')).toBe('Ильиной Марии Ильиничны');
  });

  it('keeps «ё» where it was typed, and drops it from «Пётр» as the language does', () => {
    expect(nameInGenitive('Соловьёва Алёна Фёдоровна')).toBe('Соловьёвой Алёны Фёдоровны');
    expect(nameInGenitive('Королёв Сергей Павлович')).toBe('Королёва Сергея Павловича');
    expect(nameInGenitive('Петров Петр Семенович')).toBe('Петрова Петра Семеновича');
    expect(nameInGenitive('Петров Пётр Семёнович')).toBe('Петрова Петра Семёновича');
  });

  it('declines both parts of a double surname, but not a particle such as «Бонч»', () => {
    expect(nameInGenitive('Римский-Корсаков Николай Андреевич')).toBe('Римского-Корсакова Николая Андреевича');
    expect(nameInGenitive('Римская-Корсакова Надежда Николаевна')).toBe('Римской-Корсаковой Надежды Николаевны');
    expect(nameInGenitive('Бонч-Бруевич Владимир Дмитриевич')).toBe('Бонч-Бруевича Владимира Дмитриевича');
  });

  it('reads surnames with an apostrophe and leaves a woman’s foreign one as it is', () => {
    expect(nameInGenitive("О'Нил Дарья Сергеевна")).toBe("О'Нил Дарьи Сергеевны");
    expect(nameInGenitive('О’Нил Дарья Сергеевна')).toBe('О’Нил Дарьи Сергеевны');
    expect(nameInGenitive("Д'Арк Жанна Ивановна")).toBe("Д'Арк Жанны Ивановны");
    expect(nameInGenitive("О'Нил Патрик Иванович")).toBe("О'Нила Патрика Ивановича");
  });

  it('leaves surnames that do not decline as they are', () => {
    expect(nameInGenitive('Дурново Иван Николаевич')).toBe('Дурново Ивана Николаевича');
    expect(nameInGenitive('Черных Ольга Павловна')).toBe('Черных Ольги Павловны');
    expect(nameInGenitive('Гончаренко Олег Иванович')).toBe('Гончаренко Олега Ивановича');
  });

  it('declines a man’s surname ending in a consonant but not a woman’s', () => {
    expect(nameInGenitive('Шевчук Олег Иванович')).toBe('Шевчука Олега Ивановича');
    expect(nameInGenitive('Шевчук Анна Ивановна')).toBe('Шевчук Анны Ивановны');
    expect(nameInGenitive('Ким Олег Сергеевич')).toBe('Кима Олега Сергеевича');
    expect(nameInGenitive('Ким Ирина Сергеевна')).toBe('Ким Ирины Сергеевны');
    expect(nameInGenitive('Кох Роберт Генрихович')).toBe('Коха Роберта Генриховича');
    expect(nameInGenitive('Кох Анна Павловна')).toBe('Кох Анны Павловны');
  });

  it('leaves a patronymic with «оглы» or «кызы» as it is and takes the gender from it', () => {
    expect(nameInGenitive('Мамедов Фарид Вагиф оглы')).toBe('Мамедова Фарида Вагиф оглы');
    expect(nameInGenitive('Алиева Лейла Гасан кызы')).toBe('Алиевой Лейлы Гасан кызы');
    expect(nameInGenitive('Гусейнов Рашид Аликпер-оглы')).toBe('Гусейнова Рашида Аликпер-оглы');
  });

  it('declines the surname before initials and keeps the initials as typed', () => {
    expect(nameInGenitive('Петров П.П.')).toBe('Петрова П.П.');
    expect(nameInGenitive('Жукова С. М.')).toBe('Жуковой С. М.');
    expect(nameInGenitive('П.П. Петров')).toBe('П.П. Петрова');
    expect(nameInGenitive('Дурново И.Н.')).toBe('Дурново И.Н.');
  });

  it('declines a name of two words as «Фамилия Имя»', () => {
    expect(nameInGenitive('Петров Пётр')).toBe('Петрова Петра');
    expect(nameInGenitive('Жукова Светлана')).toBe('Жуковой Светланы');
    expect(nameInGenitive('Иванов Илья')).toBe('Иванова Ильи');
    expect(nameInGenitive('Бойко Никита')).toBe('Бойко Никиты');
    expect(nameInGenitive('Шевчук Светлана')).toBe('Шевчук Светланы');
    expect(nameInGenitive('Шевчук Игорь')).toBe('Шевчука Игоря');
  });

  it('keeps the order «Имя Отчество Фамилия», recognised by the patronymic in the middle', () => {
    expect(nameInGenitive('Пётр Петрович Петров')).toBe('Петра Петровича Петрова');
    expect(nameInGenitive('Дмитрий Дмитриевич Шостакович')).toBe('Дмитрия Дмитриевича Шостаковича');
    expect(nameInGenitive('Шостакович Дмитрий Дмитриевич')).toBe('Шостаковича Дмитрия Дмитриевича');
  });

  it('trims extra and no-break spaces and keeps capitals', () => {
    expect(nameInGenitive(`  Петров \t Пётр${NBSP}Петрович `)).toBe('Петрова Петра Петровича');
    expect(nameInGenitive('ПЕТРОВ ПЁТР ПЕТРОВИЧ')).toBe('ПЕТРОВА ПЕТРА ПЕТРОВИЧА');
  });

  it('writes «и» after «ш» where petrovich would write «ы»', () => {
    expect(nameInGenitive('Петров Саша')).toBe('Петрова Саши');
    expect(nameInGenitive('Петрова Саша')).toBe('Петровой Саши');
  });

  it('does without the gender when both genders decline alike', () => {
    expect(nameInGenitive('Черных Саша')).toBe('Черных Саши');
  });

  it('asks for nameGenitive when the gender matters and cannot be told', () => {
    expect(() => nameInGenitive('Шевчук Саша')).toThrowErrorMatchingInlineSnapshot(`[Error: Не удалось определить, мужское или женское ФИО «Шевчук Саша»: укажите ФИО в родительном падеже в поле nameGenitive плана]`);
    expect(() => nameInGenitive('Шевчук А.А.')).toThrow('nameGenitive');
  });

  it('refuses text that is no name', () => {
    expect(() => nameInGenitive('Петров')).toThrowErrorMatchingInlineSnapshot(`[Error: «Петров» — не ФИО: ожидается «Фамилия Имя Отчество», «Фамилия Имя» или «Фамилия И. О.» русскими буквами, или укажите ФИО в родительном падеже в поле nameGenitive плана]`);
    expect(() => nameInGenitive('   ')).toThrowErrorMatchingInlineSnapshot(`[Error: ФИО не указано: ожидается «Фамилия Имя Отчество», «Фамилия Имя» или «Фамилия И. О.» русскими буквами]`);
    expect(() => nameInGenitive('Smith John')).toThrow('«Smith John» — не ФИО');
    expect(() => nameInGenitive('Петров Пётр Петрович Иванов')).toThrow('не ФИО');
    expect(() => nameInGenitive('П. Петров П.')).toThrow('не ФИО');
    expect(() => nameInGenitive('Петров П.П.П.')).toThrow('не ФИО');
    expect(() => nameInGenitive(untyped(undefined))).toThrow('ФИО не указано');
  });
});

describe('genderOfName', () => {
  it('tells the gender from the patronymic, the surname or the first name', () => {
    expect(genderOfName('Жукова Светлана Михайловна')).toBe('female');
    expect(genderOfName('Шевчук Олег Иванович')).toBe('male');
    expect(genderOfName('Алиева Лейла Гасан кызы')).toBe('female');
    expect(genderOfName('Мамедов Фарид Вагиф оглы')).toBe('male');
    expect(genderOfName('Петрова С. М.')).toBe('female');
    expect(genderOfName('Шевчук Никита')).toBe('male');
    expect(genderOfName('Ким Любовь')).toBe('female');
  });

  it('tells a name shared by men and women by the patronymic', () => {
    expect(genderOfName('Черных Женя Петрович')).toBe('male');
    expect(genderOfName('Черных Женя Петровна')).toBe('female');
  });

  it('says nothing when the name does not tell', () => {
    expect(genderOfName('Шевчук Саша')).toBeUndefined();
    expect(genderOfName('Ким А. А.')).toBeUndefined();
  });

  it('refuses text that is no name', () => {
    expect(() => genderOfName('директор')).toThrow('«директор» — не ФИО');
  });
});

describe('shortName', () => {
  it('puts the initials before the surname, joined by no-break spaces', () => {
    expect(shortName('Петров Пётр Петрович')).toBe(`П.${NBSP}П.${NBSP}Петров`);
    expect(shortName('Жукова Светлана Михайловна')).toBe(`С.${NBSP}М.${NBSP}Жукова`);
  });

  it('shortens a name of two words, a name in the order «Имя Отчество Фамилия» and one with «оглы»', () => {
    expect(shortName('Петров Пётр')).toBe(`П.${NBSP}Петров`);
    expect(shortName('Пётр Петрович Петров')).toBe(`П.${NBSP}П.${NBSP}Петров`);
    expect(shortName('Мамедов Фарид Вагиф оглы')).toBe(`Ф.${NBSP}В.${NBSP}Мамедов`);
  });

  it('keeps double surnames whole and gives a double first name a double initial', () => {
    expect(shortName('Римская-Корсакова Анна-Мария Ивановна')).toBe(`А.-М.${NBSP}И.${NBSP}Римская-Корсакова`);
  });

  it('keeps a surname with an apostrophe whole', () => {
    expect(shortName("О'Нил Дарья Сергеевна")).toBe(`Д.${NBSP}С.${NBSP}О'Нил`);
    expect(shortName('Д’Арк Жанна Ивановна')).toBe(`Ж.${NBSP}И.${NBSP}Д’Арк`);
  });

  it('spaces initials that were typed together', () => {
    expect(shortName('Петров П.П.')).toBe(`П.${NBSP}П.${NBSP}Петров`);
    expect(shortName('П. П. Петров')).toBe(`П.${NBSP}П.${NBSP}Петров`);
    expect(shortName(' Ёлкина   Юлия  Игоревна ')).toBe(`Ю.${NBSP}И.${NBSP}Ёлкина`);
  });

  it('refuses text that is no name, without mentioning nameGenitive', () => {
    expect(() => shortName('Петров')).toThrowErrorMatchingInlineSnapshot(`[Error: «Петров» — не ФИО: ожидается «Фамилия Имя Отчество», «Фамилия Имя» или «Фамилия И. О.» русскими буквами]`);
  });
});

describe('positionInGenitive', () => {
  it('declines common positions of one word', () => {
    const positions = ['директор', 'заведующий', 'заведующая', 'руководитель', 'начальник', 'министр', 'ректор', 'секретарь', 'учитель', 'методист', 'глава', 'консультант', 'педагог'];
    expect(positions.map(positionInGenitive)).toEqual(['директора', 'заведующего', 'заведующей', 'руководителя', 'начальника', 'министра', 'ректора', 'секретаря', 'учителя', 'методиста', 'главы', 'консультанта', 'педагога']);
  });

  it('declines the leading adjectives with the head noun', () => {
    expect(positionInGenitive('главный специалист')).toBe('главного специалиста');
    expect(positionInGenitive('ведущий специалист')).toBe('ведущего специалиста');
    expect(positionInGenitive('старший научный сотрудник')).toBe('старшего научного сотрудника');
    expect(positionInGenitive('первый заместитель министра')).toBe('первого заместителя министра');
    expect(positionInGenitive('медицинская сестра')).toBe('медицинской сестры');
    expect(positionInGenitive('второй секретарь')).toBe('второго секретаря');
  });

  it('leaves what follows the head noun as it is', () => {
    expect(positionInGenitive('директор МБОУ «СОШ № 1»')).toBe('директора МБОУ «СОШ № 1»');
    expect(positionInGenitive('начальник отдела общего образования')).toBe('начальника отдела общего образования');
    expect(positionInGenitive('министр образования Рязанской области')).toBe('министра образования Рязанской области');
    expect(positionInGenitive('заместитель директора по учебно-воспитательной работе')).toBe('заместителя директора по учебно-воспитательной работе');
  });

  it('declines «исполняющий обязанности» and «заведующий» before the words they govern', () => {
    expect(positionInGenitive('исполняющий обязанности директора')).toBe('исполняющего обязанности директора');
    expect(positionInGenitive('временно исполняющий обязанности министра')).toBe('временно исполняющего обязанности министра');
    expect(positionInGenitive('исполняющая обязанности ректора')).toBe('исполняющей обязанности ректора');
    expect(positionInGenitive('заведующий кафедрой')).toBe('заведующего кафедрой');
    expect(positionInGenitive('заведующая городской библиотекой')).toBe('заведующей городской библиотекой');
  });

  it('leaves abbreviated positions as they are', () => {
    expect(positionInGenitive('и.о. директора')).toBe('и.о. директора');
    expect(positionInGenitive('И. о. директора')).toBe('И. о. директора');
    expect(positionInGenitive('зам. министра')).toBe('зам. министра');
    expect(positionInGenitive('ВрИО губернатора')).toBe('ВрИО губернатора');
  });

  it('declines hyphenated nouns part by part, but not «вице-»', () => {
    expect(positionInGenitive('педагог-психолог')).toBe('педагога-психолога');
    expect(positionInGenitive('учитель-логопед')).toBe('учителя-логопеда');
    expect(positionInGenitive('главный специалист-эксперт')).toBe('главного специалиста-эксперта');
    expect(positionInGenitive('вице-президент')).toBe('вице-президента');
  });

  it('keeps capitals and trims spaces', () => {
    expect(positionInGenitive('Директор')).toBe('Директора');
    expect(positionInGenitive('ДИРЕКТОР')).toBe('ДИРЕКТОРА');
    expect(positionInGenitive('  Главный   специалист ')).toBe('Главного специалиста');
  });

  it('asks for positionGenitive when the position starts with an unknown word', () => {
    expect(() => positionInGenitive('завхоз')).toThrowErrorMatchingInlineSnapshot(`[Error: Не удалось просклонять должность «завхоз»: укажите её в родительном падеже в поле positionGenitive плана]`);
    expect(() => positionInGenitive('главный завхоз')).toThrow('positionGenitive');
    expect(() => positionInGenitive('директора')).toThrow('positionGenitive');
    expect(() => positionInGenitive('')).toThrowErrorMatchingInlineSnapshot(`[Error: Должность не указана: укажите её в плане]`);
  });
});

/**
 * Russian office-style formatting for the filters of document templates (orders, contracts,
 * reports): dates, money in figures and in words, counts with the noun agreeing, and — from
 * `russian-names.ts` — names and positions in the genitive.
 *
 * Pure functions: no clock, no time zone, no locale of the machine. Each throws an `Error`
 * whose message is a Russian sentence naming the bad value, for the caller to show the user.
 */
import n2w from 'number-to-words-ru';
import { formatRussianDate, parseIsoDate, type IsoDate } from '../plan/dates.ts';
import { MONTH_NAMES_GENITIVE, pluralRu } from '../plan/russian-words.ts';

export { genderOfName, nameInGenitive, positionInGenitive, shortName, type Gender } from './russian-names.ts';

const { convert } = n2w;

/** No-break space, the thousands separator of Russian figures. */
const NBSP = '\u00a0';

/**
 * A date as orders and contracts head it: the day in two digits within «ёлочки», the
 * month in the genitive, the year with «г.».
 *
 * @throws Error with a Russian message when `date` is not an existing `YYYY-MM-DD` date
 * @example formatDateQuoted('2020-12-29') // '«29» декабря 2020 г.'
 * @example formatDateQuoted('2021-03-05') // '«05» марта 2021 г.'
 */
export function formatDateQuoted(date: IsoDate): string {
  const { year, month, day } = dateParts(date);
  return `«${String(day).padStart(2, '0')}» ${MONTH_NAMES_GENITIVE[month - 1]} ${year} г.`;
}

/**
 * A date in figures, `DD.MM.YYYY`.
 *
 * @throws Error with a Russian message when `date` is not an existing `YYYY-MM-DD` date
 * @example formatDateNumeric('2020-12-29') // '29.12.2020'
 */
export function formatDateNumeric(date: IsoDate): string {
  dateParts(date);
  return formatRussianDate(date);
}

function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  const parts = typeof date === 'string' ? parseIsoDate(date) : null;
  if (!parts) throw new Error(`${describe(date)} — не дата: ожидается дата в виде ГГГГ-ММ-ДД, например 2020-12-29`);
  return parts;
}

/** The largest sum accepted, 9 999 999 999 999,99 ₽: below 10¹³ a number's 15 significant digits still hold its kopecks. */
const MAX_KOPECKS = 999_999_999_999_999;

const DECIMALS_EXPECTED = 'ожидается число с не более чем двумя знаками после запятой';

/**
 * A sum of money as a whole number of kopecks, exactly.
 *
 * Takes a number or a string. A number may carry binary rounding noise, which is dropped
 * (`0.1 + 0.2` is 30 kopecks), but not a third decimal (`1.005` throws). A string takes a
 * point or a comma before the kopecks and spaces (also no-break ones) between groups of
 * thousands: "1234567.89", "1 234 567,89", "1234567,8". Negative sums, NaN, Infinity and
 * sums of 10 trillion roubles and more throw.
 *
 * @throws Error with a Russian message for anything that is not such a sum
 * @example toKopecks(1234567.89) // 123456789
 * @example toKopecks('1 234 567,8') // 123456780
 * @example toKopecks(0.1 + 0.2) // 30
 */
export function toKopecks(value: number | string): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} — не сумма: ожидается конечное число`);
    if (value < 0) throw new Error(`${value} — отрицательная сумма: ожидается сумма не меньше нуля`);
    if (value >= 1e13) throw tooLarge(value);
    // 15 significant digits drop the noise of binary fractions (0.30000000000000004) and keep every decimal a person typed.
    text = String(Number(value.toPrecision(15)));
  } else if (typeof value === 'string') {
    text = value.trim();
    if (/^[-−–]/.test(text)) throw new Error(`${describe(value)} — отрицательная сумма: ожидается сумма не меньше нуля`);
    if (/^\d{1,3}(?:\s\d{3})+(?:[.,]\d+)?$/.test(text)) text = text.replace(/\s/g, '');
  } else {
    throw new Error(`${describe(value)} — не сумма: ожидается число или строка вида "1 234 567,89"`);
  }
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`${describe(value)} — не сумма: ${DECIMALS_EXPECTED}`);
  const rubles = match[1]!.replace(/^0+(?=\d)/, '');
  if (rubles.length > 13) throw tooLarge(value);
  const kopecks = Number(rubles) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (kopecks > MAX_KOPECKS) throw tooLarge(value);
  return kopecks;
}

function tooLarge(value: number | string): Error {
  return new Error(`${describe(value)} — слишком большая сумма: ожидается не более ${formatMoney(MAX_KOPECKS / 100)}`);
}

/**
 * A sum in figures: roubles in groups of three digits separated by no-break spaces
 * (U+00A0), so that a line never breaks inside the figure; a comma; the kopecks in two digits.
 *
 * @throws Error with a Russian message for anything that `toKopecks` refuses
 * @example formatMoney(1234567.89) // '1\u00a0234\u00a0567,89'
 * @example formatMoney('500') // '500,00'
 */
export function formatMoney(value: number | string): string {
  const { rubles, kopecks } = splitKopecks(toKopecks(value));
  return `${groupThousands(rubles)},${kopecks}`;
}

/**
 * A sum in figures with the units abbreviated, as contracts write it: roubles grouped by
 * no-break spaces (U+00A0) as in `formatMoney`, ordinary spaces around «руб.».
 *
 * @throws Error with a Russian message for anything that `toKopecks` refuses
 * @example formatRubles(1234567.89) // '1\u00a0234\u00a0567 руб. 89 коп.'
 * @example formatRubles(15) // '15 руб. 00 коп.'
 */
export function formatRubles(value: number | string): string {
  const { rubles, kopecks } = splitKopecks(toKopecks(value));
  return `${groupThousands(rubles)} руб. ${kopecks} коп.`;
}

/**
 * A sum in words as contracts spell it out: roubles in words with a capital letter, then
 * the kopecks in two digits, both nouns agreeing with their numbers.
 *
 * @throws Error with a Russian message for anything that `toKopecks` refuses
 * @example amountInWords(1234567.89) // 'Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек'
 * @example amountInWords(21.01) // 'Двадцать один рубль 01 копейка'
 * @example amountInWords(0) // 'Ноль рублей 00 копеек'
 */
export function amountInWords(value: number | string): string {
  const { rubles, kopecks } = splitKopecks(toKopecks(value));
  // A string, so that the library never sees a binary fraction.
  const words = convert(`${rubles}.${kopecks}`, {
    currency: 'rub',
    declension: 'nominative',
    roundNumber: -1,
    convertNumberToWords: { integer: true, fractional: false },
    showNumberParts: { integer: true, fractional: true },
    showCurrency: { integer: true, fractional: true },
  });
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function splitKopecks(kopecks: number): { rubles: number; kopecks: string } {
  return { rubles: Math.floor(kopecks / 100), kopecks: String(kopecks % 100).padStart(2, '0') };
}

function groupThousands(rubles: number): string {
  return String(rubles).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/**
 * A count and its noun in the agreeing form, the count written with a decimal comma.
 * A fraction takes the genitive singular: «1,5 договора», «0,5 договора».
 *
 * @param one the form after 1, 21, 101: «договор»
 * @param few the form after 2–4, 22–24: «договора»
 * @param many the form after 0, 5–20, 25–30, 111: «договоров»
 * @throws Error with a Russian message when `count` is not a finite number
 * @example pluralForm(5, 'договор', 'договора', 'договоров') // '5 договоров'
 * @example pluralForm(21, 'договор', 'договора', 'договоров') // '21 договор'
 * @example pluralForm(1.5, 'договор', 'договора', 'договоров') // '1,5 договора'
 */
export function pluralForm(count: number, one: string, few: string, many: string): string {
  if (typeof count !== 'number' || !Number.isFinite(count)) throw new Error(`${describe(count)} — не число: ожидается количество, например 5 или 1,5`);
  // 15 significant digits: 0.1 + 0.2 is 0,3, not 0,30000000000000004.
  const clean = Number(count.toPrecision(15));
  const form = Number.isInteger(clean) ? pluralRu(Math.abs(clean), [one, few, many]) : few;
  return `${String(clean).replace('.', ',')} ${form}`;
}

/** A value as an error message quotes it: strings in quotes, so that an empty one shows. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `«${value}»`;
  if (value === undefined || value === null) return 'Пустое значение';
  return String(value);
}

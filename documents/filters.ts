/**
 * The filters a document template may use, in Russian office style:
 *
 * | filter | writes |
 * |---|---|
 * | `{date \| dateQuoted}` | «29» декабря 2020 г. |
 * | `{date \| dateNumeric}` | 29.12.2020 |
 * | `{sum \| money}` | 1 234 567,89 |
 * | `{sum \| rubles}` | 1 234 567 руб. 89 коп. |
 * | `{sum \| inWords}` | Один миллион двести тридцать четыре тысячи … рублей 89 копеек |
 * | `{count \| plural:"договор":"договора":"договоров"}` | 5 договоров |
 * | `{director.name \| genitive}` | Петрова Петра Петровича (the data's `nameGenitive` wins; what cannot be declined stays as written) |
 * | `{director.position \| genitive}` | директора (the data's `positionGenitive` wins) |
 * | `{director.name \| acting}` | действующего / действующей |
 * | `{director.name \| initials}` | П. П. Петров |
 * | `{text \| capitalize}`, `{text \| upper}` | Директор, ДИРЕКТОР |
 * | `{share \| percent}` | 87,5 % |
 * | `{value \| decimal}` | 61,5 |
 *
 * Sums may be negative (an overspent line's remainder): `−1 250,00`, «Минус одна тысяча …».
 */
import { NAME_WORD } from '../plan/russian-words.ts';
import type { Filter } from './docx-template.ts';
import { amountInWords, formatDateNumeric, formatDateQuoted, formatMoney, formatRubles, pluralForm } from './russian-format.ts';
import { genderOfName, nameInGenitive, positionInGenitive, shortName } from './russian-names.ts';

/**
 * What the data says itself about declension: a `nameGenitive` next to a `name`, a
 * `positionGenitive` next to a `position`. The `genitive` filter uses them before declining.
 */
export interface DeclensionOverrides {
  genitive: Map<string, string>;
}

/** The overrides a data object carries, anywhere in it. */
export function declensionOverridesOf(data: unknown): DeclensionOverrides {
  const genitive = new Map<string, string>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const [field, override] of [['name', 'nameGenitive'], ['position', 'positionGenitive']] as const) {
      if (typeof record[field] === 'string' && typeof record[override] === 'string') genitive.set(record[field] as string, record[override] as string);
    }
    Object.values(record).forEach(visit);
  };
  visit(data);
  return { genitive };
}

function text(input: unknown, filter: string): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'number') return String(input);
  throw new Error(`фильтр ${filter} ожидает текст, а получил ${input === null || input === undefined ? 'пустое значение' : typeof input}`);
}

function amount(input: unknown, filter: string): number | string {
  if (typeof input === 'number' || typeof input === 'string') return input;
  throw new Error(`фильтр ${filter} ожидает сумму, а получил ${input === null || input === undefined ? 'пустое значение' : typeof input}`);
}

/** A name the declension cannot read may still end in a patronymic that tells («…Сергеевна»). */
function genderOfPatronymic(name: string): 'male' | 'female' | undefined {
  const last = name.trim().split(/\s+/).at(-1)?.toLowerCase() ?? '';
  if (/(вна|чна|кызы|гызы)$/.test(last)) return 'female';
  if (/(вич|ьич|оглы|улы)$/.test(last)) return 'male';
  return undefined;
}

/** The declined form, or `fallback` when the words cannot be declined. */
function unchanged<T, F>(fallback: F, decline: () => T): T | F {
  try {
    return decline();
  } catch {
    return fallback;
  }
}

/** A sum that may be negative: the formatter gets its absolute value, the sign goes in front. */
function signed(value: number | string, format: (value: number | string) => string, minus: string, finish: (text: string) => string = (text) => text): string {
  const negative = typeof value === 'number' ? value < 0 : value.trim().startsWith('-') || value.trim().startsWith('−');
  if (!negative) return finish(format(value));
  const absolute = typeof value === 'number' ? -value : value.trim().replace(/^[-−]\s*/, '');
  return finish(`${minus}${format(absolute)}`);
}

const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase('ru') + text.slice(1);

const NAME_START = new RegExp(`^${NAME_WORD}\\s+([А-ЯЁ][а-яё-]+|[А-ЯЁ]\\.)`);

/**
 * A name of a person, as opposed to a position: a capitalised word (Петров-Водкин, О'Нил,
 * Д’Арк) followed by another or by initials.
 */
function looksLikeName(value: string): boolean {
  return NAME_START.test(value.trim());
}

/**
 * The filters, reading the declension overrides of the document being rendered: `current()`
 * returns those of the data in hand (rendering is synchronous, one document at a time).
 */
export function documentFilters(current: () => DeclensionOverrides): Record<string, Filter> {
  return {
    dateQuoted: (input) => formatDateQuoted(text(input, 'dateQuoted')),
    dateNumeric: (input) => formatDateNumeric(text(input, 'dateNumeric')),
    money: (input) => signed(amount(input, 'money'), formatMoney, '−'),
    rubles: (input) => signed(amount(input, 'rubles'), formatRubles, '−'),
    inWords: (input) => signed(amount(input, 'inWords'), (value) => lowerFirst(amountInWords(value)), 'минус ', (text) => text.charAt(0).toLocaleUpperCase('ru') + text.slice(1)),
    plural: (input, one, few, many) => {
      if (typeof input !== 'number') throw new Error(`фильтр plural ожидает число, а получил ${typeof input}`);
      if (typeof one !== 'string' || typeof few !== 'string' || typeof many !== 'string') throw new Error('фильтру plural нужны три формы: plural:"договор":"договора":"договоров"');
      return pluralForm(input, one, few, many);
    },
    genitive: (input) => {
      const value = text(input, 'genitive');
      const override = current().genitive.get(value);
      if (override !== undefined) return override;
      // A lower-case first word is a position («директор»), a capitalised pair a name. What
      // cannot be declined (a foreign name, «Д'Арк») stays as written, as Russian leaves such names.
      return unchanged(value, () => (looksLikeName(value) ? nameInGenitive(value) : positionInGenitive(value)));
    },
    // «действующего» agrees with «директора» whoever holds the post; «действующей» with a woman's name.
    acting: (input) => {
      const value = text(input, 'acting');
      return (unchanged(undefined, () => genderOfName(value)) ?? genderOfPatronymic(value)) === 'female' ? 'действующей' : 'действующего';
    },
    initials: (input) => {
      const value = text(input, 'initials');
      return unchanged(value, () => shortName(value));
    },
    capitalize: (input) => {
      const value = text(input, 'capitalize');
      return value.charAt(0).toLocaleUpperCase('ru') + value.slice(1);
    },
    upper: (input) => text(input, 'upper').toLocaleUpperCase('ru'),
    decimal: (input) => {
      if (typeof input !== 'number' || !Number.isFinite(input)) throw new Error('фильтр decimal ожидает число');
      return String(input).replace('.', ',');
    },
    percent: (input) => {
      if (typeof input !== 'number' || !Number.isFinite(input)) throw new Error('фильтр percent ожидает число');
      return `${String(Math.round(input * 10) / 10).replace('.', ',')}\u00a0%`;
    },
  };
}

/** The filter names, for messages and the lint. */
export const FILTER_NAMES = Object.keys(documentFilters(() => ({ genitive: new Map() })));

/**
 * Russian words the plan reader understands: months in any case, quarters, half-years,
 * and numbers written in words («трех», «двадцати пяти»).
 */

/** Month stems; a word is that month when it matches one of the patterns. */
const MONTH_PATTERNS: readonly RegExp[] = [
  /^янв(арь|аря|аре|\.)?$/,
  /^фев(раль|раля|рале|р\.?|\.)?$/,
  /^мар(т|та|те|\.)?$/,
  /^апр(ель|еля|еле|\.)?$/,
  /^ма(й|я|е)$/,
  /^июн(ь|я|е|\.)?$/,
  /^июл(ь|я|е|\.)?$/,
  /^авг(уст|уста|усте|\.)?$/,
  /^сен(тябрь|тября|тябре|т\.?|\.)?$/,
  /^окт(ябрь|ября|ябре|\.)?$/,
  /^ноя(брь|бря|бре|б\.?|\.)?$/,
  /^дек(абрь|абря|абре|\.)?$/,
];

export const MONTH_NAMES = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'] as const;

/** The genitive, as in «29 декабря». */
export const MONTH_NAMES_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'] as const;

/** The 1-based month a word names, or `undefined`. */
export function monthOfWord(word: string): number | undefined {
  const index = MONTH_PATTERNS.findIndex((pattern) => pattern.test(word));
  return index >= 0 ? index + 1 : undefined;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** A quarter, half-year or decade number written as «1», «1-й», «3-я», «I», «первый», «второе», «третьей». */
export function ordinalOfWord(word: string): number | undefined {
  const digits = /^([1-4])(-?(й|го|м|е|ое|я|ая|ей|ой|ю))?$/.exec(word);
  if (digits) return Number(digits[1]);
  const roman = ROMAN[word.replace(/[іι]/g, 'i')];
  if (roman !== undefined) return roman;
  if (/^перв/.test(word)) return 1;
  if (/^втор/.test(word)) return 2;
  if (/^трет/.test(word)) return 3;
  if (/^четв[её]рт/.test(word)) return 4;
  return undefined;
}

/** Number words by value; each stem matches the word's forms in every case. */
const NUMBER_WORDS: ReadonlyArray<[RegExp, number]> = [
  [/^(один|одного|одному|одним|одном|одна|одной|одну|одно)$/, 1],
  [/^(два|две|двух|двум|двумя)$/, 2],
  [/^(три|тр[её]х|тр[её]м|тремя)$/, 3],
  [/^(четыре|четыр[её]х|четыр[её]м|четырьмя)$/, 4],
  [/^пят(ь|и|ью)$/, 5],
  [/^шест(ь|и|ью)$/, 6],
  [/^сем(ь|и|ью)$/, 7],
  [/^вос(емь|ьми|емью|ьмью)$/, 8],
  [/^девят(ь|и|ью)$/, 9],
  [/^десят(ь|и|ью)$/, 10],
  [/^одиннадцат(ь|и|ью)$/, 11],
  [/^двенадцат(ь|и|ью)$/, 12],
  [/^тринадцат(ь|и|ью)$/, 13],
  [/^четырнадцат(ь|и|ью)$/, 14],
  [/^пятнадцат(ь|и|ью)$/, 15],
  [/^шестнадцат(ь|и|ью)$/, 16],
  [/^семнадцат(ь|и|ью)$/, 17],
  [/^восемнадцат(ь|и|ью)$/, 18],
  [/^девятнадцат(ь|и|ью)$/, 19],
  [/^двадцат(ь|и|ью)$/, 20],
  [/^тридцат(ь|и|ью)$/, 30],
  [/^сорок(а)?$/, 40],
  [/^пятьдесят|^пятидесяти$/, 50],
  [/^шестьдесят|^шестидесяти$/, 60],
  [/^семьдесят|^семидесяти$/, 70],
  [/^восемьдесят|^восьмидесяти$/, 80],
  [/^девяност(о|а)$/, 90],
  [/^(сто|ста)$/, 100],
];

/** The number a compound like «трехдневный», «десятидневный», «5-дневный» starts with. */
export function numberOfCompound(word: string, suffix: RegExp): number | undefined {
  const match = new RegExp(`^(\\d+-?|[а-я]+?)${suffix.source}`).exec(word);
  if (!match) return undefined;
  const stem = match[1]!.replace(/-$/, '');
  if (/^\d+$/.test(stem)) return Number(stem);
  const forms: Record<string, number> = { одно: 1, двух: 2, трех: 3, четырех: 4, пяти: 5, шести: 6, семи: 7, восьми: 8, девяти: 9, десяти: 10, пятнадцати: 15, двадцати: 20, тридцати: 30 };
  return forms[stem];
}

/** The value of one number word («трех» → 3), or `undefined`. */
export function numberOfWord(word: string): number | undefined {
  return NUMBER_WORDS.find(([pattern]) => pattern.test(word))?.[1];
}

/**
 * Reads a number written in digits or in words, as many leading words as make it up.
 * @returns the value and how many words it took, or `undefined` when the first word is no number
 * @example readNumber(['двадцати', 'пяти', 'дней']) // { value: 25, words: 2 }
 */
export function readNumber(words: readonly string[]): { value: number; words: number } | undefined {
  // «3», «3-х», «5-ти»
  const digits = /^(\d+)(-?[а-я]{1,3})?$/.exec(words[0] ?? '');
  if (digits) return { value: Number(digits[1]), words: 1 };
  let value = 0;
  let taken = 0;
  let lastPart = Infinity;
  for (const word of words) {
    const part = numberOfWord(word);
    // «двадцать пять» adds up; «пять двадцать» is not one number.
    if (part === undefined || part >= lastPart || (lastPart < 10 && part < 10)) break;
    value += part;
    lastPart = part;
    taken += 1;
  }
  return taken > 0 ? { value, words: taken } : undefined;
}

const LATIN_LOOKALIKES: Record<string, string> = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в' };

/** A word of a person's name as written, capitalised: Петров, Петров-Водкин, О'Нил, Д’Арк. A pattern's source, to build patterns from. */
export const NAME_WORD = "[А-ЯЁ][а-яё]*(?:[-'’][А-ЯЁа-яё][а-яё]*)*";

/**
 * The text without soft hyphens and zero-width spaces: text copied from Word carries them.
 * A function rather than a shared /g pattern: the workers share this module between workflows
 * frozen (worker-bundle.ts), and a frozen /g pattern cannot reset its `lastIndex`.
 */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '');
}

/** Folds what people vary freely: case, «ё», the kind of dash, spaces, invisible characters. */
export function normalizePhrase(text: string): string {
  return withoutInvisibleCharacters(text)
    .toLowerCase()
    // Latin letters that look Cyrillic («c апреля» typed on the wrong layout); i and v stay for Roman numerals.
    .replace(/[aceopxykmthb]/g, (letter) => LATIN_LOOKALIKES[letter]!)
    .replace(/(^|\s)течении(?=\s|$)/g, '$1течение')
    .replace(/ё/g, 'е')
    .replace(/[\u2010-\u2015\u2212\u2043\uFE58\uFE63\uFF0D]/g, '-')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The Russian plural form for a count: 1 договор, 2 договора, 5 договоров. */
export function pluralRu(count: number, [one, few, many]: readonly [string, string, string]): string {
  const tens = count % 100;
  const units = count % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

/**
 * Deadlines relative to an event: «1 рабочий день», «в течение трех рабочих дней со дня
 * подписания», «7 дней», «в течение 10 (десяти) календарных дней», «2 недели», «1 месяц».
 * Counted as ст. 191–193 ГК РФ say.
 */
import { addDays, addMonths, type IsoDate } from './dates.ts';
import type { ProductionCalendar } from './production-calendar.ts';
import { normalizePhrase, numberOfCompound, pluralRu, readNumber, withoutInvisibleCharacters } from './russian-words.ts';

export const WithinUnit = { workingDays: 'workingDays', calendarDays: 'calendarDays', weeks: 'weeks', months: 'months' } as const;
export type WithinUnit = (typeof WithinUnit)[keyof typeof WithinUnit];

export interface Within {
  count: number;
  unit: WithinUnit;
}

export type WithinReading = { ok: true; within: Within } | { ok: false; error: string };

const EXPECTED = 'ожидается срок вроде «1 рабочий день», «в течение трех рабочих дней», «7 дней», «10 календарных дней», «2 недели» или «1 месяц»';
const EXPECTED_AFTER = 'после срока ожидается только событие, от которого он отсчитывается («со дня подписания», «после получения»), пояснение можно дать в скобках';

/**
 * Reads a relative deadline. What follows the unit may name the event («со дня подписания»,
 * «после получения») and is then ignored; any other words after it are an error, not dropped.
 * @example readWithin('в течение трех рабочих дней со дня подписания') // { ok: true, within: { count: 3, unit: 'workingDays' } }
 * @example readWithin('три недели с половиной') // { ok: false, error: 'после «три недели» не понимаю «с половиной»; …' }
 */
export function readWithin(phrase: string): WithinReading {
  const words = wordsOf(normalizePhrase(phrase));
  // The words as written, for quoting; the same split, without folding case or «ё».
  const written = wordsOf(withoutInvisibleCharacters(phrase));
  const quote = (from: number, to: number) => (written.length === words.length ? written : words).slice(from, to).join(' ');
  /** The deadline read up to `end`: the rest must name the event or be empty. */
  const endingAt = (end: number, within: Within): WithinReading =>
    end >= words.length || namesEvent(words.slice(end))
      ? { ok: true, within }
      : { ok: false, error: `после «${quote(0, end)}» не понимаю «${quote(end, words.length)}»; ${EXPECTED_AFTER}` };
  let at = 0;
  if (words[at] === 'в' && words[at + 1] === 'течение') at += 2;
  // «в трехдневный срок», «в 5-дневный срок»: calendar days.
  const compoundAt = at > 0 ? at : words[0] === 'в' ? 1 : 0;
  const compound = numberOfCompound(words[compoundAt] ?? '', /дневн/);
  if (compound !== undefined && words[compoundAt + 1] === 'срок') return compound >= 1 ? endingAt(compoundAt + 2, { count: compound, unit: 'calendarDays' }) : { ok: false, error: `срок «${phrase}» должен быть не меньше одного дня` };
  else if (words[at] === 'не' && words[at + 1] === 'позднее') at += 2;
  // «в течение месяца», «в течение рабочего дня»: one unit, the number left unsaid.
  const unsaid = /^(раб|кал|дня$|недели$|месяца$)/.test(words[at] ?? '') && at > 0;
  const number = unsaid ? { value: 1, words: 0 } : readNumber(words.slice(at));
  if (!number) return { ok: false, error: words.length === 0 ? `срок не указан; ${EXPECTED}` : `не вижу числа в «${phrase}»; ${EXPECTED}` };
  at += number.words;
  let kind: 'working' | 'calendar' | undefined;
  if (/^раб/.test(words[at] ?? '')) kind = 'working';
  else if (/^кал/.test(words[at] ?? '')) kind = 'calendar';
  if (kind) at += 1;
  const unitWord = words[at] ?? '';
  let unit: WithinUnit | undefined;
  if (/^(день|дня|дней|дн)$/.test(unitWord)) unit = kind === 'working' ? 'workingDays' : 'calendarDays';
  else if (/^недел/.test(unitWord) && kind !== 'working') unit = 'weeks';
  else if (/^месяц/.test(unitWord) && kind !== 'working') unit = 'months';
  if (!unit) return { ok: false, error: `не понимаю единицу срока в «${phrase}»; ${EXPECTED}` };
  if (number.value < 1) return { ok: false, error: `срок «${phrase}» должен быть не меньше одного дня` };
  return endingAt(at + 1, { count: number.value, unit });
}

function wordsOf(text: string): string[] {
  return text
    .replace(/\([^()]*\)/g, ' ') // «10 (десяти) дней», «пяти (5) дней»: the brackets repeat the number
    .replace(/[.,;]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Whether the words after a deadline name the event it counts from: «со дня подписания»,
 * «с момента получения», «после подписания», «по получении». «с половиной», «и ещё 2» do not.
 */
function namesEvent(words: readonly string[]): boolean {
  const [preposition, noun] = words;
  if (noun === undefined) return false;
  if (preposition === 'после') return true;
  if (preposition === 'с' || preposition === 'со' || preposition === 'от') return /^(дня|даты|момента)$|ия$/.test(noun);
  if (preposition === 'по') return /ии$/.test(noun);
  return false;
}

/**
 * The deadline of a period that starts with an event: counting begins the next day
 * (ст. 191 ГК РФ); a period in calendar days, weeks or months that ends on a day off
 * ends on the next working day (ст. 193 ГК РФ).
 * @example deadlineAfter('2020-02-28', { count: 1, unit: 'workingDays' }, calendar) // '2020-03-02'
 */
export function deadlineAfter(event: IsoDate, within: Within, calendar: ProductionCalendar): IsoDate {
  switch (within.unit) {
    case 'workingDays':
      return calendar.addWorkingDays(event, within.count);
    case 'calendarDays':
      return calendar.workingDayOnOrAfter(addDays(event, within.count));
    case 'weeks':
      return calendar.workingDayOnOrAfter(addDays(event, within.count * 7));
    case 'months':
      return calendar.workingDayOnOrAfter(addMonths(event, within.count));
  }
}

/** «3 рабочих дня», for messages and tables. */
export function describeWithin(within: Within): string {
  const forms: Record<WithinUnit, [string, string, string]> = {
    workingDays: ['рабочий день', 'рабочих дня', 'рабочих дней'],
    calendarDays: ['календарный день', 'календарных дня', 'календарных дней'],
    weeks: ['неделя', 'недели', 'недель'],
    months: ['месяц', 'месяца', 'месяцев'],
  };
  return `${within.count} ${pluralRu(within.count, forms[within.unit])}`;
}

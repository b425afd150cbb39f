/**
 * Deadlines relative to an event: «1 рабочий день», «в течение трех рабочих дней со дня
 * подписания», «7 дней», «в течение 10 (десяти) календарных дней», «2 недели», «1 месяц».
 * Counted as ст. 191–193 ГК РФ say.
 */
import { addDays, addMonths, type IsoDate } from './dates.ts';
import type { ProductionCalendar } from './production-calendar.ts';
import { normalizePhrase, numberOfCompound, pluralRu, readNumber } from './russian-words.ts';

export const WithinUnit = { workingDays: 'workingDays', calendarDays: 'calendarDays', weeks: 'weeks', months: 'months' } as const;
export type WithinUnit = (typeof WithinUnit)[keyof typeof WithinUnit];

export interface Within {
  count: number;
  unit: WithinUnit;
}

export type WithinReading = { ok: true; within: Within } | { ok: false; error: string };

const EXPECTED = 'ожидается срок вроде «1 рабочий день», «в течение трех рабочих дней», «7 дней», «10 календарных дней», «2 недели» или «1 месяц»';

/**
 * Reads a relative deadline. What follows the unit («после подписания») names the event and is ignored.
 * @example readWithin('в течение трех рабочих дней со дня подписания') // { ok: true, within: { count: 3, unit: 'workingDays' } }
 */
export function readWithin(phrase: string): WithinReading {
  const words = normalizePhrase(phrase)
    .replace(/\([^()]*\)/g, ' ') // «10 (десяти) дней», «пяти (5) дней»: the brackets repeat the number
    .replace(/[.,;]/g, ' ')
    .split(' ')
    .filter(Boolean);
  let at = 0;
  if (words[at] === 'в' && words[at + 1] === 'течение') at += 2;
  // «в трехдневный срок», «в 5-дневный срок»: calendar days.
  const compound = words.slice(0, 3).map((word) => numberOfCompound(word, /дневн/)).find((value) => value !== undefined);
  if (compound !== undefined && words.includes('срок')) return compound >= 1 ? { ok: true, within: { count: compound, unit: 'calendarDays' } } : { ok: false, error: `срок «${phrase}» должен быть не меньше одного дня` };
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
  return { ok: true, within: { count: number.value, unit } };
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

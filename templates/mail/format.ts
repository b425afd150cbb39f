/**
 * Small Russian formatters for the mail texts: dates in words, working-day counts, the
 * greeting, HTML escaping. Pure: no clock, no time zone, no locale of the machine.
 */
import { addDays, formatRussianDate, parseIsoDate, type IsoDate } from '../../plan/dates.ts';
import type { Recipient } from '../../plan/notifications.ts';
import { MONTH_NAMES_GENITIVE, NAME_WORD, pluralRu } from '../../plan/russian-words.ts';

/**
 * A calendar date as Russian letters write it.
 * @example formatDateLong('2020-12-29') // '29 декабря 2020 г.'
 */
export function formatDateLong(date: IsoDate): string {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  return `${parts.day} ${MONTH_NAMES_GENITIVE[parts.month - 1]} ${parts.year} г.`;
}

/**
 * A date as subjects and tables write it: `30.10.2020`.
 */
export function formatDateShort(date: IsoDate): string {
  return formatRussianDate(date);
}

/**
 * A span of days in words, the year said once when both ends share it.
 * @example formatDateRange('2020-10-26', '2020-11-01') // 'с 26 октября по 1 ноября 2020 г.'
 * @example formatDateRange('2020-12-28', '2021-01-03') // 'с 28 декабря 2020 г. по 3 января 2021 г.'
 */
export function formatDateRange(from: IsoDate, to: IsoDate): string {
  const end = formatDateLong(to);
  if (from.slice(0, 4) !== to.slice(0, 4)) return `с ${formatDateLong(from)} по ${end}`;
  return `с ${formatDateLong(from).replace(/ \d+ г\.$/, '')} по ${end}`;
}

/** The Sunday that ends the week starting on `monday`. */
export function endOfWeek(monday: IsoDate): IsoDate {
  return addDays(monday, 6);
}

/**
 * A count of working days with the noun agreeing.
 * @example workingDays(1) // '1 рабочий день'
 * @example workingDays(3) // '3 рабочих дня'
 * @example workingDays(11) // '11 рабочих дней'
 */
export function workingDays(count: number): string {
  return `${count} ${pluralRu(count, ['рабочий день', 'рабочих дня', 'рабочих дней'])}`;
}

/** «осталось 1 рабочий день» but «остались 2 рабочих дня», «осталось 5 рабочих дней». */
export function workingDaysLeft(count: number): string {
  const verb = pluralRu(count, ['остался', 'осталось', 'осталось']);
  return `${verb} ${workingDays(count)}`;
}

/** Escapes text for HTML element content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** One line of text: no line breaks or runs of spaces (a header cannot hold them). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Shortens text for a subject line at a word boundary, marking the cut with «…».
 * @example shorten('Проведение углубленного мониторинга образовательных результатов', 36) // 'Проведение углубленного мониторинга…'
 */
export function shorten(text: string, max: number): string {
  const line = oneLine(text);
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,.;:«"(—–-]+$/, '')}…`;
}

/** A word of a person's name, or initials («О.», «О.Ю.»). */
const PERSON_WORD = new RegExp(`^(${NAME_WORD}|([А-ЯЁ]\\.){1,2})$`);

/**
 * The salutation of a letter. One person named «Фамилия Имя Отчество» is greeted by name and
 * patronymic, as Russian business letters do («Уважаемая Ольга Юрьевна!»); a name whose
 * gender the patronymic does not tell keeps «Уважаемый(ая)»; several recipients, the office
 * or an organisation are «коллеги».
 */
export function greeting(to: readonly Recipient[]): string {
  const only = to.length === 1 ? to[0] : undefined;
  if (!only || only.id === 'office') return 'Уважаемые коллеги!';
  const name = oneLine(only.name);
  const words = name.split(' ');
  const personLike = words.length >= 2 && words.length <= 3 && words.every((word) => PERSON_WORD.test(word));
  if (!personLike) return 'Уважаемые коллеги!';
  if (words.length === 3) {
    const [, first, patronymic] = words as [string, string, string];
    if (!first.endsWith('.')) {
      if (/(вна|чна|кызы)$/.test(patronymic)) return `Уважаемая ${first} ${patronymic}!`;
      if (/(ич|оглы)$/.test(patronymic)) return `Уважаемый ${first} ${patronymic}!`;
    }
  }
  return `Уважаемый(ая) ${name}!`;
}

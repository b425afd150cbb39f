/**
 * The reader of periods as people write them in a plan-graph: «январь», «февраль - март»,
 * «март, октябрь, ноябрь», «ежеквартально», «с мая 2020 года», «Декабрь-июнь», «29.12.2020»,
 * «по отдельному графику». It only reads; `resolvePeriod` lays the result over a plan's span.
 */
import { dayExists } from './dates.ts';
import { MONTH_NAMES_GENITIVE, monthOfWord, normalizePhrase, ordinalOfWord } from './russian-words.ts';

export interface MonthRef {
  month: number;
  /** Written in the phrase; otherwise the plan's span decides. */
  year?: number;
}

export interface DayRef {
  year: number;
  month: number;
  day: number;
}

export type PeriodSegment =
  | { kind: 'months'; from: MonthRef; to: MonthRef }
  | { kind: 'half'; half: 1 | 2; year?: number };

export type Period =
  /** «по отдельному графику»: accepted, dates to be given later. */
  | { kind: 'unscheduled' }
  /** «в течение года»: the plan's whole span. */
  | { kind: 'wholePlan' }
  | { kind: 'quarterly' }
  | { kind: 'monthly' }
  /** «с апреля»: from that month to the end of the plan. */
  | { kind: 'fromMonth'; from: MonthRef }
  /** One occurrence per segment: «март, октябрь», «январь-февраль», «I квартал». */
  | { kind: 'segments'; segments: PeriodSegment[] }
  /** «29.12.2020», «01.02.2020 - 15.03.2020», «20.03.2020, 20.09.2020»: one occurrence per date or range. */
  | { kind: 'dates'; ranges: { from: DayRef; to: DayRef }[] }
  /** «до 29.12.2020», «до 1 марта»: due that day, open from the start of its month. */
  | { kind: 'until'; date: DayRef | { month: number; day: number; year?: number } };

export type PeriodReading = { ok: true; period: Period } | { ok: false; error: string };

const EXPECTED = 'ожидается месяц («январь», «февраль - март», «март, октябрь»), «ежеквартально», «с апреля», «в течение года», дата «29.12.2020» или «по отдельному графику»';

/**
 * Reads a period phrase. Case, «ё», the kind of dash and spaces do not matter; a trailing
 * «года», «г.» after a year and a closing remark in brackets are dropped.
 * @example readPeriod('февраль – март') // { ok: true, period: { kind: 'segments', segments: [{ kind: 'months', from: { month: 2 }, to: { month: 3 } }] } }
 */
export function readPeriod(phrase: string): PeriodReading {
  const text = simplify(phrase);
  if (text === '') return fail('период не указан; ' + EXPECTED);
  const fixed = readFixedPhrase(text);
  if (fixed) return fixed;
  const segments = readSegments(text);
  if (segments.ok) return segments;
  return blameAfterFixedPhrase(text) ?? segments;
}

/** The phrases read as a whole rather than word by word: «ежеквартально», «в течение года», dates, «до 1 марта». */
function readFixedPhrase(text: string): PeriodReading | undefined {
  if (/^(по отдельно(му|й) (графику|плану|схеме)|по мере необходимости|по запросу|по согласованию|по необходимости)$/.test(text)) return ok({ kind: 'unscheduled' });
  if (/^(ежеквартально|ежеквартально в течение (всего )?(календарного )?года|раз в квартал|каждый квартал)$/.test(text)) return ok({ kind: 'quarterly' });
  if (/^(ежемесячно|ежемесячно в течение (всего )?(календарного )?года|раз в месяц|каждый месяц)$/.test(text)) return ok({ kind: 'monthly' });
  const whole = readWholePlan(text);
  if (whole) return whole;
  return readDates(text);
}

/**
 * «ежеквартально до 10 числа»: the word-by-word reader would blame «ежеквартально», a phrase
 * it does not know, although the phrase is fine and what follows it is not. When the text
 * starts with a whole phrase the word-by-word reader cannot read, blame what follows it.
 */
function blameAfterFixedPhrase(text: string): PeriodReading | undefined {
  const found = longestHead(text, (head) => (readFixedPhrase(head)?.ok && typeof tokenize(head) === 'string' ? true : undefined));
  return found && fail(extraWords(found.head, found.rest));
}

/** The longest run of leading words (not all of them) that `read` makes something of, and the words after it. */
function longestHead<T>(text: string, read: (head: string) => T | undefined): { head: string; value: T; rest: string } | undefined {
  const words = text.split(' ');
  for (let count = words.length - 1; count >= 1; count -= 1) {
    const head = words.slice(0, count).join(' ').replace(/[,;]+$/, '');
    const value = read(head);
    if (value !== undefined) return { head, value, rest: words.slice(count).join(' ') };
  }
  return undefined;
}

/** The message for words after a complete period; a remark in closing brackets is what the format lets one add. */
function extraWords(head: string, rest: string): string {
  return `после «${head}» не понимаю «${rest}»; ожидается «${head}» без продолжения, пояснение можно дать в скобках в конце`;
}

function ok(period: Period): PeriodReading {
  return { ok: true, period };
}

function fail(error: string): PeriodReading {
  return { ok: false, error };
}

function simplify(phrase: string): string {
  return normalizePhrase(phrase)
    .replace(/\s*\([^()]*\)\s*$/, '')
    .replace(/(\d{4})\s*(?:годов|годы|года|год|гг\.?|г\.?)(?=$|[\s,;-])/g, '$1')
    .replace(/[.;,]+$/, '')
    .trim();
}

function readWholePlan(text: string): PeriodReading | undefined {
  if (/^(постоянно|ежегодно|весь период|в течение (всего )?(периода|срока)( реализации)?( (программы|проекта|плана))?)$/.test(text)) return ok({ kind: 'wholePlan' });
  const match = /^(?:в течение|на протяжении)(?: всего)?(?: (?:календарного|учебного))? (?:года|(\d{4})(?: ?[-/] ?(\d{4}))?(?: (?:календарного|учебного) года)?)$/.exec(text);
  const bareYear = /^(\d{4})(?: ?[-/] ?(\d{4}))?(?: (?:календарный|учебный) год)?$/.exec(text);
  const found = match ?? (bareYear ? [bareYear[0], bareYear[1], bareYear[2]] : null);
  if (!found) return undefined;
  // «в течение 2020 года», «2020 год» names the year; resolvePeriod checks it against the plan.
  if (found[1] !== undefined) {
    const first = Number(found[1]);
    const second = found[2] !== undefined ? Number(found[2]) : undefined;
    if (second !== undefined && second !== first + 1) return fail(`«${found[1]}-${found[2]}» — учебный год должен охватывать два соседних года`);
    return ok({ kind: 'segments', segments: second !== undefined
      ? [{ kind: 'months', from: { month: 9, year: first }, to: { month: 8, year: second } }]
      : [{ kind: 'months', from: { month: 1, year: first }, to: { month: 12, year: first } }] });
  }
  return ok({ kind: 'wholePlan' });
}

const NUMERIC_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/;

function readDay(text: string): DayRef | string | undefined {
  const match = NUMERIC_DATE.exec(text);
  if (!match) return undefined;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
  if (!dayExists(year, month, day)) return `даты ${text} не существует`;
  return { year, month, day };
}

function readDates(text: string): PeriodReading | undefined {
  const until = /^(до|не позднее|в срок до|срок до) (.+)$/.exec(text);
  if (until) {
    const lead = until[1]!;
    const rest = until[2]!;
    const date = readUntilDate(rest);
    if (typeof date === 'string') return fail(date);
    if (date) return ok({ kind: 'until', date });
    // «до 1 марта включительно»: the date is there, the words after it are not understood.
    const found = longestHead(rest, readUntilDate);
    if (found) return fail(typeof found.value === 'string' ? found.value : extraWords(`${lead} ${found.head}`, found.rest));
    return fail(`после «${lead}» ожидается дата: «${lead} 29.12.2020» или «${lead} 1 марта»`);
  }
  const ranges: { from: DayRef; to: DayRef }[] = [];
  for (const piece of text.split(/\s*[,;]\s*|\s+и\s+/)) {
    const parts = piece.split(/\s*-\s*|\s+по\s+/);
    const first = parts[0]?.replace(/^с\s+/, '');
    if (first === undefined || !NUMERIC_DATE.test(first)) return ranges.length === 0 ? undefined : fail(`«${piece}» — ожидается дата ДД.ММ.ГГГГ`);
    if (parts.length > 2) return fail(`«${piece}» — ожидается одна дата или две через тире`);
    const from = readDay(first);
    const to = parts.length === 2 ? readDay(parts[1]!) : from;
    if (typeof from === 'string') return fail(from);
    if (typeof to === 'string') return fail(to);
    if (!from || !to) return fail(`«${parts[1]}» — ожидается дата ДД.ММ.ГГГГ`);
    const key = (d: DayRef) => d.year * 10000 + d.month * 100 + d.day;
    if (key(to) < key(from)) return fail(`период «${piece}» идёт назад: конец раньше начала`);
    ranges.push({ from, to });
  }
  return ok({ kind: 'dates', ranges });
}

/** The date of «до 29.12.2020», «до 1 марта 2020»; a message when it does not exist; `undefined` when it is no date. */
function readUntilDate(text: string): Extract<Period, { kind: 'until' }>['date'] | string | undefined {
  const numeric = readDay(text);
  if (numeric) return numeric;
  const words = /^(\d{1,2}) ([а-я.]+)(?: (\d{4}))?$/.exec(text);
  const month = words ? monthOfWord(words[2]!) : undefined;
  if (!words || month === undefined) return undefined;
  const day = Number(words[1]);
  const year = words[3] !== undefined ? Number(words[3]) : undefined;
  if (!dayExists(year ?? 2000, month, day)) return `даты «${text}» не существует`;
  return { month, day, ...(year !== undefined ? { year } : {}) };
}

type Token = { kind: 'month'; month: number } | { kind: 'year'; year: number } | { kind: 'ordinal'; value: number } | { kind: 'word'; word: string } | { kind: 'dash' } | { kind: 'separator' };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  for (const raw of text.match(/\d+(?:-?[а-я]+)?|[a-zа-я]+\.?|[-–]|[,;/]|\S/g) ?? []) {
    if (raw === '-') tokens.push({ kind: 'dash' });
    else if (raw === ',' || raw === ';' || raw === '/' || raw === 'и') tokens.push({ kind: 'separator' });
    else if (/^\d{4}$/.test(raw)) tokens.push({ kind: 'year', year: Number(raw) });
    else if (['с', 'со', 'по', 'квартал', 'кв', 'кв.', 'квартала', 'квартале', 'полугодие', 'полугодия', 'полугодии', 'в', 'во', 'течение'].includes(raw)) tokens.push({ kind: 'word', word: raw.replace(/\.$/, '') });
    else if (monthOfWord(raw) !== undefined) tokens.push({ kind: 'month', month: monthOfWord(raw)! });
    else if (ordinalOfWord(raw) !== undefined) tokens.push({ kind: 'ordinal', value: ordinalOfWord(raw)! });
    else return raw;
  }
  return tokens;
}

/** Segments: «март, октябрь, ноябрь», «апрель, август сентябрь», «с апреля по ноябрь 2020», «II-III квартал», «I полугодие». */
function readSegments(text: string): PeriodReading {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return fail(`не понимаю «${tokens}»; ${EXPECTED}`);
  let at = 0;
  const peek = (offset = 0) => tokens[at + offset];
  const isWord = (token: Token | undefined, ...words: string[]) => token?.kind === 'word' && words.includes(token.word);

  const readMonth = (): MonthRef | undefined => {
    const token = peek();
    if (token?.kind !== 'month') return undefined;
    at += 1;
    const year = peek();
    if (year?.kind === 'year') {
      at += 1;
      return { month: token.month, year: year.year };
    }
    return { month: token.month };
  };
  const readYear = (): number | undefined => {
    const token = peek();
    if (token?.kind !== 'year') return undefined;
    at += 1;
    return token.year;
  };

  const segments: PeriodSegment[] = [];
  let openEnded: MonthRef | undefined;
  // «в течение апреля», «в апреле»: the same month.
  while (isWord(peek(), 'в', 'во', 'течение')) at += 1;
  while (at < tokens.length) {
    const token = peek()!;
    if (token.kind === 'separator') {
      at += 1;
      continue;
    }
    if (isWord(token, 'с', 'со')) {
      at += 1;
      const from = readMonth();
      if (!from) return fail(`после «с» ожидается месяц: «с апреля», «с мая 2020 года»`);
      if (isWord(peek(), 'по') || peek()?.kind === 'dash') {
        at += 1;
        const to = readMonth();
        if (!to) return fail(`после «по» ожидается месяц: «с апреля по ноябрь»`);
        segments.push({ kind: 'months', from, to });
      } else {
        // «с апреля, с мая»: two starts, and the first would be lost.
        if (openEnded) return fail(`«с ${MONTH_NAMES_GENITIVE[openEnded.month - 1]}» нельзя сочетать с другими месяцами`);
        openEnded = from;
      }
      continue;
    }
    if (token.kind === 'month') {
      const from = readMonth()!;
      if (peek()?.kind === 'dash' || isWord(peek(), 'по')) {
        at += 1;
        const to = readMonth();
        if (!to) return fail(`после тире ожидается месяц: «февраль - март»`);
        segments.push({ kind: 'months', from, to });
      } else {
        segments.push({ kind: 'months', from, to: from });
      }
      continue;
    }
    if (token.kind === 'ordinal') {
      // «I квартал», «II-III квартал», «1-2 кварталы», «второе полугодие 2020 года»
      at += 1;
      let last = token.value;
      if (peek()?.kind === 'dash' && peek(1)?.kind === 'ordinal') {
        last = (peek(1) as { value: number }).value;
        at += 2;
      }
      if (isWord(peek(), 'квартал', 'кв', 'квартала', 'квартале')) {
        at += 1;
        const year = readYear();
        if (last < token.value) return fail(`кварталы идут назад: ${token.value} - ${last}`);
        segments.push({ kind: 'months', from: { month: token.value * 3 - 2, year }, to: { month: last * 3, year } });
        continue;
      }
      if (isWord(peek(), 'полугодие', 'полугодия', 'полугодии') && token.value <= 2 && last === token.value) {
        at += 1;
        const year = readYear();
        segments.push({ kind: 'half', half: token.value as 1 | 2, ...(year !== undefined ? { year } : {}) });
        continue;
      }
      return fail(`после номера ожидается «квартал» или «полугодие»; ${EXPECTED}`);
    }
    if (token.kind === 'year') return fail(`год ${token.year} должен стоять после месяца: «апрель ${token.year} года»`);
    if (token.kind === 'dash') return fail(`лишнее тире; ${EXPECTED}`);
    return fail(`не понимаю «${token.kind === 'word' ? token.word : ''}»; ${EXPECTED}`);
  }
  if (openEnded) {
    if (segments.length > 0) return fail(`«с ${MONTH_NAMES_GENITIVE[openEnded.month - 1]}» нельзя сочетать с другими месяцами`);
    return ok({ kind: 'fromMonth', from: openEnded });
  }
  if (segments.length === 0) return fail(`период не указан; ${EXPECTED}`);
  return ok({ kind: 'segments', segments });
}

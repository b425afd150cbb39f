/**
 * The reader of periods as people write them in a plan-graph: «январь», «февраль - март»,
 * «март, октябрь, ноябрь», «ежеквартально», «с мая 2020 года», «Декабрь-июнь», «29.12.2020»,
 * «в третьей декаде марта», «с 23 по 27 марта», «по отдельному графику». It only reads;
 * `resolvePeriod` lays the result over a plan's span.
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

/** A day as written: «23 марта», «23.03» leave the year to the plan's span; «23.03.2026» names it. */
export interface DayOfMonth {
  month: number;
  day: number;
  year?: number;
}

/** The decades of a month: the 1st–10th, the 11th–20th, the 21st to the month's end. */
export type Decade = 1 | 2 | 3;

export type PeriodSegment =
  | { kind: 'months'; from: MonthRef; to: MonthRef }
  | { kind: 'half'; half: 1 | 2; year?: number }
  /** «третья декада марта», «I-II декада мая»: from the first decade's first day to the last decade's last day. */
  | { kind: 'decades'; first: Decade; last: Decade; month: MonthRef };

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
  /**
   * «29.12.2020», «01.02.2020 - 15.03.2020», «20.03.2020, 20.09.2020», «с 23 по 27 марта», «23.03-27.03»:
   * one occurrence per date or range. Both ends of a range name their year, or neither does.
   */
  | { kind: 'dates'; ranges: { from: DayOfMonth; to: DayOfMonth }[] }
  /** «до 29.12.2020», «до 1 марта»: due that day, open from the start of its month. */
  | { kind: 'until'; date: DayOfMonth };

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

/** «29.12.2020», «29.12.20», and (an extension) «29.12» without a year. */
const NUMERIC_DATE = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?$/;

/** A date in figures; a message when it does not exist; `undefined` when it is none. */
function readDay(text: string): DayOfMonth | string | undefined {
  const match = NUMERIC_DATE.exec(text);
  if (!match) return undefined;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = match[3] === undefined ? undefined : match[3].length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
  // Without a year, 29.02 may yet fall in a leap year.
  if (!dayExists(year ?? 2000, month, day)) return `даты ${text} не существует`;
  return year !== undefined ? { year, month, day } : { month, day };
}

function readDates(text: string): PeriodReading | undefined {
  const until = /^(до|не позднее|в срок до|срок до) (.+)$/.exec(text);
  if (until) {
    const lead = until[1]!;
    const rest = until[2]!;
    const date = readDayOfMonth(rest);
    if (typeof date === 'string') return fail(date);
    if (date) return ok({ kind: 'until', date });
    // «до 1 марта включительно»: the date is there, the words after it are not understood.
    const found = longestHead(rest, readDayOfMonth);
    if (found) return fail(typeof found.value === 'string' ? found.value : extraWords(`${lead} ${found.head}`, found.rest));
    return fail(`после «${lead}» ожидается дата: «${lead} 29.12.2020» или «${lead} 1 марта»`);
  }
  const ranges: { from: DayOfMonth; to: DayOfMonth }[] = [];
  for (const piece of text.split(/\s*[,;]\s*|\s+и\s+/)) {
    const range = readDayRange(piece);
    if (range === undefined) return ranges.length === 0 ? undefined : fail(`«${piece}» — ожидается дата ДД.ММ.ГГГГ`);
    if (typeof range === 'string') return fail(range);
    ranges.push(range);
  }
  return ok({ kind: 'dates', ranges });
}

/**
 * One date or range of a list: «29.12.2020», «01.02.2020 - 15.03.2020», and (an extension)
 * «23 марта», «с 23 по 27 марта», «23-27 марта», «с 28 февраля по 5 марта», «23.03-27.03».
 * A message when it is wrong; `undefined` when the piece does not start with a day, so that
 * months, quarters and decades are left to the word-by-word reader.
 */
function readDayRange(piece: string): { from: DayOfMonth; to: DayOfMonth } | string | undefined {
  const parts = piece.split(/\s*-\s*|\s+по\s+/);
  const opensWithC = /^со?\s/.test(parts[0]!);
  const first = parts[0]!.replace(/^со?\s+/, '');
  const inFigures = NUMERIC_DATE.test(first);
  if (/^\d{1,2}$/.test(first)) {
    // «с 23 по 27 марта», «23-27 марта», «23-27.03»: the first day takes the month of the last.
    if (parts.length !== 2) return undefined;
    if (/^\d{1,2}$/.test(parts[1]!)) return `«${piece}» — после чисел ожидается месяц: «с 23 по 27 марта», «23-27 марта»`;
    const to = readDayOfMonth(parts[1]!);
    if (typeof to !== 'object') return to;
    const from: DayOfMonth = { ...to, day: Number(first) };
    if (!dayExists(from.year ?? 2000, from.month, from.day)) return `даты «${first} ${MONTH_NAMES_GENITIVE[from.month - 1]}» не существует`;
    return orderedRange(piece, from, to);
  }
  const from = readDayOfMonth(first);
  if (typeof from !== 'object') return from;
  if (parts.length > 2) return `«${piece}» — ожидается одна дата или две через тире`;
  if (parts.length === 1) {
    // «с 01.09.2020» has always read as that day; «с 23 марта» would leave the end to a guess.
    if (opensWithC && !inFigures) return `«${piece}» — не указан конец периода: ожидается, например, «с 23 по 27 марта»; от начала месяца до конца плана — «с ${MONTH_NAMES_GENITIVE[from.month - 1]}»`;
    return { from, to: from };
  }
  const to = readDayOfMonth(parts[1]!);
  if (typeof to === 'string') return to;
  if (!to) return inFigures ? `«${parts[1]}» — ожидается дата ДД.ММ.ГГГГ` : `«${parts[1]}» — ожидается дата: «27 марта», «27.03.2020»`;
  return orderedRange(piece, from, to);
}

/**
 * The two ends of a range in order. A year written at one end only dates both («с 28.12 по
 * 05.01.2021» starts in 2020); a range that runs backwards within one month, or between
 * dated days, is an error. Year-less ends in different months are left to `resolvePeriod`:
 * «с 28 декабря по 5 января» is fine in a school-year plan.
 */
function orderedRange(piece: string, from: DayOfMonth, to: DayOfMonth): { from: DayOfMonth; to: DayOfMonth } | string {
  const order = (day: DayOfMonth) => day.month * 100 + day.day;
  if (from.year === undefined && to.year !== undefined) from = { ...from, year: order(from) <= order(to) ? to.year : to.year - 1 };
  if (to.year === undefined && from.year !== undefined) to = { ...to, year: order(to) >= order(from) ? from.year : from.year + 1 };
  for (const day of [from, to]) {
    if (day.year !== undefined && !dayExists(day.year, day.month, day.day)) return `даты ${String(day.day).padStart(2, '0')}.${String(day.month).padStart(2, '0')}.${day.year} не существует`;
  }
  const key = (day: DayOfMonth) => (day.year ?? 0) * 10000 + order(day);
  if (key(to) < key(from) && (from.year !== undefined || from.month === to.month)) return `период «${piece}» идёт назад: конец раньше начала`;
  return { from, to };
}

/** A day in figures («29.12.2020», «29.12») or words («29 декабря», «1 марта 2020»); a message when it does not exist; `undefined` when it is no date. */
function readDayOfMonth(text: string): DayOfMonth | string | undefined {
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
    else if (/^декад(а|ы|е|у|ой)$/.test(raw)) tokens.push({ kind: 'word', word: 'декада' });
    // Only a decade is feminine among the periods read here: «последняя декада» is the third.
    else if (/^последн(яя|ей|юю)$/.test(raw)) tokens.push({ kind: 'ordinal', value: 3 });
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
      if (isWord(peek(), 'декада')) {
        // «в третьей декаде марта», «I-II декада мая»
        at += 1;
        if (token.value > 3 || last > 3) return fail(`декады ${Math.max(token.value, last)} не бывает: в месяце три декады — первая (1–10 число), вторая (11–20), третья (с 21 до конца месяца)`);
        if (last < token.value) return fail(`декады идут назад: ${token.value} - ${last}`);
        const month = readMonth();
        if (!month) return fail(`после «декада» ожидается месяц: «третья декада марта»`);
        segments.push({ kind: 'decades', first: token.value as Decade, last: last as Decade, month });
        continue;
      }
      return fail(`после номера ожидается «квартал», «полугодие» или «декада»; ${EXPECTED}`);
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

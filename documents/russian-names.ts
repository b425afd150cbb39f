/**
 * People in Russian documents: a full name in the genitive («приказ о назначении Петрова
 * Петра Петровича»), a position in the genitive («директора»), and the short name of a
 * signature line («П. П. Петров»). Pure functions; every unusable input throws an `Error`
 * with a Russian sentence that tells the plan author what to write instead.
 *
 * Names are declined by `petrovich`, around which this module fixes what petrovich 0.2.1
 * gets wrong: endings spelled with «ё» (Соловьёва), «ы» after г, к, х, ж, ш, щ, ч (Сашы),
 * capitals (ПЕТРОВа), surname particles before a hyphen (Бонч-Бруевич), patronymics
 * with «оглы» and «кызы», and a gender that the patronymic does not tell.
 */
import petrovich from 'petrovich';

/** The grammatical gender of a person's name. */
export type Gender = 'male' | 'female';

/** No-break space: keeps initials on the line of their surname. */
const NBSP = '\u00a0';

/** A full name split into its parts, each as typed. */
interface PersonName {
  surname: string;
  /** Absent when the name is given with initials. */
  firstName?: string;
  /** «Петрович», or «Вагиф оглы», which does not decline. */
  patronymic?: string;
  /** The initials token(s) as typed, «П.П.» or «П. П.». */
  initials?: string;
  /** «Петров Пётр Петрович» (true) or «Пётр Петрович Петров» (false); with initials, whether they follow the surname. */
  surnameFirst: boolean;
}

const EXPECTED_NAME = 'ожидается «Фамилия Имя Отчество», «Фамилия Имя» или «Фамилия И. О.» русскими буквами';

/** Turkic patronymic particles: «Мамедов Фарид Вагиф оглы» (son), «Алиева Лейла Гасан кызы» (daughter). */
const PATRONYMIC_PARTICLES: Readonly<Record<string, Gender>> = {
  оглы: 'male', оглу: 'male', улы: 'male', уулу: 'male',
  кызы: 'female', гызы: 'female', кизи: 'female',
};

/** Russian letters, with hyphens (Петров-Водкин) and apostrophes, typed or typographic (О'Нил, Д’Арк), between them. */
const NAME_WORD = /^[А-ЯЁа-яё]+(?:[-'’][А-ЯЁа-яё]+)*$/;
const INITIALS = /^(?:[А-ЯЁ]\.){1,2}$/;

/**
 * A full name in the genitive, as orders write «назначить … Петрова Петра Петровича».
 *
 * The order is «Фамилия Имя Отчество»; «Имя Отчество Фамилия» is recognised by its
 * patronymic in the middle and kept in that order. Two words are «Фамилия Имя».
 * Initials stay as typed («Петров П.П.» → «Петрова П.П.»). «ё» stays where it was typed,
 * except that «Пётр» becomes «Петра» as the language has it. A patronymic with «оглы» or
 * «кызы» does not decline; nor do surnames that the language leaves as they are (Дурново,
 * Черных, a woman's Шевчук or Кох).
 *
 * The gender comes from the patronymic, else from a surname with a Russian ending
 * (-ов/-ова, -ин/-ина, -ский/-ская), else from the first name; when it stays unknown and
 * matters for the endings, the function throws and asks for `nameGenitive` in the plan.
 *
 * @throws Error with a Russian message for text that is not a name or whose gender is unknown
 * @example nameInGenitive('Петров Пётр Петрович') // 'Петрова Петра Петровича'
 * @example nameInGenitive('Жукова Светлана Михайловна') // 'Жуковой Светланы Михайловны'
 * @example nameInGenitive('Мамедов Фарид Вагиф оглы') // 'Мамедова Фарида Вагиф оглы'
 * @example nameInGenitive('Петров П.П.') // 'Петрова П.П.'
 */
export function nameInGenitive(fullName: string): string {
  const name = parseName(fullName, 'или укажите ФИО в родительном падеже в поле nameGenitive плана');
  const gender = genderOf(name);
  const decline = (as: Gender): PersonName => ({
    ...name,
    surname: declineName(name.surname, as, 'last'),
    firstName: name.firstName === undefined ? undefined : declineName(name.firstName, as, 'first'),
    patronymic: name.patronymic === undefined || isTurkicPatronymic(name.patronymic) ? name.patronymic : declineName(name.patronymic, as, 'middle'),
  });
  if (gender) return joinName(decline(gender));
  const [male, female] = [joinName(decline('male')), joinName(decline('female'))];
  // Дурново, Черных and initials decline alike for both: no need to know whose name it is.
  if (male === female) return male;
  throw new Error(`Не удалось определить, мужское или женское ФИО «${oneLine(fullName)}»: укажите ФИО в родительном падеже в поле nameGenitive плана`);
}

/**
 * The gender a full name tells, for the words that agree with it («действующего»,
 * «действующей»): from the patronymic, else from a surname with a Russian ending, else
 * from the first name.
 *
 * @returns `undefined` when the name does not tell («Шевчук Саша», «Ким А. А.»)
 * @throws Error with a Russian message for text that is not a name
 * @example genderOfName('Жукова Светлана Михайловна') // 'female'
 * @example genderOfName('Мамедов Фарид Вагиф оглы') // 'male'
 * @example genderOfName('Шевчук Саша') // undefined
 */
export function genderOfName(fullName: string): Gender | undefined {
  return genderOf(parseName(fullName));
}

/**
 * The name of a signature line: initials, then the surname, joined by no-break spaces
 * (U+00A0) so that the line never breaks inside the name. Accepts what `nameInGenitive`
 * accepts.
 *
 * @throws Error with a Russian message for text that is not a name
 * @example shortName('Петров Пётр Петрович') // 'П.\u00a0П.\u00a0Петров'
 * @example shortName('Петров Пётр') // 'П.\u00a0Петров'
 * @example shortName('Римская-Корсакова Анна-Мария Ивановна') // 'А.-М.\u00a0И.\u00a0Римская-Корсакова'
 */
export function shortName(fullName: string): string {
  const name = parseName(fullName);
  const initials = name.initials !== undefined
    ? name.initials.replace(/\s/g, '').match(/[А-ЯЁ]\./g)!
    : [name.firstName, name.patronymic].filter((part) => part !== undefined).map(initialsOf);
  return [...initials, name.surname].join(NBSP);
}

/**
 * A position in the genitive, as orders write «приказ директора», «исполняющего
 * обязанности директора». The leading adjectives and the head noun decline; what follows
 * them is already in its case and stays («директора МБОУ СОШ № 1», «заведующего
 * кафедрой»). Abbreviations such as «и.о.», «зам.» and «врио» do not decline, so a
 * position starting with one is returned as given. Capitals are kept.
 *
 * Nouns are known from a list and from the suffixes of Russian job names (-тель, -ник,
 * -ист, -ор, -ер, -ант, -ент, -лог…); a position starting with any other word throws
 * and asks for `positionGenitive` in the plan.
 *
 * @throws Error with a Russian message for a position that cannot be declined safely
 * @example positionInGenitive('директор') // 'директора'
 * @example positionInGenitive('Исполняющий обязанности директора') // 'Исполняющего обязанности директора'
 * @example positionInGenitive('главный специалист отдела') // 'главного специалиста отдела'
 * @example positionInGenitive('и.о. директора') // 'и.о. директора'
 */
export function positionInGenitive(position: string): string {
  if (typeof position !== 'string' || oneLine(position) === '') throw new Error('Должность не указана: укажите её в плане');
  const words = oneLine(position).split(' ');
  const unknown = () => new Error(`Не удалось просклонять должность «${oneLine(position)}»: укажите её в родительном падеже в поле positionGenitive плана`);
  if (/\./.test(words[0]!) || ABBREVIATED_POSITIONS.has(words[0]!.toLowerCase())) return words.join(' ');
  let index = 0;
  while (index < words.length && ADVERBS.has(words[index]!.toLowerCase())) index += 1;
  for (; index < words.length; index += 1) {
    const word = words[index]!;
    const noun = nounGenitive(word);
    if (noun !== undefined) {
      words[index] = noun;
      return words.join(' ');
    }
    const adjective = adjectiveGenitive(word);
    if (adjective === undefined) throw unknown();
    words[index] = adjective;
    const next = words[index + 1];
    const nextDeclines = next !== undefined && (nounGenitive(next) !== undefined || adjectiveGenitive(next) !== undefined);
    if (nextDeclines) continue;
    // «заведующий кафедрой», «исполняющий обязанности»: the adjective is itself the noun.
    if (next === undefined || SUBSTANTIVE_ADJECTIVES.has(foldYo(word.toLowerCase()))) return words.join(' ');
    throw unknown();
  }
  throw unknown();
}

// ---------------------------------------------------------------------------------------
// Names

function parseName(fullName: string, remedy?: string): PersonName {
  const text = typeof fullName === 'string' ? oneLine(fullName) : '';
  const notAName = () => new Error(`«${text}» — не ФИО: ${EXPECTED_NAME}${remedy ? `, ${remedy}` : ''}`);
  if (text === '') throw new Error(`ФИО не указано: ${EXPECTED_NAME}`);
  const tokens = text.split(' ');

  const initialsAt = tokens.map((token) => INITIALS.test(token));
  if (initialsAt.some(Boolean)) {
    const words = tokens.filter((_, i) => !initialsAt[i]);
    const initials = tokens.filter((_, i) => initialsAt[i]);
    const letters = initials.join('').replace(/\./g, '').length;
    const surnameAt = initialsAt.indexOf(false);
    // «Петров П. П.» or «П. П. Петров»; initials on both sides are no name.
    const atAnEnd = surnameAt === 0 || surnameAt === tokens.length - 1;
    if (words.length !== 1 || !NAME_WORD.test(words[0]!) || letters > 2 || !atAnEnd) throw notAName();
    return { surname: words[0]!, initials: initials.join(' '), surnameFirst: surnameAt === 0 };
  }

  if (!tokens.every((token) => NAME_WORD.test(token))) throw notAName();
  // «Вагиф оглы» is one patronymic of two words.
  const words: string[] = [];
  for (const token of tokens) {
    const last = words.length - 1;
    if (token.toLowerCase() in PATRONYMIC_PARTICLES && last >= 1) words[last] = `${words[last]} ${token}`;
    else words.push(token);
  }
  if (words.length === 2) return { surname: words[0]!, firstName: words[1]!, surnameFirst: true };
  if (words.length !== 3) throw notAName();
  const [first, second, third] = words as [string, string, string];
  // A first name never ends like a patronymic, so a patronymic in the middle means «Имя Отчество Фамилия».
  if (looksLikePatronymic(second)) return { surname: third, firstName: first, patronymic: second, surnameFirst: false };
  return { surname: first, firstName: second, patronymic: third, surnameFirst: true };
}

function joinName(name: PersonName): string {
  if (name.initials !== undefined) return name.surnameFirst ? `${name.surname} ${name.initials}` : `${name.initials} ${name.surname}`;
  const given = [name.firstName, name.patronymic].filter((part) => part !== undefined);
  return (name.surnameFirst ? [name.surname, ...given] : [...given, name.surname]).join(' ');
}

function looksLikePatronymic(word: string): boolean {
  return /(ич|вна|чна)$/i.test(word) || isTurkicPatronymic(word);
}

function isTurkicPatronymic(word: string): boolean {
  return turkicGender(word) !== undefined;
}

/** The gender a Turkic patronymic states: «Вагиф оглы», «Вагифоглы», «Гасан-кызы». */
function turkicGender(patronymic: string): Gender | undefined {
  const ending = /(оглы|оглу|улы|уулу|кызы|гызы|кизи)$/i.exec(patronymic);
  return ending ? PATRONYMIC_PARTICLES[ending[1]!.toLowerCase()] : undefined;
}

function genderOf(name: PersonName): Gender | undefined {
  if (name.patronymic !== undefined) {
    const byPatronymic = turkicGender(name.patronymic) ?? petrovich.detect_gender(name.patronymic);
    if (byPatronymic !== 'androgynous') return byPatronymic;
  }
  return surnameGender(name.surname) ?? (name.firstName === undefined ? undefined : firstNameGender(name.firstName));
}

/** Russian surname endings say the gender reliably: Петров/Петрова, Ильин/Ильина, Римский/Римская. */
function surnameGender(surname: string): Gender | undefined {
  const last = foldYo(surname.toLowerCase().split('-').at(-1)!);
  // Short words such as Ким, Цой, Лин are no Russian surnames with such an ending.
  if (last.length < 4) return undefined;
  if (/(ова|ева|ина|ына|ская|цкая|ая)$/.test(last)) return 'female';
  if (/(ов|ев|ин|ын|ский|цкий|ой|ый)$/.test(last)) return 'male';
  return undefined;
}

const MALE_NAMES_ENDING_IN_A = new Set([
  'никита', 'илья', 'фома', 'кузьма', 'лука', 'савва', 'гаврила', 'данила', 'фока', 'ерема', 'добрыня',
  'миша', 'гоша', 'гриша', 'яша', 'петя', 'ваня', 'коля', 'толя', 'федя', 'митя', 'дима', 'вова', 'лева', 'алеша', 'сережа', 'костя',
  'шота', 'гела', 'гига', 'лаша', 'муса', 'иса', 'хамза', 'мустафа',
]);
const FEMALE_NAMES_ENDING_IN_CONSONANT = new Set([
  'любовь', 'нинель', 'рашель', 'николь', 'габриэль', 'даниэль', 'адель', 'ассоль', 'юдифь', 'руфь', 'эсфирь', 'айгуль', 'гузель',
  'гульнур', 'наргиз', 'дильбар', 'гульнар', 'ляйсан', 'кармен', 'ирен', 'ирэн', 'эстер', 'мириам',
]);
const MALE_NAMES_ENDING_IN_SOFT_SIGN = new Set(['игорь', 'лазарь', 'цезарь', 'шамиль', 'рамиль', 'камиль', 'эмиль', 'наиль']);
/** Short names that men and women share. */
const SHARED_NAMES = new Set(['саша', 'шура', 'женя', 'валя', 'слава', 'сима', 'мишель']);

/**
 * The gender a first name suggests. petrovich 0.2.1 tells it from the patronymic only, so
 * this is a rule of endings with the common exceptions; `undefined` when unsure.
 */
function firstNameGender(firstName: string): Gender | undefined {
  const name = foldYo(firstName.toLowerCase().split('-').at(-1)!);
  if (SHARED_NAMES.has(name)) return undefined;
  if (FEMALE_NAMES_ENDING_IN_CONSONANT.has(name)) return 'female';
  if (MALE_NAMES_ENDING_IN_SOFT_SIGN.has(name)) return 'male';
  if (/[ая]$/.test(name)) return MALE_NAMES_ENDING_IN_A.has(name) ? 'male' : 'female';
  if (/[бвгджзйклмнпрстфхцчшщ]$/.test(name)) return 'male';
  return undefined;
}

/** First parts of double surnames that stay as they are: Бонч-Бруевича, фон-Визина. */
const UNDECLINED_SURNAME_PARTS = new Set(['бонч', 'абдул', 'белиц', 'гасан', 'дюссар', 'дюмон', 'книппер', 'корвин', 'ван', 'шолом', 'тер', 'призван', 'мелик', 'вар', 'фон']);

function declineName(word: string, gender: Gender, type: 'first' | 'middle' | 'last'): string {
  const parts = word.split('-');
  return parts
    .map((part, i) => (type === 'last' && i < parts.length - 1 && UNDECLINED_SURNAME_PARTS.has(part.toLowerCase()) ? part : declineNamePart(part, gender, type)))
    .join('-');
}

function declineNamePart(part: string, gender: Gender, type: 'first' | 'middle' | 'last'): string {
  const lower = part.toLowerCase();
  // petrovich matches endings without «ё» (Соловьёва would become Соловьёвы), but knows «Пётр» → «Петра» itself.
  const input = lower === 'пётр' ? lower : foldYo(lower);
  const declined = petrovich[gender][type].genitive(input).replace(/([гкхжшщч])ы$/, '$1и');
  return withEnding(part, input, declined);
}

/** The first letter of each part of a name with a dot: «Пётр» → «П.», «Анна-Мария» → «А.-М.», «Вагиф оглы» → «В.». */
function initialsOf(word: string): string {
  return word.split(' ')[0]!.split('-').map((part) => `${part[0]!.toUpperCase()}.`).join('-');
}

// ---------------------------------------------------------------------------------------
// Positions

/** Abbreviated positions, which do not decline: «врио директора». */
const ABBREVIATED_POSITIONS = new Set(['врио', 'врид', 'ио']);
const ADVERBS = new Set(['временно']);
/** Adjectives that serve as the noun of a position: «заведующий кафедрой», «исполняющий обязанности директора». */
const SUBSTANTIVE_ADJECTIVES = new Set([
  'заведующий', 'заведующая', 'исполняющий', 'исполняющая', 'управляющий', 'управляющая', 'уполномоченный', 'уполномоченная',
  'ответственный', 'ответственная', 'дежурный', 'дежурная', 'вожатый', 'вожатая',
]);

/** Nouns of positions that the suffix rules below do not cover, or cover wrongly. */
const NOUNS_GENITIVE: Readonly<Record<string, string>> = {
  глава: 'главы', министр: 'министра', ректор: 'ректора', декан: 'декана', мэр: 'мэра', член: 'члена', эксперт: 'эксперта',
  юрисконсульт: 'юрисконсульта', шеф: 'шефа', посол: 'посла', судья: 'судьи', староста: 'старосты', завуч: 'завуча',
  сторож: 'сторожа', сестра: 'сестры', медсестра: 'медсестры', атташе: 'атташе', омбудсмен: 'омбудсмена',
};
/** Prefixes of hyphenated positions that stay as they are: «вице-президента». */
const UNDECLINED_POSITION_PREFIXES = new Set(['вице', 'экс', 'обер']);

/** The genitive of a position noun, or `undefined` when the word is not known as one. */
function nounGenitive(word: string): string | undefined {
  const parts = word.split('-');
  const declined = parts.map((part, i) => (i < parts.length - 1 && UNDECLINED_POSITION_PREFIXES.has(part.toLowerCase()) ? part : nounPartGenitive(part)));
  return declined.every((part) => part !== undefined) ? declined.join('-') : undefined;
}

function nounPartGenitive(part: string): string | undefined {
  const lower = foldYo(part.toLowerCase());
  const genitive = NOUNS_GENITIVE[lower]
    // руководитель, заместитель, секретарь, библиотекарь
    ?? (/(тель|арь)$/.test(lower) ? lower.replace(/ь$/, 'я') : undefined)
    // учительница, воспитательница
    ?? (/ица$/.test(lower) ? lower.replace(/а$/, 'ы') : undefined)
    // начальник, специалист, директор, бухгалтер, консультант, президент, педагог, психолог, логопед, депутат, врач, командир, повар
    ?? (/(ник|щик|чик|ик|ист|ор|ер|ант|ент|ог|ед|ат|ач|ир|ар)$/.test(lower) ? `${lower}а` : undefined);
  return genitive === undefined ? undefined : withEnding(part, lower, genitive);
}

/**
 * Adjectives in «-ой» that positions use. The ending alone would not do: it is also the
 * instrumental of a noun after «заведующий» (кафедрой, библиотекой).
 */
const ADJECTIVES_IN_OI = new Set(['второй', 'рядовой', 'постовой']);

/** The genitive of an adjective or participle in the nominative, or `undefined` when the word is no such form. */
function adjectiveGenitive(word: string): string | undefined {
  const lower = foldYo(word.toLowerCase());
  const genitive = lower === 'третий' ? 'третьего'
    : /[жшчщ]ий$/.test(lower) ? lower.replace(/ий$/, 'его')
    : /[гкх]ий$/.test(lower) ? lower.replace(/ий$/, 'ого')
    : /ний$/.test(lower) ? lower.replace(/ий$/, 'его')
    : /ый$/.test(lower) || ADJECTIVES_IN_OI.has(lower) ? lower.replace(/..$/, 'ого')
    : /[жшчщ]ая$/.test(lower) ? lower.replace(/ая$/, 'ей')
    : /ая$/.test(lower) ? lower.replace(/ая$/, 'ой')
    : /яя$/.test(lower) ? lower.replace(/яя$/, 'ей')
    : undefined;
  return genitive === undefined ? undefined : withEnding(word, lower, genitive);
}

// ---------------------------------------------------------------------------------------
// Text

/**
 * Puts the new ending of `declined` onto `original`, keeping the original's letters (its
 * capitals and «ё») as far as `declined` still agrees with `base`, the lower-case word it
 * was computed from; an all-capitals word gets a capital ending.
 */
function withEnding(original: string, base: string, declined: string): string {
  let kept = 0;
  while (kept < base.length && kept < declined.length && base[kept] === declined[kept]) kept += 1;
  const ending = declined.slice(kept);
  const capitals = original.length > 1 && original === original.toUpperCase();
  return original.slice(0, kept) + (capitals ? ending.toUpperCase() : ending);
}

function foldYo(text: string): string {
  return text.replace(/ё/g, 'е');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The corpus of broken plans in tests/fixtures/broken: one problem kind per file (and one
 * file with many). Each file says in its first lines where the validator must point:
 * `# expect: items[1].executor 23` — the path as the user reads it and the line, and for
 * broken YAML the column too (`# expect: people[0].name 9:5`). `(plan)` stands for the plan
 * as a whole (the empty path).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlanFile, type PlanLoad } from '../../activities/plan-files.ts';
import { formatPath, type FileIssue } from '../../plan/issues.ts';
import { misspelledField, readPlan } from '../../plan/read-plan.ts';

const CORPUS_DIR = fileURLToPath(new URL('../fixtures/broken/', import.meta.url));
const WHOLE_PLAN = '(plan)';

interface Expectation {
  path: string;
  line: number;
  col?: number;
}

interface CorpusFile {
  name: string;
  file: string;
  expected: Expectation[];
}

function readExpectations(text: string, name: string): Expectation[] {
  const expected = [...text.matchAll(/^# expect: (\S+) (\d+)(?::(\d+))?$/gm)].map((match) => ({
    path: match[1] === WHOLE_PLAN ? '' : match[1]!,
    line: Number(match[2]),
    ...(match[3] ? { col: Number(match[3]) } : {}),
  }));
  if (expected.length === 0) throw new Error(`${name}: no «# expect: <path> <line>[:<col>]» lines`);
  return expected;
}

const corpus: CorpusFile[] = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => {
    const file = `${CORPUS_DIR}${name}`;
    return { name, file, expected: readExpectations(readFileSync(file, 'utf8'), name) };
  });

/** Each file is loaded once, however many tests read the result. */
const loads = new Map<string, Promise<PlanLoad>>();
function load(file: string): Promise<PlanLoad> {
  let result = loads.get(file);
  if (!result) {
    result = loadPlanFile(file);
    loads.set(file, result);
  }
  return result;
}

const errorsOf = (result: PlanLoad): FileIssue[] => result.issues.filter((issue) => issue.severity === 'error');
const place = (issue: { path: string; line?: number; col?: number }) => `${issue.path === '' ? WHOLE_PLAN : issue.path} ${issue.line}${issue.col === undefined ? '' : `:${issue.col}`}`;

/** Text that means a message fell through to a library's default instead of a sentence for the author. */
const LIBRARY_BOILERPLATE = [
  // zod's English messages
  /Invalid (input|option|string|email|element|key|value|type)/,
  /Too (small|big)/,
  /Unrecognized key/,
  /expected \w+, received/,
  /\bRequired\b/,
  // zod's Russian locale: Russian, yet names types in English and never says what to fix
  /Неверный ввод|Неверный вариант|Неверная строка|Неверные входные данные|Слишком (маленькое|большое) значение|Нераспознанн/,
];

describe('the corpus of broken plans', () => {
  it('has a file for every kind of problem the validator knows', () => {
    expect(corpus.map((entry) => entry.name.replace(/\.yaml$/, ''))).toEqual(
      expect.arrayContaining([
        'unknown-executor', 'unknown-after', 'unknown-partner', 'unknown-curator', 'unknown-office',
        'cycle-two-items', 'cycle-three-items', 'self-dependency',
        'duplicate-item-id', 'duplicate-person-id', 'duplicate-school-id',
        'bad-email-person', 'bad-email-director', 'year-and-school-year', 'no-year',
        'date-does-not-exist', 'unknown-word-in-period', 'month-outside-plan-year', 'backwards-range',
        'within-without-after', 'within-unreadable', 'within-extra-words', 'words-after-period', 'when-and-within', 'no-when-no-within',
        'per-school-without-participants', 'bad-id', 'bad-timezone',
        'yaml-bad-indentation', 'yaml-unclosed-quote', 'yaml-duplicate-key', 'not-a-mapping', 'empty', 'missing-items',
        'yaml-item-keys-indented-deeper', 'yaml-item-fields-shifted-left', 'yaml-unclosed-quote-at-top', 'yaml-tab-indent',
        'yaml-list-item-too-deep', 'yaml-list-item-too-shallow', 'yaml-no-space-after-colon', 'yaml-missing-colon',
        'yaml-unclosed-bracket', 'yaml-colon-in-value', 'yaml-quote-inside-quotes', 'yaml-top-level-key-indented', 'yaml-item-key-at-dash-column',
        'many-problems',
      ]),
    );
  });
});

describe.each(corpus.map((entry) => [entry.name, entry] as const))('%s', (_name, { file, expected }) => {
  it('is refused', async () => {
    const result = await load(file);
    expect(result.ok).toBe(false);
    expect(errorsOf(result).length).toBeGreaterThan(0);
  });

  it.each(expected.map((expectation) => [expectation.path || WHOLE_PLAN, `${expectation.line}${expectation.col === undefined ? '' : `:${expectation.col}`}`, expectation] as const))('reports an error at %s, line %s', async (_path, _line, expectation) => {
    const reported = errorsOf(await load(file)).map((issue) => place({ path: formatPath(issue.path), line: issue.line, ...(expectation.col === undefined ? {} : { col: issue.col }) }));
    expect(reported).toContain(place(expectation));
  });

  it('says every error in plain Russian, with nothing left undefined', async () => {
    for (const issue of errorsOf(await load(file))) {
      const message = issue.message;
      expect(message.trim(), formatPath(issue.path)).not.toBe('');
      expect(message).toMatch(/[а-яё]/i);
      expect(message).not.toContain('undefined');
      expect(message).not.toContain('[object Object]');
      expect(message).not.toContain('NaN');
      for (const pattern of LIBRARY_BOILERPLATE) expect(message).not.toMatch(pattern);
    }
  });

  it('reports errors with the line and column they are at', async () => {
    for (const issue of errorsOf(await load(file))) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.col).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('a plan with many problems', () => {
  it('shows the author every problem at once, each at its line, with what it is about', async () => {
    const result = await load(`${CORPUS_DIR}many-problems.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/many-problems.yaml:17:5: ошибка: id: «Ryazan 2020» не годится как идентификатор: нужны латинские строчные буквы, цифры и дефис (например, «riro», «sch-01»)",
        "tests/fixtures/broken/many-problems.yaml:18:8: предупреждение: titel: неизвестное поле «titel» не используется; нет ли опечатки? Известные поля: id, title, region, municipality, year, schoolYear, timezone, office, reminders, calendar, source, paperwork, people, schools, items",
        "tests/fixtures/broken/many-problems.yaml:20:11: ошибка: timezone: неизвестный часовой пояс «Europe/Ryazan»; например, Europe/Moscow",
        "tests/fixtures/broken/many-problems.yaml:21:9: ошибка: office: нет человека с id «project-office» в people",
        "tests/fixtures/broken/many-problems.yaml:28:12: ошибка: people[1].email (человек «riro»): «riro.example.org» — не адрес электронной почты",
        "tests/fixtures/broken/many-problems.yaml:29:9: ошибка: people[2].id (человек «riro»): id «riro» уже занят (человек people[1])",
        "tests/fixtures/broken/many-problems.yaml:37:14: ошибка: schools[0].curator (школа «sch-01»): нет человека с id «kurator» в people",
        "tests/fixtures/broken/many-problems.yaml:38:14: ошибка: schools[0].partner (школа «sch-01»): нет школы с id «sch-99» в schools",
        "tests/fixtures/broken/many-problems.yaml:42:11: ошибка: items[0].when (пункт «1»): не понимаю «фервраль»; ожидается месяц («январь», «февраль - март», «март, октябрь»), «ежеквартально», «с апреля», «в течение года», дата «29.12.2020» или «по отдельному графику»",
        "tests/fixtures/broken/many-problems.yaml:43:22: ошибка: items[0].executor[1] (пункт «1»): нет человека с id «ivanov» в people",
        "tests/fixtures/broken/many-problems.yaml:46:11: ошибка: items[1].when (пункт «2»): период идёт назад: ноябрь 2020 – февраль 2020",
        "tests/fixtures/broken/many-problems.yaml:51:11: ошибка: items[2].when (пункт «3»): даты 30.02.2020 не существует",
        "tests/fixtures/broken/many-problems.yaml:53:12: ошибка: items[2].after (пункт «3»): пункты ждут друг друга по кругу: «2» → «3» → «2»",
        "tests/fixtures/broken/many-problems.yaml:56:13: ошибка: items[3].within (пункт «3.1»): within отсчитывается от выполнения пунктов из after — укажите after",
        "tests/fixtures/broken/many-problems.yaml:60:11: ошибка: items[4].when (пункт «4»): апрель 2021 — вне периода плана (январь–декабрь 2020)",
      ]
    `);
  });
});

describe('words a reader could not place', () => {
  it('refuses words after a deadline instead of dropping them, and quotes them', async () => {
    const result = await load(`${CORPUS_DIR}within-extra-words.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/within-extra-words.yaml:22:13: ошибка: items[1].within (пункт «2»): после «три недели» не понимаю «с половиной»; после срока ожидается только событие, от которого он отсчитывается («со дня подписания», «после получения»), пояснение можно дать в скобках",
      ]
    `);
  });

  it('blames the words after a known period phrase, not the phrase', async () => {
    const result = await load(`${CORPUS_DIR}words-after-period.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/words-after-period.yaml:21:11: ошибка: items[1].when (пункт «2»): после «ежеквартально» не понимаю «до 10 числа»; ожидается «ежеквартально» без продолжения, пояснение можно дать в скобках в конце",
      ]
    `);
  });
});

describe('misspelt fields', () => {
  it('refuses a misspelt known field, naming the field it means, and only warns of a field far from every known one', () => {
    const plan = (reminders: string) => `id: p\nyear: 2020\noffice: riro\nreminders: { ${reminders} }\npeople:\n  - { id: riro, name: Петров Иван Сергеевич, email: riro@example.org }\nitems:\n  - { id: '1', title: Отчёт, when: май, executor: riro }\n`;
    const typo = readPlan(plan('before: [3], overdueEvry: 3'), 'plan.yaml');
    expect(typo.ok).toBe(false);
    expect(typo.issues.map((issue) => `${issue.severity} ${issue.line}:${issue.col} ${formatPath(issue.path)}: ${issue.message}`)).toEqual([
      'error 4:40 reminders.overdueEvry: неизвестное поле «overdueEvry» — опечатка в «overdueEvery»? Исправьте имя поля: с ним план работал бы без этого значения',
    ]);
    expect(misspelledField('Before', ['before', 'overdueEvery'])).toBe('before');
    expect(misspelledField('befor', ['before', 'overdueEvery'])).toBe('before');
    const extension = readPlan(plan('before: [3], escalateTo: office'), 'plan.yaml');
    expect(extension.ok).toBe(true);
    expect(extension.issues.map((issue) => issue.severity)).toEqual(['warning']);
  });
});

const brokenYaml = corpus.filter((entry) => entry.name.startsWith('yaml-'));

describe('broken YAML', () => {
  it.each(brokenYaml.map((entry) => [entry.name, entry] as const))('%s: one error per slip, at the line it breaks, quoting that line as the file has it', async (_name, { file, expected }) => {
    const errors = errorsOf(await load(file));
    expect(errors).toHaveLength(expected.length);
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const error of errors) {
      const typed = lines[error.line! - 1]!.trim();
      expect(typed).not.toBe('');
      expect(error.message).toContain(`«${typed}»`);
    }
  });

  it('blames a list item\'s fields written deeper than its first key at the first of them, asking for the key\'s column, in one error', async () => {
    const result = await load(`${CORPUS_DIR}yaml-item-keys-indented-deeper.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/yaml-item-keys-indented-deeper.yaml:9:5: ошибка: people[0].name: YAML: неверный отступ: строки 9–10 («name: Иванов И. И.» и ниже) сдвинуты вправо на 1 пробел относительно «id» в строке 8 — поля одного элемента списка пишутся в одном столбце, под первым полем после «- »: поставьте «name» в столбец 4, под «id»",
      ]
    `);
  });

  it('blames an unclosed quote at the quote that opens it, not at the end of the file', async () => {
    const result = await load(`${CORPUS_DIR}yaml-unclosed-quote-at-top.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/yaml-unclosed-quote-at-top.yaml:4:8: ошибка: title: YAML: кавычка " открыта и не закрыта: «title: "План-график мероприятий на 2020 год» — допишите " в конце этой строки, иначе YAML читает всё ниже как одно значение",
      ]
    `);
  });

  it('tells a list item at the wrong level by its dash, naming the column of its list', async () => {
    const result = await load(`${CORPUS_DIR}yaml-list-item-too-deep.yaml`);
    expect(result.lines).toMatchInlineSnapshot(`
      [
        "tests/fixtures/broken/yaml-list-item-too-deep.yaml:16:5: ошибка: items[1].id: YAML: элемент списка «- id: "2"» не на своём уровне: его «-» в столбце 5, а у элементов этого списка (строка 12: «- id: "1"») — в столбце 3; поставьте «-» в столбец 3",
      ]
    `);
  });

  it('calls a field shifted left inside a list item an indentation problem, not a missing quote', async () => {
    const [error] = errorsOf(await load(`${CORPUS_DIR}yaml-bad-indentation.yaml`));
    expect(error?.message).toMatch(/отступ/);
    expect(error?.message).not.toMatch(/кавычк/);
  });

  it('refuses a file of zero bytes at line 1', () => {
    const reading = readPlan('', 'empty.yaml');
    expect(reading.ok).toBe(false);
    expect(reading.issues.map((issue) => [issue.severity, issue.line, formatPath(issue.path)])).toEqual([['error', 1, '']]);
  });
});

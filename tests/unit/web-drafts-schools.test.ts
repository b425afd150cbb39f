/** The schools of a draft edited in place: name, kind, municipality, director, partner and curator; problems on the school's row. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeChanges } from '../../web/drafts/draft-changes.ts';
import { applyEdits, editsOfForm } from '../../web/drafts/draft-edits.ts';
import { previewDraft } from '../../web/drafts/draft-preview.ts';

const TEXT = `# план со школами
id: schools
year: 2027
office: ivanova
people:
  - id: ivanova
    name: Иванова О. Ю.
    email: ivanova@example.org
  - id: petrov
    name: Петров П. П.
    email: petrov@example.org
items:
  - id: "1"
    title: Планы школ
    when: март
    per: school
schools:
  - id: sch-01
    name: МОУ «Ерахтурская СШ» # участница
    kind: ШНОР
    municipality: Шиловский район
    director: { name: Сидоров П. П., email: director1@example.org }
    partner: sch-03
    address: с. Ерахтур
  - id: sch-02
    name: МОУ «Инякинская СШ»
    kind: ШНСУ
    director:
      name: Кузнецова А. А.
      email: director2@example.org
  - id: sch-03
    name: МБОУ «Шиловская СШ № 1»
    kind: партнер
    director:
      name: Орлов М. А.
      email: director3@example.org
`;

const schools = (text: string) => (parse(text) as { schools: Array<Record<string, unknown>> }).schools;

describe('the schools of a draft, edited in place', () => {
  it('reads the form: each school’s cells by its index', () => {
    const edits = editsOfForm({ 'school.0.director': 'Сидоров Пётр Петрович', 'school.0.directorEmail': 'sidorov@example.org', 'school.1.partner': 'sch-03', 'school.1.curator': 'petrov', 'school.x.name': 'нет', 'school.2.address': 'не с этой страницы' });
    expect(edits.schools).toEqual(new Map([
      [0, { director: 'Сидоров Пётр Петрович', directorEmail: 'sidorov@example.org' }],
      [1, { partner: 'sch-03', curator: 'petrov' }],
    ]));
  });

  it('changes the director, the partner and the curator in place, keeping the comments and the fields the page does not show, and says what changed by name', () => {
    const { text, problems } = applyEdits(TEXT, editsOfForm({ 'school.0.director': 'Сидоров Пётр Петрович', 'school.0.directorEmail': 'sidorov@example.org', 'school.0.municipality': 'Шиловский муниципальный район', 'school.1.partner': 'sch-03', 'school.1.curator': 'petrov', 'school.2.name': 'МБОУ «Шиловская средняя школа № 1»' }));
    expect(problems).toEqual([]);
    expect(text).toContain('name: МОУ «Ерахтурская СШ» # участница');
    expect(text.startsWith('# план со школами\n')).toBe(true);
    expect(schools(text)[0]).toEqual({ id: 'sch-01', name: 'МОУ «Ерахтурская СШ»', kind: 'ШНОР', municipality: 'Шиловский муниципальный район', director: { name: 'Сидоров Пётр Петрович', email: 'sidorov@example.org' }, partner: 'sch-03', address: 'с. Ерахтур' });
    expect(schools(text)[1]).toMatchObject({ partner: 'sch-03', curator: 'petrov' });
    expect(describeChanges(TEXT, text)).toEqual([
      'муниципалитет школы «МОУ «Ерахтурская СШ»»: «Шиловский район» → «Шиловский муниципальный район»',
      'директор школы «МОУ «Ерахтурская СШ»»: «Сидоров П. П.» → «Сидоров Пётр Петрович»',
      'адрес директора школы «МОУ «Ерахтурская СШ»»: «director1@example.org» → «sidorov@example.org»',
      'партнёр школы «МОУ «Инякинская СШ»»: не указан → «МБОУ «Шиловская средняя школа № 1»»',
      'куратор школы «МОУ «Инякинская СШ»»: не указан → «Петров П. П.»',
      'школа «МБОУ «Шиловская СШ № 1»» теперь «МБОУ «Шиловская средняя школа № 1»»',
    ]);
  });

  it('takes a partner or curator off when its cell is emptied, and keeps a name that is emptied', () => {
    const { text } = applyEdits(TEXT, editsOfForm({ 'school.0.partner': '', 'school.0.name': ' ' }));
    expect(schools(text)[0]).not.toHaveProperty('partner');
    expect(schools(text)[0]!.name).toBe('МОУ «Ерахтурская СШ»');
    expect(describeChanges(TEXT, text)).toEqual(['партнёр школы «МОУ «Ерахтурская СШ»»: «МБОУ «Шиловская СШ № 1»» → не указан']);
  });

  it('gives a school without a director one when the director is typed in', () => {
    const without = TEXT.replace('    director:\n      name: Кузнецова А. А.\n      email: director2@example.org\n', '');
    const { text } = applyEdits(without, editsOfForm({ 'school.1.director': 'Кузнецова Анна Андреевна', 'school.1.directorEmail': 'director2@example.org' }));
    expect(schools(text)[1]!.director).toEqual({ name: 'Кузнецова Анна Андреевна', email: 'director2@example.org' });
  });

  it('keeps what was typed and shows each problem on the school’s row: a partner not in the plan, a partner that is a participant, an address that is not one', async () => {
    const { text, problems } = applyEdits(TEXT, editsOfForm({ 'school.0.partner': 'sch-09', 'school.1.partner': 'sch-01', 'school.2.directorEmail': 'орлов на почте' }));
    expect(problems).toEqual([]);
    expect(schools(text).map((school) => school.partner)).toEqual(['sch-09', 'sch-01', undefined]);
    const preview = await previewDraft(text, 'schools.yaml');
    expect(preview.schools.map((school) => school.problems.map((problem) => [problem.severity, problem.field, problem.message]))).toEqual([
      [['error', 'partner', 'нет школы с id «sch-09» в schools']],
      [['warning', 'partner', 'партнёр «МОУ «Ерахтурская СШ»» сам участник (ШНОР): партнёром выбирают школу вида «партнер»']],
      [['error', 'director', '«орлов на почте» — не адрес электронной почты']],
    ]);
    expect(preview.refusal).toBeDefined();
  });

  it('shows each school’s curator and partner for the page’s selects', async () => {
    const preview = await previewDraft(applyEdits(TEXT, editsOfForm({ 'school.1.curator': 'petrov' })).text, 'schools.yaml');
    expect(preview.schools.map((school) => [school.id, school.partner, school.curator])).toEqual([
      ['sch-01', 'sch-03', ''],
      ['sch-02', '', 'petrov'],
      ['sch-03', '', ''],
    ]);
    expect(preview.schools.every((school) => school.problems.length === 0)).toBe(true);
  });
});

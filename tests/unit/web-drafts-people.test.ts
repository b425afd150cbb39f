/** The people of a draft from a table: read row by row, and laid onto the plan's people by name. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addPeople } from '../../web/drafts/draft-edits.ts';
import { describeChanges } from '../../web/drafts/draft-changes.ts';
import { PEOPLE_TABLE, peopleOfRows, type TablePerson } from '../../web/drafts/people-table.ts';
import { rowsOfText, tableColumns } from '../../web/drafts/table-rows.ts';

const PLAN = `# люди плана
id: people
year: 2027
office: ivanova
people:
  - id: ivanova
    name: Иванова Ольга Юрьевна
    position: координатор
    email: ivanova@example.org
  - id: petrov
    name: Петров П. П.
items:
  - id: "1"
    title: Совещание
    when: январь
    executor: petrov
`;

const people = (text: string) => (parse(text) as { people: Array<Record<string, unknown>> }).people;
const read = (text: string) => peopleOfRows(rowsOfText(text));
function rowsOf(text: string): TablePerson[] {
  const table = read(text);
  if (!table.ok) throw new Error(table.errors.join('\n'));
  return table.values;
}

describe('the people of a draft from a table', () => {
  it('finds the columns by a heading named loosely, in any order, and without the position', () => {
    expect(tableColumns(rowsOfText('Адрес электронной почты;Ф. И. О.\na@example.org;Иванова'), PEOPLE_TABLE)).toMatchObject({ ok: true, at: { email: 0, name: 1 } });
    expect(read('E-mail;Сотрудник\na@example.org;Иванова О. Ю.')).toEqual({ ok: true, values: [{ line: 2, name: 'Иванова О. Ю.', position: '', email: 'a@example.org' }] });
    expect(read('Должность;E-mail\nметодист;a@example.org')).toEqual({ ok: false, errors: ['строка 1 — заголовок таблицы, но в нём нет столбца «ФИО»'] });
  });

  it('names every bad row with its line and what is wrong, and takes none of the table', () => {
    expect(read('ФИО;Должность;E-mail\nИванова О. Ю.;координатор;ivanova.example.org\n;методист;m@example.org\nПетров П. П.;;\nпетров п.п.;завуч;')).toEqual({
      ok: false,
      errors: [
        'строка 2 («Иванова О. Ю. | координатор | ivanova.example.org»): «ivanova.example.org» — не адрес электронной почты',
        'строка 3 («методист | m@example.org»): нет ФИО',
        'строка 5 («петров п.п. | завуч»): «петров п.п.» уже есть в строке 4',
      ],
    });
    expect(read('ФИО;Должность;E-mail\n')).toEqual({ ok: false, errors: ['в таблице нет ни одного человека'] });
  });

  it('updates the position and e-mail of a person of the plan matched by name, adds a new name, and says what each row did', () => {
    const rows = rowsOf('ФИО\tДолжность\tE-mail\nиванова ольга юрьевна\t\tivanova@region.example.org\nПетров П.П.\tметодист\tpetrov@example.org\nСмирнова Е. А.\tэксперт\t');
    expect(rows).toHaveLength(3);
    const { text, lines, errors } = addPeople(PLAN, [...rows, { line: 6, name: 'Смирнов Е. А.', position: '', email: '' }]);
    expect(errors).toEqual([]);
    expect(lines).toEqual([
      'строка 2: «Иванова Ольга Юрьевна» — адрес «ivanova@example.org» → «ivanova@region.example.org»',
      'строка 3: «Петров П. П.» — должность не указана → «методист»; адрес не указан → «petrov@example.org»',
      'строка 4: добавлен человек «Смирнова Е. А.», эксперт',
      'строка 6: добавлен человек «Смирнов Е. А.»',
    ]);
    expect(text.startsWith('# люди плана\n')).toBe(true);
    expect(people(text)).toEqual([
      // An empty cell leaves what is there: the position stays.
      { id: 'ivanova', name: 'Иванова Ольга Юрьевна', position: 'координатор', email: 'ivanova@region.example.org' },
      { id: 'petrov', name: 'Петров П. П.', position: 'методист', email: 'petrov@example.org' },
      { id: 'smirnova', name: 'Смирнова Е. А.', position: 'эксперт' },
      { id: 'smirnov', name: 'Смирнов Е. А.' },
    ]);
    expect(describeChanges(PLAN, text)).toContain('адрес «Иванова Ольга Юрьевна»: «ivanova@example.org» → «ivanova@region.example.org»');
  });

  it('says a row changes nothing when it says what the plan already has', () => {
    const { text, lines } = addPeople(PLAN, rowsOf('Иванова Ольга Юрьевна;координатор;ivanova@example.org'));
    expect(lines).toEqual(['строка 1: «Иванова Ольга Юрьевна» — без изменений']);
    expect(describeChanges(PLAN, text)).toEqual([]);
  });

  it('refuses a name two people of the plan share, and changes nothing', () => {
    const twice = PLAN.replace('items:', '  - id: petrov-2\n    name: Петров П. П.\nitems:');
    expect(addPeople(twice, rowsOf('Петров П. П.;методист;petrov@example.org\nНовикова А. А.;;'))).toEqual({
      text: twice,
      lines: [],
      errors: ['строка 1 («Петров П. П.»): в плане несколько человек с таким ФИО (petrov, petrov-2) — непонятно, кого менять; исправьте их на странице'],
    });
  });
});

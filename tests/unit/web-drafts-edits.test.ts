/** The office's edits of a draft that add and remove rows: a new item, items and people removed, co-executors taken off. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeChanges } from '../../web/drafts/draft-changes.ts';
import { applyEdits, editsOfForm, personUses, type DraftEdits } from '../../web/drafts/draft-edits.ts';
import { previewDraft } from '../../web/drafts/draft-preview.ts';

const TEXT = `# план из Word
id: edits
year: 2027
office: ivanova
people:
  - id: ivanova
    name: Иванова О. Ю.
    email: ivanova@example.org
  - id: smirnova
    name: Смирнова Е. А.
    email: smirnova@example.org
  - id: metodist
    name: методист МКУ «ЦОДО»
items:
  - id: "1"
    title: Совещание
    when: январь
    executor: ivanova
  - id: "2"
    title: Мониторинг
    when: март
    executor: [smirnova, metodist]
  - id: "3"
    title: Отчёт
    when: декабрь
    executor: ivanova
`;

const none = (): DraftEdits => ({ plan: {}, items: new Map(), people: new Map() });
const items = (text: string) => (parse(text) as { items: Array<Record<string, unknown>> }).items;
const people = (text: string) => (parse(text) as { people: Array<Record<string, unknown>> }).people;

describe('adding and removing rows of a draft', () => {
  it('reads the form: new item, removals, co-executors taken off', () => {
    const edits = editsOfForm({ 'item.1.remove': '2', 'person.2.remove': 'metodist', 'item.1.detach.1': 'metodist', 'newitem.id': '4', 'newitem.title': 'Итоги', 'newitem.when': 'ноябрь', 'newitem.executor': '', 'newitem.result': '' });
    expect(edits.removeItems).toEqual(['2']);
    expect(edits.removePeople).toEqual(['metodist']);
    expect(edits.detach).toEqual(new Map([[1, ['metodist']]]));
    expect(edits.newItem).toEqual({ id: '4', title: 'Итоги', when: 'ноябрь', executor: '', result: '' });
    // An empty new row is no new item.
    expect(editsOfForm({ 'newitem.id': '', 'newitem.title': ' ', 'newitem.when': '', 'newitem.executor': '' }).newItem).toBeUndefined();
  });

  it('adds a new item at the end, and says so in the version summary; without a № it gets the next one', () => {
    const { text, problems } = applyEdits(TEXT, { ...none(), newItem: { id: '4', title: 'Итоговое совещание', when: 'ноябрь', executor: 'ivanova', result: 'протокол' } });
    expect(problems).toEqual([]);
    expect(items(text).at(-1)).toEqual({ id: '4', title: 'Итоговое совещание', when: 'ноябрь', executor: 'ivanova', result: 'протокол' });
    expect(text.startsWith('# план из Word\n')).toBe(true);
    expect(describeChanges(TEXT, text)).toEqual(['добавлен пункт «4» «Итоговое совещание»']);
    const numbered = applyEdits(TEXT, { ...none(), newItem: { id: '', title: 'Ещё', when: 'май', executor: '', result: '' } });
    expect(items(numbered.text).at(-1)).toEqual({ id: '4', title: 'Ещё', when: 'май' });
  });

  it('refuses a new item whose № is taken, or without a title or period, with a Russian reason and nothing changed', () => {
    const taken = applyEdits(TEXT, { ...none(), newItem: { id: '2', title: 'Дубль', when: 'май', executor: '', result: '' } });
    expect(taken.problems).toEqual([{ where: 'new-item', message: 'пункт № «2» уже есть в плане: дайте новому пункту другой номер' }]);
    expect(items(taken.text)).toHaveLength(3);
    const half = applyEdits(TEXT, { ...none(), newItem: { id: '5', title: 'Без срока', when: '', executor: '', result: '' } });
    expect(half.problems[0]?.message).toBe('новый пункт не добавлен: заполните мероприятие и срок');
    expect(items(half.text)).toHaveLength(3);
  });

  it('removes an item by its №, and says so in the version summary', () => {
    const { text, problems } = applyEdits(TEXT, { ...none(), removeItems: ['2'] });
    expect(problems).toEqual([]);
    expect(items(text).map((item) => item.id)).toEqual(['1', '3']);
    expect(describeChanges(TEXT, text)).toEqual(['удалён пункт «2» «Мониторинг»']);
  });

  it('takes a co-executor off an item, keeping the responsible one', () => {
    const edits = { ...none(), detach: new Map([[1, ['metodist', 'smirnova']]]) };
    const { text } = applyEdits(TEXT, edits);
    expect(items(text)[1]!.executor).toBe('smirnova');
    expect(describeChanges(TEXT, text)).toEqual(['исполнитель пункта «2»: Смирнова Е. А., методист МКУ «ЦОДО» → Смирнова Е. А.']);
  });

  it('removes a person nobody names; refuses one still named, saying where', () => {
    expect(personUses(parse(TEXT), 'metodist')).toEqual(['соисполнитель пункта «2»']);
    expect(personUses(parse(TEXT), 'ivanova')).toEqual(['исполнитель пункта «1»', 'исполнитель пункта «3»', 'проектный офис плана']);
    const refused = applyEdits(TEXT, { ...none(), removePeople: ['metodist'] });
    expect(refused.problems).toEqual([{ where: 'person', id: 'metodist', message: '«методист МКУ «ЦОДО»» не удалён: соисполнитель пункта «2»' }]);
    // Taken off the item in the same save, they are no longer named, and go.
    const { text, problems } = applyEdits(TEXT, { ...none(), detach: new Map([[1, ['metodist']]]), removePeople: ['metodist'] });
    expect(problems).toEqual([]);
    expect(people(text).map((person) => person.id)).toEqual(['ivanova', 'smirnova']);
    expect(describeChanges(TEXT, text)).toContain('удалён человек «методист МКУ «ЦОДО»»');
  });

  it('tells the page where each person is named', async () => {
    const preview = await previewDraft(TEXT, 'edits.yaml');
    expect(preview.people.map((person) => [person.id, person.uses])).toEqual([
      ['ivanova', ['исполнитель пункта «1»', 'исполнитель пункта «3»', 'проектный офис плана']],
      ['smirnova', ['исполнитель пункта «2»']],
      ['metodist', ['соисполнитель пункта «2»']],
    ]);
  });
});

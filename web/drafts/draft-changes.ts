/**
 * What changed between two versions of a draft, in short Russian lines for its history:
 * «пункт «5»: срок «март» → «апрель»», «исполнитель пункта «7»: не назначен → Петрова И. И.»,
 * «добавлен человек «Петрова И. И.»», «добавлена школа «МОУ СОШ № 1»».
 */
import { readYamlSource } from '../../plan/yaml-source.ts';

type Entry = Record<string, unknown>;
interface DraftData {
  fields: Entry;
  items: Entry[];
  people: Entry[];
  schools: Entry[];
}

/** The plain data of a draft's YAML, tolerant of anything: a broken draft is an empty one. */
export function draftData(text: string): DraftData {
  const data = readYamlSource(text, 'draft.yaml').data;
  const fields = data && typeof data === 'object' && !Array.isArray(data) ? (data as Entry) : {};
  const list = (name: string) => (Array.isArray(fields[name]) ? (fields[name] as unknown[]).filter((entry): entry is Entry => !!entry && typeof entry === 'object' && !Array.isArray(entry)) : []);
  return { fields, items: list('items'), people: list('people'), schools: list('schools') };
}

/** A field's value as text; an absent or empty field is `''`; a list is joined. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(textOf).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const quoted = (text: string, empty: string) => (text === '' ? empty : `«${text}»`);

/** Every change from `before` to `after`, plan fields first, then items, people and schools in order. */
export function describeChanges(before: string, after: string): string[] {
  const old = draftData(before);
  const next = draftData(after);
  const names = (data: DraftData) => new Map(data.people.map((person) => [textOf(person.id), textOf(person.name) || textOf(person.id)]));
  const oldNames = names(old);
  const newNames = names(next);
  const personName = (ids: unknown, known: Map<string, string>) => {
    const list = (Array.isArray(ids) ? ids : ids === undefined || ids === null ? [] : [ids]).map(textOf);
    return list.length === 0 ? 'не назначен' : list.map((id) => known.get(id) ?? id).join(', ');
  };
  const lines: string[] = [];

  const planFields: Array<[string, string]> = [['id', 'идентификатор плана'], ['title', 'название плана'], ['region', 'регион'], ['year', 'год'], ['schoolYear', 'учебный год']];
  for (const [field, label] of planFields) {
    const from = textOf(old.fields[field]);
    const to = textOf(next.fields[field]);
    if (from !== to) lines.push(`${label}: ${quoted(from, 'не указан')} → ${quoted(to, 'не указан')}`);
  }
  if (textOf(old.fields.office) !== textOf(next.fields.office)) lines.push(`проектный офис (сводки и эскалации): ${personName(old.fields.office, oldNames)} → ${personName(next.fields.office, newNames)}`);

  compareLists(old.items, next.items, lines, {
    added: (item) => `добавлен пункт «${textOf(item.id)}» «${textOf(item.title)}»`,
    removed: (item) => `удалён пункт «${textOf(item.id)}» «${textOf(item.title)}»`,
    changed: (from, to) => {
      const id = textOf(to.id);
      const out: string[] = [];
      const field = (name: string, label: string) => {
        const a = textOf(from[name]);
        const b = textOf(to[name]);
        if (a !== b) out.push(`пункт «${id}»: ${label} ${quoted(a, 'не указан')} → ${quoted(b, 'не указан')}`);
      };
      field('title', 'название');
      field('when', 'срок');
      field('within', 'срок после предыдущих');
      const a = personName(from.executor, oldNames);
      const b = personName(to.executor, newNames);
      if (textOf(from.executor) !== textOf(to.executor)) out.push(`исполнитель пункта «${id}»: ${a} → ${b}`);
      field('result', 'результат');
      return out;
    },
  });
  compareLists(old.people, next.people, lines, {
    added: (person) => `добавлен человек «${textOf(person.name)}»${textOf(person.email) ? `, ${textOf(person.email)}` : ''}`,
    removed: (person) => `удалён человек «${textOf(person.name)}»`,
    changed: (from, to) => {
      const name = textOf(to.name) || textOf(to.id);
      const out: string[] = [];
      if (textOf(from.name) !== textOf(to.name)) out.push(`человек «${textOf(from.name)}» теперь «${textOf(to.name)}»`);
      if (textOf(from.position) !== textOf(to.position)) out.push(`должность «${name}»: ${quoted(textOf(from.position), 'не указана')} → ${quoted(textOf(to.position), 'не указана')}`);
      if (textOf(from.email) !== textOf(to.email)) out.push(`адрес «${name}»: ${quoted(textOf(from.email), 'не указан')} → ${quoted(textOf(to.email), 'не указан')}`);
      return out;
    },
  });
  compareLists(old.schools, next.schools, lines, {
    added: (school) => `добавлена школа «${textOf(school.name)}»`,
    removed: (school) => `удалена школа «${textOf(school.name)}»`,
    changed: (from, to) => schoolChanges(from, to, { old: schoolNames(old), next: schoolNames(next) }, { old: oldNames, next: newNames }),
  });
  return lines;
}

const schoolNames = (data: DraftData) => new Map(data.schools.map((school) => [textOf(school.id), textOf(school.name) || textOf(school.id)]));

/**
 * What changed of one school, a line a field: «директор школы «…»: «…» → «…»», its partner and
 * curator by name; «изменены сведения» for fields the page does not show.
 */
function schoolChanges(from: Entry, to: Entry, schools: { old: Map<string, string>; next: Map<string, string> }, people: { old: Map<string, string>; next: Map<string, string> }): string[] {
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  const name = textOf(to.name) || textOf(to.id);
  const director = (school: Entry) => (school.director && typeof school.director === 'object' && !Array.isArray(school.director) ? (school.director as Entry) : {});
  const named = (id: unknown, names: Map<string, string>) => (textOf(id) === '' ? 'не указан' : `«${names.get(textOf(id)) ?? textOf(id)}»`);
  const lines: string[] = [];
  const field = (a: unknown, b: unknown, label: string) => {
    if (textOf(a) !== textOf(b)) lines.push(`${label} школы «${name}»: ${quoted(textOf(a), 'не указан')} → ${quoted(textOf(b), 'не указан')}`);
  };
  if (textOf(from.name) !== textOf(to.name)) lines.push(`школа «${textOf(from.name)}» теперь «${textOf(to.name)}»`);
  field(from.kind, to.kind, 'вид');
  field(from.municipality, to.municipality, 'муниципалитет');
  field(director(from).name, director(to).name, 'директор');
  field(director(from).email, director(to).email, 'адрес директора');
  if (textOf(from.partner) !== textOf(to.partner)) lines.push(`партнёр школы «${name}»: ${named(from.partner, schools.old)} → ${named(to.partner, schools.next)}`);
  if (textOf(from.curator) !== textOf(to.curator)) lines.push(`куратор школы «${name}»: ${named(from.curator, people.old)} → ${named(to.curator, people.next)}`);
  return lines.length > 0 ? lines : [`школа «${name}»: изменены сведения`];
}

/** Entries matched by id (by position when they have none). */
function compareLists(before: Entry[], after: Entry[], lines: string[], say: { added(entry: Entry): string; removed(entry: Entry): string; changed(from: Entry, to: Entry): string[] }): void {
  const keyOf = (entry: Entry, index: number) => (entry.id === undefined || entry.id === null ? `#${index}` : textOf(entry.id));
  const oldByKey = new Map(before.map((entry, index) => [keyOf(entry, index), entry]));
  const newKeys = new Set(after.map(keyOf));
  after.forEach((entry, index) => {
    const previous = oldByKey.get(keyOf(entry, index));
    if (previous) lines.push(...say.changed(previous, entry));
    else lines.push(say.added(entry));
  });
  before.forEach((entry, index) => {
    if (!newKeys.has(keyOf(entry, index))) lines.push(say.removed(entry));
  });
}

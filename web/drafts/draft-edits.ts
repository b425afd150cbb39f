/**
 * The office's edits of a draft, applied to its YAML in place: a changed cell changes that one
 * field, and everything else in the file (comments, order, fields the pages do not show) stays
 * as it was. A field the office empties is taken out, as a plan writes an absent value.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { slugify } from '../../import/cell-text.ts';
import { nameKey } from './carry-over.ts';
import { textOf } from './draft-changes.ts';
import type { TablePerson } from './people-table.ts';

export interface ItemEdit {
  title?: string;
  when?: string;
  /** The responsible executor's person id; `''` for none. Co-executors of a list stay. */
  executor?: string;
  result?: string;
}

export interface PersonEdit {
  name?: string;
  position?: string;
  email?: string;
}

/** A school's cells: `''` empties a field (a partner or curator taken off). */
export interface SchoolEdit {
  name?: string;
  /** «ШНОР», «ШНСУ» or «партнер». */
  kind?: string;
  municipality?: string;
  /** The director's name and e-mail. */
  director?: string;
  directorEmail?: string;
  /** The partner school's id. */
  partner?: string;
  /** The curator's person id. */
  curator?: string;
}

/** The fields of a school the page edits in place, as the form names them (`school.2.directorEmail`). */
export const SCHOOL_FIELDS = ['name', 'kind', 'municipality', 'director', 'directorEmail', 'partner', 'curator'] as const;

export interface NewPerson {
  name: string;
  position: string;
  email: string;
}

export interface NewSchool {
  name: string;
  kind: string;
  municipality?: string;
  director: { name: string; email: string };
  /** The partner's name or id, as the table gives it. */
  partner?: string;
}

/** The «новый пункт» row: added when its title and period are filled; an empty № gets the next number. */
export interface NewItem {
  id: string;
  title: string;
  when: string;
  executor: string;
  result: string;
}

export interface DraftEdits {
  plan: { id?: string; title?: string; region?: string; office?: string };
  items: Map<number, ItemEdit>;
  people: Map<number, PersonEdit>;
  /** The schools' cells, by the school's index. */
  schools?: Map<number, SchoolEdit>;
  newPerson?: NewPerson;
  newItem?: NewItem;
  /** The ids of the items ticked «удалить». */
  removeItems?: string[];
  /** The ids of the people ticked «удалить»: taken out only when nobody names them. */
  removePeople?: string[];
  /** Co-executors taken off an item: the item's index → the person ids (the responsible one stays). */
  detach?: Map<number, string[]>;
}

/** Why an edit could not be made: on the new item's row or on a person's; the form keeps everything. */
export interface EditProblem {
  where: 'new-item' | 'person';
  /** The person's id, for `person`. */
  id?: string;
  message: string;
}

/**
 * The edits a submitted draft form holds: `item.3.when`, `person.0.email`, `school.1.partner`,
 * `new.name`, `plan.title`, `item.3.remove` and `person.2.remove` (the id of what is removed),
 * `item.3.detach.1` (the id of the co-executor taken off), `newitem.title`.
 */
export function editsOfForm(form: Record<string, unknown>): DraftEdits {
  const edits: DraftEdits = { plan: {}, items: new Map(), people: new Map() };
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string') continue;
    const [kind, index, field] = name.split('.');
    if (kind === 'plan' && index && ['id', 'title', 'region', 'office'].includes(index)) edits.plan[index as keyof DraftEdits['plan']] = value;
    else if (kind === 'item' && field && ['title', 'when', 'executor', 'result'].includes(field) && /^\d+$/.test(index ?? '')) {
      edits.items.set(Number(index), { ...edits.items.get(Number(index)), [field]: value });
    } else if (kind === 'person' && field && ['name', 'position', 'email'].includes(field) && /^\d+$/.test(index ?? '')) {
      edits.people.set(Number(index), { ...edits.people.get(Number(index)), [field]: value });
    } else if (kind === 'school' && field && (SCHOOL_FIELDS as readonly string[]).includes(field) && /^\d+$/.test(index ?? '')) {
      edits.schools ??= new Map();
      edits.schools.set(Number(index), { ...edits.schools.get(Number(index)), [field]: value });
    } else if ((kind === 'item' || kind === 'person') && field === 'remove' && /^\d+$/.test(index ?? '') && value.trim() !== '') {
      const list = kind === 'item' ? (edits.removeItems ??= []) : (edits.removePeople ??= []);
      list.push(value.trim());
    } else if (kind === 'item' && field === 'detach' && /^\d+$/.test(index ?? '') && value.trim() !== '') {
      edits.detach ??= new Map();
      edits.detach.set(Number(index), [...(edits.detach.get(Number(index)) ?? []), value.trim()]);
    }
  }
  const newItem = Object.fromEntries((['id', 'title', 'when', 'executor', 'result'] as const).map((name) => [name, typeof form[`newitem.${name}`] === 'string' ? (form[`newitem.${name}`] as string).trim() : ''])) as unknown as NewItem;
  if (Object.values(newItem).some((value) => value !== '')) edits.newItem = newItem;
  const newName = typeof form['new.name'] === 'string' ? form['new.name'].trim() : '';
  if (newName !== '') edits.newPerson = { name: newName, position: String(form['new.position'] ?? '').trim(), email: String(form['new.email'] ?? '').trim() };
  return edits;
}

/**
 * The draft's text with the edits applied; the id the new person was given, if one was added.
 * Cells first (by row, as the form was opened: items, people, schools), then co-executors taken
 * off, items removed (by id), people removed (by id, only when no item, office, signer or curator
 * names them), and the new item and person added. With `problems` the text is not to be saved: the form is shown
 * again with everything kept and each problem on its row.
 */
export function applyEdits(text: string, edits: DraftEdits): { text: string; newPersonId?: string; problems: EditProblem[] } {
  const problems: EditProblem[] = [];
  const doc = parseDocument(text, { uniqueKeys: false, merge: true });
  let newPersonId: string | undefined;
  for (const [field, value] of Object.entries(edits.plan)) setScalar(doc, [field], value);
  const itemCount = isSeq(doc.get('items')) ? (doc.get('items') as { items: unknown[] }).items.length : 0;
  for (const [index, edit] of edits.items) {
    if (index >= itemCount) continue;
    if (edit.title !== undefined && edit.title.trim() !== '') setScalar(doc, ['items', index, 'title'], edit.title);
    if (edit.when !== undefined) setScalar(doc, ['items', index, 'when'], edit.when);
    if (edit.result !== undefined) setScalar(doc, ['items', index, 'result'], edit.result);
    if (edit.executor !== undefined) setExecutor(doc, index, edit.executor.trim());
  }
  const peopleCount = isSeq(doc.get('people')) ? (doc.get('people') as { items: unknown[] }).items.length : 0;
  for (const [index, edit] of edits.people) {
    if (index >= peopleCount) continue;
    if (edit.name !== undefined && edit.name.trim() !== '') setScalar(doc, ['people', index, 'name'], edit.name);
    if (edit.position !== undefined) setScalar(doc, ['people', index, 'position'], edit.position);
    if (edit.email !== undefined) setScalar(doc, ['people', index, 'email'], edit.email);
  }
  const schoolCount = isSeq(doc.get('schools')) ? (doc.get('schools') as { items: unknown[] }).items.length : 0;
  for (const [index, edit] of edits.schools ?? []) {
    if (index >= schoolCount) continue;
    if (edit.name !== undefined && edit.name.trim() !== '') setScalar(doc, ['schools', index, 'name'], edit.name);
    for (const field of ['kind', 'municipality', 'partner', 'curator'] as const) if (edit[field] !== undefined) setScalar(doc, ['schools', index, field], edit[field]);
    if (edit.director !== undefined) setDirector(doc, index, 'name', edit.director);
    if (edit.directorEmail !== undefined) setDirector(doc, index, 'email', edit.directorEmail);
  }
  for (const [index, ids] of edits.detach ?? []) {
    if (index >= itemCount) continue;
    const node = doc.getIn(['items', index, 'executor'], true);
    if (!isSeq(node)) continue;
    const kept = node.items.map((entry) => String((entry as { value?: unknown }).value ?? entry)).filter((id, position) => position === 0 || !ids.includes(id));
    if (kept.length === node.items.length) continue;
    doc.setIn(['items', index, 'executor'], kept.length === 1 ? kept[0] : doc.createNode(kept));
  }
  const itemIds = idList(doc, 'items');
  for (const id of [...new Set(edits.removeItems ?? [])]) {
    const index = idList(doc, 'items').indexOf(id);
    if (index >= 0) doc.deleteIn(['items', index]);
  }
  if (edits.newItem) {
    const { id: asked, title, when, executor, result } = edits.newItem;
    const id = asked === '' ? nextItemId(itemIds) : asked;
    if (title === '' || when === '') problems.push({ where: 'new-item', message: 'новый пункт не добавлен: заполните мероприятие и срок' });
    else if (!/^[^\s/@]+$/.test(id)) problems.push({ where: 'new-item', message: `№ «${id}» не годится: номер пункта не должен содержать пробелы, «/» и «@»` });
    else if (itemIds.includes(id)) problems.push({ where: 'new-item', message: `пункт № «${id}» уже есть в плане: дайте новому пункту другой номер` });
    else addEntry(doc, 'items', { id, title, when, ...(executor ? { executor } : {}), ...(result ? { result } : {}) });
  }
  for (const id of [...new Set(edits.removePeople ?? [])]) {
    const index = idList(doc, 'people').indexOf(id);
    if (index < 0) continue;
    const data = doc.toJS() as { people?: Array<{ name?: unknown }> };
    const uses = personUses(data, id);
    if (uses.length > 0) problems.push({ where: 'person', id, message: `«${String(data.people?.[index]?.name ?? id)}» не удалён: ${uses.join('; ')}` });
    else doc.deleteIn(['people', index]);
  }
  if (edits.newPerson) {
    const { name, position, email } = edits.newPerson;
    newPersonId = uniqueId(slugify(name.split(/\s+/)[0] ?? '') || 'person', idsAt(doc, 'people'));
    addEntry(doc, 'people', { id: newPersonId, name, ...(position ? { position } : {}), ...(email ? { email } : {}) });
  }
  return { text: doc.toString({ lineWidth: 0 }), ...(newPersonId ? { newPersonId } : {}), problems };
}

/** Only the cells of `edits`: what the form shows again in its rows when the rest is kept for another try. */
export function cellEdits(edits: DraftEdits): DraftEdits {
  return { plan: edits.plan, items: edits.items, people: edits.people, ...(edits.schools ? { schools: edits.schools } : {}) };
}

/**
 * Where a draft names the person `id`, in Russian: «исполнитель пункта «3»», «соисполнитель
 * пункта «5»», «проектный офис плана», «подписывает документы», «куратор школы «…»». Nothing: they may go.
 */
export function personUses(data: unknown, id: string): string[] {
  const fields = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const list = (name: string) => (Array.isArray(fields[name]) ? (fields[name] as unknown[]).filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object') : []);
  const uses: string[] = [];
  for (const item of list('items')) {
    const executors = (Array.isArray(item.executor) ? item.executor : item.executor === undefined || item.executor === null ? [] : [item.executor]).map(String);
    const position = executors.indexOf(id);
    if (position === 0) uses.push(`исполнитель пункта «${String(item.id)}»`);
    else if (position > 0) uses.push(`соисполнитель пункта «${String(item.id)}»`);
  }
  if (String(fields.office ?? '') === id) uses.push('проектный офис плана');
  const paperwork = fields.paperwork && typeof fields.paperwork === 'object' ? (fields.paperwork as Record<string, unknown>) : {};
  if (String(paperwork.signer ?? '') === id) uses.push('подписывает документы');
  for (const school of list('schools')) if (String(school.curator ?? '') === id) uses.push(`куратор школы «${String(school.name ?? school.id)}»`);
  return uses;
}

/** The next free item number: one more than the largest whole number among `ids`. */
function nextItemId(ids: readonly string[]): string {
  const numbers = ids.filter((id) => /^\d+$/.test(id)).map(Number);
  let next = (numbers.length > 0 ? Math.max(...numbers) : 0) + 1;
  while (ids.includes(String(next))) next += 1;
  return String(next);
}

/**
 * The draft's text with schools added from a table: a school of the same name is brought up
 * to date, a new one gets the next free id (`sch-01`); partners are named by name or id.
 */
export function addSchools(text: string, schools: readonly NewSchool[]): string {
  const doc = parseDocument(text, { uniqueKeys: false, merge: true });
  const existing = () => (isSeq(doc.get('schools')) ? ((doc.toJS() as { schools: Array<{ id?: unknown; name?: unknown }> }).schools ?? []) : []);
  const key = (name: string) => name.trim().toLowerCase().replace(/ё/g, 'е').replace(/[«»"]/g, '').replace(/\s+/g, ' ');
  const ids = new Map<string, string>();
  for (const school of schools) {
    const found = existing().findIndex((entry) => typeof entry.name === 'string' && key(entry.name) === key(school.name));
    const entry = { name: school.name, kind: school.kind, ...(school.municipality ? { municipality: school.municipality } : {}), director: { name: school.director.name, email: school.director.email } };
    if (found >= 0) {
      for (const [field, value] of Object.entries(entry)) doc.setIn(['schools', found, field], doc.createNode(value));
      ids.set(key(school.name), String(existing()[found]!.id));
    } else {
      const id = nextSchoolId(idsAt(doc, 'schools'));
      addEntry(doc, 'schools', { id, ...entry });
      ids.set(key(school.name), id);
    }
  }
  for (const school of schools) {
    if (!school.partner) continue;
    const index = existing().findIndex((entry) => typeof entry.name === 'string' && key(entry.name) === key(school.name));
    const partner = ids.get(key(school.partner)) ?? existing().find((entry) => typeof entry.name === 'string' && key(entry.name) === key(school.partner!))?.id ?? school.partner.trim();
    doc.setIn(['schools', index, 'partner'], String(partner));
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * The draft's text with the people of a table: a row whose name is a person's of the plan (case,
 * «ё», spaces and dots aside) brings their position and e-mail up to date, where the row gives
 * them (an empty cell leaves what is there); a new name is a new person. `lines` says what each
 * row did, «строка 3: …», for the page and the version's history. A name that two people of the
 * plan share cannot say whom it means: that row is an error, and then nothing is changed.
 */
export function addPeople(text: string, people: readonly TablePerson[]): { text: string; lines: string[]; errors: string[] } {
  const doc = parseDocument(text, { uniqueKeys: false, merge: true });
  const plan = doc.toJS() as { people?: unknown } | null;
  const list = (Array.isArray(plan?.people) ? plan.people : []) as Array<Record<string, unknown> | null>;
  const used = idsAt(doc, 'people');
  const lines: string[] = [];
  const errors: string[] = [];
  const quoted = (value: string, empty: string) => (value === '' ? empty : `«${value}»`);
  for (const row of people) {
    const matches = list.flatMap((person, index) => (typeof person?.name === 'string' && nameKey(person.name) === nameKey(row.name) ? [index] : []));
    if (matches.length > 1) {
      errors.push(`строка ${row.line} («${row.name}»): в плане несколько человек с таким ФИО (${matches.map((index) => textOf(list[index]!.id)).join(', ')}) — непонятно, кого менять; исправьте их на странице`);
      continue;
    }
    const index = matches[0];
    if (index === undefined) {
      const id = uniqueId(slugify(row.name.split(/\s+/)[0] ?? '') || 'person', used);
      used.add(id);
      addEntry(doc, 'people', { id, name: row.name, ...(row.position ? { position: row.position } : {}), ...(row.email ? { email: row.email } : {}) });
      lines.push(`строка ${row.line}: добавлен человек «${row.name}»${row.position ? `, ${row.position}` : ''}${row.email ? `, ${row.email}` : ''}`);
      continue;
    }
    const person = list[index]!;
    const changed: string[] = [];
    if (row.position !== '' && row.position !== textOf(person.position)) changed.push(`должность ${quoted(textOf(person.position), 'не указана')} → «${row.position}»`);
    if (row.email !== '' && row.email !== textOf(person.email)) changed.push(`адрес ${quoted(textOf(person.email), 'не указан')} → «${row.email}»`);
    if (row.position !== '') setScalar(doc, ['people', index, 'position'], row.position);
    if (row.email !== '') setScalar(doc, ['people', index, 'email'], row.email);
    lines.push(`строка ${row.line}: «${textOf(person.name)}» — ${changed.length > 0 ? changed.join('; ') : 'без изменений'}`);
  }
  return errors.length > 0 ? { text, lines: [], errors } : { text: doc.toString({ lineWidth: 0 }), lines, errors };
}

/** Whether a line of a version's summary says what a row of a table did («строка 3: …»). */
export function isTableRowLine(line: string): boolean {
  return /^строка \d+: /.test(line);
}

/** Sets a scalar when the text differs from what is there (`3` and «3» are the same); an empty text takes the field out. */
function setScalar(doc: Document, path: (string | number)[], raw: string): void {
  const value = raw.trim();
  const current = doc.getIn(path);
  const currentText = current === null || current === undefined ? '' : String(current);
  if (value === currentText) return;
  if (value === '') doc.deleteIn(path);
  else if (doc.hasIn(path) || doc.hasIn(path.slice(0, -1)) || path.length === 1) doc.setIn(path, value);
}

/** Sets the director's name or e-mail; a school without a director (or with only a name written as text) gets one. */
function setDirector(doc: Document, index: number, field: 'name' | 'email', raw: string): void {
  const path = ['schools', index, 'director'];
  if (!isMap(doc.getIn(path, true))) {
    if (raw.trim() === '') return;
    const was = doc.getIn(path);
    doc.setIn(path, doc.createNode(typeof was === 'string' && was.trim() !== '' && field === 'email' ? { name: was } : {}));
  }
  setScalar(doc, [...path, field], raw);
}

function setExecutor(doc: Document, index: number, person: string): void {
  const path = ['items', index, 'executor'];
  const node = doc.getIn(path, true);
  if (isSeq(node)) {
    const first = node.items[0];
    const currentFirst = first === undefined ? '' : String((first as { value?: unknown }).value ?? first);
    if (person === currentFirst) return;
    if (person === '') doc.deleteIn(path);
    else doc.setIn([...path, 0], person);
    return;
  }
  setScalar(doc, path, person);
}

function idsAt(doc: Document, list: 'people' | 'schools' | 'items'): Set<string> {
  return new Set(idList(doc, list));
}

/** The ids of a list in order, one per entry (`''` for an entry without one). */
function idList(doc: Document, list: 'people' | 'schools' | 'items'): string[] {
  const data = doc.toJS() as Record<string, Array<{ id?: unknown }> | undefined> | null;
  return (Array.isArray(data?.[list]) ? data[list]! : []).map((entry) => String(entry?.id ?? ''));
}

function addEntry(doc: Document, list: 'people' | 'schools' | 'items', entry: Record<string, unknown>): void {
  if (isSeq(doc.get(list))) doc.addIn([list], doc.createNode(entry));
  else if (isMap(doc.contents)) doc.set(list, doc.createNode([entry]));
}

function uniqueId(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function nextSchoolId(used: Set<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `sch-${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}

/**
 * The office's edits of a draft, applied to its YAML in place: a changed cell changes that one
 * field, and everything else in the file (comments, order, fields the pages do not show) stays
 * as it was. A field the office empties is taken out, as a plan writes an absent value.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { slugify } from '../../import/cell-text.ts';

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

export interface DraftEdits {
  plan: { id?: string; title?: string; region?: string; office?: string };
  items: Map<number, ItemEdit>;
  people: Map<number, PersonEdit>;
  newPerson?: NewPerson;
}

/** The edits a submitted draft form holds: `item.3.when`, `person.0.email`, `new.name`, `plan.title`. */
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
    }
  }
  const newName = typeof form['new.name'] === 'string' ? form['new.name'].trim() : '';
  if (newName !== '') edits.newPerson = { name: newName, position: String(form['new.position'] ?? '').trim(), email: String(form['new.email'] ?? '').trim() };
  return edits;
}

/** The draft's text with the edits applied; the id the new person was given, if one was added. */
export function applyEdits(text: string, edits: DraftEdits): { text: string; newPersonId?: string } {
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
  if (edits.newPerson) {
    const { name, position, email } = edits.newPerson;
    newPersonId = uniqueId(slugify(name.split(/\s+/)[0] ?? '') || 'person', idsAt(doc, 'people'));
    addEntry(doc, 'people', { id: newPersonId, name, ...(position ? { position } : {}), ...(email ? { email } : {}) });
  }
  return { text: doc.toString({ lineWidth: 0 }), ...(newPersonId ? { newPersonId } : {}) };
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

/** Sets a scalar when the text differs from what is there (`3` and «3» are the same); an empty text takes the field out. */
function setScalar(doc: Document, path: (string | number)[], raw: string): void {
  const value = raw.trim();
  const current = doc.getIn(path);
  const currentText = current === null || current === undefined ? '' : String(current);
  if (value === currentText) return;
  if (value === '') doc.deleteIn(path);
  else if (doc.hasIn(path) || doc.hasIn(path.slice(0, -1)) || path.length === 1) doc.setIn(path, value);
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

function idsAt(doc: Document, list: 'people' | 'schools'): Set<string> {
  const data = doc.toJS() as Record<string, Array<{ id?: unknown }> | undefined> | null;
  return new Set((Array.isArray(data?.[list]) ? data[list]! : []).map((entry) => String(entry?.id ?? '')));
}

function addEntry(doc: Document, list: 'people' | 'schools', entry: Record<string, unknown>): void {
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

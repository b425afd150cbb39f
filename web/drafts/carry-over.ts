/**
 * A new version of a draft read from a Word or Excel table keeps what a table cannot say from
 * the version before it: people's addresses, positions and organisations (a person matched by
 * name keeps their id too, so the items stay linked to them), the schools, the region, the
 * project office, the paperwork, the reminders. A YAML file is the office's whole plan, so it
 * is taken as uploaded; this is for tables only.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { draftData, textOf } from './draft-changes.ts';

export interface CarriedOver {
  text: string;
  /** What was kept, in Russian, for the version's summary; empty when nothing was. */
  kept: string[];
}

/** The fields of a plan a table never has. */
const PLAN_FIELDS: Array<[string, string]> = [
  ['region', 'регион'],
  ['municipality', 'муниципалитет'],
  ['timezone', 'часовой пояс'],
  ['office', 'проектный офис'],
  ['paperwork', 'оформление документов (paperwork)'],
  ['reminders', 'напоминания'],
  ['calendar', 'свой производственный календарь'],
];
/** The fields of a person a table never has. */
const PERSON_FIELDS = ['email', 'position', 'organization', 'phone'];
/** The fields of an item a table never has. */
const ITEM_FIELDS = ['reminders', 'documents'];

/** A name as compared: case, «ё», spaces and dots in initials do not matter. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/ё/g, 'е').replace(/\./g, '. ').replace(/\s+/g, ' ').trim();
}

/**
 * `uploaded` (a table's draft) with what `previous` knows and the table cannot say.
 * @example carryOver(withEmails, freshFromWord).kept // ['адреса и должности людей: Иванова О. Ю., Петров П. П.', 'школы: 2', 'регион']
 */
export function carryOver(previous: string, uploaded: string): CarriedOver {
  const before = draftData(previous);
  const doc = parseDocument(uploaded, { uniqueKeys: false, merge: true });
  if (!isMap(doc.contents)) return { text: uploaded, kept: [] };
  const kept: string[] = [];

  // People matched by name keep their id and what the office typed in.
  const after = draftData(uploaded);
  const byName = new Map(before.people.map((person) => [nameKey(textOf(person.name)), person]));
  const newIds = new Set(after.people.map((person) => textOf(person.id)));
  const renamed = new Map<string, string>();
  const filledIn: string[] = [];
  const matched = new Set<string>();
  after.people.forEach((person, index) => {
    const old = byName.get(nameKey(textOf(person.name)));
    if (!old) return;
    const oldId = textOf(old.id);
    const newId = textOf(person.id);
    matched.add(oldId);
    // Another person of the table may already have the old id: then the new one stays.
    if (oldId !== '' && oldId !== newId && !newIds.has(oldId)) {
      doc.setIn(['people', index, 'id'], oldId);
      renamed.set(newId, oldId);
    }
    let filled = false;
    for (const field of PERSON_FIELDS) {
      if (textOf(old[field]) !== '' && textOf(person[field]) === '') {
        doc.setIn(['people', index, field], doc.createNode(old[field]));
        filled = true;
      }
    }
    if (filled) filledIn.push(textOf(person.name));
  });
  if (renamed.size > 0) renameExecutors(doc, renamed);
  if (filledIn.length > 0) kept.push(`адреса и должности людей: ${filledIn.join(', ')}`);

  // People the office added who are not in the table (the office's head, a signer) stay.
  const usedIds = new Set([...after.people.map((person) => renamed.get(textOf(person.id)) ?? textOf(person.id))]);
  const extra = before.people.filter((person) => !matched.has(textOf(person.id)) && !usedIds.has(textOf(person.id)) && textOf(person.id) !== '');
  for (const person of extra) addEntry(doc, 'people', person);
  if (extra.length > 0) kept.push(`люди, которых нет в таблице: ${extra.map((person) => textOf(person.name) || textOf(person.id)).join(', ')}`);

  if (before.schools.length > 0 && !(isSeq(doc.get('schools')) && (doc.get('schools') as { items: unknown[] }).items.length > 0)) {
    doc.set('schools', doc.createNode(before.schools));
    kept.push(`школы: ${before.schools.length}`);
  }
  for (const [field, label] of PLAN_FIELDS) {
    if (before.fields[field] === undefined || before.fields[field] === null || doc.has(field)) continue;
    doc.set(field, doc.createNode(before.fields[field]));
    kept.push(label);
  }

  // Items of the same number keep their reminders and documents.
  const oldItems = new Map(before.items.map((item) => [textOf(item.id), item]));
  const itemsKept: string[] = [];
  after.items.forEach((item, index) => {
    const old = oldItems.get(textOf(item.id));
    if (!old) return;
    let any = false;
    for (const field of ITEM_FIELDS) {
      if (old[field] !== undefined && old[field] !== null && item[field] === undefined) {
        doc.setIn(['items', index, field], doc.createNode(old[field]));
        any = true;
      }
    }
    if (any) itemsKept.push(textOf(item.id));
  });
  if (itemsKept.length > 0) kept.push(`напоминания и документы пунктов ${itemsKept.map((id) => `«${id}»`).join(', ')}`);

  // An executor the office chose for a row whose cell the table leaves empty stays chosen.
  const executorsKept: string[] = [];
  after.items.forEach((item, index) => {
    const old = oldItems.get(textOf(item.id));
    if (!old || old.executor === undefined || old.executor === null || (item.executor !== undefined && item.executor !== null)) return;
    doc.setIn(['items', index, 'executor'], doc.createNode(old.executor));
    executorsKept.push(textOf(item.id));
  });
  if (executorsKept.length > 0) kept.push(`исполнители пунктов ${executorsKept.map((id) => `«${id}»`).join(', ')}, которых нет в таблице`);

  return { text: kept.length === 0 && renamed.size === 0 ? uploaded : doc.toString({ lineWidth: 0 }), kept };
}

/** Every executor naming a renamed person names them by their kept id. */
function renameExecutors(doc: Document, renamed: Map<string, string>): void {
  const items = doc.get('items');
  if (!isSeq(items)) return;
  items.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const node: unknown = item.get('executor', true);
    if (isScalar(node)) {
      const to = renamed.get(String(node.value));
      if (to) doc.setIn(['items', index, 'executor'], to);
    } else if (isSeq(node)) {
      node.items.forEach((entry, position) => {
        const to = renamed.get(String(isScalar(entry) ? entry.value : entry));
        if (to) doc.setIn(['items', index, 'executor', position], to);
      });
    }
  });
}

function addEntry(doc: Document, list: 'people', entry: Record<string, unknown>): void {
  if (isSeq(doc.get(list))) doc.addIn([list], doc.createNode(entry));
  else doc.set(list, doc.createNode([entry]));
}

/**
 * A draft's preview and its edits: the page, the saves (each a new version with what changed),
 * the schools from a table, the period re-read as it is typed, and the YAML export.
 */
import { draftsOrgOf, editsDrafts } from '../access.ts';
import type { WebContext } from '../app.ts';
import { draftHistory, findDraftVersion, saveDraftVersion, type StoredDraft } from '../../store/plan-drafts.ts';
import { describeChanges, draftData, textOf } from '../drafts/draft-changes.ts';
import { addSchools, applyEdits, editsOfForm, type DraftEdits, type ItemEdit, type PersonEdit } from '../drafts/draft-edits.ts';
import { previewDraft } from '../drafts/draft-preview.ts';
import { checkPeriod } from '../drafts/period-check.ts';
import { cellsOfFile, cellsOfText, schoolsOfCells } from '../drafts/school-table.ts';
import { draftNotFound, draftOfAddress, draftShell, field } from './draft-common.ts';
import { renderDraftPage, type DraftPageModel } from './draft-view.ts';

async function renderDraft(c: WebContext, draft: StoredDraft, extra: Pick<DraftPageModel, 'schoolsText' | 'schoolErrors'> = {}, status: 200 | 409 | 422 = 200, flash?: { kind: 'ok' | 'error'; text: string }): Promise<Response> {
  const session = c.get('session');
  const preview = await previewDraft(draft.latest.text, draft.latest.fileName);
  const history = await draftHistory(c.get('deps').store.pool, draft.org, draft.id);
  const body = renderDraftPage({ draft, preview, history, csrf: session.csrf, editable: editsDrafts(session) && draft.startedKey === null, ...extra });
  return c.html(draftShell(c, `Черновик: ${preview.title || preview.planId}`, body, flash), status);
}

export async function draftPage(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const saved = c.req.query('saved');
  const flash = saved === 'none' ? { kind: 'ok' as const, text: 'Изменений нет: новая версия не нужна.' } : saved ? { kind: 'ok' as const, text: `Сохранено: версия ${draft.latest.version}.` } : undefined;
  return renderDraft(c, draft, {}, 200, flash);
}

/**
 * Saves the form as a new version. Only the cells the user changed from the version they opened
 * are applied, onto the latest version: a colleague's save in between is kept, not overwritten.
 */
export async function draftSave(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  if (draft.startedKey !== null) return renderDraft(c, draft, {}, 409, { kind: 'error', text: `Этот черновик уже запущен как план «${draft.startedKey}»: его не меняют. Загрузите файл как новый план.` });
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const basedOn = Number(field(form, 'basedOn')) || draft.latest.version;
  const base = basedOn === draft.latest.version ? draft.latest : await findDraftVersion(c.get('deps').store.pool, draft.org, draft.id, basedOn);
  const edits = changedEdits(editsOfForm(form), base?.text ?? draft.latest.text);
  const { text } = applyEdits(draft.latest.text, edits);
  return saveText(c, draft, text);
}

/** Adds the schools of a pasted or uploaded table; a table with problems names each line and changes nothing. */
export async function draftSchools(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const pasted = typeof form.schools === 'string' ? form.schools : '';
  const file = form.schoolsFile;
  let cells: string[][];
  if (file instanceof File && file.name !== '') {
    const read = await cellsOfFile(file.name, new Uint8Array(await file.arrayBuffer()));
    if ('error' in read) return renderDraft(c, draft, { schoolsText: pasted, schoolErrors: [read.error] }, 422);
    cells = read;
  } else {
    cells = cellsOfText(pasted);
  }
  const table = schoolsOfCells(cells);
  if (!table.ok) return renderDraft(c, draft, { schoolsText: pasted, schoolErrors: table.errors }, 422);
  return saveText(c, draft, addSchools(draft.latest.text, table.schools));
}

/** Saves `text` as the draft's next version, with what changed; nothing changed, nothing saved. */
async function saveText(c: WebContext, draft: StoredDraft, text: string): Promise<Response> {
  const summary = describeChanges(draft.latest.text, text);
  if (summary.length === 0) return c.redirect(`/drafts/${draft.id}?saved=none`, 303);
  const data = draftData(text);
  const outcome = await saveDraftVersion(c.get('deps').store, draft.org, draft.id, { text, fileName: draft.latest.fileName, planId: textOf(data.fields.id), title: textOf(data.fields.title), author: c.get('session').login, summary }, draft.latest.version);
  if (!outcome.saved) {
    if (outcome.reason === 'not-found') return draftNotFound(c);
    return renderDraft(c, draft, {}, 409, { kind: 'error', text: 'Черновик только что сохранил другой пользователь. Ваши правки не сохранены: откройте страницу заново и повторите их.' });
  }
  return c.redirect(`/drafts/${draft.id}?saved=${outcome.version}`, 303);
}

/** The edits that differ from the version the form was opened on. */
function changedEdits(edits: DraftEdits, baseText: string): DraftEdits {
  const base = draftData(baseText);
  const differs = (value: string | undefined, was: unknown) => value !== undefined && value.trim() !== textOf(was);
  const plan = Object.fromEntries(Object.entries(edits.plan).filter(([name, value]) => differs(value, base.fields[name])));
  const items = new Map<number, ItemEdit>();
  for (const [index, edit] of edits.items) {
    const item = base.items[index] ?? {};
    const responsible = Array.isArray(item.executor) ? item.executor[0] : item.executor;
    const kept = Object.fromEntries(Object.entries(edit).filter(([name, value]) => differs(value, name === 'executor' ? responsible : item[name])));
    if (Object.keys(kept).length > 0) items.set(index, kept);
  }
  const people = new Map<number, PersonEdit>();
  for (const [index, edit] of edits.people) {
    const person = base.people[index] ?? {};
    const kept = Object.fromEntries(Object.entries(edit).filter(([name, value]) => differs(value, person[name])));
    if (Object.keys(kept).length > 0) people.set(index, kept);
  }
  return { plan, items, people, ...(edits.newPerson ? { newPerson: edits.newPerson } : {}) };
}

/** `GET /drafts/:id/period?when=…`: the period re-read, as JSON for the page's script. */
export async function draftPeriod(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return c.json({ ok: false, message: 'черновик не найден' }, 404);
  return c.json(await checkPeriod(c.req.query('when') ?? '', draft.latest.text));
}

/** The draft's YAML (the latest version, or `?version=N`), as a file to download. */
export async function draftYaml(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const asked = c.req.query('version');
  if (asked !== undefined && !/^\d{1,9}$/.test(asked)) return draftNotFound(c);
  const version = asked ? await findDraftVersion(c.get('deps').store.pool, draftsOrgOf(c.get('session'))!, draft.id, Number(asked)) : draft.latest;
  if (!version) return draftNotFound(c);
  const name = `${(draft.planId || 'plan').replace(/[^A-Za-z0-9._-]/g, '_')}${asked ? `-v${version.version}` : ''}.yaml`;
  return c.body(version.text, 200, { 'Content-Type': 'application/yaml; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
}

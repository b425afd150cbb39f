/**
 * A draft's preview and its edits: the page, the saves (each a new version with what changed),
 * the schools and the people from a table, the period re-read as it is typed, and the YAML export.
 */
import { planKeyOf } from '../../client/plan-runs.ts';
import { recordAudit } from '../../store/audit.ts';
import { draftHistory, findDraft, findDraftVersion, listDrafts, saveDraftVersion, type StoredDraft } from '../../store/plan-drafts.ts';
import { draftsOrgOf, editsDrafts } from '../access.ts';
import { addressOf, type WebContext, type WebDeps } from '../context.ts';
import { applyToRunningPlan, runningPlanOf } from './plan-change.ts';
import { describeChanges, draftData, textOf } from './draft-changes.ts';
import { exportedText } from './draft-export.ts';
import { addPeople, addSchools, applyEdits, cellEdits, editsOfForm, isTableRowLine, type DraftEdits, type EditProblem, type ItemEdit, type PersonEdit, type SchoolEdit } from './draft-edits.ts';
import { previewDraft } from './draft-preview.ts';
import { checkPeriod } from './period-check.ts';
import { peopleOfRows } from './people-table.ts';
import { schoolsOfRows } from './school-table.ts';
import { rowsOfForm } from './table-rows.ts';
import { draftNotFound, draftOfAddress, draftShell, field } from './draft-common.ts';
import { renderDraftPage, type DraftPageModel } from './draft-view.ts';

interface RenderExtra extends Pick<DraftPageModel, 'schoolsText' | 'schoolErrors' | 'peopleText' | 'peopleErrors' | 'tableRows' | 'applied' | 'changeRefusal' | 'kept'> {
  /** The text to show instead of the latest version's: edits a running plan refused, kept in the form. */
  text?: string;
}

async function renderDraft(c: WebContext, draft: StoredDraft, extra: RenderExtra = {}, status: 200 | 409 | 422 = 200, flash?: { kind: 'ok' | 'error'; text: string }): Promise<Response> {
  const session = c.get('session');
  const { text, ...shown } = extra;
  const { store, client, plans } = c.get('deps');
  const runningStatus = draft.startedKey !== null && plans.get(draft.startedKey) ? await plans.status(draft.startedKey) : null;
  const runningPlan = draft.startedKey !== null && runningStatus !== null ? await runningPlanOf(store, client, draft.org, draft.startedKey) : undefined;
  const running = runningPlan && runningStatus ? { key: runningPlan.key, changes: runningStatus.changes ?? [], names: new Map((await c.get('deps').auth.users()).map((user) => [user.login, user.name])) } : undefined;
  // A plan running over another year shows that year's dates.
  const preview = await previewDraft(text ?? draft.latest.text, draft.latest.fileName, runningPlan?.year ?? undefined);
  const history = await draftHistory(store.pool, draft.org, draft.id);
  const clash = draft.startedKey === null && preview.loaded ? await clashOf(c, draft, planKeyOf(preview.loaded)) : undefined;
  const body = renderDraftPage({ draft, preview, history, csrf: session.csrf, editable: editsDrafts(session), ...(running ? { running } : {}), ...(clash ? { clash } : {}), ...shown });
  return c.html(draftShell(c, `Черновик: ${preview.title || preview.planId}`, body, flash), status);
}

/**
 * The plan already running under `key` for the draft's organisation, if one is, with where to
 * change it: the draft it was started from, else its year page.
 */
export async function clashOf(c: WebContext, draft: StoredDraft, key: string): Promise<DraftPageModel['clash']> {
  const { store, client } = c.get('deps');
  const running = await runningPlanOf(store, client, draft.org, key);
  if (!running) return undefined;
  const started = (await listDrafts(store.pool, draft.org)).find((each) => each.startedKey === key);
  return { key, since: running.registeredAt, changeHref: started ? `/drafts/${started.id}#draft-form` : `/plans/${encodeURIComponent(key)}/year` };
}

export async function draftPage(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const saved = c.req.query('saved');
  const applied = c.req.query('applied');
  const flash = saved === 'none' ? { kind: 'ok' as const, text: 'Изменений нет: новая версия не нужна.' } : saved ? { kind: 'ok' as const, text: `Сохранено: версия ${draft.latest.version}.` } : applied === 'none' ? { kind: 'ok' as const, text: 'Изменений нет: идущий план остался прежним.' } : undefined;
  // The version just applied says what changed: its summary past its first line («применено к идущему плану …»);
  // a version from a table says what each of its rows did.
  const shown = [saved, applied].some((version) => version !== undefined && String(draft.latest.version) === version) ? draft.latest.summary : [];
  const lines = applied && shown.length > 0 ? shown.slice(1).filter((line) => !isTableRowLine(line)) : undefined;
  const rows = shown.filter(isTableRowLine);
  return renderDraft(c, draft, { ...(lines ? { applied: lines } : {}), ...(rows.length > 0 ? { tableRows: rows } : {}) }, 200, flash);
}

/**
 * The plan a started draft applies its edits to, or the page that says why it cannot: the draft is
 * not started, or its plan no longer runs, or the plan runs a text this draft has not got.
 */
async function runningKeyOf(c: WebContext, draft: StoredDraft): Promise<{ key: string } | Response> {
  const key = draft.startedKey;
  const { store, client, plans } = c.get('deps');
  const running = key === null ? undefined : await runningPlanOf(store, client, draft.org, key);
  if (key === null || !running) return renderDraft(c, draft, {}, 409, { kind: 'error', text: key === null ? 'Этот черновик ещё не запущен: его сохраняют и запускают, а не применяют.' : `План «${key}» больше не идёт: изменять нечего.` });
  if (running.text !== draft.latest.text) {
    // The plan runs a text this draft has not got (changed by `plangraf change` before it kept drafts
    // in step): edits made on the draft's older text would undo that change. The draft catches up
    // with the running plan, and the office applies its edits again on it.
    const data = draftData(running.text);
    const last = (await plans.status(key).catch(() => null))?.changes?.at(-1)?.by;
    const caught = await saveDraftVersion(store, draft.org, draft.id, { text: running.text, fileName: draft.latest.fileName, planId: textOf(data.fields.id), title: textOf(data.fields.title), author: last?.startsWith('cli:') ? last : 'cli:', summary: [`приведено к идущему плану «${key}»: его изменили не из этого черновика`] });
    const fresh = caught.saved ? await findDraft(store.pool, draft.org, draft.id) : undefined;
    return renderDraft(c, fresh ?? draft, {}, 409, { kind: 'error', text: `Идущий план «${key}» изменили не из этого черновика (командой plangraf change), и черновик от него отстал. Ваши правки не применены: черновик обновлён до идущего плана — проверьте правки и примените их снова.` });
  }
  return { key };
}

/**
 * Applies `text`, the draft's latest version with the office's edits, to the plan running under
 * `key`. Taken: saved as the draft's next version (its summary what changed for the executors,
 * then what each row of a table did), recorded as the plan's text, audited. Refused: the page
 * again with `refused(reasons)` (the edits kept), nothing saved anywhere.
 */
async function applyText(c: WebContext, rawDeps: WebDeps, draft: StoredDraft, key: string, text: string, refused: (reasons: string[]) => RenderExtra, tableRows: readonly string[] = []): Promise<Response> {
  if (describeChanges(draft.latest.text, text).length === 0) return c.redirect(`/drafts/${draft.id}?applied=none`, 303);
  const { store, client, plans } = c.get('deps');
  const session = c.get('session');
  const outcome = await applyToRunningPlan(store, client, draft.org, key, text, draft.latest.fileName, session.login);
  if (!outcome.ok) return renderDraft(c, draft, { ...refused(outcome.reasons), changeRefusal: outcome.reasons }, 422);
  if (outcome.lines.length === 0) return c.redirect(`/drafts/${draft.id}?applied=none`, 303);
  const data = draftData(text);
  const saved = await saveDraftVersion(store, draft.org, draft.id, { text, fileName: draft.latest.fileName, planId: textOf(data.fields.id), title: textOf(data.fields.title), author: session.login, summary: [`применено к идущему плану «${key}»:`, ...outcome.lines, ...tableRows] });
  await recordAudit(store.pool, { login: session.login, org: session.org, address: addressOf(c), action: 'plan.change', plan: key, task: null, details: { draft: String(draft.id), title: textOf(data.fields.title), lines: outcome.lines } });
  c.set('auditNote', { recorded: true });
  plans.invalidate(key);
  await rawDeps.plans.refresh?.({ force: true });
  return c.redirect(`/drafts/${draft.id}?applied=${saved.saved ? saved.version : 'none'}`, 303);
}

/**
 * «Применить к идущему плану»: the form's edits, onto the latest version, become the running
 * plan's new version. Taken: saved as the draft's next version (its summary what changed for
 * the executors), recorded as the plan's text, audited. Refused: the reasons on the page, the
 * edits kept in the form, nothing saved anywhere.
 */
export async function draftApply(c: WebContext, rawDeps: WebDeps): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const running = await runningKeyOf(c, draft);
  if (running instanceof Response) return running;
  const { edits, text, problems } = await formEdits(c, draft);
  if (problems.length > 0) return renderKept(c, draft, edits, problems, 'Правки не применены: идущий план остался прежним.');
  return applyText(c, rawDeps, draft, running.key, text, () => ({ text: applyEdits(draft.latest.text, cellEdits(edits)).text, kept: keptOf(edits, []) }));
}

/** «Сохранить»: the form's edits (`formEdits`) as the draft's new version. */
export async function draftSave(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  if (draft.startedKey !== null) return renderDraft(c, draft, {}, 409, { kind: 'error', text: `Этот черновик уже запущен: его правки применяют к идущему плану («Применить к идущему плану»), а не сохраняют.` });
  const { edits, text, problems } = await formEdits(c, draft);
  if (problems.length > 0) return renderKept(c, draft, edits, problems, 'Не сохранено: исправьте отмеченное.');
  return saveText(c, draft, text);
}

/**
 * The draft form's edits: only the cells the user changed from the version they opened, applied
 * onto the latest version, so a colleague's save in between is kept, not overwritten.
 */
async function formEdits(c: WebContext, draft: StoredDraft): Promise<{ edits: DraftEdits; text: string; problems: EditProblem[] }> {
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const basedOn = Number(field(form, 'basedOn')) || draft.latest.version;
  const base = basedOn === draft.latest.version ? draft.latest : await findDraftVersion(c.get('deps').store.pool, draft.org, draft.id, basedOn);
  const edits = changedEdits(editsOfForm(form), base?.text ?? draft.latest.text);
  return { edits, ...applyEdits(draft.latest.text, edits) };
}

/** The rows' additions, removals and co-executors taken off, as the form is to show them again (ticked, filled in), with the problems. */
function keptOf(edits: DraftEdits, problems: EditProblem[]): NonNullable<DraftPageModel['kept']> {
  return { removeItems: edits.removeItems ?? [], removePeople: edits.removePeople ?? [], detach: edits.detach ?? new Map(), ...(edits.newItem ? { newItem: edits.newItem } : {}), ...(edits.newPerson ? { newPerson: edits.newPerson } : {}), problems };
}

/**
 * Edits that cannot be made as they are (a new item's № already taken, a person still named):
 * nothing saved, the page again with the cells as edited, the boxes ticked and the new rows
 * filled in as they were sent, each problem on its row.
 */
function renderKept(c: WebContext, draft: StoredDraft, edits: DraftEdits, problems: EditProblem[], lead: string): Promise<Response> {
  return renderDraft(c, draft, { text: applyEdits(draft.latest.text, cellEdits(edits)).text, kept: keptOf(edits, problems) }, 422, { kind: 'error', text: `${lead} ${problems.map((problem) => problem.message).join('; ')}.` });
}

/** Adds the schools of a pasted or uploaded table; a table with problems names each line and changes nothing. */
export async function draftSchools(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const read = await rowsOfForm((await c.req.parseBody()) as Record<string, unknown>, { text: 'schools', file: 'schoolsFile' }, 'школ');
  if ('error' in read) return renderDraft(c, draft, { schoolsText: read.pasted, schoolErrors: [read.error] }, 422);
  const table = schoolsOfRows(read.rows);
  if (!table.ok) return renderDraft(c, draft, { schoolsText: read.pasted, schoolErrors: table.errors }, 422);
  return saveText(c, draft, addSchools(draft.latest.text, table.values));
}

/**
 * The people of a pasted or uploaded table: a name of the plan's people brings their position
 * and e-mail up to date, a new name is a new person. A draft is saved as a version; a started
 * one's running plan takes it at once, as «Применить к идущему плану» (a new address of an
 * executor hands their tasks over with letters). A table with problems names each line, keeps
 * what was pasted and changes nothing.
 */
export async function draftPeople(c: WebContext, rawDeps: WebDeps): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const read = await rowsOfForm(form, { text: 'people', file: 'peopleFile' }, 'людей');
  if ('error' in read) return renderDraft(c, draft, { peopleText: read.pasted, peopleErrors: [read.error] }, 422);
  const table = peopleOfRows(read.rows);
  if (!table.ok) return renderDraft(c, draft, { peopleText: read.pasted, peopleErrors: table.errors }, 422);
  const running = draft.startedKey === null ? undefined : await runningKeyOf(c, draft);
  if (running instanceof Response) return running;
  const added = addPeople(draft.latest.text, table.values);
  if (added.errors.length > 0) return renderDraft(c, draft, { peopleText: read.pasted, peopleErrors: added.errors }, 422);
  if (running) return applyText(c, rawDeps, draft, running.key, added.text, () => ({ peopleText: read.pasted }), added.lines);
  const file = form.peopleFile instanceof File && form.peopleFile.name !== '' ? ` «${form.peopleFile.name}»` : '';
  return saveText(c, draft, added.text, [`люди из таблицы${file}:`, ...added.lines]);
}

/** Saves `text` as the draft's next version, with what changed (or `summary`, when given); nothing changed, nothing saved. */
async function saveText(c: WebContext, draft: StoredDraft, text: string, summary?: string[]): Promise<Response> {
  const changes = describeChanges(draft.latest.text, text);
  if (changes.length === 0) return c.redirect(`/drafts/${draft.id}?saved=none`, 303);
  const data = draftData(text);
  const outcome = await saveDraftVersion(c.get('deps').store, draft.org, draft.id, { text, fileName: draft.latest.fileName, planId: textOf(data.fields.id), title: textOf(data.fields.title), author: c.get('session').login, summary: summary ?? changes }, draft.latest.version);
  if (!outcome.saved) {
    if (outcome.reason === 'not-found') return draftNotFound(c);
    return renderDraft(c, draft, {}, 409, { kind: 'error', text: 'Черновик только что сохранил другой пользователь. Ваши правки не сохранены: откройте страницу заново и повторите их.' });
  }
  c.set('auditNote', { plan: textOf(data.fields.id) || null, details: { draft: String(draft.id), title: textOf(data.fields.title) } });
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
  const schools = new Map<number, SchoolEdit>();
  for (const [index, edit] of edits.schools ?? []) {
    const school = base.schools[index] ?? {};
    const director = (school.director && typeof school.director === 'object' ? school.director : {}) as Record<string, unknown>;
    const was = (name: string) => (name === 'director' ? director.name : name === 'directorEmail' ? director.email : school[name]);
    const kept = Object.fromEntries(Object.entries(edit).filter(([name, value]) => differs(value, was(name))));
    if (Object.keys(kept).length > 0) schools.set(index, kept);
  }
  const { newPerson, newItem, removeItems, removePeople, detach } = edits;
  return { plan, items, people, ...(schools.size > 0 ? { schools } : {}), ...(newPerson ? { newPerson } : {}), ...(newItem ? { newItem } : {}), ...(removeItems ? { removeItems } : {}), ...(removePeople ? { removePeople } : {}), ...(detach ? { detach } : {}) };
}

/** `GET /drafts/:id/period?when=…`: the period re-read, as JSON for the page's script. */
export async function draftPeriod(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return c.json({ ok: false, message: 'черновик не найден' }, 404);
  return c.json(await checkPeriod(c.req.query('when') ?? '', draft.latest.text));
}

/** The draft's YAML (the latest version, or `?version=N`), as a file to download; its header says what is still missing, as of that version. */
export async function draftYaml(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const asked = c.req.query('version');
  if (asked !== undefined && !/^\d{1,9}$/.test(asked)) return draftNotFound(c);
  const version = asked ? await findDraftVersion(c.get('deps').store.pool, draftsOrgOf(c.get('session'))!, draft.id, Number(asked)) : draft.latest;
  if (!version) return draftNotFound(c);
  const name = `${(draft.planId || 'plan').replace(/[^A-Za-z0-9._-]/g, '_')}${asked ? `-v${version.version}` : ''}.yaml`;
  return c.body(exportedText(version.text), 200, { 'Content-Type': 'application/yaml; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
}

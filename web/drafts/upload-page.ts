/**
 * «Загрузить план»: a Word or Excel plan-graph, or a YAML plan, becomes a draft of the user's
 * organisation (or a new version of one of its drafts). A file that is not a plan says why and
 * nothing is stored; the form keeps what was typed in it.
 */
import { draftsOrgOf } from '../access.ts';
import type { WebContext } from '../context.ts';
import { createDraft, findDraft, saveDraftVersion } from '../../store/plan-drafts.ts';
import { carryOver } from './carry-over.ts';
import { describeChanges } from './draft-changes.ts';
import { draftFromUpload, UPLOAD_LIMIT_BYTES } from './draft-upload.ts';
import { html } from '../html.ts';
import { draftNotFound, draftShell, field, yearField } from './draft-common.ts';

const PLAN_ID = /^[a-z0-9][a-z0-9-]*$/;

interface UploadForm {
  id: string;
  year: string;
  errors: string[];
}

function uploadPage(c: WebContext, form: UploadForm, status: 200 | 422 = 200): Response {
  const session = c.get('session');
  const body = html`<h1>Загрузить план</h1>
<p>План-график из документа Word (.docx) или книги Excel (.xlsx), как его утвердил приказ, или файл плана (.yaml). Из таблицы получится черновик: его строки можно проверить, исправить и дополнить здесь же, а потом запустить.</p>
${form.errors.length > 0 ? html`<div class="flash flash-error" role="alert"><p>План не загружен:</p><ul class="upload-errors">${form.errors.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
<form method="post" action="/drafts/upload" enctype="multipart/form-data" class="card">
<input type="hidden" name="_csrf" value="${session.csrf}">
<input type="hidden" name="do" value="upload">
<label for="file">Файл (.docx, .xlsx или .yaml, до ${Math.round(UPLOAD_LIMIT_BYTES / 1024 / 1024)} МБ)</label>
<input type="file" id="file" name="file" accept=".docx,.xlsx,.yaml,.yml" required>
<label for="id">Идентификатор плана латиницей (необязательно; по умолчанию — из имени файла)</label>
<input type="text" id="id" name="id" value="${form.id}" placeholder="konakovo-2027">
<label for="year">Год плана (необязательно; по умолчанию — из заголовка таблицы)</label>
<input type="text" id="year" name="year" value="${form.year}" inputmode="numeric" placeholder="2027">
<p><button type="submit">Загрузить</button></p>
</form>`;
  return c.html(draftShell(c, 'Загрузить план', body), status);
}

/** A new version not taken: why, and the way back to the draft, unchanged. */
function versionRefused(c: WebContext, draftId: number, errors: string[]): Response {
  return c.html(draftShell(c, 'Версия не загружена', html`<h1>Версия не загружена</h1><ul class="upload-errors">${errors.map((line) => html`<li>${line}</li>`)}</ul><p><a href="/drafts/${draftId}">Вернуться к черновику</a> — он не изменился.</p>`), 422);
}

export function uploadForm(c: WebContext): Response {
  return uploadPage(c, { id: '', year: '', errors: [] });
}

/** Reads the uploaded file; a draft (or a new version of `draft`) when it is a plan. */
export async function uploadSubmit(c: WebContext): Promise<Response> {
  const session = c.get('session');
  const org = draftsOrgOf(session)!;
  const { store } = c.get('deps');
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const typed: UploadForm = { id: field(form, 'id'), year: field(form, 'year'), errors: [] };
  const draftId = field(form, 'draft');
  const existing = /^\d{1,15}$/.test(draftId) ? await findDraft(store.pool, org, Number(draftId)) : undefined;
  if (draftId !== '' && !existing) return draftNotFound(c);
  if (existing?.startedKey) return c.html(draftShell(c, 'Версия не загружена', html`<h1>Версия не загружена</h1><p>Этот черновик уже запущен как план «${existing.startedKey}»: его не меняют. Загрузите файл как новый план.</p><p><a href="/drafts/upload">Загрузить план</a></p>`), 409);

  const file = form.file;
  if (!(file instanceof File) || file.name === '') return uploadPage(c, { ...typed, errors: ['файл не выбран: выберите документ Word, книгу Excel или файл плана'] }, 422);
  if (file.size > UPLOAD_LIMIT_BYTES) {
    const tooLarge = `файл «${file.name}» больше ${Math.round(UPLOAD_LIMIT_BYTES / 1024 / 1024)} МБ: такой не загрузить; сохраните документ без картинок и вложений и загрузите снова`;
    if (existing) return versionRefused(c, existing.id, [tooLarge]);
    return uploadPage(c, { ...typed, errors: [tooLarge] }, 422);
  }
  if (typed.id !== '' && !PLAN_ID.test(typed.id)) typed.errors.push(`идентификатор «${typed.id}» не годится: нужны латинские строчные буквы, цифры и дефис (например, konakovo-2027)`);
  const year = yearField(typed.year);
  if (typed.year !== '' && year === undefined) typed.errors.push(`год «${typed.year}» не похож на год: напишите его четырьмя цифрами, например 2027`);
  if (typed.errors.length > 0) return uploadPage(c, typed, 422);

  const upload = await draftFromUpload(file.name, new Uint8Array(await file.arrayBuffer()), {
    ...(typed.id !== '' ? { id: typed.id } : existing ? { id: existing.planId } : {}),
    ...(year !== undefined ? { year } : {}),
  });
  if (!upload.ok) {
    if (existing) return versionRefused(c, existing.id, upload.errors);
    return uploadPage(c, { ...typed, errors: upload.errors }, 422);
  }
  const version = { text: upload.text, fileName: upload.fileName, planId: upload.planId, title: upload.title, author: session.login };
  if (existing) {
    // A table says nothing of addresses, schools, the office or the paperwork: those stay as they were. A YAML file is the whole plan.
    const carried = upload.fromTable ? carryOver(existing.latest.text, upload.text) : { text: upload.text, kept: [] };
    const summary = describeChanges(existing.latest.text, carried.text);
    const kept = carried.kept.length > 0 ? [`из прежней версии сохранено то, чего нет в таблице: ${carried.kept.join('; ')}`] : upload.fromTable ? [] : ['файл плана (.yaml) заменил черновик целиком'];
    const outcome = await saveDraftVersion(store, org, existing.id, { ...version, text: carried.text, summary: [`загружен файл «${file.name}»`, ...kept, ...summary] });
    c.set('auditNote', { plan: upload.planId, details: { draft: String(existing.id), title: upload.title } });
    return c.redirect(`/drafts/${existing.id}?saved=${outcome.saved ? outcome.version : 1}`, 303);
  }
  const draft = await createDraft(store, org, { ...version, summary: [`загружен файл «${file.name}»`] });
  c.set('auditNote', { plan: upload.planId, details: { draft: String(draft.id), title: upload.title } });
  return c.redirect(`/drafts/${draft.id}`, 303);
}

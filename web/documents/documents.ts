/**
 * The register of issued documents as a page: every order, contract and report with its
 * number and date, whether its file is still as issued, and a download. Only files the
 * register names are ever served: the address says which entry, never which file on disk.
 */
import { extname } from 'node:path';
import type { RegisterEntry } from '../../documents/register.ts';
import { formatRussianDate } from '../../plan/dates.ts';
import { TEMPLATES } from '../../templates/documents/catalog.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { canAdminister } from '../access.ts';
import { documentUrl } from '../tasks/task.ts';

/** How the page says a file stands: nothing for an intact one. */
export const FILE_STATES: Record<'ok' | 'missing' | 'changed', string> = { ok: 'в порядке', missing: 'файла нет', changed: 'файл изменён' };

const CONTENT_TYPES: Record<string, string> = {
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The Content-Type of a document file by its extension. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `attachment; filename*=UTF-8''…` (RFC 6266, RFC 5987): the Russian name survives, and no
 * quote or line break in a name can break out of the header.
 */
export function attachmentDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

/**
 * The register entry a download address names: only a path the register holds, exactly as it
 * holds it. Anything else (`../secret.key`, `/etc/passwd`, a path not registered) is `null`.
 */
export function registeredEntry(entries: readonly RegisterEntry[], path: string | undefined): RegisterEntry | null {
  if (!path || path.includes('\0')) return null;
  return entries.find((candidate) => candidate.path === path) ?? null;
}

/** The register newest first; `plan` keeps one plan's documents. */
export function registerRows(entries: readonly RegisterEntry[], plan?: string): RegisterEntry[] {
  return entries
    .filter((entry) => !plan || entry.plan === plan)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.issuedAt < b.entry.issuedAt ? 1 : a.entry.issuedAt > b.entry.issuedAt ? -1 : b.index - a.index))
    .map(({ entry }) => entry);
}

/** One row of the register page, with the state of its file. */
export interface DocumentRow {
  entry: RegisterEntry;
  file: 'ok' | 'missing' | 'changed';
}

/** The register page's body: pure, so a test can read it. */
export function renderDocumentsPage(model: { rows: readonly DocumentRow[]; plans: readonly { key: string; title: string }[]; plan: string | null; total: number; planPages?: readonly { key: string; title: string }[] }): Html {
  const planTitle = new Map(model.plans.map((plan) => [plan.key, plan.title]));
  const filter = html`<form class="filters" method="get" action="/documents">
<label for="documents-plan">План</label>
<select id="documents-plan" name="plan">
<option value="">все планы</option>
${model.plans.map((plan) => html`<option value="${plan.key}"${plan.key === model.plan ? html` selected` : ''}>${plan.title}</option>`)}
</select>
<button type="submit" class="secondary">Показать</button>
</form>`;
  const table =
    model.rows.length === 0
      ? html`<p class="muted">${model.total === 0 ? 'Документов пока нет: они выпускаются, когда начинаются задачи с документами, или командой plangraf documents.' : 'Документов этого плана нет.'}</p>`
      : html`<table class="grid documents"><thead><tr><th>Номер</th><th>Дата</th><th>Документ</th><th>План</th><th>Файл</th><th>Состояние</th><th></th></tr></thead>
<tbody>${model.rows.map(
          ({ entry, file }) => html`<tr data-state="${file}">
<td>${entry.number}</td><td>${formatRussianDate(entry.date)}</td><td>${TEMPLATES[entry.template]?.title ?? entry.template}</td>
<td>${entry.plan ? html`<a href="/plans/${encodeURIComponent(entry.plan)}/year">${planTitle.get(entry.plan) ?? entry.plan}</a>` : html`<span class="muted">без плана</span>`}</td>
<td>${entry.fileName}</td>
<td>${file === 'ok' ? html`<span class="muted">${FILE_STATES.ok}</span>` : html`<strong class="late">${FILE_STATES[file]}</strong>`}</td>
<td>${file === 'missing' ? '' : html`<a href="${documentUrl(entry.path)}" download>Скачать</a>`}</td>
</tr>`,
        )}</tbody></table>`;
  return html`<h1>Документы</h1>
<p class="muted">Журнал регистрации: каждый выпущенный документ с номером и датой${model.plan ? '' : ', новые сверху'}.</p>
${filter}
${model.planPages && model.planPages.length > 0 ? html`<p class="plan-documents">Сформировать и скачать документы плана: ${model.planPages.map((plan, index) => html`${index > 0 ? ', ' : ''}<a href="/plans/${encodeURIComponent(plan.key)}/documents">${plan.title}</a>`)}</p>` : ''}
${table}`;
}

/** GET /documents[?plan=<key>]: the register, newest first. */
export async function documentsPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const session = c.get('session');
  const plan = c.req.query('plan') || null;
  const entries = await deps.register.entries();
  const rows = await Promise.all(registerRows(entries, plan ?? undefined).map(async (entry) => ({ entry, file: await deps.register.verify(entry) })));
  const served = deps.plans.list().map((served) => ({ key: served.key, title: served.loaded.plan.title ?? served.key }));
  // Plans that issued documents but are no longer served still appear in the filter.
  const others = [...new Set(entries.flatMap((entry) => (entry.plan && !served.some((known) => known.key === entry.plan) ? [entry.plan] : [])))].map((key) => ({ key, title: key }));
  const body = renderDocumentsPage({ rows, plans: [...served, ...others], plan, total: entries.length, planPages: served.filter((known) => !plan || known.key === plan) });
  const navPlan = plan && deps.plans.get(plan) ? plan : null;
  return c.html(page({ title: 'Документы', body, nav: { plan: navPlan, user: session.name, csrf: session.csrf, current: 'documents', administer: canAdminister(session) } }));
}

/** GET /documents/file?path=<register path>: the registered file, as a download. */
export async function documentFile(c: WebContext, deps: WebDeps): Promise<Response> {
  const session = c.get('session');
  const entry = registeredEntry(await deps.register.entries(), c.req.query('path'));
  const notFound = (text: string) => c.html(page({ title: 'Документ не найден', body: html`<h1>Документ не найден</h1><p>${text}</p><p><a href="/documents">Все документы</a></p>`, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'documents', administer: canAdminister(session) } }), 404);
  if (!entry) return notFound('В журнале регистрации нет такого документа.');
  const content = await deps.register.fileContent(entry.sha256);
  if (!content) return notFound(`Документ ${entry.number} есть в журнале, но его файла нет в базе данных.`);
  return c.body(new Uint8Array(content), 200, {
    'Content-Type': contentTypeOf(entry.fileName),
    'Content-Disposition': attachmentDisposition(entry.fileName),
    'Content-Length': String(content.length),
  });
}

/**
 * The draft pages under `/drafts`, with who may use them in one place: the office of the
 * organisation (administrator, office, viewer) reads its drafts; only its administrator uploads,
 * changes and starts them (the others are told so, 403); everyone else finds no such page (404).
 */
import type { Hono } from 'hono';
import { draftsOrgOf, editsDrafts } from '../access.ts';
import type { WebDeps, WebEnv } from '../context.ts';
import { DRAFT_EDIT_SCRIPT } from './edit-script.ts';
import { UPLOAD_BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES } from './draft-upload.ts';
import { html } from '../html.ts';
import { errorPage, page } from '../layout.ts';
import { draftNotFound } from './draft-common.ts';
import { draftApply, draftPage, draftPeople, draftPeriod, draftSave, draftSchools, draftYaml } from './draft-page.ts';
import { startPage, startSubmit } from './start-page.ts';
import { uploadForm, uploadSubmit } from './upload-page.ts';
import { DRAFT_STYLES } from './draft-view.ts';

/** The paths that take files, so take bodies up to UPLOAD_BODY_LIMIT_BYTES rather than a form's 1 MB. */
export function takesFiles(path: string): boolean {
  return path === '/drafts/upload' || /^\/drafts\/\d+\/(schools|people)$/.test(path);
}

export { UPLOAD_BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES };

/**
 * The page for a request cut off unread, far over the limit: nothing of the form can be kept,
 * so it says why and leads back to the form it came from.
 */
export function tooLargePage(path: string): string {
  const back = path === '/drafts/upload' ? html`<a href="/drafts/upload">Вернуться к загрузке плана</a>` : html`<a href="${path.replace(/\/(schools|people)$/, '')}">Вернуться к черновику</a>`;
  return page({ title: 'Файл не загружен', body: html`<div class="card"><h1>Файл не загружен</h1><div class="flash flash-error" role="alert"><p>Файл больше ${UPLOAD_LIMIT_BYTES / 1024 / 1024} МБ: такой не загрузить. Сохраните документ без картинок и вложений и загрузите снова.</p></div><p>${back}</p></div>` });
}

/** Adds the draft pages to the office's router (behind its login, CSRF check and audit). */
export function addDraftPages(office: Hono<WebEnv>, deps: WebDeps): void {
  office.use('/drafts/*', async (c, next) => {
    const session = c.get('session');
    if (draftsOrgOf(session) === null) return draftNotFound(c);
    // The upload form is an action's page: it is refused as the action is.
    if ((c.req.method === 'POST' || c.req.path === '/drafts/upload') && !editsDrafts(session)) return c.html(errorPage('Нет прав на это действие', 'Загружать, менять и запускать планы может администратор проектного офиса. Обратитесь к нему.'), 403);
    await next();
  });
  office.get('/drafts/edit.js', (c) => c.body(DRAFT_EDIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=3600' }));
  office.get('/drafts/drafts.css', (c) => c.body(DRAFT_STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'private, max-age=3600' }));
  office.get('/drafts', (c) => c.redirect('/plans#drafts', 303));
  office.get('/drafts/upload', (c) => uploadForm(c));
  office.post('/drafts/upload', (c) => uploadSubmit(c));
  office.get('/drafts/:id{[0-9]+}', (c) => draftPage(c));
  office.post('/drafts/:id{[0-9]+}', (c) => draftSave(c));
  office.post('/drafts/:id{[0-9]+}/schools', (c) => draftSchools(c));
  office.post('/drafts/:id{[0-9]+}/people', (c) => draftPeople(c, deps));
  office.post('/drafts/:id{[0-9]+}/apply', (c) => draftApply(c, deps));
  office.get('/drafts/:id{[0-9]+}/period', (c) => draftPeriod(c));
  office.get('/drafts/:id{[0-9]+}/plan.yaml', (c) => draftYaml(c));
  office.get('/drafts/:id{[0-9]+}/start', (c) => startPage(c));
  office.post('/drafts/:id{[0-9]+}/start', (c) => startSubmit(c, deps));
}

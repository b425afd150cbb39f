/**
 * The draft pages under `/drafts`, with who may use them in one place: the office of the
 * organisation (administrator, office, viewer) reads its drafts; only its administrator uploads,
 * changes and starts them; everyone else finds no such page (404).
 */
import type { Hono } from 'hono';
import { draftsOrgOf, editsDrafts } from '../access.ts';
import type { WebDeps, WebEnv } from '../app.ts';
import { DRAFT_EDIT_SCRIPT } from '../drafts/edit-script.ts';
import { UPLOAD_LIMIT_BYTES } from '../drafts/draft-upload.ts';
import { errorPage } from '../layout.ts';
import { draftNotFound } from './draft-common.ts';
import { draftPage, draftPeriod, draftSave, draftSchools, draftYaml } from './draft-edit.ts';
import { startPage, startSubmit } from './draft-start.ts';
import { uploadForm, uploadSubmit } from './draft-upload.ts';
import { DRAFT_STYLES } from './draft-view.ts';

/** The paths that take files, so take bodies up to UPLOAD_LIMIT_BYTES rather than a form's 1 MB. */
export function takesFiles(path: string): boolean {
  return path === '/drafts/upload' || /^\/drafts\/\d+\/schools$/.test(path);
}

export { UPLOAD_LIMIT_BYTES };

/** Adds the draft pages to the office's router (behind its login, CSRF check and audit). */
export function addDraftPages(office: Hono<WebEnv>, deps: WebDeps): void {
  office.use('/drafts/*', async (c, next) => {
    const session = c.get('session');
    if (draftsOrgOf(session) === null) return draftNotFound(c);
    if (c.req.method === 'POST' && !editsDrafts(session)) return c.html(errorPage('Нет прав на это действие', 'Загружать, менять и запускать планы может администратор проектного офиса. Обратитесь к нему.'), 403);
    await next();
  });
  office.get('/drafts/edit.js', (c) => c.body(DRAFT_EDIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=3600' }));
  office.get('/drafts/drafts.css', (c) => c.body(DRAFT_STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'private, max-age=3600' }));
  office.get('/drafts', (c) => c.redirect('/plans#drafts', 303));
  office.get('/drafts/upload', (c) => (editsDrafts(c.get('session')) ? uploadForm(c) : draftNotFound(c)));
  office.post('/drafts/upload', (c) => uploadSubmit(c));
  office.get('/drafts/:id{[0-9]+}', (c) => draftPage(c));
  office.post('/drafts/:id{[0-9]+}', (c) => draftSave(c));
  office.post('/drafts/:id{[0-9]+}/schools', (c) => draftSchools(c));
  office.get('/drafts/:id{[0-9]+}/period', (c) => draftPeriod(c));
  office.get('/drafts/:id{[0-9]+}/plan.yaml', (c) => draftYaml(c));
  office.get('/drafts/:id{[0-9]+}/start', (c) => startPage(c));
  office.post('/drafts/:id{[0-9]+}/start', (c) => startSubmit(c, deps));
}

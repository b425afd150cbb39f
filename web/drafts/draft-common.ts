/** What the draft pages share: the draft of the address (or a 404), the page shell, the author of a save. */
import { canAdminister, draftsOrgOf } from '../access.ts';
import type { WebContext } from '../context.ts';
import { findDraft, type StoredDraft } from '../../store/plan-drafts.ts';
import { html, type Html } from '../html.ts';
import { page, type PageShell } from '../layout.ts';

/** A draft page: the shared shell with the office's navigation on «Планы», and the draft pages' stylesheet. */
export function draftShell(c: WebContext, title: string, body: Html, flash?: PageShell['flash']): string {
  const session = c.get('session');
  return page({ title, body: html`<link rel="stylesheet" href="/drafts/drafts.css">${body}`, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'plans', administer: canAdminister(session) }, flash: flash ?? null });
}

/** The page for an address that shows nothing to this user: a draft of another organisation does not exist for them. */
export function draftNotFound(c: WebContext): Response {
  return c.html(draftShell(c, 'Черновик не найден', html`<h1>Черновик не найден</h1><p>Такого черновика плана нет. <a href="/plans">Все планы</a></p>`), 404);
}

/** The draft named in the address, of the user's organisation. */
export async function draftOfAddress(c: WebContext): Promise<StoredDraft | undefined> {
  const org = draftsOrgOf(c.get('session'));
  const id = Number(c.req.param('id'));
  if (org === null || !Number.isSafeInteger(id) || id <= 0) return undefined;
  return findDraft(c.get('deps').store.pool, org, id);
}

/** A form field as trimmed text; `''` when absent or a file. */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A year typed in a form or the address: a whole number between 2000 and 2100, else `undefined`. */
export function yearField(text: string | undefined): number | undefined {
  const year = Number((text ?? '').trim());
  return /^\d{4}$/.test((text ?? '').trim()) && year >= 2000 && year <= 2100 ? year : undefined;
}

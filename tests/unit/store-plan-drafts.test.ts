/**
 * Plan drafts in the store, on a real PostgreSQL: every save a version with its author and
 * summary, a stale save refused, and each organisation seeing its own drafts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { createDraft, draftHistory, findDraft, findDraftVersion, listDrafts, markDraftStarted, saveDraftVersion, type NewDraftVersion } from '../../store/plan-drafts.ts';
import { saveUser } from '../../store/users.ts';
import { testStore } from '../support/store.ts';

let store: Store;
beforeAll(async () => {
  store = await testStore();
  await ensureOrganisation(store.pool, 'ryazan', 'Рязанская область');
  await ensureOrganisation(store.pool, 'tver', 'Тверская область');
  await saveUser(store.pool, { login: 'office', name: 'Иванова О. Ю.', org: 'ryazan', role: 'administrator', schools: [], municipality: null, passwordHash: 'x' });
});
afterAll(() => store?.close());

const version = (overrides: Partial<NewDraftVersion> = {}): NewDraftVersion => ({
  text: 'id: konakovo\nyear: 2027\nitems: []\n',
  fileName: 'konakovo.yaml',
  planId: 'konakovo',
  title: 'План-график на 2027 год',
  author: 'office',
  summary: ['загружен из plan.docx'],
  ...overrides,
});

describe('plan drafts', () => {
  it('keeps every save as a new version with who saved it, when and what changed', async () => {
    const draft = await createDraft(store, 'ryazan', version());
    expect(draft.latest).toMatchObject({ version: 1, author: 'office', authorName: 'Иванова О. Ю.', summary: ['загружен из plan.docx'], fileName: 'konakovo.yaml' });
    expect(draft.startedKey).toBeNull();

    const second = await saveDraftVersion(store, 'ryazan', draft.id, version({ text: 'id: konakovo\nyear: 2027\n# v2\n', summary: ['пункт «5»: срок «март» → «апрель»'], title: 'Новое название' }), 1);
    expect(second).toEqual({ saved: true, version: 2 });
    const third = await saveDraftVersion(store, 'ryazan', draft.id, version({ text: 'v3', planId: 'konakovo-2', author: 'someone-gone', summary: ['исполнитель пункта «7»: не назначен → «Петрова И. И.»'] }));
    expect(third).toEqual({ saved: true, version: 3 });

    const found = await findDraft(store.pool, 'ryazan', draft.id);
    expect(found).toMatchObject({ planId: 'konakovo-2', title: 'План-график на 2027 год', latest: { version: 3, text: 'v3', author: 'someone-gone', authorName: null } });
    expect((await findDraftVersion(store.pool, 'ryazan', draft.id, 2))?.text).toBe('id: konakovo\nyear: 2027\n# v2\n');

    const history = await draftHistory(store.pool, 'ryazan', draft.id);
    expect(history.map((entry) => [entry.version, entry.author, entry.summary])).toEqual([
      [3, 'someone-gone', ['исполнитель пункта «7»: не назначен → «Петрова И. И.»']],
      [2, 'office', ['пункт «5»: срок «март» → «апрель»']],
      [1, 'office', ['загружен из plan.docx']],
    ]);
    expect(history.every((entry) => entry.savedAt instanceof Date)).toBe(true);
  });

  it('refuses a save based on a version someone has saved over since', async () => {
    const draft = await createDraft(store, 'ryazan', version());
    expect(await saveDraftVersion(store, 'ryazan', draft.id, version({ text: 'mine' }), 1)).toEqual({ saved: true, version: 2 });
    expect(await saveDraftVersion(store, 'ryazan', draft.id, version({ text: 'theirs' }), 1)).toEqual({ saved: false, reason: 'stale', latest: 2 });
    expect((await findDraft(store.pool, 'ryazan', draft.id))?.latest.text).toBe('mine');
  });

  it("shows an organisation its own drafts only: another's is not found, cannot be saved over or marked started", async () => {
    const tver = await createDraft(store, 'tver', version({ planId: 'tver-2027', author: 'tver-office' }));
    expect(await findDraft(store.pool, 'ryazan', tver.id)).toBeUndefined();
    expect(await findDraftVersion(store.pool, 'ryazan', tver.id, 1)).toBeUndefined();
    expect(await draftHistory(store.pool, 'ryazan', tver.id)).toEqual([]);
    expect(await saveDraftVersion(store, 'ryazan', tver.id, version())).toEqual({ saved: false, reason: 'not-found' });
    expect(await markDraftStarted(store.pool, 'ryazan', tver.id, 'tver-2027', 'office')).toBe(false);
    expect((await listDrafts(store.pool, 'tver')).map((draft) => draft.id)).toEqual([tver.id]);
    expect((await listDrafts(store.pool, 'ryazan')).some((draft) => draft.id === tver.id)).toBe(false);
    expect((await findDraft(store.pool, 'tver', tver.id))?.latest.version).toBe(1);
  });

  it('remembers the key a started draft runs under, and who started it', async () => {
    const draft = await createDraft(store, 'ryazan', version());
    expect(await markDraftStarted(store.pool, 'ryazan', draft.id, 'konakovo-in-2026', 'office')).toBe(true);
    const found = await findDraft(store.pool, 'ryazan', draft.id);
    expect(found).toMatchObject({ startedKey: 'konakovo-in-2026', startedBy: 'office' });
    expect(found?.startedAt).toBeInstanceOf(Date);
  });

  it('lists the newest draft first, each with its latest version', async () => {
    const older = await createDraft(store, 'ryazan', version({ title: 'старый' }));
    const newer = await createDraft(store, 'ryazan', version({ title: 'новый' }));
    await saveDraftVersion(store, 'ryazan', older.id, version({ text: 'older v2', title: 'старый' }));
    const list = await listDrafts(store.pool, 'ryazan');
    expect(list.findIndex((draft) => draft.id === newer.id)).toBeLessThan(list.findIndex((draft) => draft.id === older.id));
    expect(list.find((draft) => draft.id === older.id)?.latest).toMatchObject({ version: 2, text: 'older v2' });
  });
});

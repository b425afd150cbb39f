/**
 * Plan drafts: plans an office is preparing in the pages before it starts them, each under its
 * organisation, with every save kept as a version (its text, who saved it, when, and a short
 * summary of what changed). A draft that has been started remembers the key it runs under.
 * Every function takes the organisation: a draft of another one does not exist for it.
 */
import type { Queryable, Store } from './database.ts';

export interface DraftVersionInfo {
  version: number;
  /** The login of who saved it (`cli:<user>` for the command line), and their name when the user still exists («командная строка» for the command line). */
  author: string;
  authorName: string | null;
  savedAt: Date;
  /** What changed, one line each: «пункт 5: срок «март» → «апрель»». */
  summary: string[];
}

export interface DraftVersion extends DraftVersionInfo {
  /** The plan's YAML. */
  text: string;
  /** The file it came from or is exported as: `konakovo.yaml`. */
  fileName: string;
}

export interface StoredDraft {
  id: number;
  org: string;
  /** The plan's id and title as of the latest version. */
  planId: string;
  title: string;
  createdAt: Date;
  /** Set once the draft has been started: the key its plan runs under. */
  startedKey: string | null;
  startedAt: Date | null;
  startedBy: string | null;
  /** The latest version. */
  latest: DraftVersion;
}

export interface NewDraftVersion {
  text: string;
  fileName: string;
  planId: string;
  title: string;
  author: string;
  summary: string[];
}

/** A version saved by `plangraf change` has the author `cli:<user>`: it is named «командная строка». */
const VERSION_COLUMNS = `v.version, v.author, coalesce(u.name, case when v.author like 'cli:%' then 'командная строка' end) as "authorName", v.saved_at as "savedAt", v.summary`;
const DRAFT_COLUMNS = `d.id, d.org, d.plan_id as "planId", d.title, d.created_at as "createdAt", d.started_key as "startedKey", d.started_at as "startedAt", d.started_by as "startedBy"`;

type DraftRow = Omit<StoredDraft, 'latest'> & DraftVersionInfo & { text: string; fileName: string };

function draftOf(row: DraftRow): StoredDraft {
  const { version, author, authorName, savedAt, summary, text, fileName, ...draft } = row;
  return { ...draft, latest: { version, author, authorName, savedAt, summary, text, fileName } };
}

/** A new draft of `org` with its first version. */
export async function createDraft(store: Store, org: string, first: NewDraftVersion): Promise<StoredDraft> {
  const id = await store.transaction(async (client) => {
    const { rows } = await client.query<{ id: number }>('insert into plan_drafts (org, plan_id, title) values ($1, $2, $3) returning id', [org, first.planId, first.title]);
    const draftId = rows[0]!.id;
    await client.query('insert into plan_draft_versions (draft, version, source, file_name, author, summary) values ($1, 1, $2, $3, $4, $5)', [draftId, first.text, first.fileName, first.author, first.summary]);
    return draftId;
  });
  return (await findDraft(store.pool, org, id))!;
}

export type SaveOutcome = { saved: true; version: number } | { saved: false; reason: 'not-found' } | { saved: false; reason: 'stale'; latest: number };

/**
 * Saves a new version of a draft of `org`. With `basedOn`, the save is refused when someone saved
 * another version since that one was opened, so nobody overwrites a colleague's edits unseen.
 */
export async function saveDraftVersion(store: Store, org: string, draftId: number, next: NewDraftVersion, basedOn?: number): Promise<SaveOutcome> {
  return store.transaction(async (client) => {
    const { rows } = await client.query<{ id: number }>('select id from plan_drafts where id = $1 and org = $2 for update', [draftId, org]);
    if (rows.length === 0) return { saved: false, reason: 'not-found' };
    const latest = (await client.query<{ version: number }>('select max(version) as version from plan_draft_versions where draft = $1', [draftId])).rows[0]!.version;
    if (basedOn !== undefined && basedOn !== latest) return { saved: false, reason: 'stale', latest };
    const version = latest + 1;
    await client.query('insert into plan_draft_versions (draft, version, source, file_name, author, summary) values ($1, $2, $3, $4, $5, $6)', [draftId, version, next.text, next.fileName, next.author, next.summary]);
    await client.query('update plan_drafts set plan_id = $2, title = $3 where id = $1', [draftId, next.planId, next.title]);
    return { saved: true, version };
  });
}

/**
 * The drafts that match `where` (a `where` clause, with any `order by` and `limit`, over `d`, the
 * draft), each with its latest version: the one select of drafts the functions below share.
 */
async function draftsWithLatest(db: Queryable, where: string, params: unknown[]): Promise<StoredDraft[]> {
  const { rows } = await db.query<DraftRow>(
    `select ${DRAFT_COLUMNS}, ${VERSION_COLUMNS}, v.source as text, v.file_name as "fileName"
       from plan_drafts d
       join plan_draft_versions v on v.draft = d.id and v.version = (select max(version) from plan_draft_versions where draft = d.id)
       left join users u on u.login = v.author
      ${where}`,
    params,
  );
  return rows.map(draftOf);
}

/** A draft of `org` with its latest version; `undefined` for an unknown id or another organisation's draft. */
export async function findDraft(db: Queryable, org: string, draftId: number): Promise<StoredDraft | undefined> {
  const [draft] = await draftsWithLatest(db, 'where d.id = $1 and d.org = $2', [draftId, org]);
  return draft;
}

/** The drafts of `org`, newest first, each with its latest version. */
export async function listDrafts(db: Queryable, org: string): Promise<StoredDraft[]> {
  return draftsWithLatest(db, 'where d.org = $1 order by d.id desc', [org]);
}

/** The draft of `org` started as the plan `key` (the latest one, should there be several), with its latest version. */
export async function findStartedDraft(db: Queryable, org: string, key: string): Promise<StoredDraft | undefined> {
  const [draft] = await draftsWithLatest(db, 'where d.org = $1 and d.started_key = $2 order by d.id desc limit 1', [org, key]);
  return draft;
}

/** One version of a draft of `org`, with its text. */
export async function findDraftVersion(db: Queryable, org: string, draftId: number, version: number): Promise<DraftVersion | undefined> {
  const { rows } = await db.query<DraftVersion>(
    `select ${VERSION_COLUMNS}, v.source as text, v.file_name as "fileName"
       from plan_draft_versions v join plan_drafts d on d.id = v.draft left join users u on u.login = v.author
      where v.draft = $1 and d.org = $2 and v.version = $3`,
    [draftId, org, version],
  );
  return rows[0];
}

/** Every version of a draft of `org`, newest first, without the texts. */
export async function draftHistory(db: Queryable, org: string, draftId: number): Promise<DraftVersionInfo[]> {
  const { rows } = await db.query<DraftVersionInfo>(
    `select ${VERSION_COLUMNS}
       from plan_draft_versions v join plan_drafts d on d.id = v.draft left join users u on u.login = v.author
      where v.draft = $1 and d.org = $2
      order by v.version desc`,
    [draftId, org],
  );
  return rows;
}

/**
 * Marks a draft of `org` as started under the plan key `key` by `login`.
 * @returns `false` when the draft is not the organisation's
 */
export async function markDraftStarted(db: Queryable, org: string, draftId: number, key: string, login: string): Promise<boolean> {
  const { rowCount } = await db.query('update plan_drafts set started_key = $3, started_at = now(), started_by = $4 where id = $1 and org = $2', [draftId, org, key, login]);
  return (rowCount ?? 0) > 0;
}

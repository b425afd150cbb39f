/**
 * The plans that run, each under the organisation it belongs to: its key, its text and the
 * calendar years of the user's files. Starting a plan records it here, so every page server
 * shows it (and only to its organisation) without the office's file on its disk.
 */
import type { CalendarYear } from '../plan/calendar-data.ts';
import type { Queryable } from './database.ts';

export interface StoredPlan {
  key: string;
  org: string;
  planId: string;
  title: string;
  fileName: string;
  text: string;
  /** The year it is laid over (`--year`), or `null` for its own. */
  year: number | null;
  calendars: CalendarYear[];
  registeredAt: Date;
}

const COLUMNS = `key, org, plan_id as "planId", title, file_name as "fileName", source as text, year, calendars, registered_at as "registeredAt"`;

/**
 * Records a plan under an organisation. The same key again updates its text (a plan started
 * again after an edit); a key of another organisation is refused.
 * @returns `false` when the key belongs to another organisation
 */
export async function savePlan(db: Queryable, plan: Omit<StoredPlan, 'registeredAt'>): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into plans (key, org, plan_id, title, file_name, source, year, calendars) values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (key) do update set title = excluded.title, file_name = excluded.file_name, source = excluded.source, calendars = excluded.calendars
       where plans.org = excluded.org`,
    [plan.key, plan.org, plan.planId, plan.title, plan.fileName, plan.text, plan.year, JSON.stringify(plan.calendars)],
  );
  return (rowCount ?? 0) > 0;
}

export async function findPlan(db: Queryable, key: string): Promise<StoredPlan | undefined> {
  return (await db.query<StoredPlan>(`select ${COLUMNS} from plans where key = $1`, [key])).rows[0];
}

/** Every plan, or one organisation's, oldest first. */
export async function listPlans(db: Queryable, org?: string): Promise<StoredPlan[]> {
  return (await db.query<StoredPlan>(`select ${COLUMNS} from plans where ($1::text is null or org = $1) order by registered_at, key`, [org ?? null])).rows;
}

/** Keys and versions only: what a page server needs to know whether its copies are current. */
export async function planVersions(db: Queryable): Promise<Array<{ key: string; org: string; version: string }>> {
  return (await db.query<{ key: string; org: string; version: string }>(`select key, org, md5(source || calendars::text || coalesce(year::text, '')) as version from plans`)).rows;
}

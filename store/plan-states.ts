/**
 * The read model of running plans: each task's state as its plan workflow last wrote it, and
 * per plan its heading, its counts and its tasks gathered in one document, so a page reads a
 * plan in one indexed query and the federal overview reads a row per plan. Written by the plan
 * workflows through an activity (`workflows/read-model.ts`); what grows with the days
 * (lateness) is left to the reader, from the stored due dates and the production calendar.
 */
import type { PlanStateBatch, PlanStatusHeading } from '../workflows/read-model.ts';
import type { TaskProgressEntry } from '../workflows/messages.ts';
import type { Queryable, Store } from './database.ts';

/**
 * Writes a batch in one transaction. A task's row is replaced only by a higher revision, so a
 * write retried or arriving late never undoes a newer one. With the plan's heading, the plan's
 * row is locked first (writers of one plan take turns there), then its counts and its document
 * of tasks are taken again from the rows and its `version` rises: readers know to read it again.
 */
export async function writePlanStates(store: Store, batch: PlanStateBatch): Promise<void> {
  await store.transaction(async (db) => {
    const { planKey, revision, plan } = batch;
    if (plan) {
      await db.query(
        `insert into plan_states (plan_key, revision, plan_id, title, timezone, clock_shift_ms, started, total, changes) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (plan_key) do update set revision = excluded.revision, plan_id = excluded.plan_id, title = excluded.title, timezone = excluded.timezone,
           clock_shift_ms = excluded.clock_shift_ms, started = excluded.started, total = excluded.total, changes = excluded.changes
           where plan_states.revision < excluded.revision`,
        [planKey, revision, plan.plan, plan.title, plan.timezone, plan.clockShiftMs, plan.started, plan.total, plan.changes === null ? null : JSON.stringify(plan.changes)],
      );
    }
    if (batch.keep) await db.query(`delete from plan_task_states where plan_key = $1 and revision < $2 and not (task = any($3::text[]))`, [planKey, revision, batch.keep]);
    if (batch.tasks.length > 0) {
      await db.query(
        `insert into plan_task_states (plan_key, task, revision, state, overdue_from, progress)
         select $1, t.task, $2, t.state, t."overdueFrom"::date, t.progress from jsonb_to_recordset($3::jsonb) as t(task text, state text, "overdueFrom" text, progress jsonb)
         on conflict (plan_key, task) do update set revision = excluded.revision, state = excluded.state, overdue_from = excluded.overdue_from, progress = excluded.progress, updated_at = now()
           where plan_task_states.revision < excluded.revision`,
        [planKey, revision, JSON.stringify(batch.tasks)],
      );
    }
    if (plan) {
      await db.query(
        `update plan_states s set version = s.version + 1, updated_at = now(), done = a.done, progress = a.progress,
           overdue_from_counts = coalesce((select jsonb_object_agg(day, n) from (select overdue_from::text as day, count(*) as n from plan_task_states
             where plan_key = $1 and overdue_from is not null group by overdue_from) counts), '{}')
         from (select count(*) filter (where state = 'done')::int as done, coalesce(jsonb_agg(progress), '[]') as progress from plan_task_states where plan_key = $1) a
         where s.plan_key = $1`,
        [planKey],
      );
    }
  });
}

/** A plan as the store has it: its heading and, unless the reader has this version, its tasks. */
export interface StoredPlanState extends PlanStatusHeading {
  /** Rises with every write: a reader holding this version holds the plan's state. */
  version: number;
  /** The tasks' changing parts; `null` when the reader said it has this version. */
  tasks: TaskProgressEntry[] | null;
}

/**
 * A plan's state in one indexed query; `undefined` when its workflow has written none (a plan
 * started by earlier code) or, given `org`, it belongs to another organisation. `knownVersion`:
 * the version the reader holds, whose tasks are then not sent again.
 */
export async function readPlanState(db: Queryable, key: string, options: { org?: string; knownVersion?: number } = {}): Promise<StoredPlanState | undefined> {
  const { rows } = await db.query<StoredPlanState>(
    `select s.version, s.plan_id as plan, s.title, s.timezone, s.clock_shift_ms as "clockShiftMs", s.started, s.total, s.changes,
       case when s.version = $3 then null else s.progress end as tasks
     from plan_states s join plans p on p.key = s.plan_key where s.plan_key = $1 and ($2::text is null or p.org = $2)`,
    [key, options.org ?? null, options.knownVersion ?? -1],
  );
  return rows[0];
}

/** A plan's counts for the federal overview. */
export interface PlanTotals {
  key: string;
  tasks: number;
  done: number;
  /** Overdue as of the plan's today, the instant `now` in its time zone (and on its clock). */
  overdue: number;
}

/**
 * The counts of the given plans, one row each for those with a read model, in one query: the
 * overdue ones counted for each plan's own today from its tasks' days of falling overdue.
 */
export async function readPlanTotals(db: Queryable, keys: readonly string[], now: number): Promise<PlanTotals[]> {
  const { rows } = await db.query<PlanTotals>(
    `select s.plan_key as key, s.total as tasks, s.done,
       (select coalesce(sum(c.n::int), 0) from jsonb_each_text(s.overdue_from_counts) as c(day, n)
         where c.day::date <= (to_timestamp(($2::bigint + s.clock_shift_ms) / 1000.0) at time zone s.timezone)::date)::int as overdue
     from plan_states s where s.plan_key = any($1::text[])`,
    [keys, now],
  );
  return rows;
}

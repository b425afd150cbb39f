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
 * An arbitrary constant of plangraf's: with the plan's key, the advisory lock under which the
 * writes of one plan take turns, so their change numbers rise in the order they commit.
 */
const PLAN_STATES_LOCK = 730_214;

/**
 * Writes a batch in one transaction. A task's row is replaced only by a higher revision, so a
 * write retried or arriving late never undoes a newer one. The writes of one plan take turns
 * under an advisory lock, and the rows each one changes get the plan's next change number
 * (`seq`): a reader that holds the tasks up to a number asks only for those above it, and
 * misses none, since a write commits before the next one takes its number. With the plan's
 * heading, its row is written too, its counts taken again from the rows and its `version` rises.
 */
export async function writePlanStates(store: Store, batch: PlanStateBatch): Promise<void> {
  await store.transaction(async (db) => {
    const { planKey, revision, plan } = batch;
    await db.query('select pg_advisory_xact_lock($1, hashtext($2))', [PLAN_STATES_LOCK, planKey]);
    const { rows } = await db.query<{ seq: number }>('select coalesce(max(seq), 0) + 1 as seq from plan_task_states where plan_key = $1', [planKey]);
    const seq = rows[0]!.seq;
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
        `insert into plan_task_states (plan_key, task, revision, seq, state, overdue_from, progress)
         select $1, t.task, $2, $4, t.state, t."overdueFrom"::date, t.progress from jsonb_to_recordset($3::jsonb) as t(task text, state text, "overdueFrom" text, progress jsonb)
         on conflict (plan_key, task) do update set revision = excluded.revision, seq = excluded.seq, state = excluded.state, overdue_from = excluded.overdue_from,
           progress = excluded.progress, updated_at = now()
           where plan_task_states.revision < excluded.revision`,
        [planKey, revision, JSON.stringify(batch.tasks), seq],
      );
    }
    if (plan) {
      await db.query(
        `update plan_states s set version = s.version + 1, updated_at = now(), done = a.done, task_count = a.tasks,
           overdue_from_counts = coalesce((select jsonb_object_agg(day, n) from (select overdue_from::text as day, count(*) as n from plan_task_states
             where plan_key = $1 and overdue_from is not null group by overdue_from) counts), '{}')
         from (select count(*) filter (where state = 'done')::int as done, count(*)::int as tasks from plan_task_states where plan_key = $1) a
         where s.plan_key = $1`,
        [planKey],
      );
    }
  });
}

/** A plan as the store has it: its heading, and its tasks, or those changed since the reader's number. */
export interface StoredPlanState extends PlanStatusHeading {
  /** Rises with every write of the plan's heading. */
  version: number;
  /** The highest change number of the plan's tasks: the reader now holds the tasks up to it. */
  seq: number;
  /** How many tasks the store holds for the plan, as of its last heading. */
  taskCount: number;
  /** Every task, or, given `since`, the tasks changed after that number (none when nothing changed). */
  tasks: TaskProgressEntry[];
}

/**
 * A plan's state in one indexed query; `undefined` when its workflow has written none (a plan
 * started by earlier code) or, given `org`, it belongs to another organisation. `since`: the
 * change number the reader holds; only the tasks changed after it are sent. One statement,
 * so the heading and the tasks are of one moment.
 */
export async function readPlanState(db: Queryable, key: string, options: { org?: string; since?: number } = {}): Promise<StoredPlanState | undefined> {
  const { rows } = await db.query<StoredPlanState>(
    `select s.version, s.plan_id as plan, s.title, s.timezone, s.clock_shift_ms as "clockShiftMs", s.started, s.total, s.changes, s.task_count as "taskCount", t.seq, t.tasks
     from plan_states s join plans p on p.key = s.plan_key
       cross join lateral (select coalesce(max(seq), $3) as seq, coalesce(jsonb_agg(progress), '[]') as tasks from plan_task_states where plan_key = s.plan_key and seq > $3) t
     where s.plan_key = $1 and ($2::text is null or p.org = $2)`,
    [key, options.org ?? null, options.since ?? -1],
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

/**
 * The plans the pages show: each as loaded (its items, schools, people, schedule) and how its
 * tasks stand. The list comes from the shared store, where starting a plan records it, and is
 * read again at most every `refreshMs`: every page server shows every plan, rebuilt from its
 * text, with no file on its own disk.
 *
 * A plan's state comes from the store's read model, which its workflow keeps within seconds
 * (`workflows/read-model.ts`): one indexed query per page, which sends the tasks again only when
 * they changed since this server last read them, so every page server is as fresh as the store
 * and none of them asks the workflows. A plan started by earlier code has no read model: its
 * workflow is asked, once per `ttlMs` at most, so a page of 4,000 tasks opened by many people
 * costs the workflow one query.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadPlanSource, type LoadedPlan } from '../activities/plan-files.ts';
import { planStatus, taskStatus } from '../client/plan-runs.ts';
import type { Store } from '../store/database.ts';
import { readPlanState, readPlanTotals, type PlanTotals } from '../store/plan-states.ts';
import { findPlan, planVersions } from '../store/plans.ts';
import { dateOf } from '../workflows/clock.ts';
import { TaskState, type PlanStatus, type TaskProgressEntry, type TaskStatus, type TaskSummary } from '../workflows/messages.ts';
import { READ_MODEL_DELAY_MS } from '../workflows/read-model.ts';
import { currentSummary, summaryFromProgress } from '../workflows/task-summary.ts';

export interface ServedPlan {
  /** The key the plan runs under: `ryazan-2020`, `ryazan-2020-in-2026`. */
  key: string;
  /** The organisation (a region's project office) it belongs to. */
  org: string;
  /** The plan file, as the office knows it. */
  file: string;
  loaded: LoadedPlan;
}

/** What the pages read of the plans: the whole directory, or a user's view of it (`web/access.ts`). */
export interface PlanView {
  list(): ServedPlan[];
  get(key: string): ServedPlan | undefined;
  status(key: string): Promise<PlanStatus | null>;
  task(key: string, task: string): Promise<TaskStatus | null>;
  invalidate(key: string): void;
  /** The counts of plans for the federal overview, where they can be had at once (`planTotals`). */
  totals?(keys: readonly string[]): Promise<Map<string, PlanTotals | null>>;
  /** Reads the list of plans again where it comes from a store (plans started on another host appear). */
  refresh?(options?: { force?: boolean }): Promise<void>;
}

export interface PlanDirectoryOptions {
  /** How long a state asked of a workflow is shown again (2 s). */
  ttlMs?: number;
  /** Read the plans' state from the store's read model where it has one (default, with a store). */
  readModel?: boolean;
  /** How often the list of plans is read again from the store (2 s). */
  refreshMs?: number;
  now?: () => number;
}

export class PlanDirectory implements PlanView {
  private byKey: Map<string, ServedPlan>;
  private readonly versions = new Map<string, string>();
  private readonly cache = new Map<string, { at: number; status: Promise<PlanStatus | null> }>();
  /** Per plan, the read model's version last read here, its tasks, and the status made of them. */
  private readonly held = new Map<string, HeldState>();
  /** Plans acted on from this server: until the store has caught up, their workflow is asked. */
  private readonly actedOn = new Map<string, number>();
  private refreshed: { at: number; done: Promise<void> } | null = null;

  /** A fixed list of plans (tests, benchmarks), or, with a store, the store's plans. */
  constructor(
    plans: readonly ServedPlan[],
    private readonly client: Client,
    private readonly options: PlanDirectoryOptions & { store?: Store } = {},
  ) {
    this.byKey = new Map(plans.map((plan) => [plan.key, plan]));
  }

  /** The store's plans, read now and again when they change. */
  static async fromStore(store: Store, client: Client, options: PlanDirectoryOptions = {}): Promise<PlanDirectory> {
    const directory = new PlanDirectory([], client, { ...options, store });
    await directory.refresh();
    return directory;
  }

  /**
   * Reads the store's list again (at most every `refreshMs`): plans started since, from any
   * host, appear; a plan whose text changed is rebuilt. Without a store, nothing to do.
   * `force`: read it now (a plan was just started here, and the next page must show it).
   */
  refresh(options: { force?: boolean } = {}): Promise<void> {
    const { store } = this.options;
    if (!store) return Promise.resolve();
    const now = this.now();
    if (!options.force && this.refreshed && now - this.refreshed.at < (this.options.refreshMs ?? 2_000)) return this.refreshed.done;
    // A reading already under way may have begun before the change a forced one is for: this one follows it.
    const before = options.force && this.refreshed ? this.refreshed.done.catch(() => undefined) : Promise.resolve();
    const done = before.then(() => this.reload(store)).catch((error: unknown) => {
      this.refreshed = null;
      throw error;
    });
    this.refreshed = { at: now, done };
    return done;
  }

  private async reload(store: Store): Promise<void> {
    const next = new Map<string, ServedPlan>();
    for (const { key, version } of await planVersions(store.pool)) {
      const known = this.byKey.get(key);
      if (known && this.versions.get(key) === version) {
        next.set(key, known);
        continue;
      }
      const stored = await findPlan(store.pool, key);
      if (!stored) continue;
      const load = await loadPlanSource({ text: stored.text, fileName: stored.fileName, calendars: stored.calendars }, stored.year !== null ? { year: stored.year } : {});
      // A plan that no longer reads (a calendar year plangraf has dropped) is left out rather than breaking every page.
      if (!load.ok) continue;
      next.set(key, { key, org: stored.org, file: stored.fileName, loaded: load.loaded });
      this.versions.set(key, version);
      this.cache.delete(key);
    }
    this.byKey = next;
  }

  list(): ServedPlan[] {
    return [...this.byKey.values()];
  }

  get(key: string): ServedPlan | undefined {
    return this.byKey.get(key);
  }

  /** Every task of the plan as it stands; `null` when the plan is not started. */
  async status(key: string): Promise<PlanStatus | null> {
    const { store } = this.options;
    const served = this.byKey.get(key);
    if (!store || this.options.readModel === false || !served || (this.actedOn.get(key) ?? 0) > this.now()) return this.asked(key);
    return (await this.stored(store, served)) ?? this.asked(key);
  }

  /**
   * The plan's state from the store's read model, with lateness taken for the plan's today;
   * `null` when the store has none. Only the tasks changed since this server last read the plan
   * travel, and only they are rebuilt; all of them when the day or the plan's text changed.
   */
  private async stored(store: Store, served: ServedPlan, tries = 0): Promise<PlanStatus | null> {
    let held = tries < 2 ? this.held.get(served.key) : undefined;
    let row = await readPlanState(store.pool, served.key, { org: served.org, ...(held ? { since: held.seq } : {}) });
    if (!row) return null;
    // Another request read the plan meanwhile, perhaps later than this one: start again from what it holds.
    if (held && this.held.get(served.key) !== held) return this.stored(store, served, tries + 1);
    const asOf = dateOf(this.now() + row.clockShiftMs, row.timezone);
    if (held && held.version === row.version && row.tasks.length === 0 && held.asOf === asOf && held.loaded === served.loaded) return held.status;
    if (held) for (const entry of row.tasks) held.entries.set(entry.task, entry);
    // Tasks the store no longer has (a changed plan's removed items) leave the count behind: read them all.
    if (held && held.entries.size !== row.taskCount) {
      held = undefined;
      row = await readPlanState(store.pool, served.key, { org: served.org });
      if (!row) return null;
    }
    const { plan, schedule, calendar } = served.loaded;
    const scheduled = new Map(schedule.tasks.map((task) => [task.task, task]));
    const entries = held?.entries ?? new Map(row.tasks.map((entry) => [entry.task, entry]));
    const again = !held || held.asOf !== asOf || held.loaded !== served.loaded;
    const summaries = again ? new Map<string, TaskSummary>() : held!.summaries;
    for (const entry of again ? entries.values() : row.tasks) {
      const task = scheduled.get(entry.task);
      if (task) summaries.set(entry.task, currentSummary(summaryFromProgress(plan, task, entry), asOf, calendar));
    }
    const status: PlanStatus = {
      plan: row.plan,
      key: served.key,
      title: row.title,
      asOf,
      started: row.started,
      total: row.total,
      ...(row.changes ? { changes: row.changes } : {}),
      tasks: schedule.tasks.flatMap((task) => summaries.get(task.task) ?? []),
    };
    this.held.set(served.key, { version: row.version, seq: row.seq, entries, summaries, asOf, loaded: served.loaded, status });
    return status;
  }

  /**
   * The counts of the given plans for the federal overview: from the read model in one query,
   * asked of the workflow for a plan without one; `null` for a plan not started.
   */
  async totals(keys: readonly string[]): Promise<Map<string, PlanTotals | null>> {
    const { store } = this.options;
    const stored = store && this.options.readModel !== false ? await readPlanTotals(store.pool, keys, this.now()) : [];
    const totals = new Map<string, PlanTotals | null>(stored.map((row) => [row.key, row]));
    for (const key of keys.filter((key) => !totals.has(key))) totals.set(key, totalsOf(key, await this.status(key).catch(() => null)));
    return totals;
  }

  /** The state asked of the plan's workflow, at most once per `ttlMs`. */
  private asked(key: string): Promise<PlanStatus | null> {
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.ttlMs ?? 2_000)) return cached.status;
    const status = planStatus(this.client, key, now, this.byKey.get(key)?.loaded).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return null;
      this.cache.delete(key);
      throw error;
    });
    this.cache.set(key, { at: now, status });
    return status;
  }

  /** One task with its history; `null` when its workflow does not exist. */
  async task(key: string, task: string): Promise<TaskStatus | null> {
    try {
      return await taskStatus(this.client, key, task, this.now());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /**
   * After an action: the next page shows the plan as it is now. The store has it a few seconds
   * later, so until then this server asks the workflow.
   */
  invalidate(key: string): void {
    this.cache.delete(key);
    this.actedOn.set(key, this.now() + STORE_CATCH_UP_MS);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

interface HeldState {
  version: number;
  /** The change number of the plan's tasks held here. */
  seq: number;
  entries: Map<string, TaskProgressEntry>;
  /** Each task's summary as of `asOf`. */
  summaries: Map<string, TaskSummary>;
  asOf: string;
  loaded: LoadedPlan;
  status: PlanStatus;
}

/** How long the store may take to have an action: the workflow's wait before it writes, and the write. */
const STORE_CATCH_UP_MS = READ_MODEL_DELAY_MS + 3_000;

function totalsOf(key: string, status: PlanStatus | null): PlanTotals | null {
  if (!status) return null;
  return { key, tasks: status.tasks.length, done: status.tasks.filter((task) => task.state === TaskState.done).length, overdue: status.tasks.filter((task) => task.state === TaskState.overdue).length };
}

/**
 * The counts of the given plans as the federal overview shows them: from the directory's read
 * model when `plans` has one (one query for all of them), else from each plan's status.
 */
export async function planTotals(plans: PlanView, keys: readonly string[]): Promise<Map<string, PlanTotals | null>> {
  if (plans.totals) return plans.totals(keys);
  const totals = new Map<string, PlanTotals | null>();
  for (const key of keys) totals.set(key, totalsOf(key, await plans.status(key).catch(() => null)));
  return totals;
}

/**
 * The plans the pages show: each as loaded (its items, schools, people, schedule) and, from
 * Temporal, how its tasks stand. The list comes from the shared store, where starting a plan
 * records it, and is read again at most every `refreshMs`: every page server shows every
 * plan, rebuilt from its text, with no file on its own disk. A plan's state is asked for once
 * per `ttlMs` at most, so a page of 4,000 tasks opened by many people costs the workflow one query.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadPlanSource, type LoadedPlan } from '../activities/plan-files.ts';
import { planStatus, taskStatus } from '../client/plan-runs.ts';
import type { Store } from '../store/database.ts';
import { findPlan, planVersions } from '../store/plans.ts';
import type { PlanStatus, TaskStatus } from '../workflows/messages.ts';

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
  /** Reads the list of plans again where it comes from a store (plans started on another host appear). */
  refresh?(options?: { force?: boolean }): Promise<void>;
}

export interface PlanDirectoryOptions {
  ttlMs?: number;
  /** How often the list of plans is read again from the store (2 s). */
  refreshMs?: number;
  now?: () => number;
}

export class PlanDirectory implements PlanView {
  private byKey: Map<string, ServedPlan>;
  private readonly versions = new Map<string, string>();
  private readonly cache = new Map<string, { at: number; status: Promise<PlanStatus | null> }>();
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
  status(key: string): Promise<PlanStatus | null> {
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

  /** After an action: the next page shows the plan as it is now. */
  invalidate(key: string): void {
    this.cache.delete(key);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * The plans the pages show: each plan file as loaded (its items, schools, people, schedule)
 * and, from Temporal, how its tasks stand. A plan's state is asked for once per `ttlMs` at
 * most, so a page of 4,000 tasks opened by many people costs the workflow one query.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { LoadedPlan } from '../activities/plan-files.ts';
import { planStatus, taskStatus } from '../client/plan-runs.ts';
import type { PlanStatus, TaskStatus } from '../workflows/messages.ts';

export interface ServedPlan {
  /** The key the plan runs under: `ryazan-2020`, `ryazan-2020-in-2026`. */
  key: string;
  /** The plan file, as the office knows it. */
  file: string;
  loaded: LoadedPlan;
}

export class PlanDirectory {
  private readonly byKey: Map<string, ServedPlan>;
  private readonly cache = new Map<string, { at: number; status: Promise<PlanStatus | null> }>();

  constructor(
    plans: readonly ServedPlan[],
    private readonly client: Client,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.byKey = new Map(plans.map((plan) => [plan.key, plan]));
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

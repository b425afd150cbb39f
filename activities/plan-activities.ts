/**
 * The plan as activities: workflows get a validated plan and its schedule from here, since
 * reading files is a side effect that workflow code must not do.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { loadPlanFile, type LoadOptions } from './plan-files.ts';
import type { Schedule } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';

/** Failure types the workflows tell apart; permanent ones are not retried. */
export const PlanFailure = { invalidPlan: 'InvalidPlan' } as const;

export function createPlanActivities(defaults: LoadOptions = {}) {
  return {
    /** Loads, validates and schedules a plan; an invalid plan fails for good with every error listed. */
    async loadPlan(path: string, options: LoadOptions = {}): Promise<{ plan: Plan; schedule: Schedule; warnings: string[] }> {
      const result = await loadPlanFile(path, { ...defaults, ...options });
      if (!result.ok) {
        throw ApplicationFailure.create({ type: PlanFailure.invalidPlan, nonRetryable: true, message: `план не принят:\n${result.lines.join('\n')}` });
      }
      return { plan: result.loaded.plan, schedule: result.loaded.schedule, warnings: result.lines };
    },
  };
}

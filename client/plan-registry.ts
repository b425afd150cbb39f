/**
 * Starting a plan for an organisation: the plan is recorded in the shared store under its
 * organisation (so every page server shows it to that organisation alone), then its workflow
 * is started. Both the command line and the main job start plans this way.
 */
import type { Client } from '@temporalio/client';
import type { LoadedPlan } from '../activities/plan-files.ts';
import type { Store } from '../store/database.ts';
import { ensureOrganisation, findOrganisation } from '../store/organisations.ts';
import { findPlan, savePlan } from '../store/plans.ts';
import type { PlanInput } from '../workflows/plan-workflow.ts';
import { checkDoneBeforeStart, planKeyOf, startPlan, type StartOutcome } from './plan-runs.ts';
import { temporalSettings } from './temporal-settings.ts';
import { draftRefusal } from '../plan/drafts.ts';

export class PlanOfAnotherOrganisation extends Error {}

/** The plan is a draft (an item without an executor, a person without an e-mail): it is neither recorded nor started. */
export class PlanIsDraft extends Error {}

/**
 * Records the plan under `org` (made when missing, named after the plan's region) and starts
 * it. Starting it again changes nothing in Temporal; its text in the store is brought up to date.
 * @throws PlanOfAnotherOrganisation when the key already runs for another organisation
 * @throws PlanIsDraft when the plan still lacks an executor or an e-mail (nothing is recorded)
 * @throws DoneBeforeStartRefused when a task marked done before the start is not the plan's, or has no result (nothing is recorded)
 */
export async function registerAndStartPlan(store: Store, client: Client, loaded: LoadedPlan, org: string, input: PlanInput, year?: number, taskQueue = temporalSettings().taskQueue): Promise<StartOutcome> {
  // Every way of starting comes here (the command line, the main job, the pages), so a draft stops here for all of them.
  const refusal = draftRefusal(loaded.plan, loaded.source?.fileName);
  if (refusal !== undefined) throw new PlanIsDraft(refusal);
  // An input built by hand (the pages) is checked here too: a half-started plan is never left behind.
  checkDoneBeforeStart(loaded, input.doneBeforeStart);
  const key = planKeyOf(loaded, year);
  if (!(await findOrganisation(store.pool, org))) await ensureOrganisation(store.pool, org, loaded.plan.region ?? org);
  const source = loaded.source ?? { text: '', fileName: key, calendars: [] };
  const saved = await savePlan(store.pool, { key, org, planId: loaded.plan.id, title: loaded.plan.title ?? key, fileName: source.fileName, text: source.text, year: year ?? null, calendars: source.calendars });
  if (!saved) {
    const owner = (await findPlan(store.pool, key))?.org ?? '?';
    throw new PlanOfAnotherOrganisation(`план «${key}» уже запущен для организации «${owner}»: у каждой организации свои планы. Дайте плану другой id или запускайте от имени «${owner}» (--org ${owner}).`);
  }
  return startPlan(client, input, taskQueue);
}

/**
 * Changing a running plan from the pages: the draft's edited text becomes the plan the running
 * workflows follow, by the one path the command line takes (`changeRunningPlan`), with the same
 * refusals. Only once the plan has taken the change is the new version recorded in the store.
 * Also: whether a draft's plan key already runs, so the pages say so before «Запустить».
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadPlanSource } from '../../activities/plan-files.ts';
import { changeRunningPlan, planInputOf, PlanChangeRefused } from '../../client/plan-runs.ts';
import { draftRefusal } from '../../plan/drafts.ts';
import type { Store } from '../../store/database.ts';
import { findPlan, savePlan, type StoredPlan } from '../../store/plans.ts';
import { planWorkflowId } from '../../workflows/messages.ts';

export type PlanChangeOutcome = { ok: true; key: string; lines: string[] } | { ok: false; key: string; reasons: string[] };

/**
 * Applies `text` (the plan's new version) to the plan running under `key` for `org`, as `login`.
 * A plan that does not read, has gaps, is another organisation's or no longer runs is refused
 * with the reasons; so is a change the plan refuses (a done task moved, a begun one removed).
 * On success, with something changed, the store's plan is the new text.
 */
export async function applyToRunningPlan(store: Store, client: Client, org: string, key: string, text: string, fileName: string, login: string): Promise<PlanChangeOutcome> {
  const stored = await findPlan(store.pool, key);
  if (!stored || stored.org !== org) return { ok: false, key, reasons: [`план «${key}» не запущен для вашей организации: изменять нечего`] };
  const load = await loadPlanSource({ text, fileName, calendars: stored.calendars }, stored.year !== null ? { year: stored.year } : {});
  if (!load.ok) return { ok: false, key, reasons: ['В плане есть ошибки:', ...load.lines] };
  const gaps = draftRefusal(load.loaded.plan);
  // The command line's list of what is missing, without its first line (a draft «не запущен») and its last (the file to fix).
  if (gaps !== undefined) return { ok: false, key, reasons: gaps.split('\n').slice(1, -1).map((line) => line.trim()) };
  let lines: string[];
  try {
    lines = (await changeRunningPlan(client, key, planInputOf(load.loaded, stored.year !== null ? { year: stored.year } : {}), login)).lines;
  } catch (error) {
    if (error instanceof PlanChangeRefused) return { ok: false, key, reasons: error.reasons };
    if (error instanceof WorkflowNotFoundError) return { ok: false, key, reasons: [`план «${key}» не идёт: изменять нечего`] };
    throw error;
  }
  if (lines.length > 0) {
    await savePlan(store.pool, { key, org, planId: load.loaded.plan.id, title: load.loaded.plan.title ?? key, fileName: stored.fileName, text, year: stored.year, calendars: stored.calendars });
  }
  return { ok: true, key, lines };
}

/** The plan of `org` running under `key`, or `undefined` when none runs (or it is another organisation's). */
export async function runningPlanOf(store: Store, client: Client, org: string, key: string): Promise<StoredPlan | undefined> {
  const stored = await findPlan(store.pool, key);
  if (!stored || stored.org !== org) return undefined;
  return (await workflowRuns(client, key)) ? stored : undefined;
}

/** Whether the plan workflow of `key` exists and is still running. */
async function workflowRuns(client: Client, key: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(planWorkflowId(key)).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

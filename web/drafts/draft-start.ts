/**
 * Starting a draft from the pages, over its own year or laid over another, by the one path
 * every start takes (client/plan-registry.ts), with the same refusals as the command line.
 * Joining mid-year: the tasks whose due dates passed before the start day are listed, and those
 * the office marks done are handed to the plan as done before its start.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadPlanSource, type LoadedPlan } from '../../activities/plan-files.ts';
import { PlanIsDraft, PlanOfAnotherOrganisation, registerAndStartPlan } from '../../client/plan-registry.ts';
import { planInputOf, planKeyOf } from '../../client/plan-runs.ts';
import { temporalSettings } from '../../client/temporal-settings.ts';
import type { IsoDate } from '../../plan/dates.ts';
import { defaultDoneResult } from '../../plan/done-results.ts';
import type { ScheduledTask } from '../../plan/schedule.ts';
import type { Store } from '../../store/database.ts';
import { findPlan } from '../../store/plans.ts';
import { markDraftStarted, type StoredDraft } from '../../store/plan-drafts.ts';
import { dateOf } from '../../workflows/clock.ts';
import { planWorkflowId } from '../../workflows/messages.ts';
import type { DoneBeforeStart } from '../../workflows/plan-workflow.ts';

/** The draft loaded over `year` (its own when absent); the reader's lines when it does not load. */
export async function loadDraftOver(draft: StoredDraft, year: number | undefined): Promise<{ ok: true; loaded: LoadedPlan; ownYear: number } | { ok: false; lines: string[] }> {
  const own = await loadPlanSource({ text: draft.latest.text, fileName: draft.latest.fileName, calendars: [] });
  if (!own.ok) return { ok: false, lines: own.lines };
  const ownYear = own.loaded.plan.year ?? own.loaded.plan.schoolYear!;
  if (year === undefined || year === ownYear) return { ok: true, loaded: own.loaded, ownYear };
  const over = await loadPlanSource({ text: draft.latest.text, fileName: draft.latest.fileName, calendars: [] }, { year });
  return over.ok ? { ok: true, loaded: over.loaded, ownYear } : { ok: false, lines: over.lines };
}

/** The start day in the plan's time zone. */
export function startDay(loaded: LoadedPlan, now: number = Date.now()): IsoDate {
  return dateOf(now, loaded.plan.timezone);
}

/** The tasks due before `today`: what a plan joined mid-year asks about. */
export function pastTasks(loaded: LoadedPlan, today: IsoDate): ScheduledTask[] {
  return loaded.schedule.tasks.filter((task) => task.due !== null && task.due < today);
}

/**
 * The tasks of `past` the start form marks done, each with its result: its own field, else the
 * result given for all, else what a task done without a result reports (plan/done-results.ts:
 * the planned target for an activity's only task, «выполнено» for one of several).
 * Fields: `done.N` (a checkbox), `task.N` (the task id), `result.N`; `allDone`, `allResult`.
 * `allDone` marks every row done only when no `done.N` is sent.
 * `tasks` is the whole schedule, so that an activity's tasks are counted over the year.
 */
export function doneBeforeStartOf(form: Record<string, unknown>, past: readonly ScheduledTask[], tasks: readonly ScheduledTask[] = past): Record<string, DoneBeforeStart> {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  // «Отметить все» stands for every row only when the form sends no row box at all (a page without
  // script, where the rows were left as they were). The page's script ticks every row box when «all»
  // is ticked and unticks «all» when a row is unticked, so with any row box sent the rows say
  // exactly which tasks are done: a row the office unticked after «all» is not recorded done.
  const anyRow = Object.keys(form).some((name) => /^done\.\d+$/.test(name) && text(name) !== '');
  const all = text('allDone') !== '' && !anyRow;
  const known = new Map(past.map((task) => [task.task, task]));
  const done: Record<string, DoneBeforeStart> = {};
  for (const name of Object.keys(form)) {
    const match = /^task\.(\d+)$/.exec(name);
    if (!match) continue;
    const task = known.get(text(name));
    if (!task || (!all && text(`done.${match[1]}`) === '')) continue;
    done[task.task] = { result: text(`result.${match[1]}`) || text('allResult') || defaultDoneResult(task, tasks) };
  }
  return done;
}

export type StartResult = { ok: true; key: string } | { ok: false; message: string; key?: string };

/**
 * Starts the draft for `org` and marks it started. Refused, with the reason in Russian: a draft
 * with gaps (naming every missing executor and address), a plan key of another organisation, a
 * plan already running under that key.
 */
export async function startDraft(store: Store, client: Client, draft: StoredDraft, loaded: LoadedPlan, options: { year?: number; ownYear: number; login: string; done: Record<string, DoneBeforeStart>; taskQueue?: string }): Promise<StartResult> {
  const year = options.year === undefined || options.year === options.ownYear ? undefined : options.year;
  const key = planKeyOf(loaded, year);
  const recorded = await findPlan(store.pool, key);
  if (recorded && recorded.org === draft.org && (await workflowExists(client, key))) {
    return { ok: false, key, message: `План «${key}» уже запущен. Чтобы запустить этот план ещё раз, дайте ему другой идентификатор или выберите другой год.` };
  }
  const input = planInputOf(loaded, { ...(year !== undefined ? { year } : {}), clockShiftMs: 0, doneBeforeStart: options.done });
  try {
    const outcome = await registerAndStartPlan(store, client, loaded, draft.org, input, year, options.taskQueue ?? temporalSettings().taskQueue);
    if (!outcome.started) return { ok: false, key, message: `План «${key}» уже запущен. Чтобы запустить этот план ещё раз, дайте ему другой идентификатор или выберите другой год.` };
  } catch (error) {
    if (error instanceof PlanIsDraft || error instanceof PlanOfAnotherOrganisation) return { ok: false, message: error.message.replace(/ \(--org [^)]*\)/, '') };
    throw error;
  }
  await markDraftStarted(store.pool, draft.org, draft.id, key, options.login);
  return { ok: true, key };
}

async function workflowExists(client: Client, key: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(planWorkflowId(key)).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** `plangraf change`: the office's new version of a running plan, applied to its workflows. */
import type { Client } from '@temporalio/client';
import { userInfo } from 'node:os';
import type { LoadedPlan } from '../activities/plan-files.ts';
import { changeRunningPlan, planInputOf, planKeyOf, PlanChangeRefused, WorkflowNotFoundError } from '../client/plan-runs.ts';
import { draftRefusal } from '../plan/drafts.ts';
import { recordAudit } from '../store/audit.ts';
import { ORG_ID } from '../store/organisations.ts';
import type { Store } from '../store/database.ts';
import { findStartedDraft, saveDraftVersion } from '../store/plan-drafts.ts';
import { findPlan, savePlan } from '../store/plans.ts';
import type { PlanChangeSummary } from '../workflows/messages.ts';
import { UsageError, type Output } from './output.ts';
import { loadValid, parseRunArgs, withClient } from './run-commands.ts';
import { cliStore } from './store.ts';

/**
 * Changes a running plan to the plan in the file: prints what changed, or why the change is
 * refused (exit 1). The new version is recorded in the store under the plan's organisation, so
 * the pages show the plan as it now runs.
 */
export async function changeCommand(argv: string[], io: Output): Promise<number> {
  const args = parseRunArgs(argv, ['ПЛАН.yaml']);
  if (args.values.org !== undefined && !ORG_ID.test(args.values.org)) throw new UsageError(`--org: идентификатор организации — латинские буквы, цифры и дефис (ryazan), а указано «${args.values.org}»`);
  const loaded = await loadValid(args, io);
  if (!loaded) return 1;
  const refusal = draftRefusal(loaded.plan, args.file);
  if (refusal !== undefined) {
    io.err(`\n${refusal.replace('он не запущен', 'запущенный план на него не изменить')}`);
    return 1;
  }
  const key = planKeyOf(loaded, args.year);
  const store = await cliStore();
  const stored = await findPlan(store.pool, key);
  if (stored && args.values.org !== undefined && stored.org !== args.values.org) {
    io.err(`plangraf: план «${key}» запущен для организации «${stored.org}», а не «${args.values.org}»: изменить его может только она (--org ${stored.org}).`);
    return 1;
  }
  const by = `cli:${userInfo().username}`;
  const outcome = await withClient(io, (client) => change(client, key, loaded, args.year, by));
  if (typeof outcome === 'number') return outcome;
  if (outcome instanceof PlanChangeRefused) {
    io.err(`plangraf: изменение плана «${key}» не принято:\n${outcome.reasons.map((reason) => `  – ${reason}`).join('\n')}\nЗапущенный план остался прежним.`);
    return 1;
  }
  if (outcome === 'not-running') {
    io.err(`План «${key}» не запущен: изменять нечего. Запустите его: plangraf start ${args.file}${args.year !== undefined ? ` --year ${args.year}` : ''}`);
    return 1;
  }
  if (outcome.lines.length === 0) {
    io.out(`План «${key}»: в файле те же пункты, сроки, исполнители и напоминания — изменений нет.`);
    return 0;
  }
  const org = stored?.org ?? args.values.org;
  if (org !== undefined) {
    const source = loaded.source ?? { text: '', fileName: key, calendars: [] };
    await savePlan(store.pool, { key, org, planId: loaded.plan.id, title: loaded.plan.title ?? key, fileName: source.fileName, text: source.text, year: args.year ?? null, calendars: source.calendars });
    await followDraft(store, org, key, loaded, source.text, by, outcome.lines);
  }
  await recordAudit(store.pool, { login: null, org: org ?? null, address: 'командная строка', action: 'cli.change', plan: key, task: null, details: { by: userInfo().username, lines: outcome.lines } });
  io.out(`План «${key}» изменён:\n${outcome.lines.map((line) => `  – ${line}`).join('\n')}\nИсполнители получат письма о том, что изменилось для них; выполненные задачи остались как были.`);
  return 0;
}

/**
 * The draft the plan was started from in the pages, if one is: its next version is the plan as it
 * now runs, so that the next «Применить к идущему плану» starts from it and does not undo this change.
 */
export async function followDraft(store: Store, org: string, key: string, loaded: Pick<LoadedPlan, 'plan'>, text: string, by: string, lines: readonly string[]): Promise<number | undefined> {
  if (text === '') return undefined;
  const draft = await findStartedDraft(store.pool, org, key);
  if (!draft || draft.latest.text === text) return undefined;
  const saved = await saveDraftVersion(store, org, draft.id, { text, fileName: draft.latest.fileName, planId: loaded.plan.id, title: loaded.plan.title ?? key, author: by, summary: [`изменено командой plangraf change («${key}»):`, ...lines] });
  return saved.saved ? saved.version : undefined;
}

async function change(client: Client, key: string, loaded: LoadedPlan, year: number | undefined, by: string): Promise<PlanChangeSummary | PlanChangeRefused | 'not-running'> {
  try {
    return await changeRunningPlan(client, key, planInputOf(loaded, year !== undefined ? { year } : {}), by);
  } catch (error) {
    if (error instanceof PlanChangeRefused) return error;
    if (error instanceof WorkflowNotFoundError) return 'not-running';
    throw error;
  }
}

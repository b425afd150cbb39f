/** Commands on a running plan: start, status, complete, extend; and simulate, which runs a year ahead. */
import Table from 'cli-table3';
import { parseArgs } from 'node:util';
import { loadPlanFile, type LoadedPlan } from '../activities/plan-files.ts';
import { connectClient, completeTask, DoneBeforeStartRefused, extendTask, lateIfStartedAt, planInputOf, planKeyOf, planStatus, TaskActionRefused, temporalAddress, WorkflowNotFoundError } from '../client/plan-runs.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { DoneBeforeStart } from '../workflows/mid-year.ts';
import { PlanIsDraft, PlanOfAnotherOrganisation, registerAndStartPlan } from '../client/plan-registry.ts';
import { draftRefusal } from '../plan/drafts.ts';
import { defaultDoneResult } from '../plan/done-results.ts';
import { ORG_ID } from '../store/organisations.ts';
import { cliStore, organisationFor } from './store.ts';
import { recordAudit } from '../store/audit.ts';
import { findPlan } from '../store/plans.ts';
import { userInfo } from 'node:os';
import { EXECUTOR_BEHAVIOURS, simulatePlan, SimulationUnavailable, type ExecutorBehaviour } from '../client/simulate.ts';
import { formatRussianDate } from '../plan/dates.ts';
import { pluralRu } from '../plan/russian-words.ts';
import type { TaskState } from '../workflows/messages.ts';
import { shortName } from './people.ts';
import { installQuietRuntime } from './quiet-runtime.ts';
import { parseYearOption, UsageError, type Output } from './output.ts';

const RUN_OPTIONS = {
  year: { type: 'string' },
  calendar: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  result: { type: 'string' },
  comment: { type: 'string' },
  to: { type: 'string' },
  reason: { type: 'string' },
  complete: { type: 'string' },
  org: { type: 'string' },
  done: { type: 'string', multiple: true },
} as const;

type RunArgs = ReturnType<typeof parseRunArgs>;

export function parseRunArgs(args: string[], positionalNames: string[]) {
  const { values, positionals } = parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== positionalNames.length) throw new UsageError(`ожидается: ${positionalNames.join(' ')}`);
  const year = parseYearOption(values.year);
  return { values, positionals, year, file: positionals[0]! };
}

/** Loads and validates the plan; prints its problems. `undefined` when it is invalid. */
export async function loadValid(args: RunArgs, io: Output): Promise<LoadedPlan | undefined> {
  const result = await loadPlanFile(args.file, { ...(args.year !== undefined ? { year: args.year } : {}), calendars: args.values.calendar ?? [] });
  for (const line of result.lines) io.err(line);
  if (result.ok) return result.loaded;
  const count = result.issues.filter((issue) => issue.severity === 'error').length;
  io.err(`\n${count} ${pluralRu(count, ['ошибка', 'ошибки', 'ошибок'])} — план не принят, ничего не запущено.`);
  return undefined;
}

export async function withClient<T>(io: Output, run: (client: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T | number> {
  let client;
  try {
    client = await connectClient();
  } catch {
    io.err(`plangraf: не удаётся подключиться к Temporal по адресу ${temporalAddress()}. Запустите систему (npm start) или укажите адрес в TEMPORAL_ADDRESS.`);
    return 1;
  }
  try {
    return await run(client);
  } finally {
    await client.connection.close();
  }
}

export async function startCommand(argv: string[], io: Output): Promise<number> {
  const args = parseRunArgs(argv, ['ПЛАН.yaml']);
  const loaded = await loadValid(args, io);
  if (!loaded) return 1;
  // A draft is refused before anything is connected to: the author has gaps to fill first.
  const refusal = draftRefusal(loaded.plan, args.file);
  if (refusal !== undefined) {
    io.err(`\n${refusal}`);
    return 1;
  }
  // So is a task marked done that the plan has not: nothing is recorded or started.
  const marked = doneOption(args.values.done ?? [], loaded.schedule.tasks);
  if (!marked.ok) {
    io.err(`plangraf: --done: ${marked.problems.join('; ')}. План не запущен. Номера задач: plangraf schedule ${args.file}`);
    return 1;
  }
  const doneBeforeStart = marked.done;
  if (args.values.org !== undefined && !ORG_ID.test(args.values.org)) throw new UsageError(`--org: идентификатор организации — латинские буквы, цифры и дефис (ryazan), а указано «${args.values.org}»`);
  const store = await cliStore();
  const found = await organisationFor(store, args.values.org, loaded.plan.region);
  if (!found.ok) {
    io.err(`plangraf: ${found.message}`);
    return 1;
  }
  const { org } = found;
  const { letterDay, late } = lateIfStartedAt(loaded, doneBeforeStart);
  let outcome;
  try {
    outcome = await withClient(io, (client) => registerAndStartPlan(store, client, loaded, org, planInputOf(loaded, { ...(args.year !== undefined ? { year: args.year } : {}), doneBeforeStart }), args.year));
  } catch (error) {
    if (!(error instanceof PlanOfAnotherOrganisation || error instanceof PlanIsDraft || error instanceof DoneBeforeStartRefused)) throw error;
    io.err(`plangraf: ${error.message}`);
    return 1;
  }
  if (typeof outcome === 'number') return outcome;
  const tasks = loaded.schedule.tasks.length;
  const key = planKeyOf(loaded, args.year);
  if (!outcome.started) {
    io.out(`План «${key}» уже запущен (${outcome.workflowId}); повторный запуск ничего не меняет.`);
    return 0;
  }
  const doneCount = Object.keys(doneBeforeStart).length;
  io.out(
    [
      `План «${key}» запущен: ${tasks} ${pluralRu(tasks, ['задача', 'задачи', 'задач'])} (${outcome.workflowId}).`,
      ...(doneCount > 0 ? [`Отмечены выполненными до запуска: ${doneCount} (${Object.keys(doneBeforeStart).join(', ')}); писем по ним не будет.`] : []),
      ...lateNotice(late.length, letterDay, doneCount > 0, args.file),
    ].join('\n'),
  );
  return 0;
}

/**
 * What the office is told of the tasks already late at the start: how many, that their executors
 * get one letter each listing them, and how to mark the ones already done.
 */
function lateNotice(late: number, letterDay: string, doneGiven: boolean, file: string): string[] {
  if (late === 0) return [];
  const tasks = `${late} ${pluralRu(late, ['задачи', 'задач', 'задач'])}`;
  return [
    `Сроки ${tasks} уже прошли: ${formatRussianDate(letterDay)} в 09:00 исполнители получат по одному письму со списком своих просроченных задач, затем — обычные напоминания.`,
    ...(doneGiven
      ? []
      : [
          `Если какие-то из них уже выполнены, отметьте их до этого, и они не попадут в письмо: plangraf complete ${file} ЗАДАЧА --result «что сделано».`,
          `При следующем запуске плана с прошедшими сроками выполненные задачи можно отметить сразу: plangraf start ${file} --done ЗАДАЧА=РЕЗУЛЬТАТ,ЗАДАЧА,…`,
        ]),
  ];
}

/**
 * Reads `--done ЗАДАЧА[=РЕЗУЛЬТАТ],…` (the option may be repeated): the tasks done before the
 * start. A task without a result takes its planned target as its result when it is its
 * activity's only task, «выполнено» when it is one of several (`defaultDoneResult`). A comma followed by a
 * space or by several words goes on with the result before it, so a result may hold commas
 * («1=10 договоров, 2 соглашения,3/2»); a comma followed by one word starts the next task, and
 * a word that is not a task of the plan is refused, never swallowed into a result.
 */
export function doneOption(values: readonly string[], tasks: readonly Pick<ScheduledTask, 'task' | 'item' | 'result'>[]): { ok: true; done: Record<string, DoneBeforeStart> } | { ok: false; problems: string[] } {
  const byId = new Map(tasks.map((task) => [task.task, task]));
  const idOf = (entry: string) => entry.split('=')[0]!.trim();
  const entries: string[] = [];
  for (const value of values) {
    for (const piece of value.split(',')) {
      const continues = entries.length > 0 && entries.at(-1)!.includes('=') && !byId.has(idOf(piece)) && /\s/.test(piece.split('=')[0]!.trimEnd());
      if (continues) entries[entries.length - 1] += `,${piece}`;
      else entries.push(piece);
    }
  }
  const done: Record<string, DoneBeforeStart> = {};
  const unknown: string[] = [];
  const repeated: string[] = [];
  for (const entry of entries.map((piece) => piece.trim()).filter((piece) => piece !== '')) {
    const id = idOf(entry);
    const task = byId.get(id);
    if (!task) {
      unknown.push(id);
      continue;
    }
    if (id in done) repeated.push(id);
    const given = entry.includes('=') ? entry.slice(entry.indexOf('=') + 1).trim() : '';
    done[id] = { result: given || defaultDoneResult(task, tasks) };
  }
  const problems = [
    ...(unknown.length > 0 ? [`в плане нет ${unknown.length === 1 ? 'задачи' : 'задач'} ${unknown.map((id) => `«${id}»`).join(', ')}`] : []),
    ...(repeated.length > 0 ? [`${repeated.length === 1 ? 'задача указана' : 'задачи указаны'} дважды: ${repeated.map((id) => `«${id}»`).join(', ')}`] : []),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, done };
}

const STATE_NAMES: Record<TaskState, string> = {
  planned: 'запланирована',
  waiting: 'ждёт предыдущих',
  active: 'в работе',
  overdue: 'просрочена',
  review: 'на проверке',
  done: 'выполнена',
  unscheduled: 'без сроков',
};

export async function statusCommand(argv: string[], io: Output): Promise<number> {
  const args = parseRunArgs(argv, ['ПЛАН.yaml']);
  const loaded = await loadValid(args, io);
  if (!loaded) return 1;
  const key = planKeyOf(loaded, args.year);
  const status = await withClient(io, async (client) => {
    try {
      return await planStatus(client, key, Date.now(), loaded);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  });
  if (typeof status === 'number') return status;
  if (!status) {
    io.err(`План «${key}» не запущен. Запустите: plangraf start ${args.file}${args.year !== undefined ? ` --year ${args.year}` : ''}`);
    return 1;
  }
  if (args.values.json) {
    io.out(JSON.stringify(status.tasks, null, 2));
    return 0;
  }
  const table = new Table({ head: ['Задача', 'Исполнитель', 'Срок', 'Состояние', 'Просрочка, раб. дн.', 'Результат'], style: { head: [], border: [] }, wordWrap: true, colWidths: [12, 34, 12, 18, 10, 40] });
  for (const task of status.tasks) {
    table.push([task.task, task.school ? `${shortName(task.executor.name)}, ${task.schoolName}` : shortName(task.executor.name), task.due ? formatRussianDate(task.due) : '—', STATE_NAMES[task.state], task.daysLate > 0 ? String(task.daysLate) : '', task.result ?? '']);
  }
  const done = status.tasks.filter((task) => task.state === 'done').length;
  const late = status.tasks.filter((task) => task.state === 'overdue').length;
  io.out(`${status.title}\n${table.toString()}\nВыполнено ${done} из ${status.tasks.length}; просрочено ${late}.`);
  return 0;
}

async function taskAction(argv: string[], io: Output, act: 'complete' | 'extend'): Promise<number> {
  const args = parseRunArgs(argv, ['ПЛАН.yaml', 'ЗАДАЧА']);
  const task = args.positionals[1]!;
  if (act === 'complete' && !args.values.result?.trim()) throw new UsageError('укажите результат: --result «что сделано»');
  if (act === 'extend' && (!args.values.to || !args.values.reason?.trim())) throw new UsageError('укажите новый срок и причину: --to ГГГГ-ММ-ДД --reason «почему»');
  const loaded = await loadValid(args, io);
  if (!loaded) return 1;
  const key = planKeyOf(loaded, args.year);
  if (!loaded.schedule.tasks.some((entry) => entry.task === task)) {
    io.err(`В плане «${loaded.plan.id}» нет задачи «${task}». Номера задач: plangraf schedule ${args.file}`);
    return 1;
  }
  const outcome = await withClient(io, async (client) => {
    try {
      return act === 'complete'
        ? await completeTask(client, key, task, { result: args.values.result!, ...(args.values.comment ? { comment: args.values.comment } : {}), by: 'cli' })
        : await extendTask(client, key, task, { to: args.values.to!, reason: args.values.reason!, by: 'cli' });
    } catch (error) {
      if (error instanceof TaskActionRefused) return error;
      if (error instanceof WorkflowNotFoundError) return new TaskActionRefused(`задача «${task}» не запущена: запустите план (plangraf start ${args.file})`);
      throw error;
    }
  });
  if (typeof outcome === 'number') return outcome;
  if (outcome instanceof TaskActionRefused) {
    io.err(`plangraf: не принято: ${outcome.message}`);
    return 1;
  }
  // An action from the command line is an office action too: the audit log says who ran it.
  const store = await cliStore();
  await recordAudit(store.pool, {
    login: null,
    org: (await findPlan(store.pool, key))?.org ?? null,
    address: 'командная строка',
    action: `cli.${act}`,
    plan: key,
    task,
    details: { by: userInfo().username, ...(act === 'complete' ? { result: args.values.result } : { to: args.values.to, reason: args.values.reason }) },
  });
  io.out(act === 'complete' ? `Задача ${task} выполнена: «${outcome.result}».` : `Срок задачи ${task} перенесён на ${formatRussianDate(outcome.due!)}; проектный офис получит уведомление.`);
  return 0;
}

export const completeCommand = (argv: string[], io: Output) => taskAction(argv, io, 'complete');
export const extendCommand = (argv: string[], io: Output) => taskAction(argv, io, 'extend');

export async function simulateCommand(argv: string[], io: Output): Promise<number> {
  const args = parseRunArgs(argv, ['ПЛАН.yaml']);
  const behaviour = (args.values.complete ?? 'on-due') as ExecutorBehaviour;
  if (!EXECUTOR_BEHAVIOURS.includes(behaviour)) throw new UsageError(`--complete: ${EXECUTOR_BEHAVIOURS.join(', ')}, а указано «${behaviour}»`);
  const loaded = await loadValid(args, io);
  if (!loaded) return 1;
  const draft = draftRefusal(loaded.plan, args.file);
  if (draft !== undefined) {
    io.err(`\n${draft.replace('он не запущен', 'год по нему не прогнать')}`);
    return 1;
  }
  installQuietRuntime();
  let mails;
  try {
    ({ mails } = await simulatePlan(loaded, { behaviour, ...(args.year !== undefined ? { year: args.year } : {}) }));
  } catch (error) {
    if (error instanceof SimulationUnavailable) {
      io.err(`plangraf: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (args.values.json) {
    io.out(JSON.stringify(mails, null, 2));
    return 0;
  }
  const table = new Table({ head: ['Дата', 'Время', 'Кому', 'Письмо', 'Задача'], style: { head: [], border: [] } });
  for (const mail of mails) table.push([formatRussianDate(mail.date), mail.time, mail.to, KIND_NAMES[mail.kind] ?? mail.kind, mail.task ?? '']);
  io.out(`${table.toString()}\nВсего писем: ${mails.length}.`);
  return 0;
}

const KIND_NAMES: Record<string, string> = {
  assigned: 'назначение',
  reminder: 'напоминание',
  overdue: 'просрочка',
  escalation: 'эскалация',
  extended: 'перенос срока',
  rescheduled: 'сроки изменены в плане',
  reassigned: 'передача',
  undeliverable: 'не доставлено',
  document: 'документ',
  'extension-requested': 'просьба о переносе',
  'extension-declined': 'отказ в переносе',
  digest: 'сводка',
  'late-at-start': 'просрочено к запуску',
};

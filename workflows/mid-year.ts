/**
 * Joining a plan mid-year: which tasks the office marks done before the start, which are
 * already late when the plan starts, and how those late tasks are gathered into one letter per
 * executor. Pure and deterministic: the plan workflow and its clients (the command line, the
 * pages) decide alike from the plan, the production calendar and a given day.
 */
import { maxDate, type IsoDate } from '../plan/dates.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import type { Recipient } from '../plan/notifications.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';
import { deadlineAfter, readWithin } from '../plan/within.ts';

/** A task the office says was done before the plan started. */
export interface DoneBeforeStart {
  result: string;
  comment?: string;
}

/** A task already late when the plan starts, with the deadline it has then. */
export interface LateAtStart {
  task: string;
  due: IsoDate;
}

/**
 * The day a task marked done before the start is recorded as done on: its due date when that has
 * passed, else the start day.
 *
 * Not the start day for all: a task finished back in spring would then read as done months late,
 * painting the year page red and dragging the on-time indicators down for work that was done
 * before plangraf knew of the plan; the first weekly digest would also list every such task as
 * «выполнена на этой неделе». The office vouches that the task is done, not when: its due date
 * is the latest day that claim allows without inventing lateness. A task marked done ahead of
 * its deadline is done on the start day, never on a day still to come.
 * @example doneOnBeforeStart({ due: '2020-03-31', … }, '2020-10-05') // '2020-03-31'
 */
export function doneOnBeforeStart(task: Pick<ScheduledTask, 'due'>, startDay: IsoDate): IsoDate {
  return task.due !== null && task.due < startDay ? task.due : startDay;
}

/**
 * What is wrong with the tasks marked done before the start, in Russian, each problem once:
 * ids the plan has no task for, and empty results. Empty when all is well.
 */
export function doneBeforeStartProblems(tasks: readonly Pick<ScheduledTask, 'task'>[], done: Readonly<Record<string, DoneBeforeStart>>): string[] {
  const known = new Set(tasks.map((task) => task.task));
  const unknown = Object.keys(done).filter((id) => !known.has(id));
  const empty = Object.entries(done).filter(([id, entry]) => known.has(id) && (typeof entry?.result !== 'string' || entry.result.trim() === '')).map(([id]) => id);
  return [
    ...(unknown.length > 0 ? [`в плане нет ${unknown.length === 1 ? 'задачи' : 'задач'} ${unknown.map((id) => `«${id}»`).join(', ')}`] : []),
    ...(empty.length > 0 ? [`не указан результат ${empty.length === 1 ? 'задачи' : 'задач'} ${empty.map((id) => `«${id}»`).join(', ')}`] : []),
  ];
}

/**
 * The tasks already late on `day` (their deadline before it) and free to be worked on: not done,
 * and every task they wait for done before the start. A `within` task's deadline is counted from
 * when those were done, as its workflow counts it. A late task still waiting for an unfinished one
 * is not listed: its executor cannot act on it yet, and it is handed out as before, when what it
 * waits for is done.
 * @param doneOn the tasks done before the start and the day each counts as done
 */
export function lateAtStart(plan: Pick<Plan, 'items'>, tasks: readonly ScheduledTask[], doneOn: Readonly<Record<string, IsoDate>>, day: IsoDate, calendar: ProductionCalendar): LateAtStart[] {
  return tasks.flatMap((task) => {
    if (task.task in doneOn || task.after.some((id) => !(id in doneOn))) return [];
    const phrase = plan.items.find((item) => item.id === task.item)?.within;
    const within = phrase === undefined ? null : readWithin(phrase);
    const due = within?.ok ? deadlineAfter(maxDate(task.after.map((id) => doneOn[id]!)) ?? day, within.within, calendar) : task.due;
    return due !== null && due < day ? [{ task: task.task, due }] : [];
  });
}

/** Entries gathered by executor (by e-mail address, in order of first appearance); entries whose executor has no address are left out. */
export function byExecutor<T>(entries: readonly T[], executorOf: (entry: T) => Recipient): { executor: Recipient; entries: T[] }[] {
  const groups = new Map<string, { executor: Recipient; entries: T[] }>();
  for (const entry of entries) {
    const executor = executorOf(entry);
    const address = executor.email.trim().toLowerCase();
    if (address === '') continue;
    const group = groups.get(address);
    if (group) group.entries.push(entry);
    else groups.set(address, { executor, entries: [entry] });
  }
  return [...groups.values()];
}

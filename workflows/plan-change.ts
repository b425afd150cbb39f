/**
 * Changing a running plan, as pure functions the plan workflow runs in its update: what the
 * new plan-graph changes task by task (task ids are stable: item, occurrence, school), what of
 * it cannot be done to a year under way and why, the Russian lines of the plan's history, what
 * each running task is told, and the state the plan carries into its run on the new plan.
 * Deterministic: the clock's day comes in as `today`.
 */
import { formatRussianDate, maxDate, type IsoDate } from '../plan/dates.ts';
import type { Recipient } from '../plan/notifications.ts';
import { recipientsOf } from '../plan/recipients.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { Item, Plan, Reminders } from '../plan/schema.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import { deadlineAfter, readWithin } from '../plan/within.ts';
import { dateOf } from './clock.ts';
import { TaskState, type PlanChangeSummary, type ReplanTaskInput, type TaskSummary } from './messages.ts';
import type { LateTasksLetters } from './plan-workflow.ts';
import { initialSummary } from './task-summary.ts';

/** A plan with its schedule. */
export interface PlanSide {
  plan: Plan;
  tasks: readonly ScheduledTask[];
}

/** A task both plans have, and what of it the new one changes. */
export interface TaskChange {
  task: string;
  before: ScheduledTask;
  after: ScheduledTask;
  /** Its period, start or due moved; for a `within` task, its `within` (its due follows the real completions). */
  dates: boolean;
  executor: { from: Recipient; to: Recipient } | null;
  reminders: { from: Reminders; to: Reminders } | null;
  /** The tasks it waits for are other ones. */
  dependencies: boolean;
}

export interface ScheduleDiff {
  added: ScheduledTask[];
  removed: ScheduledTask[];
  changed: TaskChange[];
}

/** The reminders a task of `item` runs by: the plan's, with the item's own over them. */
export function remindersOf(plan: Plan, itemId: string): Reminders {
  return { ...plan.reminders, ...itemOf(plan, itemId)?.reminders };
}

/**
 * What the new schedule changes of the old one: tasks added, removed, and of each kept task its
 * dates, executor, reminders and prerequisites. A `within` task counts as moved only when its
 * `within` changes: its scheduled dates are an estimate, its due follows the real completions.
 * @example diffSchedules(running, next).added.map((task) => task.task) // ['4']
 */
export function diffSchedules(before: PlanSide, after: PlanSide): ScheduleDiff {
  const old = new Map(before.tasks.map((task) => [task.task, task]));
  const kept = new Set(after.tasks.map((task) => task.task));
  const changed: TaskChange[] = [];
  for (const next of after.tasks) {
    const previous = old.get(next.task);
    if (!previous) continue;
    const [oldItem, newItem] = [itemOf(before.plan, previous.item), itemOf(after.plan, next.item)];
    const relative = newItem?.within !== undefined || oldItem?.within !== undefined;
    const dates = relative ? oldItem?.within !== newItem?.within || oldItem?.when !== newItem?.when : previous.start !== next.start || previous.due !== next.due || previous.period !== next.period;
    const [from, to] = [recipientsOf(before.plan, previous).executor, recipientsOf(after.plan, next).executor];
    const executor = from.id !== to.id || from.email !== to.email ? { from, to } : null;
    const [oldReminders, newReminders] = [remindersOf(before.plan, previous.item), remindersOf(after.plan, next.item)];
    const reminders = sameReminders(oldReminders, newReminders) ? null : { from: oldReminders, to: newReminders };
    const dependencies = previous.after.join() !== next.after.join();
    if (dates || executor || reminders || dependencies) changed.push({ task: next.task, before: previous, after: next, dates, executor, reminders, dependencies });
  }
  return {
    added: after.tasks.filter((task) => !old.has(task.task)),
    removed: before.tasks.filter((task) => !kept.has(task.task)),
    changed,
  };
}

/** What the running plan says the new one may not differ in: its id, its year, its time zone. */
export function identityRefusals(running: Plan, next: Plan, runningYear: number | undefined, nextYear: number | undefined): string[] {
  const refusals: string[] = [];
  if (next.id !== running.id) refusals.push(`это другой план: запущен «${running.id}», а в новом плане id «${next.id}»`);
  const yearOf = (plan: Plan) => (plan.year !== undefined ? `${plan.year} год` : `${plan.schoolYear}/${plan.schoolYear! + 1} учебный год`);
  if (next.year !== running.year || next.schoolYear !== running.schoolYear) refusals.push(`план запущен на ${yearOf(running)}, а новый план — на ${yearOf(next)}; год запущенного плана не меняется`);
  if (runningYear !== nextYear) refusals.push(`план запущен ${runningYear === undefined ? 'на свой год' : `на ${runningYear} год`}, а изменение — ${nextYear === undefined ? 'на год самого плана' : `на ${nextYear} год`}; год запущенного плана не меняется`);
  if (next.timezone !== running.timezone) refusals.push(`часовой пояс плана (${running.timezone}) не меняется на ходу`);
  return refusals;
}

/**
 * The new plan's items waiting for items it does not have, or for each other in a circle. The
 * plan reader refuses both too; this guards the workflow against a plan that did not pass it.
 */
export function dependencyRefusals(next: Plan, running: Plan): string[] {
  const ids = new Set(next.items.map((item) => item.id));
  const removed = new Set(running.items.map((item) => item.id).filter((id) => !ids.has(id)));
  const refusals: string[] = [];
  for (const item of next.items) {
    for (const id of item.after ?? []) {
      if (ids.has(id)) continue;
      refusals.push(removed.has(id) ? `пункт ${item.id} ждёт пункта ${id}, а его в новом плане нет: удалите пункт ${id} из after или оставьте пункт ${id}` : `пункт ${item.id} ждёт пункта ${id}, которого нет в плане`);
    }
  }
  if (refusals.length > 0) return refusals;
  const cycle = findCycle(next.items);
  return cycle ? [`пункты ждут друг друга по кругу: ${cycle.join(' → ')}`] : [];
}

/**
 * Whether a task's year has begun: its start day has come, or it is under way. A removed task
 * must not have begun; a begun task takes no new unfinished prerequisites.
 */
export function hasBegun(summary: TaskSummary, today: IsoDate): boolean {
  if (summary.state === TaskState.waiting || summary.state === TaskState.active || summary.state === TaskState.overdue) return true;
  return summary.state !== TaskState.unscheduled && summary.start !== null && summary.start <= today;
}

/**
 * What of the diff cannot be done to the year under way, each a Russian sentence naming the
 * task: removing a done or begun task, moving a done one, making a done or begun task wait for
 * one that is not done.
 * @param tasks every running task's summary, by task id
 */
export function taskRefusals(diff: ScheduleDiff, tasks: Readonly<Record<string, TaskSummary>>, today: IsoDate): string[] {
  const refusals: string[] = [];
  const isDone = (id: string) => tasks[id]?.state === TaskState.done;
  for (const task of diff.removed) {
    const summary = tasks[task.task];
    if (!summary) continue;
    if (summary.state === TaskState.done) refusals.push(`задача ${task.task} «${task.title}» выполнена ${dateText(summary.doneOn)}: удалить её из плана нельзя`);
    else if (hasBegun(summary, today)) refusals.push(`задача ${task.task} «${task.title}» уже началась${summary.start ? ` (${formatRussianDate(summary.start)})` : ''}: удалить можно только задачу, которая ещё не начиналась`);
  }
  for (const change of diff.changed) {
    const summary = tasks[change.task];
    if (!summary) continue;
    const done = summary.state === TaskState.done;
    if (done && change.dates) {
      refusals.push(`задача ${change.task} «${change.after.title}» выполнена ${dateText(summary.doneOn)}: её сроки не переносятся (было ${datesText(change.before)}, в новом плане ${datesText(change.after)})`);
    }
    if ((done || hasBegun(summary, today)) && change.dependencies) {
      const waits = change.after.after.filter((id) => !change.before.after.includes(id) && !isDone(id));
      if (waits.length > 0) {
        const what = done ? `выполнена ${dateText(summary.doneOn)}` : 'уже началась';
        refusals.push(`задача ${change.task} «${change.after.title}» ${what}: она не может теперь ждать ${waits.length === 1 ? 'задачу' : 'задачи'} ${waits.join(', ')}, ${waits.length === 1 ? 'которая не выполнена' : 'которые не выполнены'}`);
      }
    }
  }
  return refusals;
}

/** The kept tasks a change leaves as they are: done ones keep their executor, reminders and all. */
function applicable(diff: ScheduleDiff, tasks: Readonly<Record<string, TaskSummary>>): TaskChange[] {
  return diff.changed.filter((change) => tasks[change.task]?.state !== TaskState.done);
}

/** The change in Russian, a line for each task, and the task ids by kind of change. */
export function summaryOf(diff: ScheduleDiff, tasks: Readonly<Record<string, TaskSummary>>): PlanChangeSummary {
  const lines: string[] = [];
  const changes = applicable(diff, tasks);
  for (const task of diff.added) lines.push(`добавлена задача ${task.task} «${task.title}»: ${datesText(task)}`);
  for (const task of diff.removed) lines.push(`удалена задача ${task.task} «${task.title}»`);
  for (const change of changes) {
    const what: string[] = [];
    if (change.dates) what.push(`сроки ${datesText(change.before)} → ${datesText(change.after)}`);
    if (change.executor) what.push(`исполнитель ${change.executor.from.name} → ${change.executor.to.name}`);
    if (change.reminders) what.push(`напоминания ${remindersText(change.reminders.from)} → ${remindersText(change.reminders.to)}`);
    if (change.dependencies) what.push(change.after.after.length > 0 ? `ждёт задач ${change.after.after.join(', ')}` : 'больше не ждёт других задач');
    lines.push(`задача ${change.task} «${change.after.title}»: ${what.join('; ')}`);
  }
  return {
    added: diff.added.map((task) => task.task),
    removed: diff.removed.map((task) => task.task),
    moved: changes.filter((change) => change.dates).map((change) => change.task),
    reassigned: changes.filter((change) => change.executor).map((change) => change.task),
    reminders: changes.filter((change) => change.reminders).map((change) => change.task),
    dependencies: changes.filter((change) => change.dependencies).map((change) => change.task),
    lines,
  };
}

/** What each running task that the change concerns is told: the task as the new plan has it. */
export function replansOf(diff: ScheduleDiff, next: Plan, tasks: Readonly<Record<string, TaskSummary>>, change: number, by: string | undefined): { task: string; input: ReplanTaskInput }[] {
  return applicable(diff, tasks).map(({ task, after }) => {
    const within = itemOf(next, after.item)?.within;
    const reading = within === undefined ? null : readWithin(within);
    const doneBefore = Object.fromEntries(after.after.flatMap((id) => (tasks[id]?.doneOn ? [[id, tasks[id]!.doneOn!]] : [])));
    return {
      task,
      input: {
        change,
        start: after.start,
        due: after.due,
        period: after.period,
        within: reading?.ok ? reading.within : null,
        executor: recipientsOf(next, after).executor,
        reminders: remindersOf(next, after.item),
        after: after.after,
        doneBefore,
        ...(by !== undefined ? { by } : {}),
      },
    };
  });
}

/**
 * The summaries the plan keeps after the change: a done task as it was; a task that goes on,
 * with the new plan's executor and dates (a begun task keeps the start it had, a `within` task
 * the due it counted); a new task as the new plan has it. Removed tasks are gone.
 */
export function summariesAfter(diff: ScheduleDiff, next: PlanSide, tasks: Readonly<Record<string, TaskSummary>>, today: IsoDate): Record<string, TaskSummary> {
  const changes = new Map(applicable(diff, tasks).map((change) => [change.task, change]));
  return Object.fromEntries(
    next.tasks.map((task) => {
      const summary = tasks[task.task];
      const fresh = initialSummary(next.plan, task);
      if (!summary) return [task.task, fresh];
      const change = changes.get(task.task);
      if (!change) return [task.task, summary];
      const relative = itemOf(next.plan, task.item)?.within !== undefined;
      const begun = hasBegun(summary, today);
      return [
        task.task,
        {
          ...summary,
          title: fresh.title,
          period: fresh.period,
          executor: fresh.executor,
          plannedDue: fresh.plannedDue,
          ...(change.dates && !relative
            ? {
                due: fresh.due,
                start: begun ? summary.start : fresh.start,
                // A later due makes an overdue task active again; the task says so too, but not at once.
                ...(summary.state === TaskState.overdue && fresh.due !== null && fresh.due >= today ? { state: TaskState.active, daysLate: 0 } : {}),
              }
            : {}),
        },
      ];
    }),
  );
}

/**
 * The one letter per executor of a mid-year start, while it is still to go, after a change: the
 * letter's tasks told their history at the start that it hands them out, so it goes at its slot
 * on the new plan too. A removed task leaves it. A task whose deadline the change moves off the
 * one it was late with is set aside (`moved`), as its workflow then hands it out as any other
 * (task-workflow.ts compares its deadline at the letter's slot with the late one), and comes back
 * should a later change give it that deadline again. A new executor gets it in their letter.
 * @param tasks every running task's summary before the change, by task id
 * @param calendar the calendar the running tasks count by
 */
export function lateAfterChange(late: LateTasksLetters, diff: ScheduleDiff, next: PlanSide, tasks: Readonly<Record<string, TaskSummary>>, calendar: ProductionCalendar, zone: string): LateTasksLetters {
  if (late.sent) return late;
  const kept = new Set(next.tasks.map((task) => task.task));
  const moves = new Map(applicable(diff, tasks).filter((change) => change.dates).map((change) => [change.task, change]));
  const entries = late.tasks.filter((entry) => kept.has(entry.task));
  const moved = new Set(late.moved ?? []);
  for (const entry of entries) {
    const change = moves.get(entry.task);
    if (!change) continue;
    // The deadline the task takes from the change, as its workflow counts it: a `within` one from
    // the completions it waited for (all done before the start), any other as the new plan has it.
    const phrase = itemOf(next.plan, change.after.item)?.within;
    const within = phrase === undefined ? null : readWithin(phrase);
    const countedFrom = maxDate(change.before.after.flatMap((id) => (tasks[id]?.doneOn ? [tasks[id]!.doneOn!] : []))) ?? dateOf(late.at, zone);
    const due = within?.ok ? deadlineAfter(countedFrom, within.within, calendar) : change.after.due;
    if (due === entry.due) moved.delete(entry.task);
    else moved.add(entry.task);
  }
  const stillMoved = entries.map((entry) => entry.task).filter((id) => moved.has(id));
  return { at: late.at, tasks: entries, sent: false, ...(stillMoved.length > 0 ? { moved: stillMoved } : {}) };
}

/**
 * How many tasks of the new schedule, from its head, the old run had started: the new run starts
 * the rest (the starter leaves alone those that run already).
 */
export function startedAfter(before: readonly ScheduledTask[], started: number, next: readonly ScheduledTask[]): number {
  const running = new Set(before.slice(0, started).map((task) => task.task));
  const gap = next.findIndex((task) => !running.has(task.task));
  return gap === -1 ? next.length : gap;
}

/** The tasks of the old run that have a workflow: the first `started` of its schedule. */
export function runningIds(before: readonly ScheduledTask[], started: number): Set<string> {
  return new Set(before.slice(0, started).map((task) => task.task));
}

function itemOf(plan: Plan, id: string): Item | undefined {
  return plan.items.find((item) => item.id === id);
}

function sameReminders(a: Reminders, b: Reminders): boolean {
  const days = (reminders: Reminders) => [...new Set(reminders.before)].sort((x, y) => y - x).join();
  return days(a) === days(b) && a.overdueEvery === b.overdueEvery;
}

function dateText(date: IsoDate | null): string {
  return date === null ? '' : formatRussianDate(date);
}

/** «01.10.2020–30.10.2020», «срок 30.10.2020», «без сроков». */
function datesText(task: Pick<ScheduledTask, 'start' | 'due'>): string {
  if (task.due === null) return 'без сроков';
  if (task.start === null || task.start === task.due) return `срок ${formatRussianDate(task.due)}`;
  return `${formatRussianDate(task.start)}–${formatRussianDate(task.due)}`;
}

/** «за 5 и 1 раб. дн. до срока, о просрочке каждые 2 раб. дн.». */
function remindersText(reminders: Reminders): string {
  const days = [...new Set(reminders.before)].sort((a, b) => b - a);
  const before = days.length === 0 ? 'без напоминаний до срока' : `за ${days.length === 1 ? days[0] : `${days.slice(0, -1).join(', ')} и ${days.at(-1)}`} раб. дн. до срока`;
  return `${before}, о просрочке каждые ${reminders.overdueEvery} раб. дн.`;
}

/** One circle of items waiting for each other, as `a → b → a`, or `undefined`. */
function findCycle(items: readonly Item[]): string[] | undefined {
  const byId = new Map(items.map((item) => [item.id, item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, stack: string[]): string[] | undefined => {
    state.set(id, 'visiting');
    const path = [...stack, id];
    for (const next of byId.get(id)?.after ?? []) {
      if (state.get(next) === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next) && byId.has(next)) {
        const found = visit(next, path);
        if (found) return found;
      }
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const item of items) {
    if (state.has(item.id)) continue;
    const found = visit(item.id, []);
    if (found) return found;
  }
  return undefined;
}

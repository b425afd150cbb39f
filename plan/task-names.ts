/**
 * Tasks as people name them, not as the schedule keys them: `13/2@sch-01` reads «Отчёт о
 * реализации программы, 2-й квартал — МОУ «Ерахтурская СШ»». An occurrence of a repeated
 * activity is named by its dates («1-й квартал», «март», «2-е полугодие», «январь–февраль»),
 * or by its place («3-я из 12») when it has none. The ids stay the keys of addresses and exports.
 */
import { MONTH_NAMES } from './russian-words.ts';
import type { Plan } from './schema.ts';
import type { ScheduledTask } from './schedule.ts';

/** The dates of an occurrence, as the schedule gives them (working days). */
export type OccurrenceDates = { start: string | null; due: string | null };

const month = (date: string) => Number(date.slice(5, 7));
const year = (date: string) => Number(date.slice(0, 4));

/**
 * The name of the `index`-th (from 1) of `count` occurrences of an activity; `''` for an activity
 * done once, which needs none.
 * @example occurrenceName({ start: '2026-04-01', due: '2026-06-30' }, 2, 4) // '2-й квартал'
 * @example occurrenceName({ start: null, due: null }, 3, 12) // '3-я из 12'
 */
export function occurrenceName(dates: OccurrenceDates | null, index: number, count: number): string {
  if (count <= 1) return '';
  const start = dates?.start ?? dates?.due ?? null;
  const due = dates?.due ?? dates?.start ?? null;
  if (start && due && year(start) === year(due)) {
    const first = month(start);
    const last = month(due);
    if (first === last) return MONTH_NAMES[first - 1]!;
    if ((first - 1) % 3 === 0 && last === first + 2) return `${(first - 1) / 3 + 1}-й квартал`;
    if ((first === 1 || first === 7) && last === first + 5) return `${first === 1 ? 1 : 2}-е полугодие`;
    if (last > first) return `${MONTH_NAMES[first - 1]}–${MONTH_NAMES[last - 1]}`;
  }
  return `${index}-я из ${count}`;
}

/** The occurrence part of a task id: `13/2@sch-01` → `13/2`. */
export function occurrenceIdOf(task: string): string {
  const at = task.indexOf('@');
  return at >= 0 ? task.slice(0, at) : task;
}

/**
 * A task's name from its parts, as the pages and the letters write it: the activity, the
 * occurrence of a repeated one, the school of a per-school one.
 * @example taskName('Отчёт о реализации программы', '2-й квартал', 'МОУ СОШ № 5') // 'Отчёт о реализации программы, 2-й квартал — МОУ СОШ № 5'
 * @example taskName('Совещание', '', null) // 'Совещание'
 */
export function taskName(title: string, occurrence?: string | null, school?: string | null): string {
  return `${title}${occurrence ? `, ${occurrence}` : ''}${school ? ` — ${school}` : ''}`;
}

export interface TaskNames {
  /** «2-й квартал» for `13/2`; `''` for an activity done once. */
  occurrence(occurrenceId: string): string;
  /** «Отчёт о реализации программы, 2-й квартал — МОУ «Ерахтурская СШ»». An id the plan does not have is returned as it is. */
  task(taskId: string): string;
  /** The school's name as the pages show it (its short name when it has one). */
  school(schoolId: string): string;
}

/** Names for the tasks of a plan's schedule. */
export function taskNames(plan: { schools?: readonly Pick<Plan['schools'][number], 'id' | 'name' | 'shortName'>[] | undefined }, tasks: readonly Pick<ScheduledTask, 'task' | 'item' | 'title' | 'start' | 'due' | 'school'>[]): TaskNames {
  const schools = new Map((plan.schools ?? []).map((school) => [school.id, school.shortName ?? school.name]));
  const byTask = new Map(tasks.map((task) => [task.task, task]));
  // An item's occurrences, in order, with the dates of their first task.
  const occurrences = new Map<string, Map<string, OccurrenceDates>>();
  for (const task of tasks) {
    const ofItem = occurrences.get(task.item) ?? new Map<string, OccurrenceDates>();
    const id = occurrenceIdOf(task.task);
    if (!ofItem.has(id)) ofItem.set(id, { start: task.start, due: task.due });
    occurrences.set(task.item, ofItem);
  }
  const occurrence = (occurrenceId: string): string => {
    const item = occurrenceId.split('/')[0]!;
    const ofItem = occurrences.get(item);
    if (!ofItem || ofItem.size <= 1) return '';
    const index = Number(/\/(\d+)$/.exec(occurrenceId)?.[1] ?? '1');
    return occurrenceName(ofItem.get(occurrenceId) ?? null, index, Math.max(ofItem.size, index));
  };
  const school = (schoolId: string) => schools.get(schoolId) ?? schoolId;
  return {
    occurrence,
    school,
    task(taskId) {
      const task = byTask.get(taskId);
      if (!task) return taskId;
      return taskName(task.title, occurrence(occurrenceIdOf(taskId)), task.school ? school(task.school) : null);
    },
  };
}

/**
 * Indicators, as data: for every activity of the plan its target as the plan writes it, the
 * actual from what the executors reported, a verdict, and the year's completion. Pure: the
 * loaded plan and its status in, the model out; the indicators page and its spreadsheet show it.
 *
 * Targets are read as people write them: a number (`10`, `30 (по 3 в каждой школе)`), a
 * percent (`100%`), yes/no (`да`), or text (`ШСНРО - 5, ШФНСУ - 2`).
 */
import type { LoadedPlan } from '../../activities/plan-files.ts';
import type { IsoDate } from '../../plan/dates.ts';
import type { Item } from '../../plan/schema.ts';
import { itemPeriod } from '../../plan/schedule.ts';
import type { PlanStatus, TaskState, TaskSummary } from '../../workflows/messages.ts';
import { executorLabel } from './timeline.ts';

/** A target as the plan writes it, and what kind of value it asks for. */
export type Target =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'percent'; value: number; text: string }
  | { kind: 'yesNo'; value: boolean; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

export const VERDICTS = ['reached', 'notReached', 'inProgress', 'notStarted'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** How the pages and the spreadsheet name a verdict. */
export const VERDICT_NAMES: Record<Verdict, string> = {
  reached: 'достигнут',
  notReached: 'не достигнут',
  inProgress: 'в работе',
  notStarted: 'не начат',
};

/** One activity's indicator. */
export interface IndicatorRow {
  item: string;
  title: string;
  period: string;
  executor: string;
  target: Target;
  /** The actual as shown: «7», «70%», «да», the results reported, or «—». */
  actual: string;
  /** The actual as a number, when the target is a number or a percent and one is known. */
  actualNumber: number | null;
  /** The results the done tasks reported, each once, in task order. */
  results: string[];
  verdict: Verdict;
  tasks: number;
  done: number;
  overdue: number;
  /** Reported and waiting for the office's check: not done until accepted. */
  review: number;
  /** The last due day of the activity's tasks. */
  due: IsoDate | null;
  /** The day its last task was done, once all are. */
  doneOn: IsoDate | null;
}

/** The year's completion: activities fully done, tasks done, and the tasks' percent done. */
export interface Completion {
  activities: number;
  activitiesDone: number;
  activitiesReached: number;
  tasks: number;
  tasksDone: number;
  tasksOverdue: number;
  /** Tasks done of all, rounded to a whole percent. */
  percent: number;
}

export interface Indicators {
  /** The plan's today; `null` before the plan is started. */
  asOf: IsoDate | null;
  rows: IndicatorRow[];
  completion: Completion;
}

/** What the indicators need of a task: the status's summary, or a scheduled task before the start. */
export type IndicatorTask = Pick<TaskSummary, 'task' | 'item' | 'state' | 'result' | 'due' | 'doneOn'>;

const NUMBER = /^\s*(\d+(?:[.,]\d+)?)(\s*%)?(?=$|[\s(])/;

/** The number a text starts with and whether it is a percent: «30 (по 3 в каждой школе)» → 30. */
function leadingNumber(text: string): { value: number; percent: boolean } | null {
  const match = NUMBER.exec(text);
  return match ? { value: Number(match[1]!.replace(',', '.')), percent: match[2] !== undefined } : null;
}

/**
 * Reads a target as the plan writes it.
 * @example readTarget('30 (по 3 в каждой школе)') // { kind: 'number', value: 30, text: '30 (по 3 в каждой школе)' }
 * @example readTarget('100%') // { kind: 'percent', value: 100, text: '100%' }
 */
export function readTarget(target: string | number | null | undefined): Target {
  if (target === null || target === undefined || String(target).trim() === '') return { kind: 'none' };
  const text = String(target).trim();
  if (/^(да|нет)$/i.test(text)) return { kind: 'yesNo', value: text.toLowerCase() === 'да', text };
  const number = leadingNumber(text);
  if (number) return number.percent ? { kind: 'percent', value: number.value, text } : { kind: 'number', value: number.value, text };
  return { kind: 'text', text };
}

/** «70%», «66,7%». */
function percentText(value: number): string {
  return `${String(Math.round(value * 10) / 10).replace('.', ',')}%`;
}

function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100).replace('.', ',');
}

const OPEN: readonly TaskState[] = ['active', 'waiting', 'overdue', 'review'];

/**
 * One activity's indicator from its tasks.
 *
 * The actual of a number target is the sum of the done tasks' numbers when every done task
 * reported a number («3 семинара»), otherwise, for an activity of several tasks (per school,
 * repeated), the number of tasks done; a single task's number is its result's. A percent
 * target's actual is the share of tasks done (a single task reporting a percent gives it);
 * yes/no is «да» when all tasks are done; a text target lists the results.
 *
 * The verdict: reached when a number or percent actual meets the target, or when every task is
 * done and the actual does not fall short; not reached when all are done short of it or a task
 * is overdue; in progress once a task has started; not started before.
 */
export function indicatorOf(item: Pick<Item, 'result'>, tasks: readonly IndicatorTask[]): Pick<IndicatorRow, 'target' | 'actual' | 'actualNumber' | 'results' | 'verdict' | 'tasks' | 'done' | 'overdue' | 'review' | 'due' | 'doneOn'> {
  const target = readTarget(item.result);
  const done = tasks.filter((task) => task.state === 'done');
  const overdue = tasks.filter((task) => task.state === 'overdue').length;
  const results = [...new Set(done.flatMap((task) => (task.result?.trim() ? [task.result.trim()] : [])))];
  const allDone = tasks.length > 0 && done.length === tasks.length;
  const reported = done.map((task) => (task.result ? leadingNumber(task.result) : null));

  let actualNumber: number | null = null;
  let actual: string;
  switch (target.kind) {
    case 'number':
      if (done.length > 0 && reported.every((number) => number !== null && !number.percent)) actualNumber = reported.reduce((sum, number) => sum + number!.value, 0);
      else if (tasks.length > 1) actualNumber = done.length;
      actual = actualNumber !== null ? formatNumber(actualNumber) : results.join('; ') || '—';
      break;
    case 'percent':
      if (tasks.length === 1 && reported[0]?.percent) actualNumber = reported[0].value;
      else if (tasks.length > 0) actualNumber = (done.length / tasks.length) * 100;
      actual = actualNumber !== null ? percentText(actualNumber) : '—';
      break;
    case 'yesNo':
      actual = allDone ? 'да' : 'нет';
      break;
    default:
      actual = results.join('; ') || '—';
  }

  const measured = target.kind === 'number' || target.kind === 'percent';
  const met = measured ? actualNumber !== null && actualNumber >= target.value : allDone;
  let verdict: Verdict;
  if (tasks.length === 0) verdict = 'notStarted';
  else if (measured && met && done.length > 0) verdict = 'reached';
  // Done without a number to compare (a single task reporting in words) counts as reached.
  else if (allDone) verdict = met || actualNumber === null ? 'reached' : 'notReached';
  else if (overdue > 0) verdict = 'notReached';
  else if (done.length > 0 || tasks.some((task) => OPEN.includes(task.state))) verdict = 'inProgress';
  else verdict = 'notStarted';

  const dues = tasks.flatMap((task) => (task.due ? [task.due] : [])).sort();
  const doneOns = done.flatMap((task) => (task.doneOn ? [task.doneOn] : [])).sort();
  return {
    target,
    actual,
    actualNumber: actualNumber === null ? null : Math.round(actualNumber * 100) / 100,
    results,
    verdict,
    tasks: tasks.length,
    done: done.length,
    overdue,
    review: tasks.filter((task) => task.state === 'review').length,
    due: dues.at(-1) ?? null,
    doneOn: allDone ? (doneOns.at(-1) ?? null) : null,
  };
}

/**
 * Every activity's indicator, in plan order, and the year's completion, as the plan's status
 * gives them; before the start, from the schedule (nothing done, every verdict «не начат»).
 * @example buildIndicators(loaded, status).completion // { activities: 28, activitiesDone: 3, tasks: 120, tasksDone: 40, percent: 33, … }
 */
export function buildIndicators(loaded: LoadedPlan, status: PlanStatus | null): Indicators {
  const { plan, schedule } = loaded;
  const tasks: IndicatorTask[] = status
    ? status.tasks
    : schedule.tasks.map((task) => ({ task: task.task, item: task.item, state: task.due === null ? 'unscheduled' : 'planned', result: null, due: task.due, doneOn: null }));
  const byItem = new Map<string, IndicatorTask[]>();
  for (const task of tasks) {
    const own = byItem.get(task.item);
    if (own) own.push(task);
    else byItem.set(task.item, [task]);
  }
  const rows: IndicatorRow[] = plan.items.map((item) => ({
    item: item.id,
    title: item.title,
    period: itemPeriod(schedule, item),
    executor: executorLabel(plan, item),
    ...indicatorOf(item, byItem.get(item.id) ?? []),
  }));
  const tasksDone = tasks.filter((task) => task.state === 'done').length;
  return {
    asOf: status?.asOf ?? null,
    rows,
    completion: {
      activities: rows.length,
      activitiesDone: rows.filter((row) => row.tasks > 0 && row.done === row.tasks).length,
      activitiesReached: rows.filter((row) => row.verdict === 'reached').length,
      tasks: tasks.length,
      tasksDone,
      tasksOverdue: tasks.filter((task) => task.state === 'overdue').length,
      percent: tasks.length === 0 ? 0 : Math.round((tasksDone / tasks.length) * 100),
    },
  };
}

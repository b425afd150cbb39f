/**
 * A task's summary as the plan workflow keeps it, and the compact form the pages ask for: the
 * plan's part comes from the schedule, so only what changes travels. Pure: used by the plan
 * workflow and by its clients alike.
 */
import type { IsoDate } from '../plan/dates.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';
import { recipientsOf } from '../plan/recipients.ts';
import { TaskState, type TaskProgressEntry, type TaskSummary } from './messages.ts';

/** A task's summary without what the plan says of it. */
export function progressOf(summary: TaskSummary, task: ScheduledTask): TaskProgressEntry {
  return {
    task: summary.task,
    state: summary.state,
    start: summary.start,
    due: summary.due,
    ...(summary.executor.id !== task.executor ? { executor: summary.executor } : {}),
    ...(summary.result !== null ? { result: summary.result } : {}),
    ...(summary.comment !== null ? { comment: summary.comment } : {}),
    ...(summary.doneOn !== null ? { doneOn: summary.doneOn } : {}),
    ...(summary.reportedOn ? { reportedOn: summary.reportedOn } : {}),
    ...(summary.daysLate > 0 ? { daysLate: summary.daysLate } : {}),
  };
}

export function initialSummary(plan: Plan, task: ScheduledTask): TaskSummary {
  const recipients = recipientsOf(plan, task);
  return {
    task: task.task,
    item: task.item,
    title: task.title,
    period: task.period,
    school: task.school,
    schoolName: recipients.schoolName,
    executor: recipients.executor,
    start: task.start,
    due: task.due,
    plannedDue: task.due,
    state: task.start === null && task.due === null && task.after.length === 0 ? TaskState.unscheduled : TaskState.planned,
    target: task.result,
    result: null,
    comment: null,
    doneOn: null,
    daysLate: 0,
  };
}

/** The whole summary again from its compact form and the plan. */
export function summaryFromProgress(plan: Plan, task: ScheduledTask, entry: TaskProgressEntry): TaskSummary {
  const initial = initialSummary(plan, task);
  return {
    ...initial,
    executor: entry.executor ?? initial.executor,
    start: entry.start,
    due: entry.due,
    state: entry.state,
    result: entry.result ?? null,
    comment: entry.comment ?? null,
    doneOn: entry.doneOn ?? null,
    ...(entry.reportedOn ? { reportedOn: entry.reportedOn } : {}),
    daysLate: entry.daysLate ?? 0,
  };
}

/**
 * A task as of `asOf`: tasks report their changes of state, but lateness grows by itself, so an
 * open task past its due date is overdue (and counts its working days late) without any event.
 * The plan workflow answers its queries with it, and the pages apply it to the stored state.
 * @example currentSummary({ ...summary, state: 'active', due: '2020-10-30' }, '2020-11-03', calendar) // overdue, daysLate 2
 */
export function currentSummary(summary: TaskSummary, asOf: IsoDate, calendar: ProductionCalendar): TaskSummary {
  // A report on check stands as it was reported: its lateness was counted at the report.
  if (summary.state === TaskState.done || summary.state === TaskState.review || summary.due === null) return summary;
  const daysLate = calendar.workingDaysBetween(summary.due, asOf);
  return daysLate > 0 ? { ...summary, daysLate, state: summary.state === TaskState.unscheduled ? summary.state : TaskState.overdue } : summary;
}

/**
 * The first day on which `currentSummary` calls the task overdue (the first working day after
 * its due date; at once for one already reported overdue), or `null` when no day will: done,
 * without a due date, or «по отдельному графику». Lets the store count overdue tasks for any day.
 */
export function overdueFrom(summary: TaskSummary, calendar: ProductionCalendar): IsoDate | null {
  if (summary.state === TaskState.done || summary.state === TaskState.review || summary.state === TaskState.unscheduled) return null;
  if (summary.state === TaskState.overdue) return OVERDUE_ALREADY;
  return summary.due === null ? null : calendar.nextWorkingDay(summary.due);
}

/** The day `overdueFrom` gives a task the task itself reported overdue: before any plan's today. */
export const OVERDUE_ALREADY: IsoDate = '0001-01-01';

/**
 * A task's summary as the plan workflow keeps it, and the compact form the pages ask for: the
 * plan's part comes from the schedule, so only what changes travels. Pure: used by the plan
 * workflow and by its clients alike.
 */
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
    daysLate: entry.daysLate ?? 0,
  };
}

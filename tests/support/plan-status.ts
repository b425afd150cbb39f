/**
 * A plan's status made by hand for tests of the pages: each task planned, active or overdue by
 * its dates on a given day, as the plan workflow would report it, unless overridden.
 */
import type { LoadedPlan } from '../../activities/plan-files.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { schedulePlan } from '../../plan/schedule.ts';
import { Plan } from '../../plan/schema.ts';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import type { PlanFixture } from './build-plan.ts';

/** A plan fixture read and scheduled on the calendar. */
export function loadFixture(fixture: PlanFixture, calendar: ProductionCalendar): LoadedPlan {
  const plan = Plan.parse(fixture);
  return { plan, calendar, schedule: schedulePlan(plan, calendar) };
}

/** The plan's status on `asOf`; an overdue task is `daysLateWhenOverdue` working days late. */
export function statusOf(loaded: LoadedPlan, asOf: string, overrides: Record<string, Partial<TaskSummary>> = {}, { daysLateWhenOverdue = 0 } = {}): PlanStatus {
  const { plan, schedule } = loaded;
  const tasks = schedule.tasks.map((task): TaskSummary => {
    const school = plan.schools.find((entry) => entry.id === task.school);
    const person = plan.people.find((entry) => entry.id === task.executor);
    const state = task.due === null ? 'unscheduled' : task.start! > asOf ? 'planned' : task.due < asOf ? 'overdue' : 'active';
    return {
      task: task.task, item: task.item, title: task.title, period: task.period,
      school: task.school, schoolName: school?.name ?? null,
      executor: school ? { id: task.executor!, name: school.director.name, email: school.director.email } : { id: task.executor!, name: person!.name, email: person!.email },
      start: task.start, due: task.due, plannedDue: task.due, state,
      target: task.result, result: null, comment: null, doneOn: null, daysLate: state === 'overdue' ? daysLateWhenOverdue : 0,
      ...overrides[task.task],
    };
  });
  return { plan: plan.id, key: plan.id, title: plan.title ?? plan.id, asOf, started: 0, total: tasks.length, tasks };
}

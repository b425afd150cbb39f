/** Schedules a fixture plan through the same reader a user's file goes through. */
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { describeIssues, readPlan } from '../../plan/read-plan.ts';
import { schedulePlan, type Schedule, type ScheduleOptions } from '../../plan/schedule.ts';
import { toYaml, type PlanFixture } from './build-plan.ts';

export function scheduleFixture(plan: PlanFixture, calendar: ProductionCalendar, options: ScheduleOptions = {}): Schedule {
  const reading = readPlan(toYaml(plan), 'fixture.yaml');
  if (!reading.ok) throw new Error(`fixture plan is invalid:\n${describeIssues(reading.issues, plan).join('\n')}`);
  return schedulePlan(reading.plan, calendar, options);
}

/** Each task as `id start…due`, the form the tests compare. */
export function taskDates(schedule: Schedule): string[] {
  return schedule.tasks.map((task) => `${task.task} ${task.start ?? '—'}…${task.due ?? '—'}`);
}

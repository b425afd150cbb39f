/**
 * Who a task's mail goes to: the responsible executor (a person, or the school's director),
 * co-executors, the office, and the school's curator.
 */
import type { Recipient } from './notifications.ts';
import { directorOf, type ScheduledTask } from './schedule.ts';
import type { Plan } from './schema.ts';

export interface TaskRecipients {
  executor: Recipient;
  coExecutors: Recipient[];
  office: Recipient | null;
  curator: Recipient | null;
  schoolName: string | null;
}

export function personRecipient(plan: Pick<Plan, 'people'>, id: string): Recipient | null {
  const person = plan.people.find((entry) => entry.id === id);
  return person ? { id: person.id, name: person.name, email: person.email } : null;
}

/** The recipients of a scheduled task, from the plan's people and schools. */
export function recipientsOf(plan: Pick<Plan, 'people' | 'schools' | 'office'>, task: ScheduledTask): TaskRecipients {
  const school = task.school === null ? undefined : plan.schools.find((entry) => entry.id === task.school);
  // A draft's task may name no executor; drafts never start, but their pages and tables must not fail.
  const executor: Recipient = school
    ? { id: task.executor ?? directorOf(school.id), name: school.director.name, email: school.director.email }
    : task.executor === null
      ? { id: '', name: 'исполнитель не назначен', email: '' }
      : personRecipient(plan, task.executor) ?? { id: task.executor, name: task.executor, email: '' };
  return {
    executor,
    coExecutors: task.coExecutors.flatMap((id) => personRecipient(plan, id) ?? []),
    office: plan.office === undefined ? null : personRecipient(plan, plan.office),
    curator: school?.curator === undefined ? null : personRecipient(plan, school.curator),
    schoolName: school ? (school.shortName ?? school.name) : null,
  };
}

/** How the command line names people and schools: short Russian forms. */
import type { ScheduledTask } from '../plan/schedule.ts';
import { NAME_WORD } from '../plan/russian-words.ts';
import type { Plan } from '../plan/schema.ts';

const WHOLE_NAME_WORD = new RegExp(`^${NAME_WORD}$`);

/** «Иванова Ольга Юрьевна» → «Иванова О.Ю.»; a name that is not three words stays as it is. */
export function shortName(fullName: string): string {
  const words = fullName.trim().split(/\s+/);
  if (words.length !== 3 || words.some((word) => !WHOLE_NAME_WORD.test(word))) return fullName;
  return `${words[0]} ${words[1]![0]}.${words[2]![0]}.`;
}

/** The responsible executor of a task, as a reader of the table knows them. */
export function executorLabel(task: ScheduledTask, plan: Plan): string {
  // A draft's item may name no executor yet (plan/drafts.ts).
  if (task.executor === null) return '— (не назначен)';
  if (task.school !== null) {
    const school = plan.schools.find((entry) => entry.id === task.school);
    return school ? `${shortName(school.director.name)}, директор ${school.shortName ?? school.name}` : task.executor;
  }
  const person = plan.people.find((entry) => entry.id === task.executor);
  const label = person ? shortName(person.name) : task.executor;
  return task.coExecutors.length > 0 ? `${label} и др. (${task.coExecutors.length})` : label;
}

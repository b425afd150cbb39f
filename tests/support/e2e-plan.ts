/**
 * Plans for the end-to-end tests, and the clock that puts them just before a mail slot.
 *
 * Each test passes its own plan id; every address in the plan carries that id
 * (`rt-assign.riro@example.org`), so tests never read each other's mail.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPlanFile, type LoadedPlan } from '../../activities/plan-files.ts';
import { SEND_TIME, instantOf } from '../../workflows/clock.ts';
import { buildPlan, toYaml, type PlanFixture } from './build-plan.ts';

/** Monday 2 March 2020, a working day: the day every e2e plan is run on. */
export const SLOT_DAY = '2020-03-02';
export const PLAN_ZONE = 'Europe/Moscow';

/**
 * Three tasks start on Monday 2 March 2020 (item 1, and item 2 for each of the two participant
 * schools); item 3 starts in April, so it must stay silent.
 */
export const E2E_ITEMS: Record<string, unknown>[] = [
  { id: '1', title: 'Разработка программы повышения качества образования', when: 'март', executor: ['riro', 'coordinator'], result: 'да' },
  { id: '2', title: 'Заключение договоров о сотрудничестве со школами-партнёрами', when: 'март', executor: 'riro', per: 'school', result: 1 },
  { id: '3', title: 'Отчёт о реализации программы', when: 'апрель', executor: 'riro' },
];

/** The tasks of `E2E_ITEMS` that start on `SLOT_DAY`, so get their assignment at its 09:00. */
export const TASKS_STARTING_ON_SLOT_DAY = ['1', '2@sch-01', '2@sch-02'];

/** The address `name@example.org` as the plan `id` has it. */
export const addressOf = (id: string, name: string): string => `${id}.${name}@example.org`;

/** `buildPlan` under the id `id`, with every address tagged by it. */
export function e2ePlan(id: string, items: Record<string, unknown>[] = E2E_ITEMS): PlanFixture {
  const base = buildPlan({ id, items });
  const people = (base.people as { id: string; email: string }[]).map((person) => ({ ...person, email: addressOf(id, person.id) }));
  const schools = (base.schools as { id: string; director: { email: string } }[]).map((school) => ({
    ...school,
    director: { ...school.director, email: addressOf(id, `director-${school.id}`) },
  }));
  return { ...base, people, schools };
}

/** Writes the plan as YAML into `dir` and loads it as the command line would. */
export async function writeAndLoadPlan(dir: string, plan: PlanFixture): Promise<{ file: string; loaded: LoadedPlan }> {
  const file = join(dir, `${String(plan.id)}.yaml`);
  await writeFile(file, toYaml(plan));
  const result = await loadPlanFile(file);
  if (!result.ok) throw new Error(`the e2e plan is invalid:\n${result.lines.join('\n')}`);
  return { file, loaded: result.loaded };
}

/**
 * The `clockShiftMs` that makes the workflows' now `secondsBefore` seconds before 09:00
 * Moscow time on `day` (the first mail slot of that day). Compute it right before starting the
 * plan: the margin is real time the workflows need to start.
 */
export function shiftToSlot(day: string, secondsBefore: number, realNow: number = Date.now()): number {
  return instantOf(day, SEND_TIME, PLAN_ZONE) - secondsBefore * 1000 - realNow;
}

/** The real instant at which the workflows' clock (shifted by `shift`) reads 09:00 of `day`. */
export function realInstantOfSlot(day: string, shift: number): number {
  return instantOf(day, SEND_TIME, PLAN_ZONE) - shift;
}

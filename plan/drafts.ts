/**
 * Drafts: a plan read from a Word or Excel table may lack what the table does not say, an
 * item's executor or a person's e-mail. Such a plan is valid (it can be checked and its
 * schedule seen), each gap a warning at its place; it cannot start until the gaps are filled.
 */
import type { Plan } from './schema.ts';

export interface DraftGap {
  /** `['items', 3, 'executor']` or `['people', 1, 'email']`. */
  path: (string | number)[];
  /** What is missing, in a sentence for the plan's author. */
  message: string;
  /** What the gap belongs to, as the author knows it: «пункт «4» «Анализ дорожных карт»». */
  subject: string;
}

/**
 * Every gap of a draft, items first, in plan order; none for a plan that can start. A
 * per-school item needs no executor: each school's director is its executor.
 */
export function draftGaps(plan: Pick<Plan, 'items' | 'people'>): DraftGap[] {
  const items = plan.items.flatMap((item, index): DraftGap[] =>
    item.executor === undefined && item.per === undefined
      ? [{ path: ['items', index, 'executor'], subject: `пункт «${item.id}» «${item.title}»`, message: 'не указан ответственный исполнитель (executor: id человека из people) — план остаётся черновиком: его можно проверять и смотреть сроки, но не запустить' }]
      : [],
  );
  const people = plan.people.flatMap((person, index): DraftGap[] =>
    person.email === ''
      ? [{ path: ['people', index, 'email'], subject: `человек «${person.id}» (${person.name})`, message: 'не указан адрес электронной почты (email) — письма слать некуда; план остаётся черновиком и не запустится, пока адреса не вписаны' }]
      : [],
  );
  return [...items, ...people];
}

/**
 * Why a draft cannot start, naming every item without an executor and every person without an
 * address; `undefined` for a plan that can start.
 * @example draftRefusal(plan, 'plan.yaml') // «План «konakovo» — черновик, он не запущен. …»
 */
export function draftRefusal(plan: Pick<Plan, 'id' | 'items' | 'people'>, file?: string): string | undefined {
  const gaps = draftGaps(plan);
  if (gaps.length === 0) return undefined;
  const items = gaps.filter((gap) => gap.path[0] === 'items');
  const people = gaps.filter((gap) => gap.path[0] === 'people');
  const lines = [`План «${plan.id}» — черновик, он не запущен.`];
  if (items.length > 0) lines.push('Пункты без ответственного исполнителя (executor):', ...items.map((gap) => `  ${gap.subject}`));
  if (people.length > 0) lines.push('Люди без адреса электронной почты (email):', ...people.map((gap) => `  ${gap.subject}`));
  lines.push(file ? `Впишите их в ${file} и проверьте: plangraf validate ${file}` : 'Впишите их в план и проверьте его снова.');
  return lines.join('\n');
}

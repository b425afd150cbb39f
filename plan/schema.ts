/**
 * The plan-graph file, as one zod schema: the types are inferred from it, and every rule
 * that spans fields (references, cycles, periods in the plan's span) is an issue with the
 * path of the field to fix.
 */
import { z } from 'zod';
import { DocumentName, Paperwork } from './documents.ts';
import { readPeriod } from './period.ts';
import { planSpan, resolvePeriod } from './plan-span.ts';
import { readWithin } from './within.ts';

const Id = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: (issue) => `«${String(issue.input)}» не годится как идентификатор: нужны латинские строчные буквы, цифры и дефис (например, «riro», «sch-01»)` }));

/** Item ids are the table's numbers: "1", "3.1", "9а". They must not hold the task-id marks `/` and `@`. */
const ItemId = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^[^\s/@]+$/, { error: 'номер пункта не должен содержать пробелы, «/» и «@»' }));

const Email = z.email({ error: (issue) => `«${String(issue.input)}» — не адрес электронной почты` });

/** One id or a list; the first of a list is the responsible one. */
const OneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]).transform((value): z.output<T>[] => (Array.isArray(value) ? value : [value]));

export const Person = z.object({
  id: Id,
  name: z.string().min(1),
  position: z.string().optional(),
  organization: z.string().optional(),
  /**
   * Where the person's mail goes. A plan imported from a table may not know it yet: then it
   * is `''`, the plan is a draft (a warning for each; `start` refuses it, see plan/drafts.ts),
   * and `''` is what a recipient without an address already is (plan/recipients.ts).
   */
  email: Email.optional().transform((email) => email ?? ''),
  phone: z.string().optional(),
});
export type Person = z.infer<typeof Person>;

export const SchoolKind = z.preprocess(
  (value) => (typeof value === 'string' ? SCHOOL_KIND_ALIASES[value.trim().toLowerCase().replace(/ё/g, 'е')] ?? value : value),
  z.enum(['ШНОР', 'ШНСУ', 'партнер'], { error: 'вид школы — «ШНОР», «ШНСУ» или «партнер»' }),
);
export type SchoolKind = z.infer<typeof SchoolKind>;
const SCHOOL_KIND_ALIASES: Record<string, string> = {
  шнор: 'ШНОР', шснро: 'ШНОР', шнро: 'ШНОР', шнсу: 'ШНСУ', шфнсу: 'ШНСУ', партнер: 'партнер', 'школа-партнер': 'партнер', лидер: 'партнер',
};

export const Director = z.object({
  name: z.string().min(1),
  /** The name in the genitive, for contracts («в лице директора Петрова Петра Петровича»). */
  nameGenitive: z.string().optional(),
  position: z.string().default('директор'),
  email: Email,
});

export const School = z.object({
  id: Id,
  name: z.string().min(1),
  shortName: z.string().optional(),
  kind: SchoolKind,
  municipality: z.string().optional(),
  address: z.string().optional(),
  director: Director,
  /** Person id of the school's personal curator; gets the school's escalations. */
  curator: Id.optional(),
  /** Partner school id, for the partnership contract. */
  partner: Id.optional(),
});
export type School = z.infer<typeof School>;

export const Reminders = z.object({
  /** Working days before the due date on which to remind. */
  before: z.array(z.int().min(0).max(60)).default([5, 1]),
  /** Working days between overdue notices. */
  overdueEvery: z.int().min(1).max(60).default(2),
});
export type Reminders = z.infer<typeof Reminders>;

export const PerKind = z.enum(['school'], { error: 'per — только «school»: одна задача на каждую школу-участницу' });

export const Item = z.object({
  id: ItemId,
  title: z.string().min(1),
  /** The period as people write it: «февраль - март». */
  when: z.string().optional(),
  /** A deadline relative to the completion of `after`: «3 рабочих дня». */
  within: z.string().optional(),
  executor: OneOrMany(Id).optional(),
  per: PerKind.optional(),
  after: OneOrMany(ItemId).optional(),
  /** The target: a number, a percent, yes/no, or the table's text. */
  result: z.union([z.string(), z.number(), z.boolean().transform((value) => (value ? 'да' : 'нет'))]).optional(),
  reminders: Reminders.partial().optional(),
  /** Documents generated when the task starts and sent with its mail: template ids or their Russian names. */
  documents: z.array(DocumentName).optional(),
  /**
   * Execution control: an executor's report waits for the office's check («на проверке») unless
   * this is `false`, when the report closes the task at once.
   */
  check: z.boolean({ error: 'check — true или false: false, если отчёт исполнителя закрывает задачу без проверки проектным офисом' }).optional(),
  note: z.string().optional(),
});
export type Item = z.infer<typeof Item>;

export const Plan = z
  .object({
    id: Id,
    title: z.string().min(1).optional(),
    region: z.string().optional(),
    municipality: z.string().optional(),
    year: z.int().min(2000).max(2100).optional(),
    schoolYear: z.int().min(2000).max(2100).optional(),
    timezone: z.string().default('Europe/Moscow'),
    office: Id.optional(),
    reminders: Reminders.default({ before: [5, 1], overdueEvery: 2 }),
    /** A user's production-calendar files (relative to the plan) that amend the shipped one. */
    calendar: OneOrMany(z.string().min(1)).optional(),
    source: z.string().optional(),
    /** Extension: where documents are signed, who signs them, how they are numbered. */
    paperwork: Paperwork.optional(),
    people: z.array(Person).default([]),
    schools: z.array(School).default([]),
    items: z.array(Item).min(1, { error: 'в плане нет ни одного пункта (items)' }),
  })
  .superRefine(checkPlanReferences, { when: () => true });
export type Plan = z.infer<typeof Plan>;



type Ctx = z.RefinementCtx;
type Path = (string | number)[];

/**
 * The rules that span fields. Runs even when other fields failed, so every error is
 * reported at once; hence it reads the data defensively.
 */
function checkPlanReferences(plan: Plan, ctx: Ctx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const people = Array.isArray(plan.people) ? plan.people : [];
  const schools = Array.isArray(plan.schools) ? plan.schools : [];
  const items = Array.isArray(plan.items) ? plan.items : [];

  const hasYear = plan.year !== undefined;
  const hasSchoolYear = plan.schoolYear !== undefined;
  if (hasYear === hasSchoolYear) {
    issue(hasYear ? ['schoolYear'] : [], hasYear
      ? 'укажите что-то одно: year (календарный год) или schoolYear (учебный год), не оба'
      : 'не указан год плана: year: 2020 для календарного года или schoolYear: 2022 для учебного года 2022/2023');
  }
  if (typeof plan.timezone === 'string' && !isTimeZone(plan.timezone)) {
    issue(['timezone'], `неизвестный часовой пояс «${plan.timezone}»; например, Europe/Moscow`);
  }

  const personIds = uniqueIds(people, ['people'], 'человек', issue);
  const schoolIds = uniqueIds(schools, ['schools'], 'школа', issue);
  const itemIds = uniqueIds(items, ['items'], 'пункт', issue);
  const person = (id: unknown, path: Path) => {
    if (typeof id === 'string' && !personIds.has(id)) issue(path, `нет человека с id «${id}» в people`);
  };

  person(plan.office, ['office']);
  person(plan.paperwork?.signer, ['paperwork', 'signer']);
  schools.forEach((school, index) => {
    person(school?.curator, ['schools', index, 'curator']);
    if (typeof school?.partner === 'string') {
      if (!schoolIds.has(school.partner)) issue(['schools', index, 'partner'], `нет школы с id «${school.partner}» в schools`);
      else if (school.partner === school.id) issue(['schools', index, 'partner'], 'школа не может быть партнёром самой себе');
    }
  });

  const span = hasYear !== hasSchoolYear && (plan.year ?? plan.schoolYear) !== undefined ? planSpan(plan) : undefined;
  const participants = schools.filter((school) => school?.kind === 'ШНОР' || school?.kind === 'ШНСУ');
  items.forEach((item, index) => {
    if (!item || typeof item !== 'object') return;
    const at = (...rest: Path): Path => ['items', index, ...rest];
    (Array.isArray(item.executor) ? item.executor : []).forEach((id, j) => person(id, at('executor', j)));
    (Array.isArray(item.after) ? item.after : []).forEach((id, j) => {
      if (id === item.id) issue(at('after', j), 'пункт не может ждать сам себя');
      else if (typeof id === 'string' && !itemIds.has(id)) issue(at('after', j), `нет пункта с id «${id}» в items`);
    });
    // An item without an executor is a draft's gap, a warning (plan/drafts.ts), not an error.
    if (item.per === 'school' && participants.length === 0) {
      issue(at('per'), 'per: school, но в schools нет школ-участниц (kind: ШНОР или ШНСУ)');
    }
    const hasWhen = typeof item.when === 'string';
    const hasWithin = typeof item.within === 'string';
    if (hasWhen && hasWithin) issue(at('within'), 'укажите что-то одно: when (период) или within (срок после пунктов из after)');
    // A `when` of the wrong type has its own error already.
    if (item.when === undefined && item.within === undefined) issue(at(), 'не указан срок: when (период, например «февраль - март») или within вместе с after');
    if (hasWithin) {
      const reading = readWithin(item.within!);
      if (!reading.ok) issue(at('within'), reading.error);
      if (!Array.isArray(item.after) || item.after.length === 0) issue(at('within'), 'within отсчитывается от выполнения пунктов из after — укажите after');
    }
    if (hasWhen) {
      const reading = readPeriod(item.when!);
      if (!reading.ok) issue(at('when'), reading.error);
      else if (span) {
        const resolution = resolvePeriod(reading.period, span);
        if (!resolution.ok) issue(at('when'), resolution.error);
      }
    }
  });

  checkPaperwork(plan, items, participants, issue);

  for (const cycle of findCycles(items)) {
    issue(['items', cycle.index, 'after'], `пункты ждут друг друга по кругу: ${cycle.ids.map((id) => `«${id}»`).join(' → ')}`);
  }
}

/** What the documents an item names need from the plan, so a plan that cannot make them is refused before it starts. */
function checkPaperwork(plan: Plan, items: readonly (Item | undefined)[], participants: readonly (School | undefined)[], issue: (path: Path, message: string) => void): void {
  const people = Array.isArray(plan.people) ? plan.people : [];
  const signerId = plan.paperwork?.signer ?? plan.office;
  const signer = people.find((person) => person?.id === signerId);
  const hasPlace = plan.paperwork?.place !== undefined || plan.region !== undefined;
  items.forEach((item, index) => {
    (Array.isArray(item?.documents) ? item.documents : []).forEach((document, j) => {
      const at: Path = ['items', index, 'documents', j];
      if (document === 'subsidy-report' || document === 'analytic-note') {
        issue(at, `«${document}» по плану не составить: суммы и результаты мониторинга даёт человек. Уберите его отсюда и создайте командой plangraf render ${document} --data ДАННЫЕ.yaml -o ДОКУМЕНТ.docx`);
        return;
      }
      if ((document === 'contract' || document === 'order') && !hasPlace) issue(at, 'для документа нужно место подписания: добавьте paperwork.place (например, «г. Рязань») или region');
      if (document === 'contract' && !participants.some((school) => typeof school?.partner === 'string')) issue(at, 'договоры не с кем заключать: ни у одной школы-участницы не указан partner');
      if (document === 'order') {
        if (!signer) issue(at, 'приказ некому подписать: укажите paperwork.signer (id человека из people) или office');
        else if (!signer.position) issue(at, `приказ подписывает ${signer.name}, но у него не указана должность (position в people)`);
        else if (plan.paperwork?.issuer === undefined && !signer.organization) issue(at, 'не сказано, кто издаёт приказ: добавьте paperwork.issuer или organization подписывающему');
      }
    });
  });
}

function uniqueIds(list: readonly ({ id?: unknown } | undefined)[], path: Path, noun: string, issue: (path: Path, message: string) => void): Set<string> {
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const id = entry?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first !== undefined) issue([...path, index, 'id'], `id «${id}» уже занят (${noun} ${path[0]}[${first}])`);
    else seen.set(id, index);
  });
  return new Set(seen.keys());
}

/** Each dependency cycle once, reported at the item where it closes. */
function findCycles(items: readonly (Item | undefined)[]): { index: number; ids: string[] }[] {
  const indexById = new Map<string, number>();
  items.forEach((item, index) => {
    if (typeof item?.id === 'string' && !indexById.has(item.id)) indexById.set(item.id, index);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: { index: number; ids: string[] }[] = [];
  const visit = (id: string, stack: string[]) => {
    state.set(id, 'visiting');
    const item = items[indexById.get(id)!];
    for (const next of Array.isArray(item?.after) ? item.after : []) {
      if (next === id || !indexById.has(next)) continue;
      if (state.get(next) === 'visiting') {
        const ids = [...stack.slice(stack.indexOf(next)), id, next];
        cycles.push({ index: indexById.get(id)!, ids: ids.filter((value, i) => i === 0 || value !== ids[i - 1]) });
      } else if (!state.has(next)) {
        visit(next, [...stack, id]);
      }
    }
    state.set(id, 'done');
  };
  for (const id of indexById.keys()) if (!state.has(id)) visit(id, []);
  return cycles;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('ru', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A draft as the preview shows it: every item row as read (its period as written, its start and
 * due dates on the production calendar, executor, target), every person and school, and every
 * problem the plan reader finds, placed on its row. A draft with errors still shows the dates of
 * the rows that read: they are scheduled as if the broken rows were not there.
 */
import { Document } from 'yaml';
import { loadPlanSource, type LoadedPlan } from '../../activities/plan-files.ts';
import type { IsoDate } from '../../plan/dates.ts';
import { draftGaps, draftRefusal } from '../../plan/drafts.ts';
import type { FileIssue } from '../../plan/issues.ts';
import { SchoolKind, type Plan } from '../../plan/schema.ts';
import type { ScheduledTask } from '../../plan/schedule.ts';
import { draftData, textOf } from './draft-changes.ts';
import { personUses } from './draft-edits.ts';

export interface PreviewProblem {
  severity: 'error' | 'warning';
  /** The field it is about (`when`, `executor`, `email`), or `null` for the row as a whole. */
  field: string | null;
  message: string;
}

export interface PreviewRow {
  index: number;
  id: string;
  title: string;
  when: string;
  /** Person ids, the responsible one first. */
  executors: string[];
  /** `per: school`: each school's director is its executor. */
  perSchool: boolean;
  result: string;
  /** Start and due of each occurrence (per-school copies counted once). */
  dates: Array<{ start: IsoDate | null; due: IsoDate | null }>;
  problems: PreviewProblem[];
}

export interface PreviewPerson {
  index: number;
  id: string;
  name: string;
  position: string;
  email: string;
  /** Where the plan names them («исполнитель пункта «3»»): while it does, they cannot be removed. */
  uses: string[];
  problems: PreviewProblem[];
}

export interface PreviewSchool {
  index: number;
  id: string;
  name: string;
  kind: string;
  municipality: string;
  director: string;
  directorEmail: string;
  /** The partner school's id. */
  partner: string;
  /** The curator's person id. */
  curator: string;
  problems: PreviewProblem[];
}

export interface DraftPreview {
  planId: string;
  title: string;
  region: string;
  office: string;
  /** «2027 год», «2026/2027 учебный год». */
  yearLabel: string;
  rows: PreviewRow[];
  people: PreviewPerson[];
  schools: PreviewSchool[];
  /** Problems of the plan as a whole (its year, its id). */
  general: PreviewProblem[];
  errors: number;
  /** Items without an executor and people without an address. */
  gaps: number;
  /** The loaded plan, when it reads without errors. */
  loaded?: LoadedPlan;
  /** Why it cannot start, as the command line says it; `undefined` when it can. */
  refusal?: string;
}

/** Reads a draft's text for the preview; `year`: the dates as the plan laid over that year has them (a plan running over another year). */
export async function previewDraft(text: string, fileName: string, year?: number): Promise<DraftPreview> {
  const data = draftData(text);
  const load = await loadPlanSource({ text, fileName, calendars: [] }, year !== undefined ? { year } : {});
  const issues: FileIssue[] = [...load.issues];
  // A plan with errors is not read far enough to warn of its gaps: they are found in its data.
  if (!load.ok) {
    const gaps = draftGaps({
      items: data.items.map((item) => ({ id: textOf(item.id), title: textOf(item.title), executor: item.executor === null || item.executor === undefined ? undefined : [textOf(item.executor)], per: item.per === 'school' ? 'school' : undefined })) as Plan['items'],
      people: data.people.map((person) => ({ id: textOf(person.id), name: textOf(person.name), email: textOf(person.email) })) as Plan['people'],
    });
    issues.push(...gaps.map((gap): FileIssue => ({ severity: 'warning', file: fileName, path: gap.path, message: gap.message })));
  }
  const tasks = load.ok ? load.loaded.schedule.tasks : await repairedTasks(data);

  const rows: PreviewRow[] = data.items.map((item, index) => {
    const id = textOf(item.id);
    const own = tasks.filter((task) => task.item === id);
    const seen = new Set<string>();
    const dates = own.filter((task) => {
      const key = `${task.start}|${task.due}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).map((task) => ({ start: task.start, due: task.due }));
    const executors = Array.isArray(item.executor) ? item.executor.map(textOf) : item.executor === null || item.executor === undefined ? [] : [textOf(item.executor)];
    return { index, id, title: textOf(item.title), when: textOf(item.when ?? item.within), executors, perSchool: item.per === 'school', result: textOf(item.result), dates, problems: [] };
  });
  const people: PreviewPerson[] = data.people.map((person, index) => ({ index, id: textOf(person.id), name: textOf(person.name), position: textOf(person.position), email: textOf(person.email), uses: personUses(data.fields, textOf(person.id)), problems: [] }));
  const schools: PreviewSchool[] = data.schools.map((school, index) => {
    const director = (school.director && typeof school.director === 'object' ? school.director : {}) as Record<string, unknown>;
    return { index, id: textOf(school.id), name: textOf(school.name), kind: textOf(school.kind), municipality: textOf(school.municipality), director: textOf(director.name), directorEmail: textOf(director.email), partner: textOf(school.partner), curator: textOf(school.curator), problems: [] };
  });
  for (const school of schools) school.problems.push(...partnerProblems(school, schools));
  const general: PreviewProblem[] = [];
  for (const issue of issues) {
    const [list, index, field] = issue.path;
    const problem: PreviewProblem = { severity: issue.severity, field: typeof field === 'string' ? field : null, message: issue.message };
    const target = typeof index !== 'number' ? undefined : list === 'items' ? rows[index] : list === 'people' ? people[index] : list === 'schools' ? schools[index] : undefined;
    if (target) target.problems.push(problem);
    else general.push({ ...problem, message: issue.path.length > 0 && list !== undefined ? `${String(list)}: ${issue.message}` : issue.message });
  }

  const fields = data.fields;
  const yearLabel = fields.schoolYear !== undefined ? `${textOf(fields.schoolYear)}/${Number(fields.schoolYear) + 1} учебный год` : fields.year !== undefined ? `${textOf(fields.year)} год` : 'год не указан';
  const refusal = load.ok ? draftRefusal(load.loaded.plan) : undefined;
  return {
    planId: textOf(fields.id),
    title: textOf(fields.title),
    region: textOf(fields.region),
    office: textOf(fields.office),
    yearLabel,
    rows,
    people,
    schools,
    general,
    errors: issues.filter((issue) => issue.severity === 'error').length,
    gaps: load.ok ? draftGaps(load.loaded.plan).length : issues.filter((issue) => issue.severity === 'warning' && (issue.path[2] === 'executor' || issue.path[2] === 'email')).length,
    ...(load.ok ? { loaded: load.loaded } : {}),
    ...(load.ok ? (refusal !== undefined ? { refusal } : {}) : { refusal: 'В плане есть ошибки: исправьте их на отмеченных строках.' }),
  };
}

/**
 * A partner that is itself a participant: the plan reader takes it (a contract between two
 * participants can be made), but a partner is meant to be a school with high results, so the
 * row says so. An unknown partner is the reader's own error.
 */
function partnerProblems(school: PreviewSchool, schools: readonly PreviewSchool[]): PreviewProblem[] {
  const partner = schools.find((other) => other.id === school.partner && other.id !== school.id);
  const kind = partner ? SchoolKind.safeParse(partner.kind) : undefined;
  if (!partner || !kind?.success || kind.data === 'партнер') return [];
  return [{ severity: 'warning', field: 'partner', message: `партнёр «${partner.name || partner.id}» сам участник (${kind.data}): партнёром выбирают школу вида «партнер»` }];
}

/**
 * The schedule of the rows that read: items with errors are left out (and so are the waits
 * for them), a wrong e-mail is dropped, a school with errors is left out, a few times over.
 */
async function repairedTasks(data: ReturnType<typeof draftData>): Promise<ScheduledTask[]> {
  let fields: Record<string, unknown> = { ...data.fields, items: data.items, people: data.people, schools: data.schools };
  for (let pass = 0; pass < 4; pass += 1) {
    const load = await loadPlanSource({ text: new Document(fields).toString(), fileName: 'draft.yaml', calendars: [] });
    if (load.ok) return load.loaded.schedule.tasks;
    const errors = load.issues.filter((issue) => issue.severity === 'error');
    const badItems = new Set(errors.filter((issue) => issue.path[0] === 'items' && typeof issue.path[1] === 'number').map((issue) => issue.path[1] as number));
    const badSchools = new Set(errors.filter((issue) => issue.path[0] === 'schools' && typeof issue.path[1] === 'number').map((issue) => issue.path[1] as number));
    const badPeople = errors.filter((issue) => issue.path[0] === 'people' && typeof issue.path[1] === 'number');
    if (badItems.size + badSchools.size + badPeople.length === 0 || errors.some((issue) => !['items', 'schools', 'people'].includes(String(issue.path[0])))) return [];
    const items = (fields.items as Record<string, unknown>[]).filter((_, index) => !badItems.has(index));
    const kept = new Set(items.map((item) => textOf(item.id)));
    const people = (fields.people as Record<string, unknown>[]).map((person, index) => (badPeople.some((issue) => issue.path[1] === index) ? { id: person.id, name: person.name ?? 'x' } : person));
    fields = {
      ...fields,
      items: items.map((item) => (Array.isArray(item.after) ? { ...item, after: item.after.filter((id) => kept.has(textOf(id))) } : item)).map((item) => (Array.isArray(item.after) && item.after.length === 0 ? { ...item, after: undefined } : item)),
      people,
      schools: (fields.schools as Record<string, unknown>[]).filter((_, index) => !badSchools.has(index)),
    };
    if (items.length === 0) return [];
  }
  return [];
}

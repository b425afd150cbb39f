/**
 * The year at a glance, as data: one row per activity of the plan, its occurrences as bars
 * placed on the plan's twelve months, each bar split by the states of its tasks, today's line,
 * and the filters the office narrows it with. Pure: the loaded plan, its status and the
 * filters in, the model out; the year page draws it.
 *
 * A per-school item's occurrence is one bar for all its schools (400 schools make one bar, not
 * 400), so the page stays small whatever the number of schools; filtered to one school, the bar
 * is that school's own task.
 */
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { addDays, dayOfWeek, parseIsoDate, type IsoDate } from '../../plan/dates.ts';
import type { PlanSpan } from '../../plan/plan-span.ts';
import { MONTH_NAMES } from '../../plan/russian-words.ts';
import { itemPeriod, participantSchools } from '../../plan/schedule.ts';
import { taskNames } from '../../plan/task-names.ts';
import type { Item, Plan } from '../../plan/schema.ts';
import type { PlanStatus, TaskState } from '../../workflows/messages.ts';

/**
 * How the year shows a task. `dueSoon` is an open task (active or waiting) due in the week of
 * the plan's today, Monday to Sunday; `active` includes the tasks waiting for others.
 */
export const DISPLAY_STATES = ['done', 'review', 'overdue', 'dueSoon', 'active', 'planned', 'unscheduled'] as const;
export type DisplayState = (typeof DISPLAY_STATES)[number];

export type StateCounts = Record<DisplayState, number>;

/** The words after a count of tasks in a state: «2 просрочено». */
export const STATE_COUNT_WORDS: Record<DisplayState, string> = {
  done: 'выполнено',
  review: 'на проверке',
  overdue: 'просрочено',
  dueSoon: 'со сроком на этой неделе',
  active: 'в работе',
  planned: 'запланировано',
  unscheduled: 'без сроков',
};

/** Months as the timeline's header names them. */
export const MONTH_SHORT_NAMES = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'] as const;

/** The executor filter's value for every school director (`director:<school>`). */
export const DIRECTORS = 'director';

/** What the office narrows the year to; every field optional, as read from the query string. */
export interface TimelineFilters {
  /** A person id, or `director` for the schools' directors. */
  executor?: string;
  municipality?: string;
  /** A school id. */
  school?: string;
  state?: DisplayState;
  /** The occurrence whose tasks are listed under the timeline: `13/2`, `9`. */
  occurrence?: string;
}

/** A task as the year shows it. */
export interface TimelineTask {
  task: string;
  /** The task id without its school: `13/2` for `13/2@sch-01`. */
  occurrence: string;
  /** The occurrence as people name it: «2-й квартал», «март»; `''` for an activity done once. */
  when: string;
  /** The task as people name it: «Отчёт, 2-й квартал — МОУ «Ерахтурская СШ»». */
  name: string;
  item: string;
  title: string;
  school: string | null;
  schoolName: string | null;
  executor: { id: string; name: string };
  start: IsoDate | null;
  due: IsoDate | null;
  doneOn: IsoDate | null;
  state: DisplayState;
  daysLate: number;
  result: string | null;
}

/** One occurrence with dates: its tasks' states as shares of a bar from the first start to the last due day. */
export interface TimelineBar {
  occurrence: string;
  /** «2-й квартал», «март»; `''` for an activity done once. */
  when: string;
  /** The task's id when the bar stands for one task (its page is the bar's link); `null` for several. */
  task: string | null;
  start: IsoDate;
  due: IsoDate;
  /** Percent of the plan's span from its first day to the bar's start. */
  left: number;
  /** Percent of the plan's span the bar covers (at least `MIN_BAR_WIDTH`, so a one-day task is visible). */
  width: number;
  total: number;
  counts: StateCounts;
  /** The states present, in `DISPLAY_STATES` order, each with its share of the bar (0–100). */
  segments: { state: DisplayState; count: number; share: number }[];
  /** The most pressing state present: overdue, due this week, active, planned, done. */
  state: DisplayState;
}

/** An occurrence without dates («по отдельному графику»): a marker beside the activity, not a bar. */
export interface TimelineMarker {
  occurrence: string;
  when: string;
  task: string | null;
  total: number;
}

/** One activity (plan item) of the year. */
export interface TimelineRow {
  item: string;
  title: string;
  period: string;
  /** «Петров Иван Сергеевич, Иванова Ольга Юрьевна», «директора школ-участниц, …». */
  executor: string;
  perSchool: boolean;
  bars: TimelineBar[];
  unscheduled: TimelineMarker[];
  /** The row's tasks shown, by state. */
  counts: StateCounts;
  total: number;
}

export interface TimelineMonth {
  year: number;
  /** 1–12. */
  month: number;
  /** «янв». */
  label: string;
  /** «январь 2020». */
  name: string;
  left: number;
  width: number;
}

export interface TimelineOption {
  value: string;
  label: string;
}

/** The choices of the filter form, from the plan and its tasks. */
export interface TimelineOptions {
  /** People who execute a task (as the tasks stand: after hand-overs), then the schools' directors. */
  executors: TimelineOption[];
  municipalities: string[];
  schools: TimelineOption[];
  states: DisplayState[];
}

export interface Timeline {
  span: PlanSpan;
  /** The plan's today; `null` before the plan is started. */
  asOf: IsoDate | null;
  /** Monday and Sunday of the plan's today. */
  week: { from: IsoDate; to: IsoDate } | null;
  months: TimelineMonth[];
  /** Today's line; `null` before the start or when today is outside the plan's span. */
  today: { date: IsoDate; left: number } | null;
  rows: TimelineRow[];
  /** The tasks shown (after the filters), by state. */
  counts: StateCounts;
  shown: number;
  /** Every task of the plan. */
  total: number;
  filters: TimelineFilters;
  options: TimelineOptions;
  /** The tasks of `filters.occurrence` that pass the filters; `null` when none is asked for. */
  occurrence: { occurrence: string; when: string; item: string; title: string; tasks: TimelineTask[] } | null;
}

/** The narrowest bar, in percent of the span: about two days of a year. */
export const MIN_BAR_WIDTH = 0.6;

/** The most pressing first: a bar with one overdue task is marked overdue. */
const URGENCY: readonly DisplayState[] = ['overdue', 'dueSoon', 'review', 'active', 'planned', 'done', 'unscheduled'];

/** Reads the filters from a query string; empty values and unknown states are left out. */
export function readTimelineFilters(query: Readonly<Record<string, string | undefined>>): TimelineFilters {
  const filters: TimelineFilters = {};
  const value = (name: string) => {
    const text = query[name]?.trim();
    return text ? text : undefined;
  };
  const executor = value('executor');
  const municipality = value('municipality');
  const school = value('school');
  const state = value('state');
  const occurrence = value('occurrence');
  if (executor) filters.executor = executor;
  if (municipality) filters.municipality = municipality;
  if (school) filters.school = school;
  if (state && (DISPLAY_STATES as readonly string[]).includes(state)) filters.state = state as DisplayState;
  if (occurrence) filters.occurrence = occurrence;
  return filters;
}

/** The filters as a query string (`executor=riro&state=overdue`), without `occurrence` unless asked for. */
export function filtersQuery(filters: TimelineFilters, occurrence?: string): string {
  const params = new URLSearchParams();
  for (const name of ['executor', 'municipality', 'school', 'state'] as const) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  if (occurrence) params.set('occurrence', occurrence);
  return params.toString();
}

/** The occurrence of a task id: `13/2@sch-01` → `13/2`. */
export function occurrenceOf(task: string): string {
  const at = task.indexOf('@');
  return at < 0 ? task : task.slice(0, at);
}

/**
 * How the year shows a task's state on `asOf`: an open task due in that week (Monday–Sunday)
 * is `dueSoon`, a waiting one is `active`.
 * @example displayState('active', '2020-03-06', { from: '2020-03-02', to: '2020-03-08' }) // 'dueSoon'
 */
export function displayState(state: TaskState, due: IsoDate | null, week: { from: IsoDate; to: IsoDate } | null): DisplayState {
  if (state === 'waiting' || state === 'active') return week && due !== null && due >= week.from && due <= week.to ? 'dueSoon' : 'active';
  return state;
}

/** Monday and Sunday of a day's week. */
export function weekOf(date: IsoDate): { from: IsoDate; to: IsoDate } {
  const from = addDays(date, -((dayOfWeek(date) + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** Tasks by state, all zero. */
export function emptyCounts(): StateCounts {
  return { done: 0, review: 0, overdue: 0, dueSoon: 0, active: 0, planned: 0, unscheduled: 0 };
}

/**
 * The counts in words, done first: «7 из 10 выполнено, 2 просрочено, 1 в работе».
 * @example countsText({ ...emptyCounts(), done: 7, overdue: 2, active: 1 }, 10)
 */
export function countsText(counts: StateCounts, total: number): string {
  const parts = [`${counts.done} из ${total} ${STATE_COUNT_WORDS.done}`];
  for (const state of DISPLAY_STATES) if (state !== 'done' && counts[state] > 0) parts.push(`${counts[state]} ${STATE_COUNT_WORDS[state]}`);
  return parts.join(', ');
}

/** Who answers for an item, by name: the schools' directors first for a per-school item. */
export function executorLabel(plan: Pick<Plan, 'people'>, item: Pick<Item, 'executor' | 'per'>): string {
  const names = (item.executor ?? []).map((id) => plan.people.find((person) => person.id === id)?.name ?? id);
  return [...(item.per === 'school' ? ['директора школ-участниц'] : []), ...names].join(', ') || '—';
}

/** Days since the epoch, for placing days on the span. */
function dayNumber(date: IsoDate): number {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000;
}

const percent = (value: number) => Math.round(value * 100) / 100;

/** A task as the year counts it: a `TimelineTask` before it is named. */
type YearTask = Omit<TimelineTask, 'when' | 'name'>;

interface PlanFacts {
  schools: Map<string, Plan['schools'][number]>;
  people: Map<string, string>;
  names: ReturnType<typeof taskNames>;
  /** `occurrenceOf`, remembered for the plan's tasks. */
  occurrenceOf(task: string): string;
}

/** What the year of a loaded plan reads again and again, worked out once per plan as loaded. */
const factsOfPlans = new WeakMap<LoadedPlan, PlanFacts>();

function planFacts(loaded: LoadedPlan): PlanFacts {
  let facts = factsOfPlans.get(loaded);
  if (!facts) {
    const { plan, schedule } = loaded;
    const occurrences = new Map(schedule.tasks.map((task) => [task.task, occurrenceOf(task.task)]));
    facts = {
      schools: new Map(plan.schools.map((school) => [school.id, school])),
      people: new Map(plan.people.map((person) => [person.id, person.name])),
      names: taskNames(plan, schedule.tasks),
      occurrenceOf: (task) => occurrences.get(task) ?? occurrenceOf(task),
    };
    factsOfPlans.set(loaded, facts);
  }
  return facts;
}

interface Occurrence {
  occurrence: string;
  placed: { tasks: number; first: string; start: IsoDate; due: IsoDate; counts: StateCounts } | null;
  unscheduled: { tasks: number; first: string } | null;
}

interface RowDraft {
  item: string;
  title: string;
  occurrences: Map<string, Occurrence>;
  counts: StateCounts;
  total: number;
}

/**
 * The year of a plan as its status gives it on its today (or, before the plan is started, as
 * its schedule plans it: every task planned). One pass over the tasks: each passes the filters
 * or not, and adds to its occurrence's bar. Rows keep the plan's order; an activity left with
 * no tasks by the filters has no row.
 * @example buildTimeline(loaded, status, { school: 'sch-01' }).rows[0].bars[0].task // '9@sch-01'
 */
export function buildTimeline(loaded: LoadedPlan, status: PlanStatus | null, filters: TimelineFilters): Timeline {
  const { plan, schedule } = loaded;
  const span = schedule.span;
  const spanStart = dayNumber(span.start);
  const spanDays = dayNumber(span.end) - spanStart + 1;
  const position = (date: IsoDate) => ((dayNumber(date) - spanStart) / spanDays) * 100;
  const asOf = status?.asOf ?? null;
  const week = asOf === null ? null : weekOf(asOf);
  const { schools, people, names, occurrenceOf: occurrenceOfTask } = planFacts(loaded);
  const municipalityOf = (school: string | null) => (school === null ? undefined : (schools.get(school)?.municipality ?? plan.municipality));

  // Every task is counted; only the occurrence listed under the timeline needs its tasks named.
  const tasks: YearTask[] = status
    ? status.tasks.map((task) => ({
        task: task.task,
        occurrence: occurrenceOfTask(task.task),
        item: task.item,
        title: task.title,
        school: task.school,
        schoolName: task.schoolName,
        executor: task.executor,
        start: task.start,
        due: task.due,
        doneOn: task.doneOn,
        state: displayState(task.state, task.due, week),
        daysLate: task.daysLate,
        result: task.result,
      }))
    : schedule.tasks.map((task) => {
        const school = task.school === null ? undefined : schools.get(task.school);
        return {
          task: task.task,
          occurrence: occurrenceOfTask(task.task),
          item: task.item,
          title: task.title,
          school: task.school,
          schoolName: school?.name ?? null,
          executor: task.executor === null ? { id: '', name: 'не назначен' } : { id: task.executor, name: school && task.executor.startsWith('director:') ? school.director.name : (people.get(task.executor) ?? task.executor) },
          start: task.start,
          due: task.due,
          doneOn: null,
          state: task.due === null ? 'unscheduled' : 'planned',
          daysLate: 0,
          result: null,
        };
      });
  const named = (task: YearTask): TimelineTask => {
    const when = names.occurrence(task.occurrence);
    const school = task.school === null ? null : (schools.get(task.school)?.shortName ?? task.schoolName ?? names.school(task.school));
    return { ...task, executor: { id: task.executor.id, name: task.executor.name }, when, name: `${task.title}${when ? `, ${when}` : ''}${school ? ` — ${school}` : ''}` };
  };

  const matches = (task: YearTask) =>
    (filters.executor === undefined || (filters.executor === DIRECTORS ? task.executor.id.startsWith('director:') : task.executor.id === filters.executor)) &&
    (filters.municipality === undefined || municipalityOf(task.school) === filters.municipality) &&
    (filters.school === undefined || task.school === filters.school) &&
    (filters.state === undefined || task.state === filters.state);

  const drafts = new Map<string, RowDraft>();
  const executorIds = new Map<string, string>();
  const schoolIds = new Set<string>();
  const counts = emptyCounts();
  let shown = 0;
  const selected: YearTask[] = [];

  for (const task of tasks) {
    if (!executorIds.has(task.executor.id)) executorIds.set(task.executor.id, task.executor.name);
    if (task.school !== null) schoolIds.add(task.school);
    if (!matches(task)) continue;
    counts[task.state] += 1;
    shown += 1;
    if (task.occurrence === filters.occurrence) selected.push(task);

    let draft = drafts.get(task.item);
    if (!draft) drafts.set(task.item, (draft = { item: task.item, title: task.title, occurrences: new Map(), counts: emptyCounts(), total: 0 }));
    draft.counts[task.state] += 1;
    draft.total += 1;
    let occurrence = draft.occurrences.get(task.occurrence);
    if (!occurrence) draft.occurrences.set(task.occurrence, (occurrence = { occurrence: task.occurrence, placed: null, unscheduled: null }));
    if (task.due === null) {
      if (occurrence.unscheduled) occurrence.unscheduled.tasks += 1;
      else occurrence.unscheduled = { tasks: 1, first: task.task };
      continue;
    }
    // A task extended from «по отдельному графику» may have a due day and no start.
    const start = task.start ?? task.due;
    const placed = (occurrence.placed ??= { tasks: 0, first: task.task, start, due: task.due, counts: emptyCounts() });
    placed.tasks += 1;
    placed.counts[task.state] += 1;
    if (start < placed.start) placed.start = start;
    if (task.due > placed.due) placed.due = task.due;
  }

  const rowOf = (draft: RowDraft, item: Item | undefined): TimelineRow => {
    const bars: TimelineBar[] = [];
    const unscheduled: TimelineMarker[] = [];
    for (const occurrence of draft.occurrences.values()) {
      const placed = occurrence.placed;
      if (placed) {
        const from = Math.min(100, Math.max(0, position(placed.start)));
        const to = Math.min(100, Math.max(0, position(addDays(placed.due, 1))));
        const width = Math.max(to - from, MIN_BAR_WIDTH);
        const present = DISPLAY_STATES.filter((state) => placed.counts[state] > 0);
        bars.push({
          occurrence: occurrence.occurrence,
          when: names.occurrence(occurrence.occurrence),
          task: placed.tasks === 1 ? placed.first : null,
          start: placed.start,
          due: placed.due,
          left: percent(Math.min(from, 100 - width)),
          width: percent(width),
          total: placed.tasks,
          counts: placed.counts,
          segments: present.map((state) => ({ state, count: placed.counts[state], share: percent((placed.counts[state] / placed.tasks) * 100) })),
          state: URGENCY.find((state) => placed.counts[state] > 0)!,
        });
      }
      if (occurrence.unscheduled) unscheduled.push({ occurrence: occurrence.occurrence, when: names.occurrence(occurrence.occurrence), task: occurrence.unscheduled.tasks === 1 ? occurrence.unscheduled.first : null, total: occurrence.unscheduled.tasks });
    }
    return {
      item: draft.item,
      title: item?.title ?? draft.title,
      period: item ? itemPeriod(schedule, item) : '',
      executor: item ? executorLabel(plan, item) : '—',
      perSchool: item?.per === 'school',
      bars,
      unscheduled,
      counts: draft.counts,
      total: draft.total,
    };
  };
  const rows: TimelineRow[] = [];
  for (const item of plan.items) {
    const draft = drafts.get(item.id);
    if (draft) rows.push(rowOf(draft, item));
    drafts.delete(item.id);
  }
  // Tasks of items the plan file no longer has (it was edited after the start) still show.
  for (const draft of drafts.values()) rows.push(rowOf(draft, undefined));

  const months: TimelineMonth[] = [];
  const first = parseIsoDate(span.start)!;
  for (let index = 0; index < 12; index += 1) {
    const month = ((first.month - 1 + index) % 12) + 1;
    const year = first.year + Math.floor((first.month - 1 + index) / 12);
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    months.push({ year, month, label: MONTH_SHORT_NAMES[month - 1]!, name: `${MONTH_NAMES[month - 1]} ${year}`, left: percent(position(start)), width: percent(position(next) - position(start)) });
  }

  const participants = participantSchools(plan).filter((school) => schoolIds.has(school.id));
  const executors: TimelineOption[] = [
    ...plan.people.filter((person) => executorIds.has(person.id)).map((person) => ({ value: person.id, label: person.name })),
    ...[...executorIds].filter(([id]) => !people.has(id) && !id.startsWith('director:')).map(([id, name]) => ({ value: id, label: name })),
    ...([...executorIds.keys()].some((id) => id.startsWith('director:')) ? [{ value: DIRECTORS, label: 'Директора школ' }] : []),
  ];

  const occurrenceItem = selected[0]?.item;
  return {
    span,
    asOf,
    week,
    months,
    today: asOf !== null && asOf >= span.start && asOf <= span.end ? { date: asOf, left: percent(position(asOf) + 50 / spanDays) } : null,
    rows,
    counts,
    shown,
    total: tasks.length,
    filters,
    options: {
      executors,
      municipalities: [...new Set(participants.flatMap((school) => municipalityOf(school.id) ?? []))],
      schools: participants.map((school) => ({ value: school.id, label: school.shortName ?? school.name })),
      states: [...DISPLAY_STATES],
    },
    occurrence:
      filters.occurrence === undefined
        ? null
        : { occurrence: filters.occurrence, when: names.occurrence(filters.occurrence), item: occurrenceItem ?? filters.occurrence.split('/')[0]!, title: rows.find((row) => row.item === occurrenceItem)?.title ?? selected[0]?.title ?? '', tasks: selected.map(named) },
  };
}

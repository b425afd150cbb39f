/**
 * Loading plans and production calendars from disk: the plan, the shipped calendar years,
 * the user's calendar files, and the schedule, with every problem placed in its file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CalendarYear } from '../plan/calendar-data.ts';
import { hasErrors, sortIssues, type FileIssue } from '../plan/issues.ts';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { readCalendar } from '../plan/read-calendar.ts';
import { describeIssues, readPlan } from '../plan/read-plan.ts';
import { moveYearsIn, schedulePlan, type Schedule } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';

/** The production calendar that ships with plangraf. */
export const SHIPPED_CALENDAR_DIR = fileURLToPath(new URL('../calendars/production/', import.meta.url));

export interface LoadOptions {
  /** Lay the plan over another (school) year. */
  year?: number;
  /** More calendar files of the user's, on top of those the plan names. */
  calendars?: string[];
  /** Where the shipped calendar is; tests point it elsewhere. */
  shippedCalendarDir?: string;
}

export interface LoadedPlan {
  plan: Plan;
  calendar: ProductionCalendar;
  schedule: Schedule;
  /** What the plan was read from, to keep in the store: its text and the user's calendar years. */
  source?: PlanSource;
}

/** A plan as the store keeps it: the file's text and name, and the calendar years of the user's files it named. */
export interface PlanSource {
  text: string;
  fileName: string;
  calendars: CalendarYear[];
}

export type PlanLoad = { ok: true; loaded: LoadedPlan; issues: FileIssue[]; lines: string[] } | { ok: false; issues: FileIssue[]; lines: string[] };

/**
 * Reads a plan file, its calendars, and schedules it. Never throws for the user's mistakes:
 * a missing file, broken YAML or an invalid plan come back as issues with their places.
 */
export async function loadPlanFile(path: string, options: LoadOptions = {}): Promise<PlanLoad> {
  const file = displayName(path);
  const text = await readText(path);
  if (typeof text !== 'string') return failed([{ severity: 'error', file, path: [], message: text.message }], undefined);
  const reading = readPlan(text, file);
  if (!reading.ok) return failed(reading.issues, reading.source.data);

  const calendarFiles = [
    ...(reading.plan.calendar ?? []).map((name) => resolve(dirname(path), name)),
    ...(options.calendars ?? []).map((name) => resolve(name)),
  ];
  const overrides = await loadCalendarFiles(calendarFiles);
  return scheduleReading(reading, { text, fileName: file, calendars: overrides.years }, overrides.issues, options);
}

/**
 * A plan from the text the store keeps, with the calendar years kept beside it: the pages of
 * any host rebuild the plan this way, with no file of the office's on their disk.
 */
export async function loadPlanSource(source: PlanSource, options: Pick<LoadOptions, 'year' | 'shippedCalendarDir'> = {}): Promise<PlanLoad> {
  const reading = readPlan(source.text, source.fileName);
  if (!reading.ok) return failed(reading.issues, reading.source.data);
  return scheduleReading(reading, source, [], options);
}

async function scheduleReading(reading: Extract<ReturnType<typeof readPlan>, { ok: true }>, source: PlanSource, calendarIssues: FileIssue[], options: LoadOptions): Promise<PlanLoad> {
  const shipped = await loadShippedCalendar(options.shippedCalendarDir ?? SHIPPED_CALENDAR_DIR);
  const issues = [...reading.issues, ...shipped.issues, ...calendarIssues];
  if (hasErrors(issues)) return failed(issues, reading.source.data);

  const calendar = new ProductionCalendar(shipped.years, source.calendars);
  const schedule = schedulePlan(reading.plan, calendar, options.year !== undefined ? { year: options.year } : {});
  for (const warning of schedule.warnings) {
    const position = reading.source.locate(warning.path);
    issues.push({ severity: 'warning', file: source.fileName, line: position.line, col: position.col, path: warning.path, message: warning.message });
  }
  const sorted = sortIssues(issues);
  return { ok: true, loaded: { plan: titleLaidOver(reading.plan, options.year), calendar, schedule, source }, issues: sorted, lines: describeIssues(sorted, reading.source.data) };
}

/** The shipped calendar, read once per process and directory: it does not change while plangraf runs. */
const shippedCalendars = new Map<string, Promise<{ years: CalendarYear[]; issues: FileIssue[] }>>();
function loadShippedCalendar(dir: string): Promise<{ years: CalendarYear[]; issues: FileIssue[] }> {
  let loading = shippedCalendars.get(dir);
  if (!loading) {
    loading = loadCalendarDir(dir);
    shippedCalendars.set(dir, loading);
  }
  return loading;
}

/** A plan laid over another year speaks of that year in its title too: «… на 2020 год» over 2026 reads «… на 2026 год». */
function titleLaidOver(plan: Plan, year: number | undefined): Plan {
  const shift = year === undefined ? 0 : year - (plan.year ?? plan.schoolYear!);
  return shift === 0 || plan.title === undefined ? plan : { ...plan, title: moveYearsIn(plan.title, shift) };
}

function failed(issues: FileIssue[], data: unknown): PlanLoad {
  const sorted = sortIssues(issues);
  return { ok: false, issues: sorted, lines: describeIssues(sorted, data) };
}

/** Every `*.yaml` year file of a calendar directory. */
export async function loadCalendarDir(dir: string): Promise<{ years: CalendarYear[]; issues: FileIssue[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return { years: [], issues: [{ severity: 'error', file: displayName(dir), path: [], message: 'не найден каталог производственного календаря' }] };
  }
  return loadCalendarFiles(names.map((name) => join(dir, name)));
}

export async function loadCalendarFiles(paths: readonly string[]): Promise<{ years: CalendarYear[]; issues: FileIssue[] }> {
  const years: CalendarYear[] = [];
  const issues: FileIssue[] = [];
  for (const path of paths) {
    const text = await readText(path);
    if (typeof text !== 'string') {
      issues.push({ severity: 'error', file: displayName(path), path: [], message: text.message });
      continue;
    }
    const reading = readCalendar(text, displayName(path));
    issues.push(...reading.issues);
    if (reading.ok) years.push(...reading.years);
  }
  return { years, issues };
}

async function readText(path: string): Promise<string | { message: string }> {
  try {
    return decodeUtf8(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { message: 'файл не найден' };
    if (code === 'EISDIR') return { message: 'это каталог, а нужен файл' };
    if (code === 'EACCES') return { message: 'нет прав на чтение файла' };
    return { message: `не удалось прочитать файл: ${(error as Error).message}` };
  }
}

const NOT_UTF8 = 'файл не в кодировке UTF-8. Сохраните его как UTF-8 (в Блокноте: «Сохранить как» → Кодировка: UTF-8)';

/** The text of a file that must be UTF-8; a file in another encoding is the user's to re-save, said plainly. */
function decodeUtf8(bytes: Buffer): string | { message: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    return { message: `${NOT_UTF8}; похоже, он в UTF-16` };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { message: `${NOT_UTF8}; похоже, он в Windows-1251` };
  }
}

/** The path as the user would recognise it: relative to the working directory when inside it. */
function displayName(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? resolve(path) : rel;
}

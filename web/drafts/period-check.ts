/**
 * A period re-read as the office types it: the period reader's own message when it does not
 * read, or the start and due dates it stands for in the draft's year on the production calendar.
 */
import { Document } from 'yaml';
import { loadPlanSource } from '../../activities/plan-files.ts';
import { formatRussianDate, type IsoDate } from '../../plan/dates.ts';
import { readPeriod } from '../../plan/period.ts';
import { draftData } from './draft-changes.ts';

export type PeriodCheck = { ok: true; dates: Array<{ start: IsoDate | null; due: IsoDate | null }>; text: string } | { ok: false; message: string };

/** Reads `when` as a period of the draft whose text is `draftText`. */
export async function checkPeriod(when: string, draftText: string): Promise<PeriodCheck> {
  const reading = readPeriod(when);
  if (!reading.ok) return { ok: false, message: reading.error };
  const { fields } = draftData(draftText);
  const span = fields.schoolYear !== undefined ? { schoolYear: fields.schoolYear } : { year: fields.year };
  const probe = new Document({ id: 'period-check', ...span, ...(typeof fields.timezone === 'string' ? { timezone: fields.timezone } : {}), items: [{ id: '1', title: 'проверка срока', when }] }).toString();
  const load = await loadPlanSource({ text: probe, fileName: 'period-check.yaml', calendars: [] });
  if (!load.ok) {
    const problem = load.issues.find((issue) => issue.severity === 'error' && issue.path[0] === 'items') ?? load.issues.find((issue) => issue.severity === 'error');
    return { ok: false, message: problem?.message ?? 'срок не прочитан' };
  }
  const dates = load.loaded.schedule.tasks.map((task) => ({ start: task.start, due: task.due }));
  return { ok: true, dates, text: describeDates(dates) };
}

/** «с 11.01.2027 по 26.02.2027»; several occurrences one after another; «без сроков» for an unscheduled period. */
export function describeDates(dates: ReadonlyArray<{ start: IsoDate | null; due: IsoDate | null }>): string {
  if (dates.length === 0) return 'без сроков';
  return dates.map(({ start, due }) => (start === null || due === null ? 'без сроков (по отдельному графику)' : start === due ? formatRussianDate(due) : `с ${formatRussianDate(start)} по ${formatRussianDate(due)}`)).join('; ');
}

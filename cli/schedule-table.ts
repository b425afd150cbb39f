/** The schedule as a table a project office reads: task, period, start, due, executor. */
import Table from 'cli-table3';
import { formatRussianDate } from '../plan/dates.ts';
import type { Schedule } from '../plan/schedule.ts';
import type { Plan } from '../plan/schema.ts';
import { executorLabel } from './people.ts';

/** Long titles would bury the dates: the table shows their beginning, the JSON has them whole. */
const TITLE_LIMIT = 90;

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

export function renderScheduleTable(plan: Plan, schedule: Schedule, width: number): string {
  const fixed = { task: 11, period: 22, start: 12, due: 12 };
  const flexible = Math.max(40, width - Object.values(fixed).reduce((a, b) => a + b, 0) - 7 * 3);
  const titleWidth = Math.floor(flexible * 0.55);
  const table = new Table({
    head: ['Задача', 'Мероприятие', 'Период', 'Начало', 'Срок', 'Исполнитель'],
    colWidths: [fixed.task, titleWidth, fixed.period, fixed.start, fixed.due, flexible - titleWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const task of schedule.tasks) {
    table.push([
      task.task,
      truncate(task.title, TITLE_LIMIT),
      task.period,
      task.start ? formatRussianDate(task.start) : '—',
      task.due ? formatRussianDate(task.due) : 'не задан',
      executorLabel(task, plan),
    ]);
  }
  return table.toString();
}

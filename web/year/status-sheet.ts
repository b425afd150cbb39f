/**
 * The office's spreadsheet of how a plan stands: every task, one row, as of the plan's today.
 * (The indicators' spreadsheet lives with the indicators page.)
 */
import { formatRussianDate } from '../../plan/dates.ts';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { planPage, STATE_NAMES } from '../pages/common.ts';
import { buildWorkbook, workbookResponse, type Sheet } from '../spreadsheet.ts';

/**
 * The sheet «Состояние»: every task of the plan in plan order, with its dates as dates, its
 * state in Russian and the working days it is late as a number.
 * @example statusSheet(status).rows.length === status.tasks.length
 */
export function statusSheet(status: PlanStatus): Sheet<TaskSummary> {
  return {
    name: 'Состояние',
    rows: status.tasks,
    columns: [
      { header: 'Задача', width: 14, value: (task) => task.task },
      { header: 'Пункт', width: 8, value: (task) => task.item },
      { header: 'Мероприятие', width: 60, value: (task) => task.title },
      { header: 'Период', width: 20, value: (task) => task.period },
      { header: 'Школа', width: 30, value: (task) => task.schoolName },
      { header: 'Исполнитель', width: 30, value: (task) => task.executor.name },
      { header: 'Начало', width: 12, type: 'date', value: (task) => task.start },
      { header: 'Срок', width: 12, type: 'date', value: (task) => task.due },
      { header: 'Плановый срок', width: 12, type: 'date', value: (task) => task.plannedDue },
      { header: 'Состояние', width: 18, value: (task) => STATE_NAMES[task.state] },
      { header: 'Просрочка, раб. дн.', width: 12, type: 'number', value: (task) => task.daysLate },
      { header: 'Результат', width: 40, value: (task) => task.result },
      { header: 'Комментарий', width: 40, value: (task) => task.comment },
      { header: 'Выполнено', width: 12, type: 'date', value: (task) => task.doneOn },
    ],
  };
}

/** The file name of the download: «Состояние ryazan-2020 на 2020-03-31.xlsx». */
export function statusFileName(status: Pick<PlanStatus, 'key' | 'asOf'>): string {
  return `Состояние ${status.key} на ${formatRussianDate(status.asOf)}.xlsx`;
}

/**
 * GET /plans/:key/status.xlsx: the plan's state as a spreadsheet. A plan this server does not
 * show gets the 404 page; a plan not started, which has no state yet, gets 409.
 */
export async function statusXlsx(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await planPage(c, deps);
  if (!found.ok) return found.response;
  const { served, status } = found;
  if (!status) return c.text(`План не запущен: у плана «${served.key}» ещё нет состояния. Запустите его командой «plangraf start ${served.file}».`, 409);
  const content = await buildWorkbook([statusSheet(status)], { title: `Состояние плана ${status.key} на ${formatRussianDate(status.asOf)}` });
  return workbookResponse(c, statusFileName(status), content);
}

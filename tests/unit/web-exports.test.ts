import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import { statusFileName, statusSheet, statusXlsx } from '../../web/year/status-sheet.ts';
import type { ServedPlan } from '../../web/plans.ts';
import { buildWorkbook } from '../../web/spreadsheet.ts';

function summary(overrides: Partial<TaskSummary> & Pick<TaskSummary, 'task'>): TaskSummary {
  return {
    item: overrides.task.split(/[/@]/)[0]!,
    title: 'Доработка региональной модели',
    period: 'март',
    school: null,
    schoolName: null,
    executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' },
    start: '2020-03-02',
    due: '2020-03-31',
    plannedDue: '2020-03-31',
    state: 'active',
    target: '10',
    result: null,
    comment: null,
    doneOn: null,
    daysLate: 0,
    ...overrides,
  };
}

const STATUS: PlanStatus = {
  plan: 'test-plan',
  key: 'test-plan',
  title: 'Тестовый план-график',
  asOf: '2020-03-10',
  started: 4,
  total: 4,
  tasks: [
    summary({ task: '1' }),
    summary({
      task: '2@sch-01', title: 'Планы школ', period: 'февраль', school: 'sch-01', schoolName: 'МОУ «Ерахтурская средняя школа»',
      executor: { id: 'director:sch-01', name: 'Сидоров Пётр Петрович', email: 'director01@example.org' },
      start: '2020-02-03', due: '2020-02-28', plannedDue: '2020-02-28', state: 'done', result: 'Планы утверждены, 2 шт.', comment: 'Без замечаний; в срок', doneOn: '2020-02-20',
    }),
    summary({ task: '2@sch-02', title: 'Планы школ', period: 'февраль', start: '2020-02-03', due: '2020-03-02', plannedDue: '2020-02-28', state: 'overdue', daysLate: 7 }),
    summary({ task: '3', title: 'Семинар', period: 'по отдельному графику', start: null, due: null, plannedDue: null, state: 'unscheduled' }),
  ],
};

const HEADERS = ['Задача', 'Пункт', 'Мероприятие', 'Период', 'Школа', 'Исполнитель', 'Начало', 'Срок', 'Плановый срок', 'Состояние', 'Просрочка, раб. дн.', 'Результат', 'Комментарий', 'Выполнено'];

/** The .xlsx read back by exceljs, as a spreadsheet program would open it. */
async function readBack(content: Buffer | ArrayBuffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as ArrayBuffer);
  expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Состояние']);
  return workbook.worksheets[0]!;
}

/** A row's cells under their headers. */
function rowOf(sheet: ExcelJS.Worksheet, row: number): Record<string, ExcelJS.Cell> {
  return Object.fromEntries(HEADERS.map((header, index) => [header, sheet.getRow(row).getCell(index + 1)]));
}

describe('the status sheet', () => {
  it('has one row per task under a bold header row that stays in view, with filters on every column', async () => {
    const sheet = await readBack(await buildWorkbook([statusSheet(STATUS)], { title: 'Состояние' }));
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(HEADERS.map((_, index) => sheet.getRow(1).getCell(index + 1).font?.bold)).toEqual(HEADERS.map(() => true));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:N5');
    expect(sheet.rowCount).toBe(5);
    expect([2, 3, 4, 5].map((row) => sheet.getRow(row).getCell(1).value)).toEqual(['1', '2@sch-01', '2@sch-02', '3']);
  });

  it('writes dates as dates of that calendar day, shown as ДД.ММ.ГГГГ', async () => {
    const sheet = await readBack(await buildWorkbook([statusSheet(STATUS)], { title: 'Состояние' }));
    const done = rowOf(sheet, 3);
    for (const [header, date] of [['Начало', '2020-02-03'], ['Срок', '2020-02-28'], ['Плановый срок', '2020-02-28'], ['Выполнено', '2020-02-20']] as const) {
      expect(done[header]!.value).toBeInstanceOf(Date);
      expect((done[header]!.value as Date).toISOString()).toBe(`${date}T00:00:00.000Z`);
      expect(done[header]!.numFmt).toBe('dd.mm.yyyy');
    }
  });

  it('leaves the cells of missing dates empty', async () => {
    const sheet = await readBack(await buildWorkbook([statusSheet(STATUS)], { title: 'Состояние' }));
    const unscheduled = rowOf(sheet, 5);
    expect([unscheduled.Начало!.value, unscheduled.Срок!.value, unscheduled['Плановый срок']!.value, unscheduled.Выполнено!.value]).toEqual([null, null, null, null]);
  });

  it('names states in Russian and gives the working days late as a number', async () => {
    const sheet = await readBack(await buildWorkbook([statusSheet(STATUS)], { title: 'Состояние' }));
    expect([2, 3, 4, 5].map((row) => rowOf(sheet, row).Состояние!.value)).toEqual(['в работе', 'выполнена', 'просрочена', 'без сроков']);
    const overdue = rowOf(sheet, 4)['Просрочка, раб. дн.']!;
    expect(overdue.value).toBe(7);
    expect(overdue.type).toBe(ExcelJS.ValueType.Number);
    expect(rowOf(sheet, 2)['Просрочка, раб. дн.']!.value).toBe(0);
  });

  it('carries the school, the executor, the result and the comment as written', async () => {
    const sheet = await readBack(await buildWorkbook([statusSheet(STATUS)], { title: 'Состояние' }));
    const done = rowOf(sheet, 3);
    expect([done.Пункт!.value, done.Мероприятие!.value, done.Период!.value, done.Школа!.value, done.Исполнитель!.value, done.Результат!.value, done.Комментарий!.value]).toEqual([
      '2', 'Планы школ', 'февраль', 'МОУ «Ерахтурская средняя школа»', 'Сидоров Пётр Петрович', 'Планы утверждены, 2 шт.', 'Без замечаний; в срок',
    ]);
    expect(rowOf(sheet, 2).Школа!.value).toBeNull();
  });
});

describe('GET /plans/:key/status.xlsx', () => {
  const servedPlan = { key: 'test-plan', org: 'test', file: 'plans/test-plan.yaml', loaded: { plan: { title: 'Тестовый план-график' } } } as unknown as ServedPlan;

  function app(status: PlanStatus | null) {
    const deps = { plans: { get: (key: string) => (key === servedPlan.key ? servedPlan : undefined), status: async () => status } } as unknown as WebDeps;
    const web = new Hono<WebEnv>();
    web.use('*', async (c, next) => {
      c.set('session', { login: 'office', name: 'Иванова О. Ю.', org: 'test', role: 'office', schools: [], municipality: null, csrf: 'csrf', expires: Number.MAX_SAFE_INTEGER });
      await next();
    });
    web.get('/plans/:key/status.xlsx', (c) => statusXlsx(c, deps));
    return web;
  }

  it('downloads the sheet under a Russian file name with the plan\'s day', async () => {
    const response = await app(STATUS).request('/plans/test-plan/status.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(statusFileName(STATUS)).toBe('Состояние test-plan на 10.03.2020.xlsx');
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Состояние test-plan на 10.03.2020.xlsx')}`);
    const sheet = await readBack(await response.arrayBuffer());
    expect(sheet.rowCount).toBe(5);
  });

  it('answers 409 «План не запущен» for a plan with no state yet', async () => {
    const response = await app(null).request('/plans/test-plan/status.xlsx');
    expect(response.status).toBe(409);
    expect(await response.text()).toMatch(/^План не запущен/);
  });

  it('answers with the 404 page for a plan the server does not show', async () => {
    const response = await app(STATUS).request('/plans/other-plan/status.xlsx');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('План не найден');
  });
});

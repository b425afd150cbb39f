/**
 * The report on the execution of the plan-graph (отчёт о выполнении плана-графика): one row per
 * activity with its period, executor, target, actual result and state, and the totals.
 */
import { formatRussianDate } from '../../plan/dates.ts';
import { z } from 'zod';
import { defineTemplate } from './definition.ts';
import { IsoDate, numbered, safeFileName, Signer, Text } from './common.ts';

const ReportRow = z.object({
  /** The activity's number in the plan: «13». */
  item: Text,
  title: Text,
  period: Text,
  executor: Text,
  /** The target from the plan, «—» when it has none. */
  target: Text,
  /** What the executors reported, «—» when nothing yet. */
  actual: Text,
  /** «выполнено», «выполнено 7 из 10», «просрочено», «в работе», «не начато». */
  state: Text,
  /** The due date(s): «31.03.2020», or «31.03.2020 – 30.11.2020» for a repeated activity. */
  due: Text,
  /** Every task of the activity is done. */
  done: z.boolean(),
  /** Some task of it is past its due date and not done. */
  overdue: z.boolean(),
  /** Tasks of the activity (occurrences × schools) and how many are done. */
  tasks: z.number().int().min(0),
  tasksDone: z.number().int().min(0),
});

const ExecutionReportInput = z.object({
  /** The plan-graph's title. */
  title: Text,
  region: Text.optional(),
  /** «2026 год» or «2026/2027 учебный год». */
  period: Text,
  /** The day the states are given for. */
  asOf: IsoDate,
  rows: z.array(ReportRow).min(1, { error: 'в отчёте нет ни одного мероприятия' }),
  signer: Signer.optional(),
});

const ExecutionReportData = ExecutionReportInput.extend({
  number: Text,
  date: IsoDate,
  rows: z.array(ReportRow.extend({ n: z.number() })),
  totals: z.object({
    activities: z.number(),
    done: z.number(),
    overdue: z.number(),
    inProgress: z.number(),
    tasks: z.number(),
    tasksDone: z.number(),
    /** Share of the activities done, in percent. */
    percentDone: z.number(),
  }),
});

export const executionReportTemplate = defineTemplate({
  id: 'execution-report',
  title: 'Отчёт о выполнении плана-графика',
  file: 'execution-report.docx',
  input: ExecutionReportInput,
  data: ExecutionReportData,
  prepare: (input, issue) => {
    const done = input.rows.filter((row) => row.done).length;
    const overdue = input.rows.filter((row) => row.overdue).length;
    return {
      ...input,
      ...issue,
      rows: numbered(input.rows),
      totals: {
        activities: input.rows.length,
        done,
        overdue,
        inProgress: input.rows.length - done - overdue,
        tasks: input.rows.reduce((sum, row) => sum + row.tasks, 0),
        tasksDone: input.rows.reduce((sum, row) => sum + row.tasksDone, 0),
        percentDone: Math.round((done / input.rows.length) * 1000) / 10,
      },
    };
  },
  fileName: (data) => safeFileName(`Отчёт ${data.number} о выполнении плана-графика на ${formatRussianDate(data.asOf)}`),
  sample: {
    title: 'План-график выполнения работ по реализации мероприятия «Повышение качества образования в школах с низкими результатами обучения» на 2026 год',
    region: 'Рязанская область',
    period: '2026 год',
    asOf: '2026-12-15',
    rows: [
      { item: '1', title: 'Доработка региональной модели поддержки ШСНРО и ШФНСУ', period: 'январь – февраль', executor: 'Морозова Н. Г.', target: '3', actual: '3 модели доработаны', state: 'выполнено', due: '27.02.2026', done: true, overdue: false, tasks: 1, tasksDone: 1 },
      { item: '10', title: 'Организация сетевого партнерства, подписание партнерских договоров', period: 'март – апрель', executor: 'директора школ', target: '10', actual: '8 договоров', state: 'выполнено 8 из 10', due: '30.04.2026', done: false, overdue: true, tasks: 10, tasksDone: 8 },
      { item: '26', title: 'Подготовка отчета о расходовании средств субсидии', period: 'ноябрь – декабрь', executor: 'Кузнецова Е. В.', target: '—', actual: '—', state: 'в работе', due: '30.12.2026', done: false, overdue: false, tasks: 1, tasksDone: 0 },
    ],
    signer: { position: 'Региональный координатор проекта', name: 'Кузнецова Елена Викторовна' },
  },
});

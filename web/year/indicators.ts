/**
 * The indicators page and its spreadsheet: for every activity its target, the actual from the
 * executors' results, the verdict and how many of its tasks are done; the year's completion
 * on top.
 */
import { formatRussianDate } from '../../plan/dates.ts';
import { describeSpan } from '../../plan/plan-span.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { html, type Html } from '../html.ts';
import { buildIndicators, VERDICT_NAMES, type IndicatorRow, type Indicators, type Verdict } from './indicator-data.ts';
import { page } from '../layout.ts';
import { buildWorkbook, workbookResponse, type Sheet } from '../spreadsheet.ts';
import { notStarted, planPage } from '../pages/common.ts';

/** A verdict's colour: the state colours the year uses. */
const VERDICT_CLASSES: Record<Verdict, string> = {
  reached: 'state-done',
  notReached: 'state-overdue',
  inProgress: 'state-active',
  notStarted: 'state-planned',
};

/** How many results a row shows on the page; the spreadsheet has them all. */
const RESULTS_SHOWN = 3;

/** A spreadsheet cell holds at most 32,767 characters. */
const CELL_LIMIT = 32_000;

const targetText = (row: IndicatorRow) => (row.target.kind === 'none' ? '—' : row.target.text);

function doneText(row: IndicatorRow): string {
  if (row.tasks === 0) return '—';
  return `${row.done} из ${row.tasks}${row.overdue > 0 ? `, просрочено ${row.overdue}` : ''}${row.review > 0 ? `, на проверке ${row.review}` : ''}`;
}

function resultsList(row: IndicatorRow): Html {
  // A text target's actual is its results already.
  if (row.results.length === 0 || row.actual === row.results.join('; ')) return html``;
  const more = row.results.length - RESULTS_SHOWN;
  return html`<div class="muted ind-results">${row.results.slice(0, RESULTS_SHOWN).join('; ')}${more > 0 ? ` и ещё ${more}` : ''}</div>`;
}

/** «Выполнено задач 40 из 120 (33%); мероприятий выполнено полностью 3 из 28; показатель достигнут по 5». */
export function completionText(indicators: Indicators): string {
  const { completion } = indicators;
  return [
    `выполнено задач ${completion.tasksDone} из ${completion.tasks} (${completion.percent}%)`,
    `мероприятий выполнено полностью ${completion.activitiesDone} из ${completion.activities}`,
    `показатель достигнут по ${completion.activitiesReached}`,
    ...(completion.tasksOverdue > 0 ? [`просрочено задач ${completion.tasksOverdue}`] : []),
  ].join('; ');
}

/** The indicators page's body: pure, so a test can read it. */
export function renderIndicators(planKey: string, indicators: Indicators, span: Parameters<typeof describeSpan>[0]): Html {
  const { completion } = indicators;
  return html`<h1>Показатели: ${describeSpan(span)}</h1>
<p class="ind-completion" data-percent="${completion.percent}" data-done="${completion.tasksDone}" data-total="${completion.tasks}"><strong>Выполнение за год${indicators.asOf ? ` на ${formatRussianDate(indicators.asOf)}` : ''}: ${completion.percent}%</strong> — ${completionText(indicators)}.</p>
<p><a href="/plans/${encodeURIComponent(planKey)}/indicators.xlsx">Скачать показатели (.xlsx)</a></p>
<table class="grid indicators"><thead><tr><th>№</th><th>Мероприятие</th><th>Целевое значение</th><th>Фактическое значение</th><th>Оценка</th><th>Выполнено задач</th></tr></thead>
<tbody>${indicators.rows.map(
    (row) => html`<tr data-item="${row.item}" data-verdict="${row.verdict}">
<td>${row.item}</td>
<td>${row.title}<div class="muted">${row.period}; ${row.executor}</div></td>
<td>${targetText(row)}</td>
<td>${row.actual}${resultsList(row)}</td>
<td><span class="state ${VERDICT_CLASSES[row.verdict]}">${VERDICT_NAMES[row.verdict]}</span></td>
<td data-done="${row.done}" data-tasks="${row.tasks}">${doneText(row)}</td>
</tr>`,
  )}</tbody></table>`;
}

/**
 * The sheet «Показатели»: one row per activity in plan order, targets as the plan writes them,
 * counts as numbers and the last due and done days as dates.
 */
export function indicatorsSheet(indicators: Indicators): Sheet<IndicatorRow> {
  return {
    name: 'Показатели',
    rows: indicators.rows,
    columns: [
      { header: '№', width: 6, value: (row) => row.item },
      { header: 'Мероприятие', width: 60, value: (row) => row.title },
      { header: 'Период', width: 20, value: (row) => row.period },
      { header: 'Исполнитель', width: 30, value: (row) => row.executor },
      { header: 'Целевое значение', width: 20, value: (row) => (row.target.kind === 'none' ? null : row.target.text) },
      { header: 'Фактическое значение', width: 20, value: (row) => (row.actual === '—' ? null : row.actual.slice(0, CELL_LIMIT)) },
      { header: 'Оценка', width: 14, value: (row) => VERDICT_NAMES[row.verdict] },
      { header: 'Выполнено задач', width: 12, type: 'number', value: (row) => row.done },
      { header: 'Всего задач', width: 10, type: 'number', value: (row) => row.tasks },
      { header: 'Просрочено задач', width: 12, type: 'number', value: (row) => row.overdue },
      { header: 'Срок', width: 12, type: 'date', value: (row) => row.due },
      { header: 'Выполнено', width: 12, type: 'date', value: (row) => row.doneOn },
      { header: 'Результаты', width: 50, value: (row) => row.results.join('; ').slice(0, CELL_LIMIT) || null },
    ],
  };
}

/** The file name of the download: «Показатели ryazan-2020.xlsx». */
export function indicatorsFileName(planKey: string): string {
  return `Показатели ${planKey}.xlsx`;
}

/** GET /plans/:key/indicators. */
export async function indicatorsPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await planPage(c, deps);
  if (!found.ok) return found.response;
  const { served, status } = found;
  const indicators = buildIndicators(served.loaded, status);
  const body = html`${status ? '' : notStarted(served)}${renderIndicators(served.key, indicators, served.loaded.schedule.span)}`;
  return c.html(page({ title: 'Показатели', body, ...found.shell('Показатели', 'indicators') }));
}

/**
 * GET /plans/:key/indicators.xlsx: the indicators as a spreadsheet. A plan not started yet still
 * has its targets, so it gets the sheet with every verdict «не начат».
 */
export async function indicatorsXlsx(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await planPage(c, deps);
  if (!found.ok) return found.response;
  const { served, status } = found;
  const indicators = buildIndicators(served.loaded, status);
  const content = await buildWorkbook([indicatorsSheet(indicators)], { title: `Показатели плана ${served.key}${indicators.asOf ? ` на ${formatRussianDate(indicators.asOf)}` : ''}: ${completionText(indicators)}` });
  return workbookResponse(c, indicatorsFileName(served.key), content);
}

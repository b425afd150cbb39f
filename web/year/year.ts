/**
 * The year page: the plan's activities on its twelve months, each occurrence a bar coloured by
 * the states of its tasks, today's line, the office's filters, the tasks of one occurrence on
 * request, and the spreadsheets to download.
 *
 * Bars are drawn in SVG: the pages' Content-Security-Policy (`style-src 'self'`) forbids
 * inline `style` attributes, while SVG's `x` and `width` attributes place a bar at any
 * percentage of the year without them.
 */
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { formatRussianDate } from '../../plan/dates.ts';
import { describeSpan } from '../../plan/plan-span.ts';
import { listDrafts } from '../../store/plan-drafts.ts';
import { draftsOrgOf, editsDrafts } from '../access.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { feedUrl } from '../feeds.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { buildTimeline, countsText, DISPLAY_STATES, filtersQuery, readTimelineFilters, STATE_COUNT_WORDS, type DisplayState, type Timeline, type TimelineBar, type TimelineFilters, type TimelineMarker, type TimelineRow } from './timeline.ts';
import { notStarted, planPage, STATE_NAMES, stateClass } from '../pages/common.ts';
import { taskUrl } from '../tasks/task.ts';
import type { PlanStatus } from '../../workflows/messages.ts';

/** What the year page draws. */
export interface YearPageModel {
  planKey: string;
  timeline: Timeline;
  /** The signed addresses of the calendar feeds: the whole plan's, and the filtered executor's. */
  feeds?: { plan: string; executor: { name: string; url: string } | null };
}

const TRACK_HEIGHT = 30;
const BAR_Y = 5;
const BAR_HEIGHT = 20;

const yearUrl = (planKey: string, query = '') => `/plans/${encodeURIComponent(planKey)}/year${query ? `?${query}` : ''}`;

/** The SVG class of a state's colour (`seg-due-soon`). */
function segmentClass(state: DisplayState): string {
  return `seg-${state === 'dueSoon' ? 'due-soon' : state}`;
}

/** «13/2» → «пункт 13, 2-й раз»; «9» → «пункт 9». */
/** «пункт 2, 1-й квартал», «пункт 3»: the plan's item number and the occurrence by its dates. */
function occurrenceName(occurrence: { occurrence: string; when: string }): string {
  const item = occurrence.occurrence.split('/')[0];
  return occurrence.when ? `пункт ${item}, ${occurrence.when}` : `пункт ${item}`;
}

function dates(bar: Pick<TimelineBar, 'start' | 'due'>): string {
  return bar.start === bar.due ? formatRussianDate(bar.due) : `${formatRussianDate(bar.start)} – ${formatRussianDate(bar.due)}`;
}

/** What a bar says in words: its title attribute and its accessible name. */
export function barLabel(row: Pick<TimelineRow, 'title'>, bar: Pick<TimelineBar, 'occurrence' | 'when' | 'task' | 'state' | 'counts' | 'total' | 'start' | 'due'>): string {
  const states = bar.task !== null ? STATE_NAMES[bar.state] : countsText(bar.counts, bar.total);
  return `${occurrenceName(bar)} «${row.title}», ${dates(bar)}: ${states}`;
}

/** Short state names for bars too narrow for the full one; the title and the legend keep the full names. */
const SHORT_STATE_NAMES: Record<keyof typeof STATE_NAMES, string> = {
  planned: 'план',
  waiting: 'ждёт',
  active: 'в работе',
  dueSoon: 'срок',
  overdue: 'просроч.',
  review: 'проверка',
  done: 'готово',
  unscheduled: 'без сроков',
};

/**
 * How many characters of the bar font fit in a bar of `width`% of the track, with its left padding.
 * Measured on the page at 1,280 pixels: the track is about 860 pixels wide, a character about 6.5.
 */
function charactersThatFit(width: number): number {
  return Math.floor((width * 8.6 - 6) / 6.5);
}

/** The visible text of a bar: the state of one task (shortened or left out when the bar is narrow), «7/10» done of several. */
export function barText(bar: Pick<TimelineBar, 'task' | 'state' | 'counts' | 'total' | 'width'>): string {
  const room = charactersThatFit(bar.width);
  const candidates = bar.task !== null ? [STATE_NAMES[bar.state], SHORT_STATE_NAMES[bar.state]] : [`${bar.counts.done}/${bar.total}`];
  return candidates.find((text) => text.length <= room) ?? '';
}

function barHref(model: YearPageModel, task: string | null, occurrence: string): string {
  return task !== null ? taskUrl(model.planKey, task) : `${yearUrl(model.planKey, filtersQuery(model.timeline.filters, occurrence))}#occurrence`;
}

function bar(model: YearPageModel, row: TimelineRow, item: TimelineBar): Html {
  const label = barLabel(row, item);
  return html`<a class="tl-bar" href="${barHref(model, item.task, item.occurrence)}" aria-label="${label}" data-occurrence="${item.occurrence}" data-state="${item.state}" data-total="${item.total}"${item.task !== null ? html` data-task="${item.task}"` : ''}><title>${label}</title><svg x="${item.left}%" y="${BAR_Y}" width="${item.width}%" height="${BAR_HEIGHT}">${item.segments.reduce<{ at: number; parts: Html[] }>(
    (acc, segment) => {
      acc.parts.push(html`<rect class="${segmentClass(segment.state)}" data-state="${segment.state}" data-count="${segment.count}" x="${Math.round(acc.at * 100) / 100}%" width="${segment.share}%" height="100%"/>`);
      acc.at += segment.share;
      return acc;
    },
    { at: 0, parts: [] },
  ).parts}<rect class="tl-frame" width="100%" height="100%"/><text x="4" y="14">${barText(item)}</text></svg></a>`;
}

function marker(model: YearPageModel, row: TimelineRow, item: TimelineMarker): Html {
  const label = item.total === 1 ? STATE_NAMES.unscheduled : `${item.total} ${STATE_COUNT_WORDS.unscheduled}`;
  return html`<a class="state state-unscheduled tl-marker" href="${barHref(model, item.task, item.occurrence)}" title="${occurrenceName(item)} «${row.title}»: по отдельному графику, сроков нет" data-occurrence="${item.occurrence}" data-state="unscheduled" data-total="${item.total}"${item.task !== null ? html` data-task="${item.task}"` : ''}>${label}</a>`;
}

/** Month lines and today's line behind a row's bars. */
function grid(timeline: Timeline): Html {
  return html`${timeline.months.slice(1).map((month) => html`<line class="tl-grid" x1="${month.left}%" x2="${month.left}%" y1="0" y2="100%"/>`)}${timeline.today ? html`<line class="tl-today" x1="${timeline.today.left}%" x2="${timeline.today.left}%" y1="0" y2="100%"/>` : ''}`;
}

function header(timeline: Timeline): Html {
  const today = timeline.today;
  const anchor = today === null ? 'middle' : today.left < 10 ? 'start' : today.left > 90 ? 'end' : 'middle';
  return html`<div class="tl-row tl-head"><div class="tl-label">Мероприятие</div>
<svg class="tl-months" width="100%" height="40">${timeline.months.map(
    (month) => html`<text x="${Math.round((month.left + month.width / 2) * 100) / 100}%" y="15" text-anchor="middle"><title>${month.name}</title>${month.label}</text>`,
  )}${grid(timeline)}${today ? html`<text class="tl-today-label" data-today="${today.date}" x="${today.left}%" y="34" text-anchor="${anchor}">сегодня, ${formatRussianDate(today.date)}</text>` : ''}</svg></div>`;
}

function row(model: YearPageModel, item: TimelineRow): Html {
  const urgent = (['overdue', 'dueSoon'] as const).filter((state) => item.counts[state] > 0);
  return html`<div class="tl-row" data-item="${item.item}">
<div class="tl-label"><span class="tl-title" title="${item.title}">${item.item}. ${item.title}</span>
<span class="tl-meta">${item.period}; ${item.executor}</span>
${urgent.map((state) => html` <span class="state ${stateClass(state)}" data-state="${state}" data-count="${item.counts[state]}">${STATE_COUNT_WORDS[state]}: ${item.counts[state]}</span>`)}${item.unscheduled.map((entry) => html` ${marker(model, item, entry)}`)}</div>
<svg class="tl-track" width="100%" height="${TRACK_HEIGHT}" role="group" aria-label="${item.item}. ${item.title}">${grid(model.timeline)}${item.bars.map((entry) => bar(model, item, entry))}</svg>
</div>`;
}

function select(name: string, label: string, options: readonly { value: string; label: string }[], current: string | undefined): Html {
  return html`<div><label for="filter-${name}">${label}</label><select id="filter-${name}" name="${name}"><option value="">все</option>${options.map(
    (option) => html`<option value="${option.value}"${option.value === current ? html` selected` : ''}>${option.label}</option>`,
  )}</select></div>`;
}

function filterForm(model: YearPageModel): Html {
  const { options, filters } = model.timeline;
  return html`<form class="tl-filters" method="get" action="${yearUrl(model.planKey)}">
${select('executor', 'Исполнитель', options.executors, filters.executor)}
${options.municipalities.length > 0 ? select('municipality', 'Муниципалитет', options.municipalities.map((name) => ({ value: name, label: name })), filters.municipality) : ''}
${options.schools.length > 0 ? select('school', 'Школа', options.schools, filters.school) : ''}
${select('state', 'Состояние', options.states.map((state) => ({ value: state, label: STATE_NAMES[state] })), filters.state)}
<div class="tl-filter-buttons"><button type="submit">Показать</button> <a href="${yearUrl(model.planKey)}">Сбросить</a></div>
</form>`;
}

function legend(): Html {
  return html`<ul class="tl-legend" aria-label="Цвета состояний">${DISPLAY_STATES.map((state) => html`<li><span class="state ${stateClass(state)}">${STATE_NAMES[state]}</span></li>`)}</ul>`;
}

function summary(timeline: Timeline): Html {
  const { counts, shown, total } = timeline;
  const parts = DISPLAY_STATES.filter((state) => counts[state] > 0 || state === 'done' || state === 'overdue').map((state) => html`<span data-state="${state}" data-count="${counts[state]}">${STATE_COUNT_WORDS[state]} ${counts[state]}</span>`);
  return html`<p class="tl-summary">${timeline.asOf ? html`На ${formatRussianDate(timeline.asOf)}: ` : ''}задач ${shown === total ? String(total) : `${shown} из ${total} (по фильтрам)`} — ${parts.map((part, index) => html`${index > 0 ? ', ' : ''}${part}`)}.</p>`;
}

function occurrenceSection(model: YearPageModel): Html {
  const selected = model.timeline.occurrence;
  if (!selected) return html``;
  const close = yearUrl(model.planKey, filtersQuery(model.timeline.filters));
  if (selected.tasks.length === 0) {
    return html`<section id="occurrence"><h2>Задачи: ${occurrenceName(selected)}</h2><p class="muted">Нет задач этого пункта по выбранным фильтрам. <a href="${close}">Закрыть</a></p></section>`;
  }
  return html`<section id="occurrence" data-occurrence="${selected.occurrence}"><h2>Задачи: ${occurrenceName(selected)} «${selected.title}»</h2>
<p><a href="${close}">Закрыть список</a></p>
<table class="grid"><thead><tr><th>Задача</th><th>Школа</th><th>Исполнитель</th><th>Срок</th><th>Состояние</th><th>Просрочка, раб. дн.</th><th>Результат</th></tr></thead>
<tbody>${selected.tasks.map(
    (task) => html`<tr data-task="${task.task}" data-state="${task.state}">
<td><a href="${taskUrl(model.planKey, task.task)}">${task.name}</a></td>
<td>${task.schoolName ?? task.school ?? '—'}</td>
<td>${task.executor.name}</td>
<td>${task.due ? formatRussianDate(task.due) : 'по отдельному графику'}</td>
<td><span class="state ${stateClass(task.state)}">${STATE_NAMES[task.state]}</span></td>
<td>${task.daysLate > 0 ? String(task.daysLate) : '—'}</td>
<td>${task.result ?? ''}</td>
</tr>`,
  )}</tbody></table></section>`;
}

/**
 * The year page's body: pure, so a test can read it. One bar per occurrence whatever the number
 * of schools, each a link (a task's page, or the list of the occurrence's tasks).
 */
export function renderYear(model: YearPageModel): Html {
  const { timeline } = model;
  const key = encodeURIComponent(model.planKey);
  const filtered = filtersQuery(timeline.filters) !== '';
  return html`<h1>Год: ${describeSpan(timeline.span)}</h1>
${summary(timeline)}
<p class="tl-exports">Скачать: <a href="/plans/${key}/status.xlsx">состояние задач (.xlsx)</a> · <a href="/plans/${key}/indicators.xlsx">показатели (.xlsx)</a></p>
${feedLinks(model)}
${filterForm(model)}
${legend()}
${timeline.rows.length === 0
    ? html`<p class="muted">${filtered ? 'По выбранным фильтрам задач нет.' : 'В плане нет задач.'}</p>`
    : html`<section class="timeline" aria-label="План-график на год"${timeline.today ? html` data-today="${timeline.today.date}"` : ''}>
${header(timeline)}
${timeline.rows.map((entry) => row(model, entry))}
</section>`}
${occurrenceSection(model)}`;
}

/** The calendar feeds to subscribe to: every deadline of the plan, and the filtered executor's. */
function feedLinks(model: YearPageModel): Html {
  if (!model.feeds) return html``;
  const { plan, executor } = model.feeds;
  return html`<p class="tl-feeds">Сроки в календаре (iCalendar: подпишитесь по ссылке в Outlook, Яндекс Календаре или Google Календаре): <a href="${plan}">все сроки плана</a>${
    executor ? html` · <a href="${executor.url}">сроки исполнителя ${executor.name}</a>` : html` · выберите исполнителя, чтобы получить ссылку на его календарь`
  }</p>`;
}

/** For the office's administrator, the way to change the running plan: the draft it was started from. */
async function changeLink(c: WebContext, key: string): Promise<Html | string> {
  const session = c.get('session');
  if (!editsDrafts(session)) return '';
  const draft = (await listDrafts(c.get('deps').store.pool, draftsOrgOf(session)!)).find((each) => each.startedKey === key);
  return draft ? html`<p class="plan-change-link"><a href="/drafts/${draft.id}#draft-form">Изменить идущий план</a> · <a href="/drafts/${draft.id}#plan-changes">история изменений</a></p>` : '';
}

/**
 * The year of a status as the filters narrow it. A plan that has not changed since the last
 * request keeps its status object (`web/plans.ts`), and its years are drawn once per filters.
 */
function timelineOf(loaded: LoadedPlan, status: PlanStatus | null, filters: TimelineFilters): Timeline {
  if (!status) return buildTimeline(loaded, status, filters);
  let drawn = timelines.get(status);
  if (!drawn || drawn.loaded !== loaded) timelines.set(status, (drawn = { loaded, byFilters: new Map() }));
  const key = JSON.stringify(filters);
  let timeline = drawn.byFilters.get(key);
  if (!timeline) {
    if (drawn.byFilters.size >= MAX_TIMELINES_PER_STATUS) drawn.byFilters.clear();
    drawn.byFilters.set(key, (timeline = buildTimeline(loaded, status, filters)));
  }
  return timeline;
}

const timelines = new WeakMap<PlanStatus, { loaded: LoadedPlan; byFilters: Map<string, Timeline> }>();
const MAX_TIMELINES_PER_STATUS = 64;

/** GET /plans/:key/year: the year, narrowed by `executor`, `municipality`, `school`, `state`; `occurrence` lists its tasks. */
export async function yearPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await planPage(c, deps);
  if (!found.ok) return found.response;
  const { served, status } = found;
  const timeline = timelineOf(served.loaded, status, readTimelineFilters(c.req.query()));
  const chosen = timeline.options.executors.find((option) => option.value === timeline.filters.executor);
  const viewer = c.get('session').login;
  const feeds = { plan: feedUrl(deps, served.key, null, viewer), executor: chosen ? { name: chosen.label, url: feedUrl(deps, served.key, chosen.value, viewer) } : null };
  const body = html`${status ? '' : notStarted(served)}${status ? await changeLink(c, served.key) : ''}${renderYear({ planKey: served.key, timeline, feeds })}`;
  return c.html(page({ title: 'Год', body, ...found.shell('Год', 'year') }));
}

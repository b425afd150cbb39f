/**
 * «Запустить»: a draft with no problems starts over its own year or laid over another. When some
 * due dates have passed by the start day, the page first lists those tasks and asks which are
 * already done, with their results (one by one, or all at once with one result); those are
 * handed to the plan as done before its start.
 */
import { formatRussianDate } from '../../plan/dates.ts';
import { defaultDoneResult } from '../../plan/done-results.ts';
import { draftRefusal } from '../../plan/drafts.ts';
import type { ScheduledTask } from '../../plan/schedule.ts';
import { occurrenceIdOf, taskNames } from '../../plan/task-names.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { doneBeforeStartOf, loadDraftOver, pastTasks, startDay, startDraft } from './draft-start.ts';
import { html, type Html } from '../html.ts';
import type { StoredDraft } from '../../store/plan-drafts.ts';
import { planKeyOf } from '../../client/plan-runs.ts';
import { dateOf } from '../../workflows/clock.ts';
import { draftNotFound, draftOfAddress, draftShell, field, yearField } from './draft-common.ts';
import { clashOf } from './draft-page.ts';

interface StartModel {
  draft: StoredDraft;
  csrf: string;
  ownYear: number | undefined;
  year: number | undefined;
  today: string | undefined;
  past: ScheduledTask[];
  /** Every task of the plan over the chosen year: what a done task reports by default depends on its activity's others. */
  tasks: ScheduledTask[];
  peopleNames: Map<string, string>;
  schoolNames: Map<string, string>;
  /** Why it does not start, line by line. */
  refusal: string[];
  /** Where to change the plan already running under this key. */
  changeHref?: string;
}

function renderStart(model: StartModel): Html {
  const { draft, csrf, ownYear, year, today, past, refusal } = model;
  const base = `/drafts/${draft.id}`;
  const chosen = year ?? ownYear;
  const refused = refusal.length > 0;
  const executor = (task: ScheduledTask) => (task.executor === null ? '—' : task.school !== null && task.executor.startsWith('director:') ? `директор: ${model.schoolNames.get(task.school) ?? task.school}` : (model.peopleNames.get(task.executor) ?? task.executor));
  const names = taskNames({ schools: [...model.schoolNames].map(([id, name]) => ({ id, name })) }, model.tasks);
  /** «2-й квартал — МОУ «Ерахтурская СШ»»: the task of the activity beside it, by its occurrence and school. */
  const which = (task: ScheduledTask) => [names.occurrence(occurrenceIdOf(task.task)), task.school !== null ? names.school(task.school) : ''].filter(Boolean).join(' — ');
  return html`<h1>Запуск плана «${draft.title || draft.planId}»</h1>
<p><a href="${base}">← к черновику</a></p>
${refused ? html`<div class="flash flash-error" role="alert" data-refusal="yes">${refusal.map((line) => html`<p class="refusal-line">${line}</p>`)}${model.changeHref ? html`<p><a href="${model.changeHref}">Изменить идущий план</a></p>` : ''}</div>` : ''}
<form method="get" action="${base}/start" class="card">
<label for="year">Год, на который запустить план${ownYear !== undefined ? ` (свой год плана — ${ownYear}; можно наложить план на другой год)` : ''}</label>
<input type="text" id="year" name="year" value="${chosen ?? ''}" inputmode="numeric">
<button type="submit" class="secondary">Показать сроки этого года</button>
</form>
${
  refused || chosen === undefined
    ? ''
    : html`<form method="post" action="${base}/start" id="start-form">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="do" value="start">
<input type="hidden" name="year" value="${chosen}"><input type="hidden" name="version" value="${draft.latest.version}">
${
  past.length === 0
    ? html`<p>На день запуска (${today ? formatRussianDate(today) : ''}) ни один срок плана не прошёл: задачи начнутся в свои сроки.</p>`
    : html`<h2>Срок уже прошёл: ${past.length} ${past.length === 1 ? 'задача' : past.length < 5 ? 'задачи' : 'задач'}</h2>
<p>На день запуска (${today ? formatRussianDate(today) : ''}) срок этих задач прошёл. Отметьте, какие уже выполнены, и впишите результаты: они будут записаны выполненными до запуска, писем о них не будет. Остальные станут просроченными, и каждый исполнитель получит одно письмо со списком своих.</p>
<fieldset><legend>Все сразу</legend>
<label><input type="checkbox" name="allDone" value="yes" id="all-done"> отметить все выполненными</label>
<label for="all-result">с результатом (для задач, где свой не вписан)</label><input type="text" id="all-result" name="allResult" placeholder="по умолчанию — плановый результат задачи">
<p class="muted">Пустое поле результата задачи берёт результат «для всех»; если пуст и он — плановый результат (он виден в поле серым), а у задачи, которая — одна из нескольких задач мероприятия, «выполнено».</p>
</fieldset>
<table class="grid past-tasks"><thead><tr><th>Выполнено</th><th>Мероприятие</th><th>Когда, школа</th><th>Срок</th><th>Исполнитель</th><th>Результат</th></tr></thead>
<tbody>${past.map(
        (task, index) => html`<tr data-task="${task.task}">
<td><input type="checkbox" name="done.${index}" value="yes" aria-label="${`Выполнено: ${names.task(task.task)}`}"><input type="hidden" name="task.${index}" value="${task.task}"></td>
<td>${task.title}</td><td>${which(task) || '—'}</td><td>${task.due ? formatRussianDate(task.due) : ''}</td><td>${executor(task)}</td>
<td><input type="text" name="result.${index}" value="" placeholder="${defaultDoneResult(task, model.tasks)}" aria-label="${`Результат: ${names.task(task.task)}`}"></td>
</tr>`,
      )}</tbody></table>`
}
<p><button type="submit">Запустить план</button></p>
</form>
<script src="/drafts/edit.js" defer></script>`
}`;
}

async function startModel(c: WebContext, draft: StoredDraft, yearText: string | undefined): Promise<StartModel> {
  const session = c.get('session');
  const year = yearField(yearText);
  const model: StartModel = { draft, csrf: session.csrf, ownYear: undefined, year, today: undefined, past: [], tasks: [], peopleNames: new Map(), schoolNames: new Map(), refusal: [] };
  if (draft.startedKey !== null) return { ...model, refusal: [`Этот черновик уже запущен.`] };
  if (yearText !== undefined && yearText.trim() !== '' && year === undefined) model.refusal.push(`Год «${yearText}» не похож на год: напишите его четырьмя цифрами, например 2027.`);
  const load = await loadDraftOver(draft, year);
  if (!load.ok) return { ...model, refusal: ['В плане есть ошибки, он не запущен. Исправьте их в черновике:', ...load.lines] };
  const today = startDay(load.loaded);
  const key = planKeyOf(load.loaded, year === undefined || year === load.ownYear ? undefined : year);
  const clash = await clashOf(c, draft, key);
  if (clash) {
    model.refusal.push(`План «${key}» уже идёт (запущен ${formatRussianDate(dateOf(clash.since.getTime(), load.loaded.plan.timezone))}): измените его через «Изменить идущий план» или выберите другой год или идентификатор.`);
    model.changeHref = clash.changeHref;
  }
  // The command line's own words: every item without an executor, every person without an address.
  const gaps = draftRefusal(load.loaded.plan);
  if (gaps !== undefined) model.refusal.push(...gaps.split('\n').slice(0, -1).map((line) => line.trim()), 'Впишите их в черновике и сохраните.');
  return { ...model, ownYear: load.ownYear, today, past: pastTasks(load.loaded, today), tasks: load.loaded.schedule.tasks, peopleNames: new Map(load.loaded.plan.people.map((person) => [person.id, person.name])), schoolNames: new Map(load.loaded.plan.schools.map((school) => [school.id, school.name])) };
}

export async function startPage(c: WebContext): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const model = await startModel(c, draft, c.req.query('year'));
  return c.html(draftShell(c, 'Запуск плана', renderStart(model)));
}

/** Starts the draft; lands on the plan's year page, or shows the refusal on the start page. */
export async function startSubmit(c: WebContext, rawDeps: WebDeps): Promise<Response> {
  const draft = await draftOfAddress(c);
  if (!draft) return draftNotFound(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const model = await startModel(c, draft, field(form, 'year'));
  const refuse = (lines: string[]) => c.html(draftShell(c, 'План не запущен', renderStart({ ...model, refusal: lines })), 422);
  if (model.refusal.length > 0) return refuse(model.refusal);
  if (Number(field(form, 'version')) !== draft.latest.version) return refuse(['Черновик изменился, пока открыта эта страница: проверьте сроки и запустите снова.']);
  const load = await loadDraftOver(draft, model.year);
  if (!load.ok) return refuse(load.lines);
  const session = c.get('session');
  const { store, client, taskQueue } = c.get('deps');
  const outcome = await startDraft(store, client, draft, load.loaded, { ...(model.year !== undefined ? { year: model.year } : {}), ownYear: load.ownYear, login: session.login, done: doneBeforeStartOf(form, model.past, model.tasks), ...(taskQueue ? { taskQueue } : {}) });
  if (!outcome.ok) return refuse(outcome.message.split('\n').filter((line) => line.trim() !== ''));
  // The year page reads the list of plans: it must know this one at once.
  c.set('auditNote', { plan: outcome.key, details: { draft: String(draft.id), title: draft.title } });
  await rawDeps.plans.refresh?.({ force: true });
  return c.redirect(`/plans/${encodeURIComponent(outcome.key)}/year`, 303);
}


/**
 * One task as the project office sees it: its period, executor, target and result, everything
 * that happened to it (each letter, extension, hand-over and the completion), its documents,
 * and the office's actions: move the deadline, hand the task to someone else, accept a result,
 * decide on the executor's request for more time. Every action goes through the task's
 * workflow, which has the last word: a refusal is shown in its own words.
 */
import { acceptReport, completeTask, declineExtension, extendTask, reassignTask, reopenTask, returnReport, TaskActionRefused, taskStatus } from '../../client/plan-runs.ts';
import type { RegisterEntry } from '../../documents/register.ts';
import { formatRussianDate, parseIsoDate, type IsoDate } from '../../plan/dates.ts';
import type { Recipient } from '../../plan/notifications.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import type { Schedule } from '../../plan/schedule.ts';
import type { Plan } from '../../plan/schema.ts';
import { occurrenceIdOf, taskNames, type TaskNames } from '../../plan/task-names.ts';
import { TEMPLATES } from '../../templates/documents/catalog.ts';
import type { PlanStatus, TaskHistoryEntry, TaskStatus, TaskSummary } from '../../workflows/messages.ts';
import { listTaskFiles, readEvidenceFile, type EvidenceFile } from '../../store/evidence-files.ts';
import { attachmentDisposition } from '../documents/documents.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { notStarted, planPage, STATE_NAMES, stateClass } from '../pages/common.ts';

/** What each kind of history entry is called on the page. */
export const HISTORY_LABELS: Record<TaskHistoryEntry['kind'], string> = {
  started: 'Задача началась',
  assigned: 'Письмо исполнителю о начале задачи',
  'late-at-start': 'Общее письмо исполнителю о просроченных задачах',
  reminder: 'Напоминание о сроке',
  overdue: 'Письмо о просрочке',
  escalation: 'Сообщение о просрочке проектному офису и куратору',
  extended: 'Письмо о переносе срока',
  rescheduled: 'Письмо исполнителю о новых сроках по плану',
  reassigned: 'Письмо новому исполнителю',
  undeliverable: 'Письмо не доставлено',
  document: 'Письмо с документом',
  'extension-requested': 'Письмо офису о просьбе перенести срок',
  'extension-declined': 'Письмо исполнителю об отказе в переносе срока',
  returned: 'Письмо исполнителю о возврате отчёта',
  reopened: 'Письмо исполнителю о возобновлении задачи',
  digest: 'Еженедельная сводка',
  documents: 'Документы выпущены',
  extension: 'Срок перенесён',
  reassignment: 'Исполнитель сменён',
  replan: 'Задача изменена в плане',
  'extension-request': 'Исполнитель просит перенести срок',
  'extension-refusal': 'В переносе срока отказано',
  completed: 'Выполнена',
  reported: 'Исполнитель отчитался, отчёт на проверке',
  accepted: 'Отчёт принят, задача снята с контроля',
  'report-returned': 'Отчёт возвращён на доработку',
  reopening: 'Задача возобновлена',
};

/** The office's actions on a task: the hidden `do` field of each form. */
export const TASK_ACTIONS = ['extend', 'reassign', 'complete', 'decline', 'accept', 'return', 'reopen'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** What the office typed into a form; given back when the form is refused. */
export interface TaskFormValues {
  to?: string;
  reason?: string;
  executor?: string;
  result?: string;
  comment?: string;
  answer?: string;
  /** What to rework (return) or why the task is reopened (reopen). */
  why?: string;
}

/** Someone a task can be handed to, as the select offers them. */
export interface ReassignCandidate {
  recipient: Recipient;
  /** «Петров Иван Сергеевич, методист (РИРО)». */
  label: string;
}

/** Everything the task page shows, gathered before rendering. */
export interface TaskPageModel {
  planKey: string;
  task: TaskStatus;
  /** The plan's today: the earliest date the deadline can move to. */
  today: IsoDate | null;
  /** The task's registered documents. */
  documents: RegisterEntry[];
  candidates: ReassignCandidate[];
  /** Names of the ids and addresses in the history (`riro` → «Петров Иван Сергеевич»). */
  names: ReadonlyMap<string, string>;
  csrf: string;
  /** The form the office sent and what was in it, when it was refused. */
  form?: { action: TaskAction; values: TaskFormValues } | null;
  /** The tasks this one waits for (`after`) that are not done yet. */
  waitingFor?: WaitedTask[];
  /** How people name the plan's tasks and occurrences («Отчёт, 2-й квартал — МОУ …»), instead of their ids. */
  taskNames?: TaskNames;
  /** The task was withdrawn by a change of the plan (its workflow cancelled): when, if the plan's history says. */
  withdrawn?: { on: IsoDate | null } | null;
  /** The files executors sent with their reports, oldest first. */
  evidence?: EvidenceFile[];
  /** Whether the user may reopen a done task (an administrator). */
  mayReopen?: boolean;
}

/**
 * Whether a task not done has left the running plan (a change removed it and its workflow was
 * cancelled): it is neither in the plan's state nor in the plan as it now reads. With the day
 * the plan's history of changes says it was removed, if it does; `null` when the task is still
 * in the plan, or the plan's state is not known.
 */
export function withdrawalOf(status: Pick<PlanStatus, 'tasks' | 'changes'> | null, task: Pick<TaskStatus, 'task' | 'state'>, schedule?: Pick<Schedule, 'tasks'>): { on: IsoDate | null } | null {
  if (!status || task.state === 'done' || status.tasks.some((entry) => entry.task === task.task)) return null;
  if (schedule?.tasks.some((entry) => entry.task === task.task)) return null;
  const line = `удалена задача ${task.task} «`;
  const change = [...(status.changes ?? [])].reverse().find((entry) => entry.lines.some((text) => text.startsWith(line)));
  return { on: change?.date ?? null };
}

const withdrawnText = (withdrawn: { on: IsoDate | null }) => `Задача снята с плана-графика при его изменении${withdrawn.on ? ` ${formatRussianDate(withdrawn.on)}` : ''}`;

export interface WaitedTask {
  task: string;
  title: string;
  state: TaskSummary['state'] | null;
}

/** The tasks a task waits for (its `after`) that the plan does not know as done. */
export function unfinishedPrerequisites(schedule: Pick<Schedule, 'tasks'>, status: Pick<PlanStatus, 'tasks'> | null, task: string): WaitedTask[] {
  const after = schedule.tasks.find((entry) => entry.task === task)?.after ?? [];
  const stateOf = new Map((status?.tasks ?? []).map((entry) => [entry.task, entry.state]));
  const titleOf = new Map(schedule.tasks.map((entry) => [entry.task, entry.title]));
  return after.filter((id) => stateOf.get(id) !== 'done').map((id) => ({ task: id, title: titleOf.get(id) ?? id, state: stateOf.get(id) ?? null }));
}

/** «Задача начнётся, когда будут выполнены: …», for a task that has not started because of them. */
function waitingNote(model: TaskPageModel): Html {
  const waited = model.waitingFor ?? [];
  if (waited.length === 0 || model.task.history.some((entry) => entry.kind === 'started') || model.task.state === 'done') return html``;
  return html`<p class="notice" data-waiting="${waited.map((entry) => entry.task).join(' ')}">Задача ещё не началась: она начнётся, когда будут выполнены ${waited.length === 1 ? 'задача' : 'задачи'} ${waited.map(
    (entry, index) => html`${index > 0 ? ', ' : ''}«<a href="${taskUrl(model.planKey, entry.task)}">${model.taskNames && model.taskNames.task(entry.task) !== entry.task ? model.taskNames.task(entry.task) : entry.title}</a>»${entry.state ? html` (${STATE_NAMES[entry.state]})` : ''}`,
  )}.</p>`;
}

/** The address of a task's page. */
export function taskUrl(planKey: string, task: string): string {
  return `/plans/${encodeURIComponent(planKey)}/task?t=${encodeURIComponent(task)}`;
}

/** The address a registered document is downloaded from. */
export function documentUrl(path: string): string {
  return `/documents/file?path=${encodeURIComponent(path)}`;
}

/** ISO dates inside free text (`2020-10-30 → 2020-11-13: …`) as Russian ones. */
export function russianDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3.$2.$1');
}

/** «3 рабочих дня». */
function workingDays(count: number): string {
  return `${count} ${pluralRu(count, ['рабочий день', 'рабочих дня', 'рабочих дней'])}`;
}

/**
 * The people a task can be handed to: the plan's people, and for a per-school task the
 * directors of the schools (the task's own school first); never the current executor.
 */
export function reassignCandidates(plan: Pick<Plan, 'people' | 'schools'>, task: Pick<TaskStatus, 'executor' | 'school'>): ReassignCandidate[] {
  const people: ReassignCandidate[] = plan.people.map((person) => ({
    recipient: { id: person.id, name: person.name, email: person.email },
    label: [person.name, person.position, person.organization ? `(${person.organization})` : undefined].filter(Boolean).join(', ').replace(/, \(/, ' ('),
  }));
  const schools = task.school === null ? [] : [...plan.schools].sort((a, b) => Number(b.id === task.school) - Number(a.id === task.school));
  const directors: ReassignCandidate[] = schools.map((school) => ({
    recipient: { id: `director:${school.id}`, name: school.director.name, email: school.director.email },
    label: `${school.director.name}, ${school.director.position}, ${school.shortName ?? school.name}`,
  }));
  const current = task.executor;
  return [...directors, ...people].filter(({ recipient }) => recipient.id !== current.id && recipient.email.toLowerCase() !== current.email.toLowerCase());
}

/**
 * Names for the ids and addresses a history speaks of: people, directors, the executors of the
 * task, and the office users by login (for what they did on these pages) where no person has it.
 */
export function namesOf(plan: Pick<Plan, 'people' | 'schools'>, task: Pick<TaskStatus, 'executor' | 'coExecutors'>, officeUsers: readonly { login: string; name: string }[] = []): Map<string, string> {
  const names = new Map<string, string>();
  const add = (id: string, email: string, name: string) => {
    names.set(id, name);
    if (email) names.set(email.toLowerCase(), name);
  };
  for (const person of plan.people) add(person.id, person.email, person.name);
  for (const school of plan.schools) add(`director:${school.id}`, school.director.email, school.director.name);
  for (const recipient of [task.executor, ...task.coExecutors]) add(recipient.id, recipient.email, recipient.name);
  for (const user of officeUsers) if (!names.has(user.login)) names.set(user.login, user.name);
  if (!names.has('cli')) names.set('cli', 'командная строка');
  return names;
}

/** The documents named in the task's «Документы выпущены» entries: `[{ title, number }]`. */
export function documentsNamedIn(history: readonly TaskHistoryEntry[]): Array<{ title: string; number: string }> {
  return history
    .filter((entry) => entry.kind === 'documents' && entry.detail)
    .flatMap((entry) => entry.detail!.split('; '))
    .flatMap((part) => {
      const match = /^(.+) № (\S.*)$/.exec(part.trim());
      return match ? [{ title: match[1]!, number: match[2]! }] : [];
    });
}

/**
 * The registered documents of a task: those of its plan issued at its assignment (its history
 * names them by number), and for a per-school task whose item makes contracts, its school's
 * contract, issued by whichever task came first.
 */
export function taskDocuments(entries: readonly RegisterEntry[], planKey: string, task: Pick<TaskStatus, 'history' | 'school'>, itemDocuments: readonly string[] = []): RegisterEntry[] {
  const numbers = new Set(documentsNamedIn(task.history).map((document) => document.number));
  const contractPrefix = task.school !== null && itemDocuments.includes('contract') ? `${planKey}:contract:${task.school}:` : null;
  return entries
    .filter((entry) => entry.plan === planKey && entry.key.startsWith(`${planKey}:`))
    .filter((entry) => numbers.has(entry.number) || (contractPrefix !== null && entry.key.startsWith(contractPrefix)))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number.localeCompare(b.number, 'ru')));
}

/** A person of the history by name: «Петров Иван Сергеевич», never their id in the plan; an address nobody in the plan has stays as written. */
function who(names: ReadonlyMap<string, string>, value: string): string {
  return names.get(value) ?? names.get(value.toLowerCase()) ?? value;
}

function historyDetail(entry: TaskHistoryEntry): string {
  if (!entry.detail) return '';
  let detail = entry.detail;
  if (entry.kind === 'undeliverable') {
    // The detail starts with the kind of the letter that failed: name it in Russian.
    detail = detail.replace(/^([a-z-]+): /, (whole, kind: string) => (kind in HISTORY_LABELS ? `${HISTORY_LABELS[kind as TaskHistoryEntry['kind']]}: ` : whole));
  }
  return russianDatesIn(detail);
}

/**
 * The history in the order a reader expects: the workflow records a task's start after the
 * letter that tells of it, at the same minute; the start is shown first.
 */
export function historyInReadingOrder(history: readonly TaskHistoryEntry[]): TaskHistoryEntry[] {
  const rank = (entry: TaskHistoryEntry) => (entry.kind === 'started' ? 0 : 1);
  // The history is in time order already, and the sort is stable: only a minute's entries move.
  return [...history].sort((a, b) => `${a.date} ${a.time}`.localeCompare(`${b.date} ${b.time}`) || rank(a) - rank(b));
}

function historyTable(task: TaskStatus, names: ReadonlyMap<string, string>): Html {
  if (task.history.length === 0) return html`<p class="muted">Пока ничего не произошло: задача ещё не началась.</p>`;
  return html`<table class="grid history"><thead><tr><th>Дата</th><th>Время</th><th>Что</th><th>Кому / кто</th><th>Подробности</th></tr></thead>
<tbody>${historyInReadingOrder(task.history).map(
    (entry) => html`<tr data-kind="${entry.kind}">
<td>${formatRussianDate(entry.date)}</td><td>${entry.time}</td><td>${HISTORY_LABELS[entry.kind] ?? entry.kind}</td>
<td>${(entry.to ?? []).map((value, index) => html`${index > 0 ? html`<br>` : ''}${who(names, value)}`)}</td>
<td>${historyDetail(entry)}</td>
</tr>`,
  )}</tbody></table>`;
}

function documentsTable(documents: readonly RegisterEntry[]): Html {
  if (documents.length === 0) return html`<p class="muted">Документов по задаче нет.</p>`;
  return html`<table class="grid documents"><thead><tr><th>Документ</th><th>Номер</th><th>Дата</th><th>Файл</th></tr></thead>
<tbody>${documents.map(
    (entry) => html`<tr><td>${TEMPLATES[entry.template]?.title ?? entry.template}</td><td>${entry.number}</td><td>${formatRussianDate(entry.date)}</td>
<td><a href="${documentUrl(entry.path)}" download>${entry.fileName}</a></td></tr>`,
  )}</tbody></table>`;
}

function taskFields(task: TaskStatus, names?: TaskNames, withdrawn?: { on: IsoDate | null } | null): Html {
  const moved = task.plannedDue !== null && task.plannedDue !== task.due;
  const when = names?.occurrence(occurrenceIdOf(task.task)) ?? '';
  return html`<dl class="fields">
<dt>Пункт плана</dt><dd>${task.item}${when ? `, ${when}` : ''}</dd>
<dt>Период</dt><dd>${task.period}</dd>
<dt>Начало</dt><dd>${task.start ? formatRussianDate(task.start) : 'не установлено'}</dd>
<dt>Срок исполнения</dt><dd>${task.due ? formatRussianDate(task.due) : 'не установлен'}${moved ? html` <span class="muted">(по плану — ${formatRussianDate(task.plannedDue!)})</span>` : ''}</dd>
<dt>Состояние</dt><dd>${withdrawn ? html`<span class="state" data-withdrawn="yes">снята с плана-графика</span>` : html`<span class="state ${stateClass(task.state)}">${STATE_NAMES[task.state]}</span>${task.daysLate > 0 ? html` <span class="late">просрочка ${workingDays(task.daysLate)}</span>` : ''}`}</dd>
<dt>Исполнитель</dt><dd>${task.executor.name}${task.schoolName ? html`, ${task.schoolName}` : ''}${task.executor.email ? html` <span class="muted">&lt;${task.executor.email}&gt;</span>` : ''}</dd>
${task.coExecutors.length > 0 ? html`<dt>Соисполнители</dt><dd>${task.coExecutors.map((recipient) => recipient.name).join(', ')}</dd>` : ''}
<dt>Прогнозируемый результат</dt><dd>${task.target ?? html`<span class="muted">не указан</span>`}</dd>
${task.result !== null ? html`<dt>${task.state === 'review' ? 'Отчёт исполнителя' : 'Результат'}</dt><dd>${task.result}</dd>` : ''}
${task.comment ? html`<dt>Комментарий</dt><dd>${task.comment}</dd>` : ''}
${task.reportedOn ? html`<dt>На проверке с</dt><dd>${formatRussianDate(task.reportedOn)}</dd>` : ''}
${task.doneOn ? html`<dt>${task.checked ? 'Выполнена (по отчёту от)' : 'Выполнена'}</dt><dd>${formatRussianDate(task.doneOn)}</dd>` : ''}
${task.returned ? html`<dt>Возвращена на доработку</dt><dd>${formatRussianDate(task.returned.on)}: «${task.returned.reason}»</dd>` : ''}
</dl>`;
}

function hidden(model: TaskPageModel, action: TaskAction): Html {
  return html`<input type="hidden" name="_csrf" value="${model.csrf}"><input type="hidden" name="do" value="${action}">`;
}

/** The values to put back into a form: what was typed, if this is the form that was refused. */
function valuesFor(model: TaskPageModel, action: TaskAction): TaskFormValues {
  return model.form?.action === action ? model.form.values : {};
}

function requestSection(model: TaskPageModel): Html {
  const request = model.task.extensionRequest;
  if (!request) return html``;
  const url = taskUrl(model.planKey, model.task.task);
  const answer = valuesFor(model, 'decline').answer ?? '';
  return html`<section class="request" id="request">
<h2>Просьба перенести срок</h2>
<p>${(request.by && model.names.get(request.by)) || 'Исполнитель'} просит перенести срок${model.task.due ? html` с ${formatRussianDate(model.task.due)}` : ''} на <strong>${formatRussianDate(request.to)}</strong>. Просьба от ${formatRussianDate(request.on)}.</p>
<p>Причина: «${request.reason}»</p>
<div class="actions">
<form method="post" action="${url}">${hidden(model, 'extend')}
<input type="hidden" name="to" value="${request.to}"><input type="hidden" name="reason" value="${`по просьбе исполнителя: ${request.reason}`}">
<button type="submit">Перенести на ${formatRussianDate(request.to)}</button>
</form>
<form method="post" action="${url}">${hidden(model, 'decline')}
<label for="decline-answer">Ответ исполнителю: почему срок не переносится</label>
<textarea id="decline-answer" name="answer" required maxlength="2000">${answer}</textarea>
<p><button type="submit" class="secondary">Отказать</button></p>
</form>
</div>
</section>`;
}

/** The report on check: what the executor reported, with their files, and the office's two answers. */
function reviewSection(model: TaskPageModel): Html {
  const { task } = model;
  if (task.state !== 'review' || model.withdrawn) return html``;
  const url = taskUrl(model.planKey, task.task);
  const files = (model.evidence ?? []).filter((file) => file.report === task.reports);
  const reporter = [...task.history].reverse().find((entry) => entry.kind === 'reported')?.to?.[0];
  return html`<section class="review" id="review" data-review="${String(task.reports ?? 1)}">
<h2>Отчёт на проверке</h2>
<p>Отчёт исполнителя${reporter ? html` ${who(model.names, reporter)}` : ''}${task.reportedOn ? html` от ${formatRussianDate(task.reportedOn)}` : ''}: «${task.result ?? ''}»${task.comment ? html` (комментарий: «${task.comment}»)` : ''}</p>
${files.length > 0 ? html`<p>Приложенные файлы:</p>${evidenceList(model.planKey, task.task, files)}` : html`<p class="muted">Файлов к отчёту не приложено.</p>`}
<div class="actions">
<form method="post" action="${url}">${hidden(model, 'accept')}
<p><button type="submit">Принять и снять с контроля</button></p>
<p class="muted">Задача будет отмечена выполненной по отчёту исполнителя.</p>
</form>
<form method="post" action="${url}">${hidden(model, 'return')}
<label for="return-why">Что доработать: исполнитель прочтёт это в письме</label>
<textarea id="return-why" name="why" required maxlength="4000">${valuesFor(model, 'return').why ?? ''}</textarea>
<p><button type="submit" class="secondary">Вернуть на доработку</button></p>
</form>
</div>
</section>`;
}

/** The address an executor's file is downloaded from, within its task. */
export function evidenceUrl(planKey: string, task: string, sha256: string): string {
  return `/plans/${encodeURIComponent(planKey)}/task/file?t=${encodeURIComponent(task)}&sha=${sha256}`;
}

function evidenceList(planKey: string, task: string, files: readonly EvidenceFile[]): Html {
  return html`<ul class="evidence">${files.map((file) => html`<li><a href="${evidenceUrl(planKey, task, file.sha256)}" download>${file.fileName}</a> <span class="muted">${sizeText(file.size)}</span></li>`)}</ul>`;
}

/** Every report's files, by report: on the page of a task reported more than once. */
function evidenceSection(model: TaskPageModel): Html {
  const files = model.evidence ?? [];
  if (files.length === 0) return html`<p class="muted">Исполнитель не прикладывал файлов.</p>`;
  const reports = [...new Set(files.map((file) => file.report))];
  return html`${reports.map((report) => {
    const own = files.filter((file) => file.report === report);
    return html`<h3>Отчёт ${report}, ${formatRussianDate(reportDay(model.task, report) ?? own[0]!.reportedAt.toISOString().slice(0, 10))}</h3>${evidenceList(model.planKey, model.task.task, own)}`;
  })}`;
}

/**
 * The day of a task's `report`-th report on the plan's clock, as its history has it (the files'
 * own time is the server's, which a plan laid over another year does not share).
 */
function reportDay(task: TaskStatus, report: number): IsoDate | undefined {
  return task.history.filter((entry) => entry.kind === 'reported' || (entry.kind === 'completed' && !task.checked)).at(report - 1)?.date;
}

/** «1,2 МБ», «340 КБ». */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;
  return `${Math.max(1, Math.round(bytes / 1024))} КБ`;
}

function reopenForm(model: TaskPageModel): Html {
  if (!model.mayReopen) return html``;
  return html`<form method="post" action="${taskUrl(model.planKey, model.task.task)}"><fieldset><legend>Возобновить задачу</legend>${hidden(model, 'reopen')}
<p class="muted">Если результат принят по ошибке: принятый результат отменяется, задача снова на контроле, исполнитель получит письмо с основанием.</p>
<label for="reopen-why">Основание</label>
<textarea id="reopen-why" name="why" required maxlength="4000">${valuesFor(model, 'reopen').why ?? ''}</textarea>
<p><button type="submit" class="secondary">Возобновить</button></p>
</fieldset></form>`;
}

function actionForms(model: TaskPageModel): Html {
  const { task } = model;
  if (model.withdrawn) return html`<p class="notice" data-withdrawn="yes">${withdrawnText(model.withdrawn)}: действий с ней больше нет.</p>`;
  if (task.state === 'done') return html`<p class="muted">Задача выполнена и снята с контроля.</p>${reopenForm(model)}`;
  const url = taskUrl(model.planKey, task.task);
  const extend = valuesFor(model, 'extend');
  const reassign = valuesFor(model, 'reassign');
  const complete = valuesFor(model, 'complete');
  return html`<div class="actions">
<form method="post" action="${url}"><fieldset><legend>Перенести срок</legend>${hidden(model, 'extend')}
<label for="extend-to">Новый срок</label>
<input id="extend-to" name="to" type="date" required value="${extend.to ?? ''}"${model.today ? html` min="${model.today}"` : ''}>
<label for="extend-reason">Причина</label>
<textarea id="extend-reason" name="reason" required maxlength="2000">${extend.reason ?? ''}</textarea>
<p><button type="submit">Перенести срок</button></p>
<p class="muted">Исполнитель и проектный офис получат письмо о новом сроке.</p>
</fieldset></form>
<form method="post" action="${url}"><fieldset><legend>Передать другому исполнителю</legend>${hidden(model, 'reassign')}
<label for="reassign-executor">Новый исполнитель</label>
<select id="reassign-executor" name="executor" required>
<option value="">— выберите —</option>
${model.candidates.map(({ recipient, label }) => html`<option value="${recipient.id}"${reassign.executor === recipient.id ? html` selected` : ''}>${label}</option>`)}
</select>
<label for="reassign-reason">Причина (необязательно)</label>
<textarea id="reassign-reason" name="reason" maxlength="2000">${reassign.reason ?? ''}</textarea>
<p><button type="submit">Передать задачу</button></p>
<p class="muted">Ссылки из писем прежнему исполнителю перестанут действовать.</p>
</fieldset></form>
<form method="post" action="${url}"><fieldset><legend>${task.state === 'review' ? 'Принять с другим результатом' : 'Отметить выполненной'}</legend>${hidden(model, 'complete')}
<label for="complete-result">Результат: что сделано</label>
<textarea id="complete-result" name="result" required maxlength="2000" placeholder="${task.target ? `Например: ${task.target}` : ''}">${complete.result ?? ''}</textarea>
<label for="complete-comment">Комментарий (необязательно)</label>
<textarea id="complete-comment" name="comment" maxlength="4000">${complete.comment ?? ''}</textarea>
<p><button type="submit">${task.state === 'review' ? 'Принять с этим результатом' : 'Отметить выполненной'}</button></p>
</fieldset></form>
</div>`;
}

/** «Отчёт о реализации программы, 2-й квартал — МОУ «Ерахтурская СШ»»: the task as people name it. */
function taskHeading(model: TaskPageModel): string {
  const { task } = model;
  const when = model.taskNames?.occurrence(occurrenceIdOf(task.task)) ?? '';
  const school = task.school === null ? '' : (model.taskNames?.school(task.school) ?? task.schoolName ?? '');
  return `${task.title}${when ? `, ${when}` : ''}${school && school !== task.school ? ` — ${school}` : ''}`;
}

/** The task page's body, from what was gathered: pure, so a test can read it. */
export function renderTaskPage(model: TaskPageModel): Html {
  const { task } = model;
  return html`<p class="muted"><a href="/plans/${encodeURIComponent(model.planKey)}/year">← все задачи плана</a></p>
<h1>${taskHeading(model)}</h1>
${taskFields(task, model.taskNames, model.withdrawn)}
${model.withdrawn ? '' : waitingNote(model)}
${model.withdrawn ? '' : requestSection(model)}
${reviewSection(model)}
<h2>Действия проектного офиса</h2>
${actionForms(model)}
<h2>История</h2>
${historyTable(task, model.names)}
<h2>Документы</h2>
${documentsTable(model.documents)}
<h2>Файлы исполнителя</h2>
${evidenceSection(model)}`;
}

/** What was done, as the redirect after an action names it (`&done=extended`). */
const DONE_OF: Record<TaskAction, 'extended' | 'reassigned' | 'completed' | 'declined' | 'accepted' | 'returned' | 'reopened'> = { extend: 'extended', reassign: 'reassigned', complete: 'completed', decline: 'declined', accept: 'accepted', return: 'returned', reopen: 'reopened' };

/** The line shown after an action, from the task as it is now; `null` for an unknown `done`. */
export function doneMessage(done: string | undefined, task: TaskStatus): string | null {
  switch (done) {
    case 'extended':
      return `Срок перенесён${task.due ? ` на ${formatRussianDate(task.due)}` : ''}; исполнитель и проектный офис получат письмо об этом в 09:00 ближайшего рабочего дня`;
    case 'reassigned':
      return task.history.some((entry) => entry.kind === 'started')
        ? `Задача передана: исполнитель — ${task.executor.name}. Письмо о задаче (проектному офису — копия) уйдёт в 09:00 ближайшего рабочего дня; ссылки из писем прежнему исполнителю больше не действуют`
        : `Задача передана: исполнитель — ${task.executor.name}. Письмо о задаче уйдёт, когда она начнётся`;
    case 'completed':
      return `Результат принят: задача отмечена выполненной${task.doneOn ? ` ${formatRussianDate(task.doneOn)}` : ''}`;
    case 'declined':
      return 'В переносе срока отказано; исполнитель получит письмо с ответом';
    case 'accepted':
      return `Отчёт принят: задача снята с контроля, выполнена${task.doneOn ? ` ${formatRussianDate(task.doneOn)}` : ''}`;
    case 'returned':
      return 'Отчёт возвращён на доработку; исполнитель получит письмо с причиной и новой ссылкой в 09:00 ближайшего рабочего дня';
    case 'reopened':
      return 'Задача возобновлена: исполнитель получит письмо с основанием в 09:00 ближайшего рабочего дня';
    default:
      return null;
  }
}

/** A checked form, ready to be sent to the task's workflow. */
export type TaskCommand =
  | { action: 'extend'; to: IsoDate; reason: string }
  | { action: 'reassign'; executor: Recipient; reason?: string }
  | { action: 'complete'; result: string; comment?: string }
  | { action: 'decline'; answer: string }
  | { action: 'accept' }
  | { action: 'return'; why: string }
  | { action: 'reopen'; why: string };

/**
 * Checks an office form before it goes to the workflow: the action is known, required fields
 * are there, the date is a date, the new executor is one the page offered. What the workflow
 * decides (a day off, a date past) is left to it.
 */
export function parseTaskForm(form: Record<string, unknown>, candidates: readonly ReassignCandidate[]): { ok: true; command: TaskCommand } | { ok: false; action: TaskAction | null; message: string } {
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
  const action = field('do') as TaskAction;
  if (!TASK_ACTIONS.includes(action)) return { ok: false, action: null, message: 'Неизвестное действие: обновите страницу и отправьте форму заново' };
  const fail = (message: string) => ({ ok: false as const, action, message });
  switch (action) {
    case 'extend': {
      const to = field('to').trim();
      if (!to) return fail('Укажите новый срок');
      if (!parseIsoDate(to)) return fail(`«${to}» — не дата; ожидается ГГГГ-ММ-ДД`);
      if (!field('reason').trim()) return fail('Укажите причину переноса срока');
      return { ok: true, command: { action, to, reason: field('reason').trim() } };
    }
    case 'reassign': {
      const id = field('executor');
      if (!id) return fail('Выберите нового исполнителя');
      const candidate = candidates.find(({ recipient }) => recipient.id === id);
      if (!candidate) return fail(`«${id}» нельзя назначить исполнителем этой задачи: выберите из списка`);
      const reason = field('reason').trim();
      return { ok: true, command: { action, executor: candidate.recipient, ...(reason ? { reason } : {}) } };
    }
    case 'complete': {
      const result = field('result').trim();
      if (!result) return fail('Укажите результат: что сделано');
      const comment = field('comment').trim();
      return { ok: true, command: { action, result, ...(comment ? { comment } : {}) } };
    }
    case 'decline': {
      const answer = field('answer').trim();
      if (!answer) return fail('Напишите ответ исполнителю: почему срок не переносится');
      return { ok: true, command: { action, answer } };
    }
    case 'accept':
      return { ok: true, command: { action } };
    case 'return': {
      const why = field('why').trim();
      if (!why) return fail('Напишите, что доработать: исполнитель прочтёт это в письме');
      return { ok: true, command: { action, why } };
    }
    case 'reopen': {
      const why = field('why').trim();
      if (!why) return fail('Укажите основание: почему задача возобновляется');
      return { ok: true, command: { action, why } };
    }
  }
}

/** Sends a checked form to the task's workflow as the office user `by`. */
async function run(deps: WebDeps, planKey: string, task: string, command: TaskCommand, by: string): Promise<TaskStatus> {
  switch (command.action) {
    case 'extend':
      return extendTask(deps.client, planKey, task, { to: command.to, reason: command.reason, by });
    case 'reassign':
      return reassignTask(deps.client, planKey, task, { executor: command.executor, ...(command.reason ? { reason: command.reason } : {}), by });
    case 'complete':
      return completeTask(deps.client, planKey, task, { result: command.result, ...(command.comment ? { comment: command.comment } : {}), by });
    case 'decline':
      return declineExtension(deps.client, planKey, task, { reason: command.answer, by });
    case 'accept':
      return acceptReport(deps.client, planKey, task, { by });
    case 'return':
      return returnReport(deps.client, planKey, task, { reason: command.why, by });
    case 'reopen':
      await reopenTask(deps.client, planKey, { task, reason: command.why, by });
      return taskStatus(deps.client, planKey, task);
  }
}

type Found =
  | { ok: true; key: string; task: TaskStatus; render: (status: 200 | 404 | 422, flash: { kind: 'ok' | 'error'; text: string } | null, form?: TaskPageModel['form']) => Promise<Response>; candidates: ReassignCandidate[]; withdrawn: { on: IsoDate | null } | null }
  | { ok: false; response: Response };

/** The plan and task of the address, and how to draw its page; a 404 page when either is unknown. */
async function findTask(c: WebContext, deps: WebDeps): Promise<Found> {
  const found = await planPage(c, deps);
  if (!found.ok) return found;
  const { served, status } = found;
  const key = served.key;
  const id = c.req.query('t') ?? '';
  const shell = found.shell('Задача', undefined);
  const task = id ? await deps.plans.task(key, id) : null;
  if (!task) {
    const body = html`<h1>Задача не найдена</h1>
${status ? html`<p>В плане «${served.loaded.plan.title ?? key}» нет такой запущенной задачи.</p>` : notStarted(served)}
<p><a href="/plans/${encodeURIComponent(key)}/year">Все задачи плана</a></p>`;
    return { ok: false, response: c.html(page({ title: 'Задача не найдена', body, ...shell }), 404) };
  }
  const plan = served.loaded.plan;
  const candidates = reassignCandidates(plan, task);
  const withdrawn = withdrawalOf(status, task, served.loaded.schedule);
  const session = c.get('session');
  const render = async (code: 200 | 404 | 422, flash: { kind: 'ok' | 'error'; text: string } | null, form?: TaskPageModel['form']) => {
    const itemDocuments = plan.items.find((item) => item.id === task.item)?.documents ?? [];
    const documents = taskDocuments(await deps.register.entries(), key, task, itemDocuments);
    const evidence = await listTaskFiles(deps.store.pool, key, task.task);
    const model: TaskPageModel = { planKey: key, task, today: status?.asOf ?? null, documents, candidates, names: namesOf(plan, task, await deps.auth.users()), csrf: session.csrf, form: form ?? null, waitingFor: unfinishedPrerequisites(served.loaded.schedule, status, task.task), taskNames: taskNames(plan, served.loaded.schedule.tasks), withdrawn, evidence, mayReopen: session.role === 'administrator' };
    return c.html(page({ title: task.title, body: renderTaskPage(model), flash, ...shell }), code);
  };
  return { ok: true, key, task, render, candidates, withdrawn };
}

/** GET /plans/:key/task?t=<task id>: the task, its history, documents and the office's forms. */
export async function taskPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await findTask(c, deps);
  if (!found.ok) return found.response;
  const done = doneMessage(c.req.query('done'), found.task);
  return found.render(200, done ? { kind: 'ok', text: done } : null);
}

/**
 * POST /plans/:key/task?t=<task id>: one of the office's actions, as the logged-in user. Done:
 * a 303 back to the task page, which says what happened. Refused by the workflow or an
 * incomplete form: the page again with the reason and what was typed, status 422.
 */
export async function taskAction(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await findTask(c, deps);
  if (!found.ok) return found.response;
  const form = await c.req.parseBody();
  if (found.withdrawn) return found.render(422, { kind: 'error', text: `Не принято: ${withdrawnText(found.withdrawn).toLowerCase()}` });
  const values: TaskFormValues = {};
  for (const name of ['to', 'reason', 'executor', 'result', 'comment', 'answer', 'why'] as const) {
    if (typeof form[name] === 'string') values[name] = form[name] as string;
  }
  const parsed = parseTaskForm(form, found.candidates);
  if (!parsed.ok) return found.render(422, { kind: 'error', text: parsed.message }, parsed.action ? { action: parsed.action, values } : null);
  const { command } = parsed;
  if (command.action === 'reopen' && c.get('session').role !== 'administrator') return found.render(422, { kind: 'error', text: 'Возобновить задачу может только администратор проектного офиса' }, { action: command.action, values });
  try {
    await run(deps, found.key, found.task.task, command, c.get('session').login);
  } catch (error) {
    if (!(error instanceof TaskActionRefused)) throw error;
    return found.render(422, { kind: 'error', text: `Не принято: ${russianDatesIn(error.message)}` }, { action: command.action, values });
  }
  deps.plans.invalidate(found.key);
  return c.redirect(`${taskUrl(found.key, found.task.task)}&done=${DONE_OF[command.action]}`, 303);
}

/**
 * GET /plans/:key/task/file?t=<task id>&sha=<sha256>: a file an executor sent with a report, to
 * whoever may see the task; served as the type its content was checked to be, never sniffed.
 */
export async function evidenceFile(c: WebContext, deps: WebDeps): Promise<Response> {
  const found = await findTask(c, deps);
  if (!found.ok) return found.response;
  const file = await readEvidenceFile(deps.store.pool, found.key, found.task.task, c.req.query('sha') ?? '');
  if (!file) return found.render(404, { kind: 'error', text: 'Такого файла у задачи нет' });
  return c.body(new Uint8Array(file.content), 200, {
    'Content-Type': file.mediaType,
    'Content-Disposition': attachmentDisposition(file.fileName),
    'Content-Length': String(file.size),
  });
}

/**
 * The page of a plan draft: every row as read with its dates and problems, the cells the office
 * fixes in place (period, executor, target, people's e-mails, the schools' directors, partners and
 * curators), the schools and people from a table, the version history, and the way to the start.
 * Without script it is a plain form; with it the period is re-read as it is typed
 * (web/drafts/edit-script.ts).
 */
import { formatRussianDate } from '../../plan/dates.ts';
import type { DraftVersionInfo, StoredDraft } from '../../store/plan-drafts.ts';
import type { PlanChangeRecord } from '../../workflows/messages.ts';
import type { EditProblem, NewItem, NewPerson } from './draft-edits.ts';
import type { DraftPreview, PreviewProblem } from './draft-preview.ts';
import { PEOPLE_COLUMNS } from './people-table.ts';
import { SCHOOL_COLUMNS } from './school-table.ts';
import { html, raw, type Html } from '../html.ts';

export interface DraftPageModel {
  draft: StoredDraft;
  preview: DraftPreview;
  history: DraftVersionInfo[];
  csrf: string;
  /** Whether the user may change and start it (the administrator). */
  editable: boolean;
  /**
   * The plan this draft was started as, while it runs: the form then applies its edits to the
   * running plan, and the plan's own history of changes is shown.
   */
  running?: { key: string; changes: PlanChangeRecord[]; /** Office users' names by login, for who changed the plan. */ names?: ReadonlyMap<string, string> };
  /** Another plan of the same key already runs: the draft says so before «Запустить». */
  clash?: { key: string; since: Date; changeHref: string };
  /** What the change just applied did, for the executors. */
  applied?: string[];
  /** Why the change was not applied; the form keeps the edits. */
  changeRefusal?: string[];
  /** What the school form was sent with, kept when it is refused. */
  schoolsText?: string;
  schoolErrors?: string[];
  /** What the people form was sent with, kept when it is refused. */
  peopleText?: string;
  peopleErrors?: string[];
  /** What each row of the table just taken did («строка 3: …»). */
  tableRows?: string[];
  /**
   * What the form was sent with and is shown again as it was when it was not taken: the rows
   * ticked «удалить», the co-executors taken off (item index → person ids), the new rows, the problems.
   */
  kept?: { removeItems: string[]; removePeople: string[]; detach: ReadonlyMap<number, string[]>; newItem?: NewItem; newPerson?: NewPerson; problems: EditProblem[] };
}

/** The kinds a school's select offers, as the plan format writes them. */
const SCHOOL_KINDS: readonly string[] = ['ШНОР', 'ШНСУ', 'партнер'];

const when = (date: Date) => new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Moscow' }).format(date);

/** The problems of a row, errors first. */
function problemList(problems: readonly PreviewProblem[]): Html | string {
  if (problems.length === 0) return '';
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return html`<ul class="problems">${sorted.map((problem) => html`<li class="problem-${problem.severity}" data-field="${problem.field ?? ''}">${problem.message}</li>`)}</ul>`;
}

function rowClass(problems: readonly PreviewProblem[]): string {
  return problems.some((problem) => problem.severity === 'error') ? 'row-error' : problems.length > 0 ? 'row-warning' : '';
}

export function renderDraftPage(model: DraftPageModel): Html {
  const { draft, preview, history, csrf, running } = model;
  const base = `/drafts/${draft.id}`;
  // A started draft is changed only while its plan runs, and then by applying to it; a draft whose key runs elsewhere is not started.
  const editable = model.editable && (draft.startedKey === null || running !== undefined);
  const people = preview.people;
  // An id the plan names but its people lack stays selected as it is, so that saving the form does not drop it unseen.
  const personOptions = (selected: string) =>
    html`<option value=""${selected === '' ? raw(' selected') : ''}>— не назначен —</option>${people.map((person) => html`<option value="${person.id}"${person.id === selected ? raw(' selected') : ''}>${person.name || person.id}${person.position ? ` (${person.position})` : ''}</option>`)}${selected !== '' && !people.some((person) => person.id === selected) ? html`<option value="${selected}" selected>${selected} (нет среди людей плана)</option>` : ''}`;
  const status =
    draft.startedKey !== null
      ? html`<p class="flash flash-ok" data-running="${running ? 'yes' : 'no'}">План запущен: <a href="/plans/${encodeURIComponent(draft.startedKey)}/year">открыть план</a>${draft.startedAt ? `, ${when(draft.startedAt)}` : ''}.${running && editable ? ' Правки ниже применяются к идущему плану: исполнители получат письма о том, что изменилось для них; выполненные задачи остаются как были.' : running ? '' : ' План больше не идёт.'}</p>`
      : model.clash
        ? html`<p class="flash flash-error" data-ready="running">План «${model.clash.key}» уже идёт (запущен ${when(model.clash.since)}): измените его через <a href="${model.clash.changeHref}">«Изменить идущий план»</a> или выберите другой год или идентификатор.</p>`
      : preview.refusal === undefined
        ? html`<p class="flash flash-ok" data-ready="yes">Проблем нет: план можно запускать. ${editable ? html`<a class="button" href="${base}/start">Запустить</a>` : ''}</p>`
        : html`<p class="flash flash-error" data-ready="no">${preview.errors > 0 ? `Ошибок: ${preview.errors}. ` : ''}${preview.gaps > 0 ? `Не хватает исполнителей и адресов: ${preview.gaps}. ` : ''}Исправьте отмеченное на строках и сохраните; запустить черновик нельзя, пока всё не заполнено.</p>`;

  const kept = model.kept;
  const checked = (on: boolean | undefined) => (on ? raw(' checked') : '');
  const nameOf = (id: string) => people.find((person) => person.id === id)?.name || id;
  const newItem = kept?.newItem;
  const newItemProblems = (kept?.problems ?? []).filter((problem) => problem.where === 'new-item');
  const newItemRow = html`<tr class="new-item${newItemProblems.length > 0 ? ' row-error' : ''}" id="new-item">
<td><input type="text" name="newitem.id" value="${newItem?.id ?? ''}" size="4" placeholder="№" aria-label="№ нового пункта"></td>
<td><textarea name="newitem.title" rows="2" placeholder="новый пункт" aria-label="Мероприятие нового пункта">${newItem?.title ?? ''}</textarea></td>
<td><input type="text" name="newitem.when" value="${newItem?.when ?? ''}" data-period-check="new" aria-label="Срок нового пункта"><output class="period-check" data-period-for="new"></output></td>
<td colspan="2" class="muted">новый пункт: добавится, когда заполнены мероприятие и срок; без № получит следующий номер</td>
<td><select name="newitem.executor" aria-label="Исполнитель нового пункта">${personOptions(newItem?.executor ?? '')}</select></td>
<td><input type="text" name="newitem.result" value="${newItem?.result ?? ''}" aria-label="Результат нового пункта"></td>
<td>${newItemProblems.length > 0 ? html`<ul class="problems" role="alert">${newItemProblems.map((problem) => html`<li class="problem-error">${problem.message}</li>`)}</ul>` : ''}</td>
<td></td>
</tr>`;

  const rows = preview.rows.map((row) => {
    const responsible = row.executors[0] ?? '';
    const detached = kept?.detach.get(row.index) ?? [];
    const coExecutors = row.executors.slice(1).map((id, position) => html`<label class="co-executor"><input type="checkbox" name="item.${row.index}.detach.${position + 1}" value="${id}"${checked(detached.includes(id))} aria-label="Убрать соисполнителя ${nameOf(id)} из пункта ${row.id}"> ${nameOf(id)} — убрать</label>`);
    const starts = row.dates.map((date) => (date.start ? formatRussianDate(date.start) : '—'));
    const dues = row.dates.map((date) => (date.due ? formatRussianDate(date.due) : '—'));
    return html`<tr id="item-${row.index}" data-item="${row.id}" class="${rowClass(row.problems)}">
<td>${row.id}</td>
<td><textarea name="item.${row.index}.title" rows="2" aria-label="Мероприятие пункта ${row.id}">${row.title}</textarea></td>
<td><input type="text" name="item.${row.index}.when" value="${row.when}" data-period-check="${row.index}" aria-label="Срок пункта ${row.id}"><output class="period-check" data-period-for="${row.index}"></output></td>
<td class="dates" data-start-for="${row.index}">${starts.length > 0 ? starts.map((text, i) => html`${i > 0 ? raw('<br>') : ''}${text}`) : '—'}</td>
<td class="dates" data-due-for="${row.index}">${dues.length > 0 ? dues.map((text, i) => html`${i > 0 ? raw('<br>') : ''}${text}`) : '—'}</td>
<td>${row.perSchool ? html`<span class="muted">директор каждой школы</span>` : html`<select name="item.${row.index}.executor" aria-label="Исполнитель пункта ${row.id}">${personOptions(responsible)}</select>${row.executors.length > 1 ? html`<div class="co-executors"><span class="muted">соисполнители:</span>${coExecutors}</div>` : ''}`}</td>
<td><input type="text" name="item.${row.index}.result" value="${row.result}" aria-label="Результат пункта ${row.id}"></td>
<td>${problemList(row.problems)}</td>
<td><label class="remove"><input type="checkbox" name="item.${row.index}.remove" value="${row.id}"${checked(kept?.removeItems.includes(row.id))} aria-label="Удалить пункт ${row.id}"> удалить</label></td>
</tr>`;
  });

  const peopleRows = people.map(
    (person) => html`<tr id="person-${person.index}" data-person="${person.id}" class="${rowClass(person.problems)}">
<td>${person.id}</td>
<td><input type="text" name="person.${person.index}.name" value="${person.name}" aria-label="ФИО ${person.id}"></td>
<td><input type="text" name="person.${person.index}.position" value="${person.position}" aria-label="Должность ${person.id}"></td>
<td><input type="email" name="person.${person.index}.email" value="${person.email}" aria-label="E-mail ${person.id}"></td>
<td>${problemList([...person.problems, ...(kept?.problems ?? []).filter((problem) => problem.where === 'person' && problem.id === person.id).map((problem): PreviewProblem => ({ severity: 'error', field: null, message: problem.message }))])}</td>
<td>${person.uses.length > 0 ? html`<label class="remove"><input type="checkbox" name="person.${person.index}.remove" value="${person.id}" disabled aria-label="Удалить ${person.name || person.id}"> удалить</label><br><span class="muted">нельзя: ${person.uses.join('; ')}</span>` : html`<label class="remove"><input type="checkbox" name="person.${person.index}.remove" value="${person.id}"${checked(kept?.removePeople.includes(person.id))} aria-label="Удалить ${person.name || person.id}"> удалить</label>`}</td>
</tr>`,
  );

  const schools = preview.schools;
  // A kind or partner the page does not offer stays selected as it is, as an executor does.
  const kindOptions = (selected: string) =>
    html`${SCHOOL_KINDS.map((kind) => html`<option value="${kind}"${kind === selected ? raw(' selected') : ''}>${kind}</option>`)}${SCHOOL_KINDS.includes(selected) ? '' : html`<option value="${selected}" selected>${selected || '— не указан —'}</option>`}`;
  const partnerOptions = (selected: string, own: string) =>
    html`<option value=""${selected === '' ? raw(' selected') : ''}>— нет —</option>${schools.filter((school) => school.id !== own).map((school) => html`<option value="${school.id}"${school.id === selected ? raw(' selected') : ''}>${school.name || school.id} (${school.kind})</option>`)}${selected !== '' && !schools.some((school) => school.id === selected && school.id !== own) ? html`<option value="${selected}" selected>${selected} (нет среди школ плана)</option>` : ''}`;
  const schoolRows = schools.map(
    (school) => html`<tr id="school-${school.index}" data-school="${school.id}" class="${rowClass(school.problems)}">
<td>${school.id}</td>
<td><textarea name="school.${school.index}.name" rows="2" aria-label="Название школы ${school.id}">${school.name}</textarea></td>
<td><select name="school.${school.index}.kind" aria-label="Вид школы ${school.id}">${kindOptions(school.kind)}</select></td>
<td><input type="text" name="school.${school.index}.municipality" value="${school.municipality}" aria-label="Муниципалитет школы ${school.id}"></td>
<td><input type="text" name="school.${school.index}.director" value="${school.director}" placeholder="ФИО" aria-label="Директор школы ${school.id}"><input type="email" name="school.${school.index}.directorEmail" value="${school.directorEmail}" placeholder="e-mail" aria-label="E-mail директора школы ${school.id}"></td>
<td><select name="school.${school.index}.partner" aria-label="Партнёр школы ${school.id}">${partnerOptions(school.partner, school.id)}</select></td>
<td><select name="school.${school.index}.curator" aria-label="Куратор школы ${school.id}">${personOptions(school.curator)}</select></td>
<td>${problemList(school.problems)}</td>
</tr>`,
  );

  return html`<h1>Черновик плана: ${preview.title || preview.planId}</h1>
<p class="muted">Версия ${draft.latest.version} · ${draft.latest.authorName ?? draft.latest.author}, ${when(draft.latest.savedAt)} · ${preview.yearLabel} · <a href="${base}/plan.yaml">скачать YAML</a> · ${running ? html`<a href="#plan-changes">история изменений плана</a> · <a href="#history">версии черновика</a>` : html`<a href="#history">история изменений</a>`}</p>
${status}
${model.applied ? html`<div class="flash flash-ok" role="status" data-applied="yes"><p>Изменения применены к идущему плану. Что изменилось для исполнителей:</p><ul class="changes">${model.applied.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
${model.tableRows ? html`<div class="flash flash-ok" role="status" data-table-rows="yes"><p>Таблица принята, по строкам:</p><ul class="changes">${model.tableRows.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
${model.changeRefusal ? html`<div class="flash flash-error" role="alert" data-change-refused="yes"><p>Изменение не принято: идущий план остался прежним, версия не сохранена. Правки остались в форме — исправьте их и примените снова.</p><ul class="change-refusal">${model.changeRefusal.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
${preview.general.length > 0 ? html`<div class="card">${problemList(preview.general)}</div>` : ''}
<form method="post" action="${running ? `${base}/apply` : base}" id="draft-form" data-period-url="${base}/period">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="do" value="${running ? 'apply' : 'save'}">
<input type="hidden" name="basedOn" value="${draft.latest.version}">
<fieldset${editable ? '' : raw(' disabled')}>
<legend>План</legend>
<label for="plan-id">Идентификатор (латиницей: под ним план запускается)</label><input type="text" id="plan-id" name="plan.id" value="${preview.planId}">
<label for="plan-title">Название</label><input type="text" id="plan-title" name="plan.title" value="${preview.title}" size="80">
<label for="plan-region">Регион</label><input type="text" id="plan-region" name="plan.region" value="${preview.region}">
<label for="plan-office">Проектный офис: кто получает сводки и эскалации</label><select id="plan-office" name="plan.office">${personOptions(preview.office)}</select>
</fieldset>
<h2>Мероприятия</h2>
<fieldset class="wide"${editable ? '' : raw(' disabled')}>
<table class="grid draft-items"><thead><tr><th>№</th><th>Мероприятие</th><th>Срок (как в плане)</th><th>Начало</th><th>Срок исполнения</th><th>Исполнитель</th><th>Результат</th><th>Замечания</th><th>Удалить</th></tr></thead>
<tbody>${rows}
${newItemRow}</tbody></table>
</fieldset>
<h2>Люди</h2>
<fieldset class="wide"${editable ? '' : raw(' disabled')}>
<table class="grid draft-people"><thead><tr><th>id</th><th>ФИО</th><th>Должность</th><th>E-mail</th><th>Замечания</th><th>Удалить</th></tr></thead>
<tbody>${peopleRows}
<tr class="new-person"><td>новый</td><td><input type="text" name="new.name" value="${kept?.newPerson?.name ?? ''}" placeholder="Фамилия Имя Отчество" aria-label="ФИО нового человека"></td><td><input type="text" name="new.position" value="${kept?.newPerson?.position ?? ''}" aria-label="Должность нового человека"></td><td><input type="email" name="new.email" value="${kept?.newPerson?.email ?? ''}" aria-label="E-mail нового человека"></td><td class="muted">добавится при сохранении</td><td></td></tr>
</tbody></table>
</fieldset>
<h2>Школы</h2>
<fieldset class="wide"${editable ? '' : raw(' disabled')}>
${schoolRows.length > 0 ? html`<table class="grid draft-schools"><thead><tr><th>id</th><th>Название</th><th>Вид</th><th>Муниципалитет</th><th>Директор и его e-mail</th><th>Партнёр</th><th>Куратор</th><th>Замечания</th></tr></thead><tbody>${schoolRows}</tbody></table>` : html`<p class="muted">Школ в плане нет.</p>`}
${editable ? (running ? html`<p><button type="submit">Применить к идущему плану</button> <span class="muted">Идущий план примет правки или откажет с причинами; принятые правки — новая версия черновика.</span></p>` : html`<p><button type="submit">Сохранить</button> <span class="muted">Сохранение — новая версия черновика; в истории видно, кто и что изменил.</span></p>`) : ''}
</fieldset>
</form>
${editable ? peopleForm(base, csrf, model) : ''}
${editable && !running ? schoolForm(base, csrf, model) : ''}
${editable && !running ? html`<form method="post" action="/drafts/upload" enctype="multipart/form-data" class="card">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="do" value="upload-version"><input type="hidden" name="draft" value="${draft.id}">
<label for="version-file">Загрузить новую версию из файла (.yaml, .docx, .xlsx)</label><input type="file" id="version-file" name="file" accept=".yaml,.yml,.docx,.xlsx">
<button type="submit" class="secondary">Загрузить версию</button>
</form>` : ''}
${running ? runningHistory(running.changes, running.names) : ''}
<h2 id="history">${running || draft.startedKey !== null ? 'Версии черновика' : 'История изменений'}</h2>
<table class="grid draft-history"><thead><tr><th>Версия</th><th>Когда</th><th>Кто</th><th>Что изменено</th><th></th></tr></thead>
<tbody>${history.map((entry) => html`<tr data-version="${entry.version}"><td>${entry.version}</td><td>${when(entry.savedAt)}</td><td>${entry.authorName ?? entry.author}</td><td>${entry.summary.length > 0 ? html`<ul class="changes">${entry.summary.map((line) => html`<li>${line}</li>`)}</ul>` : '—'}</td><td><a href="${base}/plan.yaml?version=${entry.version}">YAML</a></td></tr>`)}</tbody></table>
<script src="/drafts/edit.js" defer></script>`;
}

/** Who changed the plan, as people read it: the user's name, «командная строка» for `cli:<user>`. */
export function changedBy(by: string | null, names: ReadonlyMap<string, string> = new Map()): string {
  if (by === null || by === '') return '—';
  if (by.startsWith('cli:')) return 'командная строка';
  return names.get(by) ?? by;
}

/** The running plan's «История изменений»: each change with when, who and what, newest first. */
function runningHistory(changes: readonly PlanChangeRecord[], names?: ReadonlyMap<string, string>): Html {
  return html`<h2 id="plan-changes">История изменений идущего плана</h2>
${changes.length === 0 ? html`<p class="muted">План идёт без изменений с запуска.</p>` : html`<table class="grid plan-changes"><thead><tr><th>Когда</th><th>Кто</th><th>Что изменилось</th></tr></thead>
<tbody>${[...changes].reverse().map((change) => html`<tr><td>${formatRussianDate(change.date)} ${change.time}</td><td>${changedBy(change.by, names)}</td><td><ul class="changes">${change.lines.map((line) => html`<li>${line}</li>`)}</ul></td></tr>`)}</tbody></table>`}`;
}

/**
 * The people from a table: a draft saves them as a version; a started draft's running plan takes
 * them at once, as the form's «Применить к идущему плану» does.
 */
function peopleForm(base: string, csrf: string, model: DraftPageModel): Html {
  const running = model.running !== undefined;
  return html`<form method="post" action="${base}/people" enctype="multipart/form-data" class="card" id="people-form">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="do" value="people">
<p>Люди из таблицы: вставьте таблицу (строки, столбцы через табуляцию или «;») или загрузите .xlsx/.csv. Столбцы: ${PEOPLE_COLUMNS.join('; ')} — по заголовку в любом порядке, без заголовка в этом. Человек с тем же ФИО обновится (пустая клетка оставляет прежнее), новое ФИО добавится.${running ? ' Таблица сразу применяется к идущему плану: у исполнителя с новым адресом задачи передаются ему с письмами.' : ''}</p>
${model.peopleErrors && model.peopleErrors.length > 0 ? html`<div class="flash flash-error" role="alert"><p>Люди не ${running ? 'изменены' : 'сохранены'}: исправьте строки и отправьте таблицу снова.</p><ul>${model.peopleErrors.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
<label for="people-text">Таблица людей</label><textarea id="people-text" name="people" rows="5">${model.peopleText ?? ''}</textarea>
<label for="people-file">или файл</label><input type="file" id="people-file" name="peopleFile" accept=".xlsx,.csv,.txt">
<p><button type="submit">${running ? 'Применить людей из таблицы к идущему плану' : 'Обновить людей из таблицы'}</button></p>
</form>`;
}

function schoolForm(base: string, csrf: string, model: DraftPageModel): Html {
  return html`<form method="post" action="${base}/schools" enctype="multipart/form-data" class="card" id="schools-form">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="do" value="schools"><input type="hidden" name="basedOn" value="${model.draft.latest.version}">
<p>Добавить школы и их партнёров: вставьте таблицу (строки, столбцы через табуляцию или «;») или загрузите .xlsx/.csv. Столбцы: ${SCHOOL_COLUMNS.join('; ')}. Школа с тем же названием обновится.</p>
${model.schoolErrors && model.schoolErrors.length > 0 ? html`<div class="flash flash-error" role="alert"><p>Школы не добавлены:</p><ul>${model.schoolErrors.map((line) => html`<li>${line}</li>`)}</ul></div>` : ''}
<label for="schools-text">Таблица школ</label><textarea id="schools-text" name="schools" rows="5">${model.schoolsText ?? ''}</textarea>
<label for="schools-file">или файл</label><input type="file" id="schools-file" name="schoolsFile" accept=".xlsx,.csv,.txt">
<p><button type="submit">Добавить школы</button></p>
</form>`;
}

/** The CSS of the draft pages, added to the shared stylesheet. */
export const DRAFT_STYLES = `
table.draft-items input[type=text], table.draft-items textarea, table.draft-items select, table.draft-people input, table.draft-schools input, table.draft-schools textarea, table.draft-schools select { min-width: 0; width: 100%; }
table.draft-schools td:nth-child(2), table.draft-schools td:nth-child(5) { min-width: 200px; }
table.draft-schools td:nth-child(3) { min-width: 110px; }
input[type=email] { font: inherit; padding: 6px 8px; border: 1px solid #b8c0cc; border-radius: 4px; }
table.draft-items td:nth-child(6) { min-width: 180px; }
table.draft-items td:nth-child(2) { min-width: 260px; }
table.draft-items td:nth-child(3) { min-width: 180px; }
fieldset.wide { padding: 0; border: 0; background: transparent; }
tr.row-error { background: #fdecea; }
tr.row-warning { background: #fff8e1; }
ul.problems { margin: 0; padding-left: 16px; font-size: 13px; }
li.problem-error { color: var(--overdue); }
li.problem-warning { color: #8a6d00; }
output.period-check { display: block; font-size: 12px; }
output.period-check.ok { color: var(--done); }
output.period-check.error { color: var(--overdue); }
td.dates { white-space: nowrap; font-size: 13px; }
a.button { display: inline-block; padding: 6px 14px; border-radius: 4px; background: #1f6f43; color: #ffffff; text-decoration: none; }
ul.changes { margin: 0; padding-left: 16px; }
div.co-executors label, label.remove { display: block; font-size: 13px; white-space: nowrap; }
table.draft-items input[type=checkbox], table.draft-people input[type=checkbox] { width: auto; min-width: 0; }
`;

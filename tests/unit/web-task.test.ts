/**
 * The office's task page: what it shows of a task (fields, history in Russian, documents, a
 * pending request for more time), its forms, and its actions sent to the workflow as the
 * logged-in user, with refusals and incomplete forms answered 422 in Russian.
 */
import { Hono } from 'hono';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import type { RegisterEntry } from '../../documents/register.ts';
import { Plan } from '../../plan/schema.ts';
import type { PlanStatus, TaskHistoryEntry, TaskStatus } from '../../workflows/messages.ts';
import type { Schedule } from '../../plan/schedule.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import type { Session } from '../../web/auth.ts';
import type { ServedPlan } from '../../web/plans.ts';
import { buildPlan } from '../support/build-plan.ts';

vi.mock('../../client/plan-runs.ts', () => {
  class TaskActionRefused extends Error {}
  return { TaskActionRefused, completeTask: vi.fn(), extendTask: vi.fn(), reassignTask: vi.fn(), declineExtension: vi.fn() };
});
const runs = await import('../../client/plan-runs.ts');
const {
  HISTORY_LABELS,
  doneMessage,
  documentsNamedIn,
  parseTaskForm,
  reassignCandidates,
  historyInReadingOrder,
  renderTaskPage,
  unfinishedPrerequisites,
  russianDatesIn,
  taskAction,
  taskDocuments,
  taskPage,
  namesOf,
  withdrawalOf,
} = await import('../../web/tasks/task.ts');
type TaskPageModel = import('../../web/tasks/task.ts').TaskPageModel;

const EVERY_KIND: TaskHistoryEntry['kind'][] = [
  'assigned', 'late-at-start', 'reminder', 'overdue', 'escalation', 'extended', 'rescheduled', 'reassigned', 'undeliverable', 'document', 'extension-requested', 'extension-declined', 'digest',
  'completed', 'extension', 'reassignment', 'replan', 'started', 'documents', 'extension-request', 'extension-refusal',
  'returned', 'reopened', 'reported', 'accepted', 'report-returned', 'reopening',
];

const AWKWARD = 'Школа & <Сад> "Ромашка"';

const plan = Plan.parse(
  buildPlan({
    region: 'Рязанская область',
    people: [
      { id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' },
      { id: 'riro', name: 'Петров Иван Сергеевич', position: 'методист', organization: 'РИРО', email: 'riro@example.org' },
    ],
    items: [
      { id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro', result: 3 },
      { id: '13', title: 'Заключение договоров о сотрудничестве', when: 'март - апрель', per: 'school', executor: 'riro', result: 10, documents: ['contract'] },
    ],
  }),
);

const DIRECTOR = { id: 'director:sch-01', name: 'Сидоров Пётр Петрович', email: 'director01@example.org' };

function buildTask(overrides: Partial<TaskStatus> = {}): TaskStatus {
  return {
    task: '13@sch-01', item: '13', title: 'Заключение договоров о сотрудничестве', period: 'март - апрель', school: 'sch-01', schoolName: 'МОУ «Ерахтурская средняя школа»',
    executor: DIRECTOR, coExecutors: [], start: '2020-03-02', due: '2020-04-30', plannedDue: '2020-04-30', state: 'active', target: '10',
    result: null, comment: null, doneOn: null, daysLate: 0, extensionRequest: null, history: [], ...overrides,
  };
}

function buildEntry(overrides: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    key: 'test-plan:contract:sch-01:sch-11', template: 'contract', number: 'ДС-2020/001', sequence: 1, year: 2020, date: '2020-03-02', plan: 'test-plan',
    path: 'test-plan/contract/ДС-2020-001.docx', fileName: 'Договор ДС-2020-001.docx', sha256: 'x', inputHash: 'y', issuedAt: '2020-03-02T06:00:00.000Z', ...overrides,
  };
}

function model(overrides: Partial<TaskPageModel> = {}): TaskPageModel {
  const task = overrides.task ?? buildTask();
  return { planKey: 'test-plan', task, today: '2020-03-10', documents: [], candidates: reassignCandidates(plan, task), names: namesOf(plan, task), csrf: 'csrf-token', form: null, ...overrides };
}

const text = (markup: { value: string }) => markup.value;

describe('history labels', () => {
  it('names every kind of history entry in Russian', () => {
    for (const kind of EVERY_KIND) expect(HISTORY_LABELS[kind], kind).toMatch(/^[А-ЯЁ][а-яё ,]+$/);
    expect(new Set(Object.values(HISTORY_LABELS)).size).toBe(EVERY_KIND.length);
    expect(Object.keys(HISTORY_LABELS).sort()).toEqual([...EVERY_KIND].sort());
  });

  it('shows each entry with its label, Russian date, who and detail in the history table', () => {
    const history: TaskHistoryEntry[] = EVERY_KIND.map((kind) => ({ date: '2020-03-02', time: '09:00', kind, to: ['riro@example.org'], detail: `деталь ${kind}` }));
    const page = text(renderTaskPage(model({ task: buildTask({ history }) })));
    for (const kind of EVERY_KIND) expect(page).toContain(`<td>${HISTORY_LABELS[kind]}</td>`);
    expect(page).toContain('<td>02.03.2020</td><td>09:00</td>');
    expect(page).toContain('<td>Петров Иван Сергеевич</td>');
    expect(page).not.toContain('riro@example.org)');
  });

  it('names the office user who acted on these pages, and the command line, by name, without the login', () => {
    const task = buildTask({
      history: [
        { date: '2020-04-20', time: '10:15', kind: 'extension', to: ['office'], detail: '2020-04-30 → 2020-05-15: карантин' },
        { date: '2020-04-21', time: '11:00', kind: 'completed', to: ['cli'], detail: 'готово' },
      ],
    });
    const page = text(renderTaskPage(model({ task, names: namesOf(plan, task, [{ login: 'office', name: 'Иванова О. Ю.' }]) })));
    expect(page).toContain('<td>Иванова О. Ю.</td>');
    expect(page).toContain('<td>командная строка</td>');
    expect(page).not.toContain('(office)');
  });

  it('writes the dates of an extension in Russian and names the kind of an undelivered letter', () => {
    const history: TaskHistoryEntry[] = [
      { date: '2020-04-20', time: '10:15', kind: 'extension', to: ['ivanova'], detail: '2020-04-30 → 2020-05-15: по просьбе исполнителя: карантин' },
      { date: '2020-03-02', time: '09:00', kind: 'undeliverable', detail: 'reminder: old@example.org: почтовый сервер отказался принять письмо' },
    ];
    const page = text(renderTaskPage(model({ task: buildTask({ history }) })));
    expect(page).toContain('30.04.2020 → 15.05.2020: по просьбе исполнителя: карантин');
    expect(page).toContain('Напоминание о сроке: old@example.org');
    expect(russianDatesIn('с 2020-01-09 по 2020-12-31')).toBe('с 09.01.2020 по 31.12.2020');
  });
});

describe('the task page', () => {
  it('shows the period, dates, the moved deadline, state, days late, executor, co-executors and target', () => {
    const page = text(renderTaskPage(model({ task: buildTask({ due: '2020-05-15', state: 'overdue', daysLate: 3, coExecutors: [{ id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }] }) })));
    expect(page).toContain('<dt>Период</dt><dd>март - апрель</dd>');
    expect(page).toContain('<dt>Начало</dt><dd>02.03.2020</dd>');
    expect(page).toContain('15.05.2020 <span class="muted">(по плану — 30.04.2020)</span>');
    expect(page).toContain('<span class="state state-overdue">просрочена</span>');
    expect(page).toContain('просрочка 3 рабочих дня');
    expect(page).toContain('Сидоров Пётр Петрович, МОУ «Ерахтурская средняя школа»');
    expect(page).toContain('<dt>Соисполнители</dt><dd>Петров Иван Сергеевич</dd>');
    expect(page).toContain('<dt>Прогнозируемый результат</dt><dd>10</dd>');
  });

  it('shows a done task with its result, comment and day, and no forms', () => {
    const page = text(renderTaskPage(model({ task: buildTask({ state: 'done', result: '10 договоров подписано', comment: 'два — с опозданием', doneOn: '2020-04-28' }) })));
    expect(page).toContain('<dt>Результат</dt><dd>10 договоров подписано</dd>');
    expect(page).toContain('<dt>Комментарий</dt><dd>два — с опозданием</dd>');
    expect(page).toContain('<dt>Выполнена</dt><dd>28.04.2020</dd>');
    expect(page).not.toContain('<form');
  });

  it('gives every form the session token, its action and the task address', () => {
    const page = text(renderTaskPage(model()));
    const forms = page.match(/<form [^>]*>/g)!;
    expect(forms).toHaveLength(3);
    for (const form of forms) expect(form).toContain('action="/plans/test-plan/task?t=13%40sch-01"');
    expect(page.match(/<input type="hidden" name="_csrf" value="csrf-token">/g)).toHaveLength(3);
    for (const action of ['extend', 'reassign', 'complete']) expect(page).toContain(`<input type="hidden" name="do" value="${action}">`);
    expect(page).toContain('min="2020-03-10"');
    expect(page).toContain('Отметить выполненной');
  });

  it('shows a report on check with its files, and the office\'s two answers: accept, or return with what to rework', () => {
    const task = buildTask({
      state: 'review', result: '10 договоров подписано', comment: 'сканы приложены', reportedOn: '2020-04-28', checked: true, reports: 2, returned: null,
      history: [{ date: '2020-04-28', time: '10:15', kind: 'reported', detail: '10 договоров подписано — сканы приложены', to: ['director:sch-01'] }],
    });
    const file = (report: number, fileName: string) => ({ task: task.task, report, position: 1, reportedAt: new Date('2020-04-28T07:15:00Z'), reportedBy: 'director:sch-01', fileName, mediaType: 'application/pdf', size: 250_000, sha256: 'a'.repeat(64) });
    const page = text(renderTaskPage(model({ task, evidence: [file(1, 'старый.pdf'), file(2, 'договоры & сканы.pdf')] })));
    expect(page).toContain('<h2>Отчёт на проверке</h2>');
    expect(page).toContain('Отчёт исполнителя Сидоров Пётр Петрович от 28.04.2020: «10 договоров подписано» (комментарий: «сканы приложены»)');
    expect(page).toContain(`<a href="/plans/test-plan/task/file?t=13%40sch-01&amp;sha=${'a'.repeat(64)}" download>договоры &amp; сканы.pdf</a> <span class="muted">244 КБ</span>`);
    expect(page.match(/<section class="review"[\s\S]*?<\/section>/)![0]).not.toContain('старый.pdf');
    expect(page).toContain('<input type="hidden" name="do" value="accept">');
    expect(page).toMatch(/<input type="hidden" name="do" value="return">[\s\S]*<textarea id="return-why" name="why" required/);
    expect(page).toContain('<dt>Отчёт исполнителя</dt><dd>10 договоров подписано</dd>');
    expect(page).toContain('<dt>На проверке с</dt><dd>28.04.2020</dd>');
    expect(page).toContain('<h3>Отчёт 1, 28.04.2020</h3>');
  });

  it('offers an administrator to reopen a done task with a reason, and nobody else', () => {
    const task = buildTask({ state: 'done', result: '10', doneOn: '2020-04-28', checked: true });
    expect(text(renderTaskPage(model({ task, mayReopen: true })))).toMatch(/<input type="hidden" name="do" value="reopen">[\s\S]*<textarea id="reopen-why" name="why" required/);
    expect(text(renderTaskPage(model({ task, mayReopen: false })))).not.toContain('<form');
  });

  it('offers a pending request for more time: move to the asked date, or refuse with an answer', () => {
    const task = buildTask({ extensionRequest: { to: '2020-05-15', reason: 'карантин в школе', on: '2020-04-20', by: 'director:sch-01' } });
    const page = text(renderTaskPage(model({ task })));
    expect(page).toContain('на <strong>15.05.2020</strong>. Просьба от 20.04.2020.');
    expect(page).toContain('Причина: «карантин в школе»');
    expect(page).toContain('<input type="hidden" name="to" value="2020-05-15"><input type="hidden" name="reason" value="по просьбе исполнителя: карантин в школе">');
    expect(page).toContain('<button type="submit">Перенести на 15.05.2020</button>');
    expect(page).toMatch(/<input type="hidden" name="do" value="decline">[\s\S]*<textarea id="decline-answer" name="answer" required/);
    expect(page).toContain('Отказать');
  });

  it('escapes names, titles, details and file names with & < "', () => {
    const task = buildTask({
      title: `Семинар ${AWKWARD}`, schoolName: AWKWARD, executor: { ...DIRECTOR, name: 'Д\'Артаньян & <Ко>' },
      history: [{ date: '2020-03-02', time: '09:00', kind: 'completed', detail: '<script>alert(1)</script>' }],
      extensionRequest: { to: '2020-05-15', reason: '"кавычки" & <теги>', on: '2020-04-20' },
    });
    const page = text(renderTaskPage(model({ task, documents: [buildEntry({ fileName: `Договор ${AWKWARD}.docx` })] })));
    expect(page).not.toMatch(/<Сад>|<Ко>|<script>|<теги>/);
    expect(page).toContain('Школа &amp; &lt;Сад&gt; &quot;Ромашка&quot;');
    expect(page).toContain('Д&#39;Артаньян &amp; &lt;Ко&gt;');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('value="по просьбе исполнителя: &quot;кавычки&quot; &amp; &lt;теги&gt;"');
  });

  it('lists the documents with download links to the register', () => {
    const page = text(renderTaskPage(model({ documents: [buildEntry()] })));
    expect(page).toContain('Договор о сотрудничестве (сетевом партнёрстве)');
    expect(page).toContain(`href="/documents/file?path=${encodeURIComponent('test-plan/contract/ДС-2020-001.docx')}"`);
  });

  it('puts what was typed back into the refused form', () => {
    const page = text(renderTaskPage(model({ form: { action: 'extend', values: { to: '2020-05-09', reason: 'праздники' } } })));
    expect(page).toContain('value="2020-05-09"');
    expect(page).toContain('>праздники</textarea>');
  });
});

describe('who a task can be handed to', () => {
  it('offers the plan\'s people and, for a per-school task, the directors, never the current executor', () => {
    const candidates = reassignCandidates(plan, buildTask());
    const ids = candidates.map((candidate) => candidate.recipient.id);
    expect(ids).not.toContain('director:sch-01');
    expect(ids).toEqual(['director:sch-02', 'director:sch-11', 'coordinator', 'riro']);
    expect(candidates.find((candidate) => candidate.recipient.id === 'riro')).toEqual({ recipient: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }, label: 'Петров Иван Сергеевич, методист (РИРО)' });
  });

  it('offers no directors for a task of the whole plan, and puts its own school\'s director first when someone else has it', () => {
    expect(reassignCandidates(plan, buildTask({ school: null, executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' } })).map((candidate) => candidate.recipient.id)).toEqual(['coordinator']);
    expect(reassignCandidates(plan, buildTask({ executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' } }))[0]!.recipient).toEqual(DIRECTOR);
  });
});

describe('the task\'s documents', () => {
  const history: TaskHistoryEntry[] = [{ date: '2020-03-02', time: '09:00', kind: 'documents', detail: 'Приказ об утверждении перечня школ-участниц № 12-П; Договор о сотрудничестве (сетевом партнёрстве) № ДС-2020/002' }];

  it('reads the numbers out of the history', () => {
    expect(documentsNamedIn(history)).toEqual([
      { title: 'Приказ об утверждении перечня школ-участниц', number: '12-П' },
      { title: 'Договор о сотрудничестве (сетевом партнёрстве)', number: 'ДС-2020/002' },
    ]);
    expect(documentsNamedIn([{ date: '2020-03-02', time: '09:00', kind: 'documents', detail: 'документы не выпущены: нет подписанта' }])).toEqual([]);
  });

  it('keeps the plan\'s documents named in the history and its school\'s contract, not another plan\'s or school\'s', () => {
    const order = buildEntry({ key: 'test-plan:order:participants', template: 'order', number: '12-П', path: 'test-plan/order/12-П.docx' });
    const own = buildEntry({ key: 'test-plan:contract:sch-01:sch-11', number: 'ДС-2020/001' });
    const other = buildEntry({ key: 'test-plan:contract:sch-02:sch-11', number: 'ДС-2020/002', path: 'b' });
    const elsewhere = buildEntry({ key: 'other-plan:order:participants', template: 'order', number: '12-П', plan: 'other-plan', path: 'c' });
    const found = taskDocuments([order, own, other, elsewhere], 'test-plan', buildTask({ history }), ['contract']);
    expect(found.map((entry) => entry.key)).toEqual(['test-plan:order:participants', 'test-plan:contract:sch-01:sch-11', 'test-plan:contract:sch-02:sch-11']);
    expect(taskDocuments([own], 'test-plan', buildTask(), [])).toEqual([]);
  });
});

describe('the history\'s order', () => {
  it('shows a task\'s start before the letter of the same minute that tells of it, and keeps all else in the order it happened', () => {
    const history: TaskHistoryEntry[] = [
      { date: '2020-03-02', time: '09:00', kind: 'assigned', to: ['riro'] },
      { date: '2020-03-02', time: '09:00', kind: 'started' },
      { date: '2020-03-20', time: '09:00', kind: 'reminder', to: ['riro'] },
      { date: '2020-03-20', time: '12:00', kind: 'completed', detail: 'готово' },
    ];
    expect(historyInReadingOrder(history).map((entry) => entry.kind)).toEqual(['started', 'assigned', 'reminder', 'completed']);
  });
});

describe('a task withdrawn by a change of the plan', () => {
  const status = {
    tasks: [{ task: '1', state: 'active' }],
    changes: [{ date: '2020-03-05', time: '10:15', by: 'office', lines: ['удалена задача 13@sch-01 «Заключение договоров о сотрудничестве»', 'задача 1 «Доработка»: сроки …'] }],
  } as unknown as PlanStatus;
  const schedule = { tasks: [{ task: '1', after: [] }] } as unknown as Schedule;

  it('says it was taken off the plan, on the day the plan\'s history names, and offers no actions', () => {
    const task = buildTask({ state: 'planned', extensionRequest: { to: '2020-05-15', reason: 'карантин', on: '2020-03-01', by: 'director:sch-01' } });
    const withdrawn = withdrawalOf(status, task, schedule);
    expect(withdrawn).toEqual({ on: '2020-03-05' });
    const page = text(renderTaskPage(model({ task, withdrawn })));
    expect(page).toContain('Задача снята с плана-графика при его изменении 05.03.2020: действий с ней больше нет.');
    expect(page).not.toContain('запланирована');
    expect(page).not.toContain('<form');
    expect(page).not.toContain('Перенести срок');
    expect(page).not.toContain('Передать задачу');
  });

  it('is not withdrawn while it is in the plan\'s state or its schedule, or done; without a history line the day is left out', () => {
    expect(withdrawalOf(status, buildTask({ task: '1' }), schedule)).toBeNull();
    expect(withdrawalOf(status, buildTask({ task: '1@new' }), { tasks: [{ task: '1@new' }] } as unknown as Schedule)).toBeNull();
    expect(withdrawalOf(status, buildTask({ state: 'done' }), schedule)).toBeNull();
    expect(withdrawalOf(null, buildTask(), schedule)).toBeNull();
    const quiet = withdrawalOf({ tasks: [], changes: [] }, buildTask(), schedule);
    expect(quiet).toEqual({ on: null });
    expect(text(renderTaskPage(model({ withdrawn: quiet })))).toContain('Задача снята с плана-графика при его изменении: действий с ней больше нет.');
  });
});

describe('a task that waits for others', () => {
  const schedule = {
    tasks: [
      { task: '7@sch-01', title: 'Анализ результатов' },
      { task: '8', title: 'Совещание' },
      { task: '9@sch-01', title: 'Программа школы', after: ['7@sch-01', '8'] },
    ].map((entry) => ({ after: [], ...entry })),
  } as unknown as Schedule;

  it('names on its page the tasks not done yet that it waits for, with their states, while it has not started', () => {
    const status = { tasks: [{ task: '7@sch-01', state: 'overdue' }, { task: '8', state: 'done' }] } as unknown as PlanStatus;
    const waitingFor = unfinishedPrerequisites(schedule, status, '9@sch-01');
    expect(waitingFor).toEqual([{ task: '7@sch-01', title: 'Анализ результатов', state: 'overdue' }]);
    const page = text(renderTaskPage(model({ task: buildTask({ task: '9@sch-01', state: 'overdue' }), waitingFor })));
    expect(page).toContain('Задача ещё не началась: она начнётся, когда будут выполнены задача «<a href="/plans/test-plan/task?t=7%40sch-01">Анализ результатов</a>» (просрочена).');
    const started = buildTask({ task: '9@sch-01', history: [{ date: '2020-03-02', time: '09:00', kind: 'started' }] });
    expect(text(renderTaskPage(model({ task: started, waitingFor })))).not.toContain('Задача ещё не началась: она начнётся');
    expect(unfinishedPrerequisites(schedule, null, '9@sch-01').map((entry) => `${entry.task} ${entry.state}`)).toEqual(['7@sch-01 null', '8 null']);
  });
});

describe('the office\'s forms', () => {
  const candidates = reassignCandidates(plan, buildTask());

  it('turns each complete form into its command', () => {
    expect(parseTaskForm({ do: 'extend', to: '2020-05-15', reason: ' карантин ' }, candidates)).toEqual({ ok: true, command: { action: 'extend', to: '2020-05-15', reason: 'карантин' } });
    expect(parseTaskForm({ do: 'reassign', executor: 'riro', reason: '' }, candidates)).toEqual({ ok: true, command: { action: 'reassign', executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' } } });
    expect(parseTaskForm({ do: 'complete', result: '10 договоров', comment: '' }, candidates)).toEqual({ ok: true, command: { action: 'complete', result: '10 договоров' } });
    expect(parseTaskForm({ do: 'decline', answer: 'срок установлен министерством' }, candidates)).toEqual({ ok: true, command: { action: 'decline', answer: 'срок установлен министерством' } });
    expect(parseTaskForm({ do: 'accept' }, candidates)).toEqual({ ok: true, command: { action: 'accept' } });
    expect(parseTaskForm({ do: 'return', why: ' приложите протокол ' }, candidates)).toEqual({ ok: true, command: { action: 'return', why: 'приложите протокол' } });
    expect(parseTaskForm({ do: 'reopen', why: 'принято по ошибке' }, candidates)).toEqual({ ok: true, command: { action: 'reopen', why: 'принято по ошибке' } });
  });

  it('says in Russian what is missing or wrong', () => {
    const message = (form: Record<string, unknown>) => {
      const parsed = parseTaskForm(form, candidates);
      return parsed.ok ? null : parsed.message;
    };
    expect(message({ do: 'extend', reason: 'карантин' })).toBe('Укажите новый срок');
    expect(message({ do: 'extend', to: '2021-02-29', reason: 'карантин' })).toBe('«2021-02-29» — не дата; ожидается ГГГГ-ММ-ДД');
    expect(message({ do: 'extend', to: '2020-05-15', reason: '  ' })).toBe('Укажите причину переноса срока');
    expect(message({ do: 'reassign' })).toBe('Выберите нового исполнителя');
    expect(message({ do: 'reassign', executor: 'director:sch-01' })).toBe('«director:sch-01» нельзя назначить исполнителем этой задачи: выберите из списка');
    expect(message({ do: 'complete', result: '' })).toBe('Укажите результат: что сделано');
    expect(message({ do: 'decline' })).toBe('Напишите ответ исполнителю: почему срок не переносится');
    expect(message({ do: 'return', why: ' ' })).toBe('Напишите, что доработать: исполнитель прочтёт это в письме');
    expect(message({ do: 'reopen' })).toBe('Укажите основание: почему задача возобновляется');
    expect(message({ do: 'delete' })).toBe('Неизвестное действие: обновите страницу и отправьте форму заново');
  });

  it('says after each action what happened', () => {
    expect(doneMessage('extended', buildTask({ due: '2020-11-13' }))).toBe('Срок перенесён на 13.11.2020; исполнитель и проектный офис получат письмо об этом в 09:00 ближайшего рабочего дня');
    expect(doneMessage('reassigned', buildTask({ history: [{ date: '2020-03-02', time: '09:00', kind: 'started' }] }))).toBe('Задача передана: исполнитель — Сидоров Пётр Петрович. Письмо о задаче (проектному офису — копия) уйдёт в 09:00 ближайшего рабочего дня; ссылки из писем прежнему исполнителю больше не действуют');
    expect(doneMessage('reassigned', buildTask())).toBe('Задача передана: исполнитель — Сидоров Пётр Петрович. Письмо о задаче уйдёт, когда она начнётся');
    expect(doneMessage('completed', buildTask({ doneOn: '2020-04-28' }))).toBe('Результат принят: задача отмечена выполненной 28.04.2020');
    expect(doneMessage('declined', buildTask())).toBe('В переносе срока отказано; исполнитель получит письмо с ответом');
    expect(doneMessage('<script>', buildTask())).toBeNull();
  });
});

describe('the task page served', () => {
  const SESSION: Session = { login: 'ivanova', name: 'Иванова О. Ю.', org: 'test', role: 'office', schools: [], municipality: null, csrf: 'csrf-token', expires: Number.MAX_SAFE_INTEGER };
  let task: TaskStatus;
  let invalidated: string[];

  function app(): Hono<WebEnv> {
    const served: ServedPlan = { key: 'test-plan', org: 'test', file: 'plans/test-plan.yaml', loaded: { plan, schedule: { tasks: [] } } as unknown as LoadedPlan };
    const deps = {
      plans: {
        get: (key: string) => (key === served.key ? served : undefined),
        list: () => [served],
        status: async () => ({ plan: 'test-plan', key: 'test-plan', title: 'Тестовый план-график', asOf: '2020-03-10', started: 0, total: 1, tasks: [{ task: '13@sch-01', state: 'active' }] }),
        task: async (_key: string, id: string) => (id === task.task ? task : null),
        invalidate: (key: string) => invalidated.push(key),
      },
      register: { entries: async () => [buildEntry()] },
      // No files were sent with this task's reports.
      store: { pool: { query: async () => ({ rows: [] }) } },
      client: {},
      auth: { users: async () => [{ login: 'ivanova', name: 'Иванова О. Ю.' }] },
    } as unknown as WebDeps;
    const hono = new Hono<WebEnv>();
    hono.use('*', async (c, next) => {
      c.set('session', SESSION);
      await next();
    });
    hono.get('/plans/:key/task', (c) => taskPage(c, deps));
    hono.post('/plans/:key/task', (c) => taskAction(c, deps));
    return hono;
  }

  const post = (form: Record<string, string>, address = '/plans/test-plan/task?t=13%40sch-01') =>
    app().request(address, { method: 'POST', body: new URLSearchParams({ _csrf: 'csrf-token', ...form }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

  beforeEach(() => {
    task = buildTask({ history: [{ date: '2020-03-02', time: '09:00', kind: 'documents', detail: 'Договор о сотрудничестве (сетевом партнёрстве) № ДС-2020/001' }] });
    invalidated = [];
    vi.mocked(runs.extendTask).mockReset();
    vi.mocked(runs.reassignTask).mockReset();
    vi.mocked(runs.completeTask).mockReset();
    vi.mocked(runs.declineExtension).mockReset();
  });

  it('shows the task with its documents and the message the redirect names', async () => {
    task = { ...task, due: '2020-11-13' };
    const response = await app().request('/plans/test-plan/task?t=13%40sch-01&done=extended');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<p class="flash flash-ok" role="status">Срок перенесён на 13.11.2020; исполнитель и проектный офис получат письмо об этом в 09:00 ближайшего рабочего дня</p>');
    expect(page).toContain('Договор ДС-2020-001.docx');
  });

  it('answers 404 for a plan or a task this server does not have', async () => {
    expect((await app().request('/plans/no-plan/task?t=1')).status).toBe(404);
    const response = await app().request('/plans/test-plan/task?t=99');
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toContain('нет такой запущенной задачи');
    expect(text).not.toContain('«99»');
    expect((await app().request('/plans/test-plan/task')).status).toBe(404);
    expect((await post({ do: 'extend', to: '2020-05-15', reason: 'x' }, '/plans/test-plan/task?t=99')).status).toBe(404);
  });

  it('moves the deadline as the logged-in user, forgets the cached plan and redirects with what was done', async () => {
    vi.mocked(runs.extendTask).mockResolvedValue(task);
    const response = await post({ do: 'extend', to: '2020-05-15', reason: 'карантин' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/plans/test-plan/task?t=13%40sch-01&done=extended');
    expect(runs.extendTask).toHaveBeenCalledWith({}, 'test-plan', '13@sch-01', { to: '2020-05-15', reason: 'карантин', by: 'ivanova' });
    expect(invalidated).toEqual(['test-plan']);
  });

  it('hands the task over to the recipient the plan knows, accepts a result and declines a request as the user', async () => {
    vi.mocked(runs.reassignTask).mockResolvedValue(task);
    vi.mocked(runs.completeTask).mockResolvedValue(task);
    vi.mocked(runs.declineExtension).mockResolvedValue(task);
    expect((await post({ do: 'reassign', executor: 'riro', reason: 'директор в отпуске' })).headers.get('Location')).toMatch(/&done=reassigned$/);
    expect(runs.reassignTask).toHaveBeenCalledWith({}, 'test-plan', '13@sch-01', { executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }, reason: 'директор в отпуске', by: 'ivanova' });
    expect((await post({ do: 'complete', result: '10 договоров', comment: 'все подписаны' })).headers.get('Location')).toMatch(/&done=completed$/);
    expect(runs.completeTask).toHaveBeenCalledWith({}, 'test-plan', '13@sch-01', { result: '10 договоров', comment: 'все подписаны', by: 'ivanova' });
    expect((await post({ do: 'decline', answer: 'срок установлен приказом' })).headers.get('Location')).toMatch(/&done=declined$/);
    expect(runs.declineExtension).toHaveBeenCalledWith({}, 'test-plan', '13@sch-01', { reason: 'срок установлен приказом', by: 'ivanova' });
  });

  it('shows the workflow\'s refusal with status 422 and keeps what was typed', async () => {
    vi.mocked(runs.extendTask).mockRejectedValue(new runs.TaskActionRefused('2020-05-09 — нерабочий день; ближайший рабочий — 2020-05-12'));
    const response = await post({ do: 'extend', to: '2020-05-09', reason: 'праздники & <выходные>' });
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain('<p class="flash flash-error" role="status">Не принято: 09.05.2020 — нерабочий день; ближайший рабочий — 12.05.2020</p>');
    expect(page).toContain('value="2020-05-09"');
    expect(page).toContain('>праздники &amp; &lt;выходные&gt;</textarea>');
    expect(invalidated).toEqual([]);
  });

  it('answers an incomplete form with 422 and a plain sentence, without calling the workflow', async () => {
    const response = await post({ do: 'complete', result: ' ' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('<p class="flash flash-error" role="status">Укажите результат: что сделано</p>');
    expect(runs.completeTask).not.toHaveBeenCalled();
  });
});

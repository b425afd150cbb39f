/**
 * The documents a plan yields from its own data: a contract per participant school and its
 * partner, the order, the execution report from the tasks' states; and the plans refused
 * because their items name documents they cannot make.
 */
import { describe, expect, it } from 'vitest';
import { contractOrders, executionReportOrder, ordersForTask, orderOrder, withReportFiles, type TaskProgress } from '../../documents/plan-documents.ts';
import { planSpan } from '../../plan/plan-span.ts';
import { readPlan } from '../../plan/read-plan.ts';
import { Plan } from '../../plan/schema.ts';
import { buildPlan, planWithItems, toYaml } from '../support/build-plan.ts';

const LONG_NAME = `МБОУ «${'Средняя общеобразовательная школа с углублённым изучением '.repeat(2)}`.slice(0, 99) + '»';

/** Schools whose names carry what breaks careless software. */
const AWKWARD_SCHOOLS = [
  { id: 'p-1', name: 'МОУ «Школа & <Сад> "Радуга"»', kind: 'ШНОР', municipality: 'Шиловский район', director: { name: 'Сидоров Пётр Петрович', email: 'p1@example.org' }, partner: 'l-1' },
  { id: 'p-2', name: LONG_NAME, kind: 'ШНСУ', municipality: 'Касимовский район', director: { name: 'Кузнецова Анна Викторовна', email: 'p2@example.org' }, partner: 'l-2' },
  { id: 'p-3', name: "МОУ 'Лесная' школа", kind: 'ШНОР', director: { name: 'Ли Анна', email: 'p3@example.org' } },
  { id: 'l-1', name: 'МБОУ «Лицей № 1 им. А. С. Пушкина»', kind: 'партнер', director: { name: 'Орлов Максим Андреевич', email: 'l1@example.org' } },
  { id: 'l-2', name: 'МАОУ «Гимназия "Эрудит"»', kind: 'партнер', director: { name: 'Белова Ирина Петровна', nameGenitive: 'Беловой Ирины Петровны', email: 'l2@example.org' } },
];

const PEOPLE = [
  { id: 'coordinator', name: 'Иванова Ольга Юрьевна', position: 'региональный координатор', organization: 'Министерство образования Рязанской области', email: 'coordinator@example.org' },
  { id: 'riro', name: 'Петров Иван Сергеевич', position: 'методист', email: 'riro@example.org' },
];

function paperworkOf(data: unknown) {
  const plan = Plan.parse(data);
  return { plan, planKey: plan.id, span: planSpan(plan) };
}

describe('contracts from a plan', () => {
  const paperwork = paperworkOf(buildPlan({ region: 'Рязанская область', schools: AWKWARD_SCHOOLS, people: PEOPLE }));

  it('makes one per participant school that has a partner, in plan order, naming both schools and directors exactly', () => {
    const orders = contractOrders(paperwork);
    expect(orders.map((order) => order.key)).toEqual(['test-plan:contract:p-1:l-1', 'test-plan:contract:p-2:l-2']);
    expect(orders[0]!.input).toMatchObject({
      place: 'Рязанская область',
      validUntil: '2020-12-31',
      participant: { name: 'МОУ «Школа & <Сад> "Радуга"»', director: { name: 'Сидоров Пётр Петрович', position: 'директор' } },
      partner: { name: 'МБОУ «Лицей № 1 им. А. С. Пушкина»', director: { name: 'Орлов Максим Андреевич' } },
    });
    expect((orders[1]!.input as { participant: { name: string } }).participant.name).toHaveLength(100);
    expect((orders[1]!.input as { partner: { director: unknown } }).partner.director).toEqual({ name: 'Белова Ирина Петровна', nameGenitive: 'Беловой Ирины Петровны', position: 'директор' });
  });

  it('sends each contract to both directors', () => {
    expect(contractOrders(paperwork).map((order) => order.recipients.map((recipient) => recipient.email))).toEqual([
      ['p1@example.org', 'l1@example.org'],
      ['p2@example.org', 'l2@example.org'],
    ]);
  });

  it('gives a per-school task its own school\'s contract only, and a school without a partner none', () => {
    expect(ordersForTask(paperwork, ['contract'], 'p-2', [], '2020-03-02').map((order) => order.key)).toEqual(['test-plan:contract:p-2:l-2']);
    expect(ordersForTask(paperwork, ['contract'], 'p-3', [], '2020-03-02')).toEqual([]);
    expect(ordersForTask(paperwork, ['contract'], null, [], '2020-03-02')).toHaveLength(2);
  });

  it('signs where the plan says, and runs to the end of a school year', () => {
    const schoolYear = paperworkOf(buildPlan({ year: undefined, schoolYear: 2022, paperwork: { place: 'г. Конаково' }, schools: AWKWARD_SCHOOLS, people: PEOPLE, items: [{ id: '1', title: 'Задача', when: 'октябрь', executor: 'riro' }] }));
    expect(contractOrders(schoolYear)[0]!.input).toMatchObject({ place: 'г. Конаково', validUntil: '2023-08-31' });
  });
});

describe('the order from a plan', () => {
  it('lists the participant schools with their curators and partners, and a working group per municipality', () => {
    const schools = [
      { id: 'a', name: 'МОУ «А»', kind: 'ШНОР', municipality: 'Шиловский район', director: { name: 'Сидоров Пётр Петрович', email: 'a@example.org' }, curator: 'riro', partner: 'c' },
      { id: 'b', name: 'МОУ «Б»', kind: 'ШНСУ', municipality: 'Шиловский район', director: { name: 'Кузнецова Анна Викторовна', email: 'b@example.org' }, curator: 'riro' },
      { id: 'c', name: 'МОУ «В»', kind: 'партнер', municipality: 'Шиловский район', director: { name: 'Орлов Максим Андреевич', email: 'c@example.org' } },
    ];
    const order = orderOrder(paperworkOf(buildPlan({ region: 'Рязанская область', schools, people: PEOPLE })));
    expect(order.key).toBe('test-plan:order:participants');
    expect(order.input).toEqual({
      issuer: 'Министерство образования Рязанской области',
      place: 'Рязанская область',
      program: 'мероприятия по повышению качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях',
      period: '2020 год',
      schools: [
        { name: 'МОУ «А»', kind: 'ШНОР', municipality: 'Шиловский район', director: 'Сидоров Пётр Петрович', curator: 'Петров Иван Сергеевич', curatorPosition: 'методист', partner: 'МОУ «В»' },
        { name: 'МОУ «Б»', kind: 'ШНСУ', municipality: 'Шиловский район', director: 'Кузнецова Анна Викторовна', curator: 'Петров Иван Сергеевич', curatorPosition: 'методист' },
      ],
      workingGroups: [
        {
          municipality: 'Шиловский район',
          members: [
            { name: 'Петров Иван Сергеевич', role: 'персональный куратор, методист' },
            { name: 'Сидоров Пётр Петрович', role: 'директор МОУ «А»' },
            { name: 'Кузнецова Анна Викторовна', role: 'директор МОУ «Б»' },
          ],
        },
      ],
      signer: { position: 'региональный координатор', name: 'Иванова Ольга Юрьевна' },
    });
  });
});

describe('the execution report from the tasks\' states', () => {
  it('has a row per activity with its target, what was reported and its state', () => {
    const paperwork = paperworkOf(
      planWithItems(
        [
          { id: '1', title: 'Доработка модели', when: 'январь', executor: 'riro', result: 3 },
          { id: '2', title: 'Планы школ', when: 'февраль', per: 'school', result: 'план' },
          { id: '3', title: 'Семинар', when: 'ноябрь', executor: 'riro' },
        ],
        { people: PEOPLE },
      ),
    );
    const tasks: TaskProgress[] = [
      { task: '1', item: '1', school: null, state: 'done', due: '2020-01-31', result: '3 модели' },
      { task: '2@sch-01', item: '2', school: 'sch-01', state: 'done', due: '2020-02-28', result: 'план утверждён' },
      { task: '2@sch-02', item: '2', school: 'sch-02', state: 'overdue', due: '2020-02-28', result: null },
      { task: '3', item: '3', school: null, state: 'planned', due: '2020-11-30', result: null },
    ];
    const order = executionReportOrder(paperwork, tasks, '2020-03-10');
    expect(order.key).toBe('test-plan:execution-report:2020-03-10');
    const rows = (order.input as { rows: Record<string, unknown>[] }).rows;
    expect(rows.map((row) => [row.item, row.executor, row.target, row.actual, row.state, row.due, row.done, row.overdue])).toEqual([
      ['1', 'Петров Иван Сергеевич', '3', '3 модели', 'выполнено', '31.01.2020', true, false],
      ['2', 'директора школ-участниц', 'план', 'план утверждён (1 из 2)', 'выполнено 1 из 2, просрочено 1', '28.02.2020', false, true],
      ['3', 'Петров Иван Сергеевич', '—', '—', 'не начато', '30.11.2020', false, false],
    ]);
  });

  it('counts only accepted results as done, says how many wait for a check, and names the files of the accepted reports', () => {
    const paperwork = paperworkOf(planWithItems([{ id: '2', title: 'Планы школ', when: 'февраль', per: 'school', result: 'план' }], { people: PEOPLE }));
    const tasks: TaskProgress[] = [
      { task: '2@sch-01', item: '2', school: 'sch-01', state: 'done', due: '2020-02-28', result: 'план утверждён' },
      { task: '2@sch-02', item: '2', school: 'sch-02', state: 'review', due: '2020-02-28', result: 'план на согласовании' },
    ];
    const files = new Map([
      ['2@sch-01', [{ report: 1, fileName: 'черновик.docx' }, { report: 2, fileName: 'план школы.pdf' }, { report: 2, fileName: 'протокол педсовета.pdf' }]],
      ['2@sch-02', [{ report: 1, fileName: 'на проверке.pdf' }]],
    ]);
    const rows = (executionReportOrder(paperwork, withReportFiles(tasks, files), '2020-03-10').input as { rows: Record<string, unknown>[] }).rows;
    expect(rows.map((row) => [row.actual, row.state, row.tasksDone, row.done])).toEqual([['план утверждён (1 из 2); подтверждено файлами: план школы.pdf, протокол педсовета.pdf', 'выполнено 1 из 2, на проверке 1', 1, false]]);
    const waiting = executionReportOrder(paperwork, tasks.map((task) => ({ ...task, state: 'review' as const })), '2020-03-10').input as { rows: Record<string, unknown>[] };
    expect(waiting.rows[0]!.state).toBe('на проверке');
  });
});

describe('a plan whose items name documents', () => {
  const issuesOf = (data: unknown) => {
    const reading = readPlan(toYaml(data), 'plan.yaml');
    return reading.issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('is accepted when the plan has what they need', () => {
    expect(issuesOf(planWithItems([{ id: '1', title: 'Договоры', when: 'март', per: 'school', documents: ['договоры'] }], { region: 'Рязанская область', people: PEOPLE }))).toEqual([]);
  });

  it('is refused for a document the plan cannot make, for a place it does not name, and for contracts with no partners', () => {
    const schools = [{ id: 'a', name: 'МОУ «А»', kind: 'ШНОР', director: { name: 'Сидоров Пётр Петрович', email: 'a@example.org' } }];
    expect(issuesOf(planWithItems([{ id: '1', title: 'Отчёт', when: 'декабрь', executor: 'riro', documents: ['subsidy-report', 'contract', 'приказик'] }], { schools }))).toEqual([
      'items.0.documents.2: неизвестный документ «приказик»; есть: order, contract, execution-report, subsidy-report, analytic-note (или по-русски: приказ, договоры, отчет о выполнении, отчет о расходовании, аналитическая справка)',
      'items.0.documents.0: «subsidy-report» по плану не составить: суммы и результаты мониторинга даёт человек. Уберите его отсюда и создайте командой plangraf render subsidy-report --data ДАННЫЕ.yaml -o ДОКУМЕНТ.docx',
      'items.0.documents.1: для документа нужно место подписания: добавьте paperwork.place (например, «г. Рязань») или region',
      'items.0.documents.1: договоры не с кем заключать: ни у одной школы-участницы не указан partner',
    ]);
  });

  it('is refused for an order nobody can sign', () => {
    const people = [{ id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' }, { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' }];
    expect(issuesOf(planWithItems([{ id: '1', title: 'Приказ', when: 'февраль', executor: 'riro', documents: ['приказ'] }], { region: 'Рязанская область', people }))).toEqual([
      'items.0.documents.0: приказ подписывает Иванова Ольга Юрьевна, но у него не указана должность (position в people)',
    ]);
    expect(issuesOf(planWithItems([{ id: '1', title: 'Приказ', when: 'февраль', executor: 'riro', documents: ['order'] }], { region: 'Рязанская область', people, paperwork: { signer: 'nobody' } }))).toEqual([
      'paperwork.signer: нет человека с id «nobody» в people',
      'items.0.documents.0: приказ некому подписать: укажите paperwork.signer (id человека из people) или office',
    ]);
  });
});

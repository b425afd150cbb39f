/**
 * Notification fixtures: one valid notification of each kind, with overrides.
 * Each e2e test passes its own `key` and addresses, so tests never read each other's mail.
 */
import type { DigestNotification, NotificationKind, PlanRef, Recipient, TaskLine, TaskNotification } from '../../plan/notifications.ts';

export const RYAZAN: PlanRef = { id: 'ryazan-2020', key: 'ryazan-2020', title: 'План-график реализации региональной программы повышения качества образования в Рязанской области на 2020 год', timezone: 'Europe/Moscow' };

export const person = (id: string, name: string, email: string): Recipient => ({ id, name, email });

export const EXECUTOR = person('riro', 'Иванова Ольга Юрьевна', 'riro@example.org');
export const CO_EXECUTOR = person('rcoko', 'Петров Иван Сергеевич', 'rcoko@example.org');
export const OFFICE = person('office', 'Проектный офис', 'office@example.org');

/** Task 13/2 of the Ryazan plan: monitoring in October (of March, October and November), due Friday 30 October 2020. */
export function buildTaskLine(overrides: Partial<TaskLine> = {}): TaskLine {
  return {
    task: '13/2',
    title: 'Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения',
    occurrence: 'октябрь',
    period: 'март, октябрь, ноябрь',
    start: '2020-10-01',
    due: '2020-10-30',
    executorName: EXECUTOR.name,
    schoolName: null,
    target: '100% школ-участниц',
    result: null,
    daysLate: 0,
    ...overrides,
  };
}

type TaskKind = TaskNotification['kind'];

/** Sensible recipients and details for each kind, as the workflows will send them. */
const TASK_DEFAULTS: Record<TaskKind, Pick<TaskNotification, 'to' | 'cc' | 'sendDate' | 'sendAt'> & { task?: Partial<TaskLine>; details?: TaskNotification['details'] }> = {
  assigned: { to: [EXECUTOR], cc: [CO_EXECUTOR], sendDate: '2020-10-01', sendAt: '2020-10-01T09:00:00+03:00' },
  reminder: { to: [EXECUTOR], cc: [], sendDate: '2020-10-27', sendAt: '2020-10-27T09:00:00+03:00', task: { daysLeft: 3 } },
  overdue: { to: [EXECUTOR], cc: [], sendDate: '2020-11-05', sendAt: '2020-11-05T09:00:00+03:00', task: { daysLate: 3 } },
  'late-at-start': { to: [EXECUTOR], cc: [OFFICE], sendDate: '2020-11-05', sendAt: '2020-11-05T09:00:00+03:00', task: { daysLate: 3 } },
  escalation: { to: [OFFICE], cc: [], sendDate: '2020-11-02', sendAt: '2020-11-02T09:00:00+03:00', task: { daysLate: 1, schoolName: 'МОУ «Ерахтурская средняя школа»' } },
  extended: { to: [OFFICE], cc: [EXECUTOR], sendDate: '2020-10-29', sendAt: '2020-10-29T09:00:00+03:00', task: { due: '2020-11-30' }, details: { previousDue: '2020-10-30', reason: 'Приказ министерства образования № 1852 от 29.10.2020' } },
  rescheduled: { to: [EXECUTOR], cc: [OFFICE], sendDate: '2020-10-20', sendAt: '2020-10-20T09:00:00+03:00', task: { due: '2020-11-30' }, details: { previousDue: '2020-10-30', reason: 'изменение плана-графика' } },
  reassigned: { to: [CO_EXECUTOR], cc: [EXECUTOR], sendDate: '2020-10-15', sendAt: '2020-10-15T09:00:00+03:00', task: { executorName: CO_EXECUTOR.name }, details: { previousExecutor: EXECUTOR.name } },
  undeliverable: { to: [OFFICE], cc: [], sendDate: '2020-10-01', sendAt: '2020-10-01T09:05:00+03:00', details: { failedAddress: 'nobody@example.org', failure: '550 5.1.1 Mailbox unavailable', failedKind: 'assigned' } },
  document: { to: [EXECUTOR, CO_EXECUTOR], cc: [], sendDate: '2020-10-01', sendAt: '2020-10-01T09:00:00+03:00' },
  'extension-requested': { to: [OFFICE], cc: [EXECUTOR], sendDate: '2020-10-26', sendAt: '2020-10-26T09:00:00+03:00', details: { requestedDue: '2020-11-13', reason: 'Школы не успели подписать договоры' } },
  'extension-declined': { to: [EXECUTOR], cc: [OFFICE], sendDate: '2020-10-27', sendAt: '2020-10-27T09:00:00+03:00', details: { requestedDue: '2020-11-13', reason: 'Срок установлен приказом министерства' } },
  returned: { to: [EXECUTOR], cc: [OFFICE], sendDate: '2020-10-28', sendAt: '2020-10-28T09:00:00+03:00', details: { reason: 'Приложите протокол заседания рабочей группы', returnedResult: '10 договоров подписано' } },
  reopened: { to: [EXECUTOR], cc: [OFFICE], sendDate: '2020-11-09', sendAt: '2020-11-09T09:00:00+03:00', task: { daysLate: 6 }, details: { reason: 'Договоры подписаны не всеми школами', returnedResult: '10 договоров подписано' } },
};

export type TaskNotificationOverrides = Partial<Omit<TaskNotification, 'task'>> & { task?: Partial<TaskLine> };

/** A task notification of `kind` about task 13/2, with overrides (the task merges field by field). */
export function buildTaskNotification(kind: TaskKind, overrides: TaskNotificationOverrides = {}): TaskNotification {
  const defaults = TASK_DEFAULTS[kind];
  const { task, ...rest } = overrides;
  return {
    kind,
    key: `${RYAZAN.key}:13/2:${kind}:${defaults.sendDate}`,
    sendDate: defaults.sendDate,
    sendTime: '09:00',
    sendAt: defaults.sendAt,
    to: defaults.to,
    cc: defaults.cc,
    plan: RYAZAN,
    task: buildTaskLine({ ...defaults.task, ...task }),
    ...(defaults.details ? { details: defaults.details } : {}),
    ...rest,
  };
}

/** The digest for the week of Monday 26 October 2020, with a line in every section. */
export function buildDigest(overrides: Partial<DigestNotification> = {}): DigestNotification {
  return {
    kind: 'digest',
    key: `${RYAZAN.key}:digest:2020-10-26`,
    sendDate: '2020-10-26',
    sendTime: '09:00',
    sendAt: '2020-10-26T09:00:00+03:00',
    to: [OFFICE],
    cc: [],
    plan: RYAZAN,
    weekOf: '2020-10-26',
    started: [buildTaskLine({ task: '20', occurrence: '', title: 'Обучение управленческих команд школ', period: 'октябрь - ноябрь', start: '2020-10-26', due: '2020-11-30', target: 'не менее 6 человек от школы' })],
    dueThisWeek: [buildTaskLine()],
    overdue: [buildTaskLine({ task: '17@sch-02', occurrence: '', title: 'Заключение договоров о сотрудничестве', period: 'март - апрель', start: '2020-03-02', due: '2020-04-30', target: '10', daysLate: 122, schoolName: 'МОУ «Лесновская средняя школа»' })],
    done: [buildTaskLine({ task: '5', occurrence: '', title: 'Формирование муниципальных рабочих групп', period: 'февраль', start: '2020-02-03', due: '2020-02-28', target: 'да', result: 'Приказы изданы во всех 25 муниципалитетах' })],
    ...overrides,
  };
}

const TASK_KINDS: TaskKind[] = ['assigned', 'reminder', 'overdue', 'escalation', 'extended', 'rescheduled', 'reassigned', 'undeliverable', 'document', 'extension-requested', 'extension-declined', 'returned', 'reopened', 'late-at-start'];

/** Every kind once, for tests that go over all of them. */
export function buildOneOfEach(): Array<TaskNotification | DigestNotification> {
  return [...TASK_KINDS.map((kind) => buildTaskNotification(kind)), buildDigest()];
}

export const ALL_KINDS: NotificationKind[] = [...TASK_KINDS, 'digest'];

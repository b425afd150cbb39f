/**
 * The Russian texts of every notification the workflows send: subject, HTML and plain text.
 * The data contract is `Notification` (plan/notifications.ts); the workflow decides who and
 * when, this catalog only says it.
 */
import type { Attachment, DigestNotification, Notification, NotificationKind, TaskLine, TaskNotification } from '../../plan/notifications.ts';
import { endOfWeek, formatDateLong, formatDateRange, formatDateShort, greeting, oneLine, shorten, workingDays, workingDaysLeft } from './format.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import { taskName } from '../../plan/task-names.ts';
import { actions, fields, heading, paragraph, renderLetter, strong, table, type Block, type Inline, type Letter, type RenderedMail } from './layout.ts';

export type { RenderedMail } from './layout.ts';

/** How a kind of letter is named, for the office's «не доставлено письмо …». */
export const KIND_NAMES: Record<NotificationKind, string> = {
  assigned: 'о поручении',
  reminder: 'с напоминанием о сроке',
  overdue: 'о просрочке',
  escalation: 'о просрочке исполнителем',
  extended: 'о переносе срока',
  rescheduled: 'об изменении сроков в плане-графике',
  reassigned: 'о смене исполнителя',
  undeliverable: 'о недоставленном письме',
  document: 'с документом',
  'extension-requested': 'с просьбой о переносе срока',
  'extension-declined': 'об отказе в переносе срока',
  returned: 'о возврате отчёта на доработку',
  reopened: 'о возобновлении мероприятия',
  digest: 'с еженедельной сводкой',
  'late-at-start': 'о мероприятиях с истёкшим сроком',
};

/** Titles are cut in subjects only; the body always has the whole title. */
const SUBJECT_TITLE_LENGTH = 60;

/** The executor's one-click links a letter carries: report the task done, ask for more time. */
export interface MailActions {
  complete: string;
  extend: string;
  /** The executor's calendar feed of all their deadlines; the assignment carries it. */
  calendar?: string;
}

/**
 * Renders a notification as a subject, an HTML body and a plain-text body.
 * @param links the executor's links for the letter's task
 * @param linksByTask the executor's links for each task a `late-at-start` letter lists
 */
export function renderNotification(n: Notification, links: MailActions | null = null, linksByTask: ReadonlyMap<string, MailActions> = new Map()): RenderedMail {
  if (n.kind === 'digest') return renderLetter(digestLetter(n));
  if (n.kind === 'late-at-start') return renderLetter(lateAtStartLetter(n, linksByTask));
  const letter = taskLetter(n);
  if (!links) return renderLetter(letter);
  return renderLetter({
    ...letter,
    blocks: [
      ...letter.blocks,
      actions([
        { label: 'Сообщить о выполнении', url: links.complete },
        { label: 'Попросить перенести срок', url: links.extend },
      ]),
      paragraph('Ссылки личные: они действуют один раз и только для вас, вход в систему не нужен.'),
      ...(links.calendar
        ? [paragraph('Все ваши сроки по плану — в одном календаре: подпишитесь на него в Outlook, Яндекс Календаре или Google Календаре, и перенесённые сроки обновятся сами. ', { link: 'Календарь ваших сроков', url: links.calendar })]
        : []),
    ],
  });
}

/** Whether the letter carries the task's deadline as a calendar file (.ics). */
export function carriesCalendar(n: Notification): n is TaskNotification & { task: TaskLine & { due: string } } {
  return (n.kind === 'assigned' || n.kind === 'extended' || n.kind === 'rescheduled' || n.kind === 'reassigned') && n.task.due !== null;
}

/** The texts of the deadline's calendar event. */
export function calendarEventText(n: TaskNotification): { summary: string; description: string } {
  const { task } = n;
  const lines = [
    `Мероприятие: ${nameOf(task)}`,
    `План-график: ${n.plan.title}`,
    `Период: ${task.period}`,
    task.due ? `Срок исполнения: ${formatDateLong(task.due)}` : null,
    `Ответственный исполнитель: ${task.executorName}`,
    task.schoolName ? `Образовательная организация: ${task.schoolName}` : null,
    task.target ? `Прогнозируемый результат: ${task.target}` : null,
    AUTOMATIC,
  ];
  return { summary: `Срок: ${nameOf(task)}`, description: lines.filter((line) => line !== null).join('\n') };
}

const AUTOMATIC = 'Сообщение сформировано и отправлено автоматически системой plangraf.';

const FOOTER = `${AUTOMATIC} Вопросы по мероприятиям направляйте в проектный офис.`;

/** The plan by its title: the key it runs under is for the machines (X-Plangraf-Plan). */
function preheader(n: Notification): string {
  return oneLine(n.plan.title);
}

/** The full stop a sentence needs after `text`: none when it already ends with one («2020 г.»). */
const stop = (text: string): string => (text.endsWith('.') ? '' : '.');

/**
 * The task as the pages name it, never by its id: «Отчёт о реализации программы, 2-й квартал —
 * МОУ СОШ № 5». A task started before letters named occurrences has none, and is named by its
 * title and school.
 */
function nameOf(task: TaskLine, title = task.title): string {
  return taskName(title, task.occurrence, task.schoolName);
}

/** The task's name in a subject: the title cut, the occurrence and the school whole, since they tell the tasks of one activity apart. */
function subjectNameOf(task: TaskLine): string {
  return oneLine(nameOf(task, shorten(task.title, SUBJECT_TITLE_LENGTH)));
}

/** `Lead: Title…, occurrence — School (tail)`. */
function subjectOf(task: TaskLine, lead: string | null, tail: string | null): string {
  return `${lead ? `${lead}: ` : ''}${subjectNameOf(task)}${tail ? ` (${tail})` : ''}`;
}

/**
 * What an assignment asks: to do the task by its due date; or, for a task handed out after its
 * due date had passed (its prerequisites were late, or the plan started late), to do it at once.
 */
function assignmentRequest(task: TaskLine, due: string | null): string {
  if (!due) return 'Срок исполнения будет установлен по отдельному графику; мы сообщим его дополнительно.';
  if (task.daysLate > 0) return `Срок исполнения истёк ${due} (просрочено на ${workingDays(task.daysLate)}): просим выполнить мероприятие как можно скорее и сообщить о результате или попросить перенести срок.`;
  return `Просим обеспечить исполнение мероприятия до ${due} и сообщить о результате.`;
}

const dueTail = (task: TaskLine): string | null => (task.due ? `срок ${formatDateShort(task.due)}` : null);

/**
 * «мероприятия «Отчёт о реализации программы» (2-й квартал, МОУ СОШ № 5)» with the title in bold;
 * `noun` is «мероприятие» in the case the sentence needs.
 */
function taskMention(task: TaskLine, noun: string): Inline[] {
  const which = [task.occurrence, task.schoolName].filter(Boolean).join(', ');
  return [`${noun} `, strong(`«${task.title}»`), ...(which ? [` (${which})`] : [])];
}

function recipientsNames(n: TaskNotification): string | null {
  return n.cc.length > 0 ? n.cc.map((person) => person.name).join(', ') : null;
}

type Row = readonly [string, string | null | undefined];

/** The task as label–value rows; `afterDue` rows go next to the deadline, `atEnd` rows last. */
function taskFields(n: TaskNotification, { afterDue = [], atEnd = [] }: { afterDue?: Row[]; atEnd?: Row[] } = {}): Block {
  const { task } = n;
  return fields([
    ['План', n.plan.title],
    // The school has a row of its own.
    ['Мероприятие', taskName(task.title, task.occurrence)],
    ['Период', task.period],
    ['Начало', task.start ? formatDateLong(task.start) : null],
    ['Срок исполнения', task.due ? formatDateLong(task.due) : 'не установлен'],
    ...afterDue,
    ['Прогнозируемый результат', task.target],
    ['Ответственный исполнитель', task.executorName],
    ['Образовательная организация', task.schoolName],
    ...atEnd,
  ]);
}

function taskLetter(n: TaskNotification): Letter {
  const { task, details = {} } = n;
  const base = { preheader: preheader(n), greeting: greeting(n.to), footer: FOOTER };
  const due = task.due ? formatDateLong(task.due) : null;
  const late = task.daysLate > 0 ? workingDays(task.daysLate) : null;
  const calendarNote = carriesCalendar(n) ? [paragraph('Срок исполнения приложен к письму файлом календаря (.ics): откройте его, чтобы добавить срок в Outlook, Яндекс Календарь или Google Календарь.')] : [];
  const documentsNote = documentsBlocks(n.attachments ?? []);

  switch (n.kind) {
    case 'assigned':
      return {
        ...base,
        subject: subjectOf(task, 'Поручение', dueTail(task)),
        blocks: [
          paragraph('Вам поручено ', ...taskMention(task, 'мероприятие'), '.'),
          taskFields(n, { atEnd: [['Соисполнители (в копии)', recipientsNames(n)]] }),
          paragraph(assignmentRequest(task, due)),
          ...documentsNote,
          ...calendarNote,
        ],
      };
    case 'document': {
      const [first] = n.attachments ?? [];
      const what = first ? `${first.title} № ${first.number} от ${formatDateShort(first.date)}` : 'документ';
      return {
        ...base,
        subject: what,
        blocks: [
          paragraph('Направляем ', strong(what), ', подготовленный по ', ...taskMention(task, 'мероприятию'), '.'),
          ...documentsNote,
          taskFields(n),
          paragraph('Просим ознакомиться с документом, подписать его и передать экземпляры сторонам; о подписании сообщите ответственному исполнителю мероприятия.'),
        ],
      };
    }
    case 'reminder': {
      const left = task.daysLeft !== undefined && task.daysLeft >= 0 ? workingDaysLeft(task.daysLeft) : null;
      return {
        ...base,
        subject: subjectOf(task, 'Напоминание', [dueTail(task), left].filter(Boolean).join(', ') || null),
        blocks: [
          paragraph('Напоминаем, что срок исполнения ', ...taskMention(task, 'мероприятия'), ' — ', strong(due ?? 'не установлен'), left ? ` (${left}).` : '.'),
          taskFields(n),
          paragraph('Если мероприятие уже выполнено, сообщите, пожалуйста, о результате.'),
        ],
      };
    }
    case 'overdue':
      return {
        ...base,
        subject: subjectOf(task, late ? `Просрочено на ${late}` : 'Просрочено', dueTail(task)),
        blocks: [
          paragraph('Срок исполнения ', ...taskMention(task, 'мероприятия'), ` истёк${due ? ` ${due}` : ''}`, late ? '; просрочено на ' : '.', ...(late ? [strong(late), '.'] : [])),
          taskFields(n),
          paragraph('Просим сообщить о результате как можно скорее или согласовать с проектным офисом перенос срока.'),
        ],
      };
    case 'escalation':
      return {
        ...base,
        subject: subjectOf(task, 'Эскалация', `${late ? `просрочено на ${late}` : 'не выполнено в срок'}, ${oneLine(task.executorName)}`),
        blocks: [
          paragraph(
            'Ответственный исполнитель ',
            strong(task.executorName),
            ' не сообщил о выполнении ',
            ...taskMention(task, 'мероприятия'),
            due ? ` в установленный срок (${due})` : ' в установленный срок',
            late ? `. Просрочено на ${late}.` : '.',
          ),
          taskFields(n),
          paragraph('Исполнителю направлено уведомление о просрочке. Рекомендуется связаться с исполнителем и при необходимости перенести срок или назначить другого исполнителя.'),
        ],
      };
    case 'extended': {
      const previous = details.previousDue ? formatDateLong(details.previousDue) : null;
      return {
        ...base,
        subject: subjectOf(task, 'Срок перенесён', task.due ? `новый срок ${formatDateShort(task.due)}` : null),
        blocks: [
          paragraph(
            'Срок исполнения ',
            ...taskMention(task, 'мероприятия'),
            previous ? ` перенесён с ${previous} на ` : ' перенесён на ',
            strong(due ?? 'срок, который будет установлен дополнительно'),
            stop(due ?? ''),
          ),
          taskFields(n, {
            afterDue: [
              ['Прежний срок', previous],
              ['Основание', details.reason],
            ],
          }),
          ...calendarNote,
        ],
      };
    }
    case 'rescheduled': {
      const previous = details.previousDue ? formatDateLong(details.previousDue) : null;
      const movedStart = details.previousStart && task.start && details.previousStart !== task.start;
      return {
        ...base,
        subject: subjectOf(task, 'Сроки изменены в плане-графике', task.due ? `новый срок ${formatDateShort(task.due)}` : null),
        blocks: [
          paragraph(
            'Проектный офис изменил план-график: срок исполнения ',
            ...taskMention(task, 'мероприятия'),
            previous && previous !== due ? ` теперь не ${previous}, а ` : ' теперь — ',
            strong(due ?? 'будет установлен дополнительно'),
            stop(due ?? ''),
          ),
          taskFields(n, {
            afterDue: [
              ['Прежний срок', previous !== due ? previous : null],
              ['Прежнее начало', movedStart ? formatDateLong(details.previousStart!) : null],
              ['Основание', details.reason],
            ],
          }),
          paragraph('Напоминания придут по новому сроку.'),
          ...calendarNote,
        ],
      };
    }
    case 'extension-requested': {
      const wanted = details.requestedDue ? formatDateLong(details.requestedDue) : 'другой срок';
      return {
        ...base,
        subject: subjectOf(task, 'Просьба о переносе срока', `на ${details.requestedDue ? formatDateShort(details.requestedDue) : 'другой срок'}, ${oneLine(task.executorName)}`),
        blocks: [
          paragraph('Ответственный исполнитель ', strong(task.executorName), ' просит перенести срок исполнения ', ...taskMention(task, 'мероприятия'), due ? ` с ${due}` : '', ' на ', strong(wanted), stop(wanted)),
          taskFields(n, { afterDue: [['Просит перенести на', details.requestedDue ? formatDateLong(details.requestedDue) : null], ['Причина', details.reason]] }),
          paragraph('Решение принимает проектный офис: перенесите срок или откажите на странице задачи.'),
        ],
      };
    }
    case 'extension-declined':
      return {
        ...base,
        subject: subjectOf(task, 'Срок не перенесён', dueTail(task)),
        blocks: [
          paragraph('Проектный офис не перенёс срок исполнения ', ...taskMention(task, 'мероприятия'), due ? `: срок остаётся прежним — ${due}${stop(due)}` : '.'),
          taskFields(n, { afterDue: [['Просили перенести на', details.requestedDue ? formatDateLong(details.requestedDue) : null], ['Ответ проектного офиса', details.reason]] }),
        ],
      };
    case 'returned':
      return {
        ...base,
        subject: subjectOf(task, 'Отчёт возвращён на доработку', dueTail(task)),
        blocks: [
          paragraph('Проектный офис вернул на доработку ваш отчёт о выполнении ', ...taskMention(task, 'мероприятия'), '.'),
          taskFields(n, { afterDue: [['Что доработать', details.reason], ['Отчёт', details.returnedResult]] }),
          paragraph(assignmentRequest(task, due).replace('сообщить о результате', 'снова сообщить о результате')),
        ],
      };
    case 'reopened':
      return {
        ...base,
        subject: subjectOf(task, 'Мероприятие возобновлено', dueTail(task)),
        blocks: [
          paragraph('Проектный офис возобновил исполнение ', ...taskMention(task, 'мероприятия'), ': принятый ранее результат отменён и мероприятие снова на контроле.'),
          taskFields(n, { afterDue: [['Основание', details.reason], ['Принятый ранее результат', details.returnedResult]] }),
          paragraph(assignmentRequest(task, due).replace('сообщить о результате', 'снова сообщить о результате')),
        ],
      };
    case 'reassigned':
      return {
        ...base,
        subject: subjectOf(task, 'Смена исполнителя', dueTail(task)),
        blocks: [
          paragraph(
            ...taskMention(task, 'Мероприятие'),
            ' передано новому ответственному исполнителю: ',
            strong(task.executorName),
            details.previousExecutor ? ` (ранее — ${details.previousExecutor}).` : '.',
          ),
          taskFields(n, { atEnd: [['Прежний исполнитель', details.previousExecutor]] }),
          paragraph(due ? `Просим принять мероприятие к исполнению; срок — ${due}${stop(due)}` : 'Просим принять мероприятие к исполнению.'),
          ...calendarNote,
        ],
      };
    case 'late-at-start':
      return lateAtStartLetter(n, new Map());
    case 'undeliverable': {
      const address = details.failedAddress ?? 'адрес не указан';
      const what = details.failedKind ? `письмо ${KIND_NAMES[details.failedKind]}` : 'письмо';
      return {
        ...base,
        subject: `Письмо не доставлено: ${address} (${subjectNameOf(task)})`,
        blocks: [
          paragraph(`Не удалось доставить ${what} по `, ...taskMention(task, 'мероприятию'), ' на адрес ', strong(address), '.'),
          fields([
            ['Адрес', address],
            ['Причина', details.failure],
          ]),
          taskFields(n),
          paragraph('Проверьте адрес в плане-графике и при необходимости сообщите исполнителю о мероприятии другим способом.'),
        ],
      };
    }
  }
}

/**
 * The letter a plan started mid-year sends each executor: every task of theirs already late, each
 * with its own one-click links, instead of a start letter and an overdue notice per task.
 */
function lateAtStartLetter(n: TaskNotification, linksByTask: ReadonlyMap<string, MailActions>): Letter {
  const tasks = n.tasks && n.tasks.length > 0 ? n.tasks : [n.task];
  const [first] = tasks;
  const count = tasks.length;
  const withLinks = tasks.some((task) => linksByTask.has(task.task));
  return {
    preheader: preheader(n),
    greeting: greeting(n.to),
    footer: FOOTER,
    subject:
      count === 1
        ? subjectOf(first!, 'Срок истёк', first!.daysLate > 0 ? `просрочено на ${workingDays(first!.daysLate)}` : dueTail(first!))
        : `Срок истёк: ${count} ${pluralRu(count, ['мероприятие', 'мероприятия', 'мероприятий'])} (${oneLine(first!.executorName)})`,
    blocks: [
      paragraph(
        'План-график ',
        strong(`«${oneLine(n.plan.title)}»`),
        ' запущен в системе plangraf. ',
        count === 1 ? 'Срок исполнения мероприятия, за которое вы отвечаете, уже истёк, а сведений о его выполнении нет:' : `Сроки исполнения ${count} ${pluralRu(count, ['мероприятия', 'мероприятий', 'мероприятий'])}, за которые вы отвечаете, уже истекли, а сведений об их выполнении нет:`,
      ),
      ...tasks.flatMap((task, index) => {
        const links = linksByTask.get(task.task);
        return [
          // The name says the school.
          heading(`${count > 1 ? `${index + 1}. ` : ''}${nameOf(task)}`),
          fields([
            ['Период', task.period],
            ['Срок исполнения', task.due ? formatDateLong(task.due) : null],
            ['Просрочено', task.daysLate > 0 ? workingDays(task.daysLate) : null],
            ['Прогнозируемый результат', task.target],
          ]),
          ...(links
            ? [
                actions([
                  { label: 'Сообщить о выполнении', url: links.complete },
                  { label: 'Попросить перенести срок', url: links.extend },
                ]),
              ]
            : []),
        ];
      }),
      paragraph(
        count === 1 ? 'Просим выполнить мероприятие как можно скорее и сообщить о результате' : 'Просим выполнить эти мероприятия как можно скорее и сообщить о результате каждого',
        withLinks ? (count === 1 ? ' по ссылке ниже' : ' по ссылке под каждым из них') : '',
        ' или попросить перенести срок. Это письмо заменяет отдельные письма о поручении и о просрочке; далее напоминания о невыполненных мероприятиях будут приходить в обычном порядке.',
      ),
      ...(n.cc.length > 0 ? [paragraph(`В копии: ${n.cc.map((person) => person.name).join(', ')}.`)] : []),
      ...(withLinks ? [paragraph('Ссылки личные: они действуют один раз и только для вас, вход в систему не нужен.')] : []),
    ],
  };
}

/** The documents a letter carries, listed so a reader knows what is attached and under which number. */
function documentsBlocks(attachments: readonly Attachment[]): Block[] {
  if (attachments.length === 0) return [];
  return [
    heading(attachments.length === 1 ? 'Документ во вложении' : `Документы во вложении (${attachments.length})`),
    table(['Документ', 'Номер', 'Дата', 'Файл'], attachments.map((document) => [document.title, document.number, formatDateShort(document.date), document.fileName]), 'Нет.'),
  ];
}

function digestLetter(n: DigestNotification): Letter {
  const sunday = endOfWeek(n.weekOf);
  const counts = [
    `начато ${n.started.length}`,
    `срок на неделе ${n.dueThisWeek.length}`,
    `просрочено ${n.overdue.length}`,
    `выполнено ${n.done.length}`,
    ...(n.awaitingCheck && n.awaitingCheck.length > 0 ? [`на проверке ${n.awaitingCheck.length}`] : []),
  ].join(', ');
  const due = (line: TaskLine): string => (line.due ? formatDateShort(line.due) : 'не установлен');
  const section = (title: string, lines: TaskLine[], columns: string[], cells: (line: TaskLine) => string[]): Block[] => [
    heading(`${title} (${lines.length})`),
    // The name says the school; in plain text it alone heads each entry.
    table(['Мероприятие', 'Исполнитель', ...columns], lines.map((line) => [nameOf(line), line.executorName, ...cells(line)]), 'Нет.', 1),
  ];
  return {
    subject: `Еженедельная сводка ${formatDateShort(n.weekOf)}–${formatDateShort(sunday)}: ${counts}`,
    preheader: preheader(n),
    greeting: greeting(n.to),
    footer: FOOTER,
    blocks: [
      paragraph(`Сводка по плану-графику за неделю ${formatDateRange(n.weekOf, sunday)}${stop(formatDateRange(n.weekOf, sunday))}`),
      fields([['План', n.plan.title]]),
      ...section('Начаты на этой неделе', n.started, ['Начало', 'Срок'], (line) => [line.start ? formatDateShort(line.start) : '', due(line)]),
      ...section('Срок исполнения на этой неделе', n.dueThisWeek, ['Срок', 'Прогнозируемый результат'], (line) => [due(line), line.target ?? '']),
      ...section('Просрочены', n.overdue, ['Срок', 'Просрочено'], (line) => [due(line), line.daysLate > 0 ? workingDays(line.daysLate) : '']),
      ...(n.awaitingCheck && n.awaitingCheck.length > 0 ? section('Ждут проверки отчёта', n.awaitingCheck, ['Срок', 'Отчёт исполнителя'], (line) => [due(line), line.result ?? '']) : []),
      ...section('Выполнены', n.done, ['Срок', 'Результат'], (line) => [due(line), line.result ?? '']),
    ],
  };
}

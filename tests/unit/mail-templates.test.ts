import { describe, expect, it } from 'vitest';
import type { Notification } from '../../plan/notifications.ts';
import { escapeHtml, formatDateLong, formatDateRange, greeting, shorten, workingDays } from '../../templates/mail/format.ts';
import { shortName as cliShortName } from '../../cli/people.ts';
import { calendarEventText, carriesCalendar, renderNotification } from '../../templates/mail/messages.ts';
import { ALL_KINDS, buildDigest, buildOneOfEach, buildTaskLine, buildTaskNotification, CO_EXECUTOR, EXECUTOR, OFFICE, person } from '../support/notifications.ts';

const TASK_KINDS = ['assigned', 'reminder', 'overdue', 'escalation', 'extended', 'rescheduled', 'reassigned', 'undeliverable', 'extension-requested', 'extension-declined', 'returned', 'reopened'] as const;

const NASTY_TITLE = `Отчёт «Итоги года» & <b>"план"</b> 'школ' a<b && c>d`;
const NASTY_TITLE_HTML = `Отчёт «Итоги года» &amp; &lt;b&gt;&quot;план&quot;&lt;/b&gt; &#39;школ&#39; a&lt;b &amp;&amp; c&gt;d`;

/** The HTML without its tags and with entities read back: what a reader sees. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every notification of every kind, with every optional field missing where the contract allows. */
function sparseNotifications(): Notification[] {
  const bare = buildTaskLine({ start: null, due: null, target: null, schoolName: null, result: null, daysLate: 0 });
  return [
    ...TASK_KINDS.map((kind) => {
      const n = buildTaskNotification(kind, { cc: [] });
      delete n.details;
      return { ...n, task: bare };
    }),
    buildDigest({ started: [], dueThisWeek: [], overdue: [], done: [] }),
    buildDigest({ started: [bare], dueThisWeek: [bare], overdue: [bare], done: [bare] }),
  ];
}

describe('mail formatters', () => {
  it('writes dates the way Russian letters do', () => {
    expect(formatDateLong('2020-12-29')).toBe('29 декабря 2020 г.');
    expect(formatDateLong('2021-01-01')).toBe('1 января 2021 г.');
    expect(formatDateLong('2020-03-08')).toBe('8 марта 2020 г.');
    expect(formatDateLong('2020-05-09')).toBe('9 мая 2020 г.');
  });

  it('says the year once in a range within a year and twice across New Year', () => {
    expect(formatDateRange('2020-10-26', '2020-11-01')).toBe('с 26 октября по 1 ноября 2020 г.');
    expect(formatDateRange('2020-12-28', '2021-01-03')).toBe('с 28 декабря 2020 г. по 3 января 2021 г.');
  });

  it('agrees «рабочий день» with the count', () => {
    expect([1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map(workingDays)).toEqual([
      '1 рабочий день',
      '2 рабочих дня',
      '3 рабочих дня',
      '4 рабочих дня',
      '5 рабочих дней',
      '11 рабочих дней',
      '12 рабочих дней',
      '14 рабочих дней',
      '21 рабочий день',
      '22 рабочих дня',
      '25 рабочих дней',
      '101 рабочий день',
      '111 рабочих дней',
    ]);
  });

  it('escapes the five HTML characters and nothing else', () => {
    expect(escapeHtml(NASTY_TITLE)).toBe(NASTY_TITLE_HTML);
    expect(escapeHtml('«ёлочки» — ё')).toBe('«ёлочки» — ё');
  });

  it('cuts a long title at a word boundary with an ellipsis', () => {
    expect(shorten('Проведение углубленного мониторинга образовательных результатов', 36)).toBe('Проведение углубленного мониторинга…');
    expect(shorten('Короткое название', 36)).toBe('Короткое название');
    expect(shorten('Строка\nс переносом', 36)).toBe('Строка с переносом');
  });

  it('greets one person by name and patronymic, others as colleagues', () => {
    expect(greeting([EXECUTOR])).toBe('Уважаемая Ольга Юрьевна!');
    expect(greeting([CO_EXECUTOR])).toBe('Уважаемый Иван Сергеевич!');
    expect(greeting([person('x', 'Кузнецова Анна', 'x@example.org')])).toBe('Уважаемый(ая) Кузнецова Анна!');
    expect(greeting([person('x', 'Орлов М. А.', 'x@example.org')])).toBe('Уважаемый(ая) Орлов М. А.!');
    expect(greeting([person('x', "О'Нил Дарья Сергеевна", 'x@example.org')])).toBe('Уважаемая Дарья Сергеевна!');
    expect(greeting([person('x', 'Петров-Водкин Кузьма Сергеевич', 'x@example.org')])).toBe('Уважаемый Кузьма Сергеевич!');
    expect(greeting([OFFICE])).toBe('Уважаемые коллеги!');
    expect(greeting([EXECUTOR, CO_EXECUTOR])).toBe('Уважаемые коллеги!');
    expect(greeting([person('riro', 'ОГБУ ДПО «РИРО»', 'riro@example.org')])).toBe('Уважаемые коллеги!');
  });
});

describe('mail templates', () => {
  it.each(ALL_KINDS)('renders a %s notification as a Russian subject, HTML and text', (kind) => {
    const n = buildOneOfEach().find((candidate) => candidate.kind === kind)!;
    const mail = renderNotification(n);
    // The plan by its title, at the top of the body; its key is for the machines (X-Plangraf-Plan).
    expect(mail.subject).not.toContain('ryazan-2020');
    expect(mail.text.startsWith('План-график реализации региональной программы повышения качества образования в Рязанской области на 2020 год\n')).toBe(true);
    expect(mail.subject).toMatch(/[а-яё]{4}/i);
    expect(mail.subject).not.toMatch(/\n/);
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="ru">/);
    expect(mail.html).toContain('<meta charset="utf-8">');
    for (const body of [mail.text, visibleText(mail.html)]) {
      expect(body).toContain('отправлено автоматически системой plangraf');
      expect(body).toMatch(/Уважаем(ая|ый|ые) /);
    }
    expect(mail.text).not.toMatch(/<[a-z]/i);
  });

  it('never prints undefined, null or NaN, whatever is missing', () => {
    for (const n of [...buildOneOfEach(), ...sparseNotifications()]) {
      const mail = renderNotification(n);
      for (const part of [mail.subject, mail.text, mail.html]) expect(part, `${n.kind}: ${part}`).not.toMatch(/undefined|null|NaN|\[object/);
      if (n.kind !== 'digest') {
        const event = calendarEventText(n);
        expect(`${event.summary}\n${event.description}`).not.toMatch(/undefined|null|NaN/);
      }
    }
  });

  it('never ends a sentence with «г..»', () => {
    for (const n of buildOneOfEach()) {
      const mail = renderNotification(n);
      expect(mail.text).not.toContain('..');
      expect(mail.html).not.toContain('..');
    }
  });

  it.each(TASK_KINDS)('shows & < > " \' in a %s title verbatim in the text and escaped in the HTML', (kind) => {
    const mail = renderNotification(buildTaskNotification(kind, { task: { title: NASTY_TITLE, executorName: `Иванов "Иван" <x>` } }));
    expect(mail.text).toContain(NASTY_TITLE);
    expect(mail.html).toContain(NASTY_TITLE_HTML);
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toContain('"план"');
    expect(mail.html).not.toContain('<x>');
    expect(mail.html).toContain('Иванов &quot;Иван&quot; &lt;x&gt;');
    expect(visibleText(mail.html)).toContain(NASTY_TITLE);
    // The subject is a header, not HTML: it keeps the characters.
    expect(mail.subject).toContain('Отчёт «Итоги года» & <b>"план"</b>');
  });

  it('gives an assignment the executor\'s two one-click links, as buttons in HTML and as addresses in text', () => {
    const links = { complete: 'https://plangraf.example.org/act/abc.def?x=1&y=2', extend: 'https://plangraf.example.org/act/ghi.jkl' };
    const mail = renderNotification(buildTaskNotification('assigned'), links);
    expect(mail.text).toContain('Сообщить о выполнении:\nhttps://plangraf.example.org/act/abc.def?x=1&y=2');
    expect(mail.text).toContain('Попросить перенести срок:\nhttps://plangraf.example.org/act/ghi.jkl');
    expect(mail.html).toContain('<a href="https://plangraf.example.org/act/abc.def?x=1&amp;y=2"');
    expect(visibleText(mail.html)).toContain('Ссылки личные: они действуют один раз и только для вас');
    expect(renderNotification(buildTaskNotification('assigned')).text).not.toContain('/act/');
  });

  it('asks for a task handed out after its due date to be done at once, saying how late it already is', () => {
    const late = renderNotification(buildTaskNotification('assigned', { task: { due: '2020-09-30', daysLate: 2 } }));
    expect(visibleText(late.html)).toContain('Срок исполнения истёк 30 сентября 2020 г. (просрочено на 2 рабочих дня): просим выполнить мероприятие как можно скорее');
    expect(late.text).not.toContain('Просим обеспечить исполнение мероприятия до');
    expect(renderNotification(buildTaskNotification('assigned')).text).toContain('Просим обеспечить исполнение мероприятия до');
  });

  it('tells the executor of an assignment where the calendar of all their deadlines is, as a link in HTML and an address in text', () => {
    const links = { complete: 'https://x/act/a.b', extend: 'https://x/act/c.d', calendar: 'https://x/calendar/e.f.ics?a=1&b=2' };
    const mail = renderNotification(buildTaskNotification('assigned'), links);
    expect(mail.text).toContain('Календарь ваших сроков:\nhttps://x/calendar/e.f.ics?a=1&b=2');
    expect(mail.html).toContain('<a href="https://x/calendar/e.f.ics?a=1&amp;b=2">Календарь ваших сроков</a>');
    expect(visibleText(mail.html)).toContain('Все ваши сроки по плану — в одном календаре');
    expect(renderNotification(buildTaskNotification('reminder'), { complete: 'https://x/act/a.b', extend: 'https://x/act/c.d' }).text).not.toContain('/calendar/');
  });

  it('lists the documents a letter carries, with their numbers', () => {
    const attachment = { title: 'Договор о сотрудничестве (сетевом партнёрстве)', number: 'ДС-2020/001', date: '2020-03-02', fileName: 'Договор ДС-2020 001.docx', path: '/tmp/x.docx', sha256: 'ab' };
    const mail = renderNotification(buildTaskNotification('document', { attachments: [attachment] }));
    expect(mail.subject).toBe('Договор о сотрудничестве (сетевом партнёрстве) № ДС-2020/001 от 02.03.2020');
    expect(mail.text).toContain('Документ во вложении');
    expect(mail.text).toContain('Договор ДС-2020 001.docx');
  });

  it('escapes the titles in every digest table', () => {
    const nasty = buildTaskLine({ title: NASTY_TITLE, result: '<script>alert(1)</script>' });
    const mail = renderNotification(buildDigest({ started: [nasty], dueThisWeek: [nasty], overdue: [nasty], done: [nasty] }));
    expect(mail.html.split(NASTY_TITLE_HTML)).toHaveLength(5);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain('Результат: <script>alert(1)</script>');
  });

  it('tells the executor of a new task its period, start, due date, target and co-executors', () => {
    const mail = renderNotification(buildTaskNotification('assigned'));
    expect(mail.subject).toBe('Поручение: Проведение углубленного мониторинга образовательных…, октябрь (срок 30.10.2020)');
    expect(mail.text).toContain('Уважаемая Ольга Юрьевна!');
    expect(mail.text).toContain('Вам поручено мероприятие «Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения» (октябрь).');
    expect(mail.text).toContain('Мероприятие: Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения, октябрь\nПериод: март, октябрь, ноябрь');
    expect(mail.text).toContain('Начало: 1 октября 2020 г.');
    expect(mail.text).toContain('Срок исполнения: 30 октября 2020 г.');
    expect(mail.text).toContain('Прогнозируемый результат: 100% школ-участниц');
    expect(mail.text).toContain('Соисполнители (в копии): Петров Иван Сергеевич');
    expect(mail.text).toContain('файлом календаря (.ics)');
  });

  it('says how a task without dates will be scheduled and promises no calendar file', () => {
    const n = buildTaskNotification('assigned', { task: { period: 'по отдельному графику', start: null, due: null } });
    const mail = renderNotification(n);
    expect(carriesCalendar(n)).toBe(false);
    expect(mail.subject).toBe('Поручение: Проведение углубленного мониторинга образовательных…, октябрь');
    expect(mail.text).toContain('Срок исполнения: не установлен');
    expect(mail.text).toContain('по отдельному графику');
    expect(mail.text).not.toContain('.ics');
  });

  it.each([
    [1, 'остался 1 рабочий день'],
    [2, 'осталось 2 рабочих дня'],
    [5, 'осталось 5 рабочих дней'],
    [21, 'остался 21 рабочий день'],
  ])('reminds with %i working days left: «%s»', (daysLeft, words) => {
    const mail = renderNotification(buildTaskNotification('reminder', { task: { daysLeft } }));
    expect(mail.subject).toBe(`Напоминание: Проведение углубленного мониторинга образовательных…, октябрь (срок 30.10.2020, ${words})`);
    expect(mail.text).toContain(`— 30 октября 2020 г. (${words}).`);
  });

  it('reminds without a count when the workflow gives none', () => {
    const n = buildTaskNotification('reminder');
    delete n.task.daysLeft;
    const mail = renderNotification(n);
    expect(mail.text).toContain('— 30 октября 2020 г.');
    expect(mail.text).not.toContain('осталось');
  });

  it.each([
    [1, '1 рабочий день'],
    [2, '2 рабочих дня'],
    [5, '5 рабочих дней'],
  ])('says an overdue task is %i working days late', (daysLate, words) => {
    const mail = renderNotification(buildTaskNotification('overdue', { task: { daysLate } }));
    expect(mail.subject).toBe(`Просрочено на ${words}: Проведение углубленного мониторинга образовательных…, октябрь (срок 30.10.2020)`);
    expect(mail.text).toContain(`истёк 30 октября 2020 г.; просрочено на ${words}.`);
  });

  it('tells the office who is late with what', () => {
    const mail = renderNotification(buildTaskNotification('escalation', { task: { daysLate: 2 } }));
    expect(mail.subject).toBe('Эскалация: Проведение углубленного мониторинга образовательных…, октябрь — МОУ «Ерахтурская средняя школа» (просрочено на 2 рабочих дня, Иванова Ольга Юрьевна)');
    expect(mail.text).toContain('Уважаемые коллеги!');
    expect(mail.text).toContain(
      'Ответственный исполнитель Иванова Ольга Юрьевна не сообщил о выполнении мероприятия «Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения» (октябрь, МОУ «Ерахтурская средняя школа») в установленный срок (30 октября 2020 г.). Просрочено на 2 рабочих дня.',
    );
  });

  it('says from which date to which a deadline moved, and why', () => {
    const mail = renderNotification(buildTaskNotification('extended'));
    expect(mail.subject).toBe('Срок перенесён: Проведение углубленного мониторинга образовательных…, октябрь (новый срок 30.11.2020)');
    expect(mail.text).toContain('перенесён с 30 октября 2020 г. на 30 ноября 2020 г.');
    expect(mail.text).toContain('Основание: Приказ министерства образования № 1852 от 29.10.2020');
  });

  it('names the new and the previous executor of a handed-over task', () => {
    const mail = renderNotification(buildTaskNotification('reassigned'));
    expect(mail.text).toContain('Уважаемый Иван Сергеевич!');
    expect(mail.text).toContain('передано новому ответственному исполнителю: Петров Иван Сергеевич (ранее — Иванова Ольга Юрьевна).');
  });

  it('tells the executor what to rework in a returned report, quoting the report', () => {
    const mail = renderNotification(buildTaskNotification('returned'));
    expect(mail.subject).toBe('Отчёт возвращён на доработку: Проведение углубленного мониторинга образовательных…, октябрь (срок 30.10.2020)');
    expect(mail.text).toContain('Проектный офис вернул на доработку ваш отчёт о выполнении мероприятия «Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения» (октябрь).');
    expect(mail.text).toContain('Что доработать: Приложите протокол заседания рабочей группы');
    expect(mail.text).toContain('Отчёт: 10 договоров подписано');
    expect(mail.text).toContain('и снова сообщить о результате');
  });

  it('tells the executor why an accepted task is back under control, and how late it is', () => {
    const mail = renderNotification(buildTaskNotification('reopened'));
    expect(mail.subject).toContain('Мероприятие возобновлено: Проведение углубленного мониторинга');
    expect(mail.text).toContain('принятый ранее результат отменён и мероприятие снова на контроле');
    expect(mail.text).toContain('Основание: Договоры подписаны не всеми школами');
    expect(mail.text).toContain('Принятый ранее результат: 10 договоров подписано');
    expect(mail.text).toContain('Срок исполнения истёк 30 октября 2020 г. (просрочено на 6 рабочих дней)');
  });

  it('lists the reports waiting for the office\'s check in the digest, and counts them in the subject', () => {
    const waiting = buildTaskLine({ task: '9@sch-01', title: 'Разработка программы перехода', occurrence: '', schoolName: 'МОУ СОШ № 5', result: 'Программа утверждена педсоветом' });
    const mail = renderNotification(buildDigest({ awaitingCheck: [waiting] }));
    expect(mail.subject).toBe('Еженедельная сводка 26.10.2020–01.11.2020: начато 1, срок на неделе 1, просрочено 1, выполнено 1, на проверке 1');
    expect(mail.text).toContain('Ждут проверки отчёта (1)\n------------------------\n\n1. Разработка программы перехода — МОУ СОШ № 5\n   Исполнитель: Иванова Ольга Юрьевна');
    expect(mail.text).toContain('Отчёт исполнителя: Программа утверждена педсоветом');
  });

  it('tells the office which address failed, for which letter and why', () => {
    const mail = renderNotification(buildTaskNotification('undeliverable'));
    expect(mail.subject).toBe('Письмо не доставлено: nobody@example.org (Проведение углубленного мониторинга образовательных…, октябрь)');
    expect(mail.text).toContain('Не удалось доставить письмо о поручении по мероприятию «Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения» (октябрь) на адрес nobody@example.org.');
    expect(mail.text).toContain('Причина: 550 5.1.1 Mailbox unavailable');
  });

  it('lays the weekly digest out in four sections, each a table', () => {
    const mail = renderNotification(buildDigest());
    expect(mail.subject).toBe('Еженедельная сводка 26.10.2020–01.11.2020: начато 1, срок на неделе 1, просрочено 1, выполнено 1');
    expect(mail.text).toContain('за неделю с 26 октября по 1 ноября 2020 г.');
    const headings = ['Начаты на этой неделе (1)', 'Срок исполнения на этой неделе (1)', 'Просрочены (1)', 'Выполнены (1)'];
    const positions = headings.map((title) => mail.text.indexOf(title));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const title of headings) expect(mail.html).toContain(`<h3 style="margin:20px 0 8px 0;font-size:16px">${title}</h3>`);
    expect(mail.html.match(/<table cellpadding/g)).toHaveLength(4);
    expect(mail.text).toContain('1. Заключение договоров о сотрудничестве — МОУ «Лесновская средняя школа»\n   Исполнитель: Иванова Ольга Юрьевна\n   Срок: 30.04.2020\n   Просрочено: 122 рабочих дня');
    expect(mail.text).toContain(`1. Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения, октябрь\n   Исполнитель: Иванова Ольга Юрьевна\n   Срок: 30.10.2020`);
    expect(mail.html).toContain('<th style="border:1px solid #c8c8c8;padding:4px 8px;text-align:left;vertical-align:top;background:#f0f0f0">Мероприятие</th>');
    expect(mail.text).toContain('Результат: Приказы изданы во всех 25 муниципалитетах');
  });

  it('says «Нет.» for an empty digest section instead of an empty table', () => {
    const mail = renderNotification(buildDigest({ overdue: [], done: [] }));
    expect(mail.text).toContain('Просрочены (0)\n--------------\n\nНет.');
    expect(mail.html.match(/<table cellpadding/g)).toHaveLength(2);
  });

  it('writes the calendar event of the deadline in Russian', () => {
    const event = calendarEventText(buildTaskNotification('assigned'));
    expect(event.summary).toBe('Срок: Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения, октябрь');
    expect(event.description).toContain('Мероприятие: Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения, октябрь\n');
    expect(event.description).toContain('Период: март, октябрь, ноябрь');
    expect(event.description).toContain('Прогнозируемый результат: 100% школ-участниц');
  });
});

describe('tasks in letters, named as people name them', () => {
  const TITLE = 'Проведение углубленного мониторинга образовательных результатов в школах с низкими результатами обучения';
  const SHORT = 'Проведение углубленного мониторинга образовательных…';
  const SCHOOL = 'МОУ СОШ № 5';
  const IDS = ['13/2@sch-01', '4/2@sch-02', '20@sch-01', '17@sch-02', '5/3@sch-01', '9@sch-01'];
  const perSchool = (task: string, occurrence: string, overrides: Parameters<typeof buildTaskLine>[0] = {}) => buildTaskLine({ task, occurrence, schoolName: SCHOOL, ...overrides });
  const LINKS = { complete: 'https://x.test/act/a.b', extend: 'https://x.test/act/c.d', calendar: 'https://x.test/calendar/e.f.ics' };

  /** A letter of `kind` about per-school occurrences of repeated activities, as the workflows now send it. */
  function letterAbout(kind: (typeof ALL_KINDS)[number]): Notification {
    if (kind === 'digest') {
      return buildDigest({
        started: [perSchool('20@sch-01', '')],
        dueThisWeek: [perSchool('13/2@sch-01', 'октябрь')],
        overdue: [perSchool('17@sch-02', '', { schoolName: 'МОУ «Лесновская средняя школа»', daysLate: 5 })],
        done: [perSchool('5/3@sch-01', '3-я из 12', { result: 'Проведено' })],
        awaitingCheck: [perSchool('9@sch-01', '', { result: 'Программа утверждена' })],
      });
    }
    const task = { task: '13/2@sch-01', occurrence: '2-й квартал', schoolName: SCHOOL };
    if (kind === 'late-at-start') return buildTaskNotification(kind, { task, tasks: [perSchool('13/2@sch-01', '2-й квартал', { daysLate: 3 }), perSchool('4/2@sch-02', 'ноябрь', { daysLate: 1 })] });
    return buildTaskNotification(kind, { task });
  }

  it.each(ALL_KINDS)('never shows a task id in a %s letter: not in its subject, its text, its HTML or its calendar event', (kind) => {
    const n = letterAbout(kind);
    const mail = renderNotification(n, LINKS, new Map(IDS.map((id) => [id, LINKS])));
    const parts = [mail.subject, mail.text, mail.html, ...(n.kind !== 'digest' ? Object.values(calendarEventText(n)) : [])];
    for (const part of parts) {
      for (const id of IDS) expect(part).not.toContain(id);
      expect(part).not.toMatch(/@sch-|\d\/\d|Задача \d|ryazan-2020/);
    }
    // The task by its occurrence and school instead.
    const named = n.kind === 'digest' ? `${TITLE}, октябрь — ${SCHOOL}` : n.kind === 'late-at-start' ? `${TITLE}, 2-й квартал — ${SCHOOL}` : `«${TITLE}» (2-й квартал, ${SCHOOL})`;
    expect(mail.text).toContain(named);
  });

  it.each(['assigned', 'reminder', 'overdue', 'escalation', 'extended', 'rescheduled', 'reassigned', 'undeliverable', 'extension-requested', 'extension-declined', 'returned', 'reopened'] as const)(
    'names the task of a %s subject by its title, shortened, and its occurrence and school, whole',
    (kind) => {
      expect(renderNotification(letterAbout(kind)).subject).toContain(`${SHORT}, 2-й квартал — ${SCHOOL}`);
    },
  );

  it('reads a deadline moved as a person would: «Срок перенесён: …, 2-й квартал — МОУ СОШ № 5 (новый срок …)»', () => {
    const mail = renderNotification(letterAbout('extended'));
    expect(mail.subject).toBe(`Срок перенесён: ${SHORT}, 2-й квартал — ${SCHOOL} (новый срок 30.11.2020)`);
    expect(mail.text).toContain(`Срок исполнения мероприятия «${TITLE}» (2-й квартал, ${SCHOOL}) перенесён с 30 октября 2020 г. на 30 ноября 2020 г.`);
    expect(mail.text).toContain(`Мероприятие: ${TITLE}, 2-й квартал\nПериод: март, октябрь, ноябрь`);
    expect(mail.text).toContain(`Образовательная организация: ${SCHOOL}`);
  });

  it('lists the tasks of a digest by name, with their executors, and no column of ids', () => {
    const mail = renderNotification(letterAbout('digest'));
    expect(mail.text).toContain(`1. ${TITLE}, 3-я из 12 — ${SCHOOL}\n   Исполнитель: Иванова Ольга Юрьевна\n   Срок: 30.10.2020\n   Результат: Проведено`);
    expect(mail.html).not.toContain('>Задача</th>');
  });

  it('names a task started before letters named occurrences by its title and school, never by its id', () => {
    const n = buildTaskNotification('extended', { task: { task: '13/2@sch-01', schoolName: SCHOOL } });
    delete n.task.occurrence;
    const mail = renderNotification(n);
    expect(mail.subject).toBe(`Срок перенесён: ${SHORT} — ${SCHOOL} (новый срок 30.11.2020)`);
    expect(mail.text).toContain(`Срок исполнения мероприятия «${TITLE}» (${SCHOOL}) перенесён`);
    expect(mail.text).toContain(`Мероприятие: ${TITLE}\n`);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain('13/2');
  });
});

describe('the command line\'s short names', () => {
  it('shorten surnames with an apostrophe or a hyphen, and leave what is not three words', () => {
    expect(cliShortName("О'Нил Дарья Сергеевна")).toBe("О'Нил Д.С.");
    expect(cliShortName('Петров-Водкин Кузьма Сергеевич')).toBe('Петров-Водкин К.С.');
    expect(cliShortName('ОГБУ ДПО «РИРО»')).toBe('ОГБУ ДПО «РИРО»');
  });
});

import { Hono } from 'hono';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeadlineCalendar, calendarUidFor } from '../../activities/mail.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { recipientsOf } from '../../plan/recipients.ts';
import { schedulePlan, type ScheduledTask } from '../../plan/schedule.ts';
import { Plan } from '../../plan/schema.ts';
import type { PlanStatus, TaskSummary } from '../../workflows/messages.ts';
import type { WebDeps } from '../../web/context.ts';
import { calendarFeed, feedUidFor, feedUrl, planFeed } from '../../web/feeds.ts';
import { LinkSigner } from '../../web/links.ts';
import type { ServedPlan } from '../../web/plans.ts';
import { buildPlan, type PlanFixture } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';

const STAMP = new Date('2020-03-10T06:00:00Z');
const TITLE_1 = 'Мониторинг, этап 1; отчёт\nв министерство';

function fixture(overrides: Partial<PlanFixture> = {}): PlanFixture {
  const base = buildPlan();
  return buildPlan({
    people: [...(base.people as object[]), { id: 'morozova', name: 'Морозова Наталья Геннадьевна', email: 'morozova@example.org' }],
    schools: (base.schools as { id: string }[]).map((school) => (school.id === 'sch-01' ? { ...school, shortName: 'Ерахтурская СШ, корпус 2; филиал' } : school)),
    items: [
      { id: '1', title: TITLE_1, when: 'март', executor: 'morozova', result: 10 },
      { id: '2', title: 'Планы школ', when: 'февраль', per: 'school', executor: 'riro' },
      { id: '3', title: 'Семинар', when: 'по отдельному графику', executor: 'riro' },
      { id: '4', title: 'Отчёт', when: 'апрель', executor: 'coordinator' },
    ],
    ...overrides,
  });
}

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

function served(overrides: Partial<PlanFixture> = {}): ServedPlan {
  const plan = Plan.parse(fixture(overrides));
  return { key: plan.id, org: 'test', file: 'plans/test-plan.yaml', loaded: { plan, calendar, schedule: schedulePlan(plan, calendar) } };
}

/** The plan as it stands on 10 March 2020: task 4 reassigned to Морозова and moved to 12 May. */
function runningStatus(plan: ServedPlan): PlanStatus {
  const changes: Record<string, Partial<TaskSummary>> = {
    '1': { state: 'active' },
    '2@sch-01': { state: 'done', doneOn: '2020-02-20', result: 'Планы утверждены' },
    '2@sch-02': { state: 'overdue', daysLate: 7 },
    '3': { state: 'unscheduled' },
    '4': { state: 'planned', due: '2020-05-12', executor: { id: 'morozova', name: 'Морозова Наталья Геннадьевна', email: 'morozova@example.org' } },
  };
  const summaryOf = (task: ScheduledTask): TaskSummary => {
    const recipients = recipientsOf(plan.loaded.plan, task);
    return {
      task: task.task, item: task.item, title: task.title, period: task.period, school: task.school, schoolName: recipients.schoolName,
      executor: recipients.executor, start: task.start, due: task.due, plannedDue: task.due, state: 'planned', target: task.result,
      result: null, comment: null, doneOn: null, daysLate: 0, ...changes[task.task],
    };
  };
  const tasks = plan.loaded.schedule.tasks.map(summaryOf);
  return { plan: plan.key, key: plan.key, title: plan.loaded.plan.title!, asOf: '2020-03-10', started: tasks.length, total: tasks.length, tasks };
}

/** The feed read back by a real iCalendar parser. */
function parse(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  const events = root.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
  // ical.js keeps properties it has no type for (X-WR-CALNAME) raw; RFC 5545 makes them TEXT.
  const name = ICAL.design.icalendar.value.text!.fromICAL!(String(root.getFirstPropertyValue('x-wr-calname')));
  return { name, events, byTask: (task: string) => events.find((event) => event.uid === feedUidFor('test-plan', task))! };
}

/** The lines of the file as written, folding undone. */
function lines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('the whole plan\'s feed before the plan starts', () => {
  it('has one event per task with a due date, none for a task «по отдельному графику»', () => {
    const { events } = parse(planFeed(served(), null, { executor: null }, STAMP));
    expect(events.map((event) => event.uid)).toEqual(['1', '2@sch-01', '2@sch-02', '4'].map((task) => feedUidFor('test-plan', task)));
  });

  it('starts each event at 09:00 Moscow time on the due date, written in UTC, and ends it an hour later', () => {
    const text = planFeed(served(), null, { executor: null }, STAMP);
    expect(lines(text)).toContain('DTSTART:20200331T060000Z');
    expect(lines(text)).toContain('DTEND:20200331T070000Z');
    const event = parse(text).byTask('1');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe('2020-03-31T06:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2020-03-31T07:00:00.000Z');
    expect(text).not.toContain('VTIMEZONE');
  });

  it('takes 09:00 in the plan\'s own time zone: Yekaterinburg is 04:00 UTC', () => {
    const event = parse(planFeed(served({ timezone: 'Asia/Yekaterinburg' }), null, { executor: null }, STAMP)).byTask('1');
    expect(event.startDate.toJSDate().toISOString()).toBe('2020-03-31T04:00:00.000Z');
  });

  it('names the calendar «plangraf: <plan> — все сроки» and tells the schools\' events apart', () => {
    const { name, byTask } = parse(planFeed(served(), null, { executor: null }, STAMP));
    expect(name).toBe('plangraf: test-plan — все сроки');
    expect(byTask('2@sch-02').summary).toBe('Срок: Планы школ (МОУ «Лесновская средняя школа»)');
  });

  it('escapes commas, semicolons and line breaks of a title, and the parser reads the title back whole', () => {
    const text = planFeed(served(), null, { executor: null }, STAMP);
    expect(lines(text)).toContain('SUMMARY:Срок: Мониторинг\\, этап 1\\; отчёт в министерство');
    const event = parse(text).byTask('1');
    expect(event.summary).toBe('Срок: Мониторинг, этап 1; отчёт в министерство');
    expect(event.description.split('\n')).toEqual([
      'Задача 1: Мониторинг, этап 1; отчёт',
      'в министерство',
      'План-график: Тестовый план-график (test-plan)',
      'Период: март',
      'Срок исполнения: 31 марта 2020 г.',
      'Ответственный исполнитель: Морозова Наталья Геннадьевна',
      'Прогнозируемый результат: 10',
      'Состояние: план ещё не запущен',
    ]);
  });

  it('gives the event a UID of its own, not that of the all-day event the assignment letter carries, so no client meets one UID in two shapes', () => {
    const plan = served();
    const letter: TaskNotification & { task: { due: string } } = {
      kind: 'assigned', key: 'test-plan:1:assigned:2020-03-02', sendDate: '2020-03-02', sendTime: '09:00', sendAt: '2020-03-02T09:00:00+03:00',
      to: [{ id: 'morozova', name: 'Морозова Наталья Геннадьевна', email: 'morozova@example.org' }], cc: [],
      plan: { id: 'test-plan', key: 'test-plan', title: 'Тестовый план-график', timezone: 'Europe/Moscow' },
      task: { task: '1', title: TITLE_1, period: 'март', start: '2020-03-02', due: '2020-03-31', executorName: 'Морозова Наталья Геннадьевна', schoolName: null, target: '10', result: null, daysLate: 0 },
    };
    const mailed = parse(buildDeadlineCalendar(letter)).events[0]!;
    expect(mailed.uid).toBe(calendarUidFor('test-plan', '1'));
    expect(parse(planFeed(plan, null, { executor: null }, STAMP)).byTask('1').uid).toBe(feedUidFor('test-plan', '1'));
    expect(feedUidFor('test-plan', '1')).not.toBe(mailed.uid);
  });

  it('marks every event confirmed and free, stamped with the time it is made', () => {
    const { events } = parse(planFeed(served(), null, { executor: null }, STAMP));
    for (const event of events) {
      expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(event.component.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
      expect(event.sequence).toBe(0);
      expect(String(event.component.getFirstPropertyValue('dtstamp'))).toBe('2020-03-10T06:00:00Z');
    }
  });
});

describe('an executor\'s feed', () => {
  it('names the calendar after the executor, surname first: «plangraf: test-plan — Морозова Н. Г.»', () => {
    const { name } = parse(planFeed(served(), null, { executor: 'morozova' }, STAMP));
    expect(name).toBe('plangraf: test-plan — Морозова Н. Г.');
  });

  it('escapes the calendar\'s name too, which the generator writes as given', () => {
    const text = planFeed(served(), null, { executor: 'director:sch-01' }, STAMP);
    expect(lines(text)).toContain('X-WR-CALNAME:plangraf: test-plan — Сидоров П. П. (Ерахтурская СШ\\, корпус 2\\; филиал)');
    expect(parse(text).name).toBe('plangraf: test-plan — Сидоров П. П. (Ерахтурская СШ, корпус 2; филиал)');
  });

  it('takes the executor\'s tasks from the schedule before the plan starts', () => {
    const { events } = parse(planFeed(served(), null, { executor: 'coordinator' }, STAMP));
    expect(events.map((event) => event.uid)).toEqual([feedUidFor('test-plan', '4')]);
  });

  it('follows a reassignment once the plan runs: the task leaves one feed and joins the other', () => {
    const plan = served();
    const status = runningStatus(plan);
    expect(parse(planFeed(plan, status, { executor: 'coordinator' }, STAMP)).events).toEqual([]);
    expect(parse(planFeed(plan, status, { executor: 'morozova' }, STAMP)).events.map((event) => event.uid)).toEqual(['1', '4'].map((task) => feedUidFor('test-plan', task)));
  });

  it('is a valid, empty calendar for an executor left with no tasks, still named after them', () => {
    const plan = served();
    const { name, events } = parse(planFeed(plan, runningStatus(plan), { executor: 'coordinator' }, STAMP));
    expect(events).toHaveLength(0);
    expect(name).toBe('plangraf: test-plan — Иванова О. Ю.');
  });

  it('moves a deadline that was moved, bumps its SEQUENCE and says what the plan had', () => {
    const plan = served();
    const event = parse(planFeed(plan, runningStatus(plan), { executor: 'morozova' }, STAMP)).byTask('4');
    expect(event.startDate.toJSDate().toISOString()).toBe('2020-05-12T06:00:00.000Z');
    expect(event.sequence).toBe(1);
    expect(event.description).toContain('Срок исполнения: 12 мая 2020 г.\nСрок перенесён, по плану был: 30 апреля 2020 г.');
    expect(event.description).toContain('Состояние: запланирована');
  });

  it('reminds at 09:00 of the working day before, skipping the 11 May 2020 holiday and the weekend', () => {
    const plan = served();
    const { byTask } = parse(planFeed(plan, runningStatus(plan), { executor: 'morozova' }, STAMP));
    const alarms = (task: string) => byTask(task).component.getAllSubcomponents('valarm').map((alarm) => String(alarm.getFirstPropertyValue('trigger')));
    expect(alarms('4')).toEqual(['2020-05-08T06:00:00Z']);
    expect(alarms('1')).toEqual(['2020-03-30T06:00:00Z']);
    expect(byTask('4').component.getFirstSubcomponent('valarm')!.getFirstPropertyValue('description')).toBe('Срок 12 мая 2020 г.: Отчёт');
  });

  it('keeps a done task\'s deadline, marked «Выполнено», with no reminder', () => {
    const plan = served();
    const event = parse(planFeed(plan, runningStatus(plan), { executor: 'director:sch-01' }, STAMP)).byTask('2@sch-01');
    expect(event.summary).toBe('Выполнено: Планы школ');
    expect(event.description).toContain('Состояние: выполнена 20 февраля 2020 г.\nРезультат: Планы утверждены');
    expect(event.component.getAllSubcomponents('valarm')).toHaveLength(0);
  });

  it('marks an overdue task «Просрочено»', () => {
    const plan = served();
    expect(parse(planFeed(plan, runningStatus(plan), { executor: 'director:sch-02' }, STAMP)).byTask('2@sch-02').summary).toBe('Просрочено: Планы школ');
  });

  it('leaves reminders out of the whole plan\'s feed', () => {
    const plan = served();
    const text = planFeed(plan, runningStatus(plan), { executor: null }, STAMP);
    expect(parse(text).events).toHaveLength(4);
    expect(text).not.toContain('BEGIN:VALARM');
  });
});

describe('GET /calendar/<token>.ics', () => {
  const signer = new LinkSigner(Buffer.alloc(32, 7));
  const publicUrl = 'https://plangraf.example.org/';

  function app(status: () => Promise<PlanStatus | null> = async () => null) {
    const plan = served();
    const deps = { signer, publicUrl, plans: { get: (key: string) => (key === plan.key ? plan : undefined), status } } as unknown as WebDeps;
    const web = new Hono();
    web.get('/calendar/:file', (c) => calendarFeed(c, deps));
    return { web, deps, plan };
  }

  it('serves the feed its signed address names, as text/calendar that is not cached', async () => {
    const { web, deps } = app();
    const url = feedUrl(deps, 'test-plan', 'morozova');
    expect(url).toMatch(/^https:\/\/plangraf\.example\.org\/calendar\/[\w-]+\.[\w-]+\.[\w-]+\.ics$/);
    const response = await web.request(new URL(url).pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="plangraf-test-plan-morozova.ics"');
    const { name, events } = parse(await response.text());
    expect(name).toBe('plangraf: test-plan — Морозова Н. Г.');
    expect(events.map((event) => event.uid)).toEqual([feedUidFor('test-plan', '1')]);
  });

  it('serves an address of the old form, without a key id, that a calendar client subscribed to before keys had ids', async () => {
    const { web } = app();
    const [payload, signature] = signer.feedToken({ plan: 'test-plan', executor: 'morozova' }).split('.');
    const response = await web.request(`/calendar/${payload}.${signature}.ics`);
    expect(response.status).toBe(200);
    expect(parse(await response.text()).name).toBe('plangraf: test-plan — Морозова Н. Г.');
  });

  it('serves the whole plan\'s feed from the running plan', async () => {
    const { web, deps, plan } = app(async () => runningStatus(plan));
    const response = await web.request(new URL(feedUrl(deps, 'test-plan', null)).pathname);
    expect(response.status).toBe(200);
    expect(parse(await response.text()).byTask('2@sch-01').summary).toBe('Выполнено: Планы школ (Ерахтурская СШ, корпус 2; филиал)');
  });

  it('refuses a forged address with 403 in Russian: another executor written into a signed token', async () => {
    const { web } = app();
    const [, signature, kid] = signer.feedToken({ plan: 'test-plan', executor: 'morozova' }).split('.');
    const payload = Buffer.from(JSON.stringify(['test-plan', 'riro'])).toString('base64url');
    expect((await web.request(`/calendar/${payload}.${signature}.ics`)).status).toBe(403);
    const response = await web.request(`/calendar/${payload}.${signature}.${kid}.ics`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(await response.text()).toContain('Ссылка на календарь недействительна');
  });

  it('refuses an address signed with another secret, and an action link\'s token', async () => {
    const { web } = app();
    const stranger = new LinkSigner(Buffer.alloc(32, 8)).feedToken({ plan: 'test-plan', executor: null });
    const action = signer.actionToken({ plan: 'test-plan', task: '1', executor: 'morozova', action: 'complete', expires: 4_102_444_800, nonce: 'n' });
    expect((await web.request(`/calendar/${stranger}.ics`)).status).toBe(403);
    expect((await web.request(`/calendar/${action}.ics`)).status).toBe(403);
  });

  it('answers 404 for an address without .ics and for a plan the server no longer shows', async () => {
    const { web } = app();
    expect((await web.request(`/calendar/${signer.feedToken({ plan: 'test-plan', executor: null })}`)).status).toBe(404);
    const gone = await web.request(`/calendar/${signer.feedToken({ plan: 'old-plan', executor: null })}.ics`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('План «old-plan» не найден');
  });

  it('answers 503 when the plan\'s state cannot be had, rather than fall back to the schedule', async () => {
    const { web } = app(async () => {
      throw new Error('connection refused');
    });
    const response = await web.request(`/calendar/${signer.feedToken({ plan: 'test-plan', executor: null })}.ics`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('300');
  });
});

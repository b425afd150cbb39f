/**
 * A plan joined mid-year: started on Monday 5 October 2020 at 10:00, after most of its deadlines.
 * The office marks some past tasks done; the rest of the late ones go to their executors in one
 * letter each the next morning; the tasks still to come run as always. Real workflows on the
 * time-skipping server, every letter rendered and sent to a real SMTP server (the mail catcher).
 *
 * October 2020: 6 October is a Tuesday, 8 October a Thursday; 2 November a Monday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaughtMail } from '../../activities/mail-catcher.ts';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { changeRunningPlan, checkDoneBeforeStart, completeTask, DoneBeforeStartRefused, lateIfStartedAt, planStatus, taskStatus } from '../../client/plan-runs.ts';
import type { Notification, TaskNotification } from '../../plan/notifications.ts';
import { instantOf } from '../../workflows/clock.ts';
import { planWorkflowId, type PlanStatus, type TaskStatus } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { buildPlan } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { workingDays, type WorkingDays } from '../support/working-days.ts';
import { startSmtpRig, TASK_QUEUE, type SmtpWorkflowRig } from '../support/smtp-workflow-rig.ts';
import { loadFixturePlan, mailLine, PlanClock, planRun } from '../support/workflow-run.ts';

const PLAN_KEY = 'mid-year-2020';
const RIRO = 'riro@example.org';
const METHODIST = 'methodist@example.org';
const OFFICE = 'coordinator@example.org';
const DIRECTOR_1 = 'director01@example.org';
const DIRECTOR_2 = 'director02@example.org';

const ITEMS = [
  { id: '1', title: 'Углубленный мониторинг образовательных результатов', when: 'март', executor: 'riro', result: '10 школ' },
  { id: '2', title: 'Анализ результатов мониторинга', when: 'апрель', executor: 'riro', result: 1 },
  { id: '3', title: 'Самодиагностика школы', when: 'май', per: 'school', result: 1 },
  { id: '4', title: 'Программа перехода школы в эффективный режим', when: 'июнь', per: 'school', result: 1 },
  { id: '5', title: 'Направление аналитической справки в школы', within: '5 рабочих дней', after: ['1'], executor: 'riro', result: 10 },
  { id: '6', title: 'Методический семинар для учителей', when: 'сентябрь', executor: 'methodist', result: 1 },
  { id: '7', title: 'Промежуточный отчёт министерству', when: 'ноябрь', executor: 'riro', result: 1 },
  { id: '8', title: 'Сбор заявок на курсы повышения квалификации', when: 'октябрь', executor: 'methodist', result: 1 },
];

function midYearPlan() {
  const plan = buildPlan({ items: ITEMS });
  (plan.people as unknown[]).push({ id: 'methodist', name: 'Смирнова Елена Викторовна', email: METHODIST });
  return plan;
}

const DONE_BEFORE_START = {
  '1': { result: 'Мониторинг проведён в 10 школах', comment: 'по данным отчёта РИРО' },
  '4@sch-01': { result: 'Программа утверждена приказом № 12' },
};

let rig: SmtpWorkflowRig;
let loaded: LoadedPlan;
let days: WorkingDays;

beforeAll(async () => {
  rig = await startSmtpRig();
  loaded = await loadFixturePlan(midYearPlan());
  days = workingDays(await shippedCalendar());
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

const ofPlan = (mail: readonly Notification[]) => mail.filter((notification) => notification.plan.key === PLAN_KEY);
const taskMail = (mail: readonly Notification[]) => ofPlan(mail).filter((notification): notification is TaskNotification => notification.kind !== 'digest');
const on = (date: string) => (notification: Notification) => notification.sendDate === date;

describe('refusing what the plan cannot take, before anything starts', () => {
  it('refuses tasks marked done that the plan has not, and empty results, naming each', () => {
    expect(() => checkDoneBeforeStart(loaded, { '1': { result: 'да' }, '99': { result: 'да' }, '3@sch-07': { result: 'да' }, '2': { result: ' ' } })).toThrow(DoneBeforeStartRefused);
    expect(() => checkDoneBeforeStart(loaded, { '99': { result: 'да' }, '2': { result: ' ' } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: отметки о выполнении до запуска плана «test-plan» не приняты: в плане нет задачи «99»; не указан результат задачи «2». План не запущен. Номера задач — в plangraf schedule.]`,
    );
    expect(() => checkDoneBeforeStart(loaded, DONE_BEFORE_START)).not.toThrow();
  });

  it('counts, as the start will, the tasks late by the morning of the first letters', () => {
    const at = instantOf('2020-10-05', '10:00', 'Europe/Moscow');
    const withoutDone = lateIfStartedAt(loaded, {}, at);
    expect(withoutDone.letterDay).toBe('2020-10-06');
    // 5 waits for 1, which nobody has reported: it is not counted until 1 is done.
    expect(withoutDone.late.map((entry) => entry.task)).toEqual(['1', '2', '3@sch-01', '3@sch-02', '4@sch-01', '4@sch-02', '6']);
    expect(lateIfStartedAt(loaded, DONE_BEFORE_START, at).late).toEqual([
      { task: '2', due: '2020-04-30' },
      { task: '3@sch-01', due: '2020-05-29' },
      { task: '3@sch-02', due: '2020-05-29' },
      { task: '4@sch-02', due: '2020-06-30' },
      // Five working days after 1, counted from its due date, the day it is recorded done.
      { task: '5', due: '2020-04-07' },
      { task: '6', due: '2020-09-30' },
    ]);
  });
});

describe('a plan started on 5 October 2020 with two past tasks marked done', () => {
  let clock: PlanClock;
  let startedStatus: PlanStatus;
  let doneTask: TaskStatus;
  let lateTask: TaskStatus;
  let caught: CaughtMail[];

  beforeAll(async () => {
    clock = await PlanClock.at(rig.env, '2020-10-05', '10:00');
    const input = { ...planRun(loaded, PLAN_KEY, clock), doneBeforeStart: DONE_BEFORE_START };
    await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(PLAN_KEY), args: [input] });
    await clock.until('2020-10-06', '12:00');
    const asked = await rig.env.currentTimeMs();
    startedStatus = await planStatus(rig.env.client, PLAN_KEY, asked, loaded);
    doneTask = await taskStatus(rig.env.client, PLAN_KEY, '1', asked);
    lateTask = await taskStatus(rig.env.client, PLAN_KEY, '2', asked);
    caught = (await rig.catcher.messages()).filter((mail) => mail.plan === PLAN_KEY);
    await clock.throughEndOf('2020-11-02');
  }, 120_000);

  it('records the tasks marked done as done by their due date, with their results, and writes nobody about them', () => {
    const byTask = new Map(startedStatus.tasks.map((task) => [task.task, task]));
    expect(byTask.get('1')).toMatchObject({ state: 'done', result: 'Мониторинг проведён в 10 школах', comment: 'по данным отчёта РИРО', doneOn: '2020-03-31', daysLate: 0 });
    expect(byTask.get('4@sch-01')).toMatchObject({ state: 'done', result: 'Программа утверждена приказом № 12', comment: null, doneOn: '2020-06-30', daysLate: 0 });
    expect(doneTask.history).toEqual([{ date: '2020-10-05', time: '10:00', kind: 'completed', detail: 'отмечено выполненным при запуске плана: Мониторинг проведён в 10 школах — по данным отчёта РИРО' }]);
    const about = (task: string) => taskMail(rig.sent).filter((notification) => notification.task.task === task || notification.tasks?.some((line) => line.task === task));
    expect(about('1').map(mailLine)).toEqual([]);
    expect(about('4@sch-01').map(mailLine)).toEqual([]);
  });

  it('lets the task that waits for a task marked done start at once, its deadline counted from that task', () => {
    const five = startedStatus.tasks.find((task) => task.task === '5')!;
    expect(five).toMatchObject({ state: 'overdue', due: '2020-04-07' });
  });

  it('sends each executor with late tasks exactly one letter the next morning, listing them all, the office and the curator in copy', () => {
    const firstMorning = ofPlan(rig.sent).filter(on('2020-10-06'));
    expect(firstMorning.map(mailLine).sort()).toEqual(
      [
        `2020-10-06 09:00 late-at-start 2 → ${RIRO} cc ${OFFICE}`,
        `2020-10-06 09:00 late-at-start 3@sch-01 → ${DIRECTOR_1} cc ${OFFICE}, ${RIRO}`,
        `2020-10-06 09:00 late-at-start 3@sch-02 → ${DIRECTOR_2} cc ${OFFICE}, ${RIRO}`,
        `2020-10-06 09:00 late-at-start 6 → ${METHODIST} cc ${OFFICE}`,
        // A task not yet due is handed out as always.
        `2020-10-06 09:00 assigned 8 → ${METHODIST}`,
      ].sort(),
    );
    // Working days late on 6 October, counted by hand from the calendar.
    const late = (due: string) => `${due} ${days.between(due, '2020-10-06')}`;
    const listed = firstMorning.filter((notification): notification is TaskNotification => notification.kind === 'late-at-start').map((letter) => `${letter.to[0]!.email}: ${letter.tasks!.map((line) => `${line.task} ${line.due} ${line.daysLate}`).join(', ')}`);
    expect(listed.sort()).toEqual(
      [
        `${DIRECTOR_1}: 3@sch-01 ${late('2020-05-29')}`,
        `${DIRECTOR_2}: 3@sch-02 ${late('2020-05-29')}, 4@sch-02 ${late('2020-06-30')}`,
        `${METHODIST}: 6 ${late('2020-09-30')}`,
        `${RIRO}: 2 ${late('2020-04-30')}, 5 ${late('2020-04-07')}`,
      ].sort(),
    );
  });

  it('delivers the letters through SMTP, each task with its title, school, deadline, lateness and its own one-click links', () => {
    const letters = caught.filter((mail) => mail.kind === 'late-at-start');
    expect(letters.map((mail) => mail.to.join(', ')).sort()).toEqual([DIRECTOR_1, DIRECTOR_2, METHODIST, RIRO].sort());
    const director = letters.find((mail) => mail.to.includes(DIRECTOR_2))!;
    expect(director.subject).toBe('Срок истёк: 2 мероприятия (Кузнецова Анна Викторовна)');
    expect(director.cc.sort()).toEqual([OFFICE, RIRO].sort());
    expect(director.text).toContain('Сроки исполнения 2 мероприятий, за которые вы отвечаете, уже истекли');
    for (const [task, title] of [
      ['3@sch-02', 'Самодиагностика школы'],
      ['4@sch-02', 'Программа перехода школы в эффективный режим'],
    ] as const) {
      // By name and school, as the pages name it, not by its id.
      expect(director.text).toContain(`${title} — МОУ «Лесновская средняя школа»\n`);
      expect(director.text).toContain(`https://plangraf.test/act/mid-year-2020/${encodeURIComponent(task)}/director%3Asch-02/complete`);
      expect(director.html).toContain(`https://plangraf.test/act/mid-year-2020/${encodeURIComponent(task)}/director%3Asch-02/extend`);
    }
    expect(director.text).not.toMatch(/@sch-|Задача/);
    expect(director.text).toContain(`Просрочено: ${days.between('2020-06-30', '2020-10-06')} рабочих дней`);
    const single = letters.find((mail) => mail.to.includes(METHODIST))!;
    expect(single.subject).toBe('Срок истёк: Методический семинар для учителей (просрочено на 4 рабочих дня)');
  });

  it('sends no start letter, overdue notice or escalation for the late tasks that morning, and records the letter in their history', () => {
    const late = ['2', '3@sch-01', '3@sch-02', '4@sch-02', '5', '6'];
    expect(taskMail(rig.sent).filter((notification) => late.includes(notification.task.task) && ['assigned', 'escalation'].includes(notification.kind)).map(mailLine)).toEqual([]);
    expect(taskMail(rig.sent).filter((notification) => notification.kind === 'overdue' && notification.sendDate < '2020-10-08').map(mailLine)).toEqual([]);
    expect(lateTask.history.map(({ date, time, kind, to }) => `${date} ${time} ${kind}${to ? ` ${to.join(', ')}` : ''}`)).toEqual(['2020-10-06 09:00 late-at-start riro@example.org', '2020-10-06 09:00 started']);
    expect(lateTask.state).toBe('overdue');
  });

  it('chases the late tasks afterwards on the usual cadence, counted from the letter: every second working day, one notice per task', () => {
    const overdue = taskMail(rig.sent).filter((notification) => notification.kind === 'overdue');
    const days = [...new Set(overdue.map((notification) => notification.sendDate))].sort();
    expect(days.slice(0, 3)).toEqual(['2020-10-08', '2020-10-12', '2020-10-14']);
    expect(overdue.filter(on('2020-10-08')).map((notification) => notification.task.task).sort()).toEqual(['2', '3@sch-01', '3@sch-02', '4@sch-02', '5', '6'].sort());
    // The letter stood for the escalation of the tasks late at the start: only a task late since is escalated.
    expect(taskMail(rig.sent).filter((notification) => notification.kind === 'escalation').map(mailLine)).toEqual([`2020-11-02 09:00 escalation 8 → ${OFFICE}`]);
  });

  it('hands out the task still to come on its own start day, as always', () => {
    expect(taskMail(rig.sent).filter((notification) => notification.task.task === '7').map(mailLine)).toEqual([`2020-11-02 09:00 assigned 7 → ${RIRO}`]);
  });
});

describe('a late task reported done before the letters go', () => {
  const planKey = 'mid-year-2020-reported';
  let letters: TaskNotification[];
  let six: TaskStatus;

  beforeAll(async () => {
    // Friday 2 October at 15:00: the letters go on Monday the 5th at 09:00.
    const clock = await PlanClock.at(rig.env, '2020-10-02', '15:00');
    const input = { ...planRun(loaded, planKey, clock), doneBeforeStart: DONE_BEFORE_START };
    await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [input] });
    await clock.until('2020-10-02', '16:00');
    await completeTask(rig.env.client, planKey, '6', { result: 'Семинар проведён 28 сентября', by: 'methodist' });
    await completeTask(rig.env.client, planKey, '2', { result: 'Анализ выполнен', by: 'riro' });
    await clock.throughEndOf('2020-10-05');
    letters = rig.sent.filter((notification): notification is TaskNotification => notification.plan.key === planKey && notification.kind === 'late-at-start');
    six = await taskStatus(rig.env.client, planKey, '6', await rig.env.currentTimeMs());
  }, 120_000);

  it('leaves it out of its executor\'s letter, and writes no letter to an executor with nothing late left', () => {
    expect(letters.map((letter) => `${letter.sendDate} ${letter.sendTime} ${letter.to[0]!.email}: ${letter.tasks!.map((line) => line.task).join(', ')}`).sort()).toEqual(
      [`2020-10-05 09:00 ${DIRECTOR_1}: 3@sch-01`, `2020-10-05 09:00 ${DIRECTOR_2}: 3@sch-02, 4@sch-02`, `2020-10-05 09:00 ${RIRO}: 5`].sort(),
    );
    expect(six).toMatchObject({ state: 'done', result: 'Семинар проведён 28 сентября', doneOn: '2020-10-02' });
    expect(six.history.map((entry) => entry.kind)).toEqual(['completed']);
  });
});

describe('a plan changed three times before its late letters go', () => {
  const planKey = 'mid-year-2020-changed';
  let letters: TaskNotification[];
  let morning: string[];
  let history: (task: string) => Promise<string[]>;

  /** The mid-year plan with these items changed (by id) and those left out. */
  async function changed(edits: Record<string, Record<string, unknown>>, without: string[] = []) {
    const plan = midYearPlan();
    plan.items = (plan.items as { id: string }[]).filter((item) => !without.includes(item.id)).map((item) => ({ ...item, ...edits[item.id] }));
    return loadFixturePlan(plan);
  }

  beforeAll(async () => {
    // Monday 5 October at 10:00: the letters go on Tuesday the 6th at 09:00; every change comes before.
    const clock = await PlanClock.at(rig.env, '2020-10-05', '10:00');
    const input = { ...planRun(loaded, planKey, clock), doneBeforeStart: DONE_BEFORE_START };
    await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [input] });
    const change = async (next: LoadedPlan) => changeRunningPlan(rig.env.client, planKey, planRun(next, planKey, clock), 'coordinator');
    await clock.until('2020-10-05', '12:00');
    // 2 and 3 (both schools) are not late any more; 7 has not begun and goes.
    await change(await changed({ '2': { when: 'декабрь' }, '3': { when: 'декабрь' } }, ['7']));
    await clock.until('2020-10-05', '14:00');
    // 6 is handed to the РИРО: it goes into their letter.
    await change(await changed({ '2': { when: 'декабрь' }, '3': { when: 'декабрь' }, '6': { executor: 'riro' } }, ['7']));
    await clock.until('2020-10-05', '16:00');
    // 2 has its late deadline again: back into the letter.
    await change(await changed({ '3': { when: 'декабрь' }, '6': { executor: 'riro' } }, ['7']));
    await clock.throughEndOf('2020-10-06');
    letters = rig.sent.filter((notification): notification is TaskNotification => notification.plan.key === planKey && notification.kind === 'late-at-start');
    morning = rig.sent
      .filter((notification) => notification.plan.key === planKey && notification.sendDate === '2020-10-06' && notification.kind !== 'digest')
      .map(mailLine)
      .sort();
    const asked = await rig.env.currentTimeMs();
    history = async (task) => (await taskStatus(rig.env.client, planKey, task, asked)).history.map(({ date, time, kind, to }) => `${date} ${time} ${kind}${to ? ` ${to.join(', ')}` : ''}`);
  }, 120_000);

  it('still sends each executor with late tasks exactly one letter at the first 09:00, as the plan stands after the changes', () => {
    expect(letters.map((letter) => `${letter.sendDate} ${letter.sendTime} ${letter.to[0]!.email}: ${letter.tasks!.map((line) => `${line.task} ${line.due}`).join(', ')}`).sort()).toEqual(
      [`2020-10-06 09:00 ${RIRO}: 2 2020-04-30, 5 2020-04-07, 6 2020-09-30`, `2020-10-06 09:00 ${DIRECTOR_2}: 4@sch-02 2020-06-30`].sort(),
    );
    expect(morning).toEqual([`2020-10-06 09:00 assigned 8 → ${METHODIST}`, `2020-10-06 09:00 late-at-start 2 → ${RIRO} cc ${OFFICE}`, `2020-10-06 09:00 late-at-start 4@sch-02 → ${DIRECTOR_2} cc ${OFFICE}, ${RIRO}`].sort());
  });

  it('records the letter only in the history of the tasks it lists; a task moved out of it is handed out as any other', async () => {
    expect(await history('2')).toContain(`2020-10-06 09:00 late-at-start ${RIRO}`);
    expect(await history('6')).toContain(`2020-10-06 09:00 late-at-start ${RIRO}`);
    expect(await history('4@sch-02')).toContain(`2020-10-06 09:00 late-at-start ${DIRECTOR_2}`);
    for (const task of ['3@sch-01', '3@sch-02']) expect((await history(task)).filter((line) => line.includes('late-at-start'))).toEqual([]);
  });
});

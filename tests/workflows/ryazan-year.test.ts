/**
 * The Ryazan 2020 plan run through the real plan and task workflows on the time-skipping
 * server: a whole year with executors reporting on the due date, and a few tasks whose
 * executors never report. Every expected date is counted here from the shipped production
 * calendar's working days alone, not with the scheduling code under test.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { completeTask, planStatus } from '../../client/plan-runs.ts';
import { addDays, dayOfWeek, type IsoDate } from '../../plan/dates.ts';
import type { DigestNotification, Notification, TaskNotification } from '../../plan/notifications.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { planStatusQuery, planWorkflowId, taskWorkflowId, type PlanStatus } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { workingDays, type WorkingDays } from '../support/working-days.ts';
import { docxText } from '../support/docx-text.ts';
import { loadFixturePlan, loadSamplePlan, mailLine, mailOf, PlanClock, planRun, startRig, TASK_QUEUE, type WorkflowRig } from '../support/workflow-run.ts';

const RYAZAN_2020 = fileURLToPath(new URL('../../calendars/ryazan-2020.yaml', import.meta.url));
/** When a simulated executor reports a task done: midday, after the morning's mail. */
const COMPLETION_TIME = '12:00';

let rig: WorkflowRig;
let calendar: ProductionCalendar;

beforeAll(async () => {
  rig = await startRig();
  calendar = await shippedCalendar();
  days = workingDays(calendar);
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

// Working days counted by hand from the production calendar.
let days: WorkingDays;
const working = (date: IsoDate) => days.working(date);
const workingOnOrAfter = (date: IsoDate) => days.onOrAfter(date);
const workingAfter = (date: IsoDate) => days.after(date);
const workingDaysBefore = (date: IsoDate, count: number) => days.before(date, count);
const workingDaysAfter = (date: IsoDate, count: number) => days.afterCount(date, count);
const workingDaysFrom = (from: IsoDate, to: IsoDate) => days.between(from, to);
const everyWorkingDays = (first: IsoDate, step: number, last: IsoDate) => days.every(first, step, last);

const taskMail = (mail: Notification[]): TaskNotification[] => mail.filter((notification): notification is TaskNotification => notification.kind !== 'digest');
const emails = (recipients: { email: string }[]) => recipients.map((recipient) => recipient.email);

describe('the Ryazan 2020 plan over its whole year, every executor reporting on the due date', () => {
  const planKey = 'ryazan-2020-year-on-due';
  let loaded: LoadedPlan;
  let mail: Notification[];
  let finalStatus: PlanStatus;
  let compactAndWhole: [PlanStatus, PlanStatus];

  beforeAll(async () => {
    loaded = await loadSamplePlan(RYAZAN_2020);
    const { schedule } = loaded;
    const clock = await PlanClock.at(rig.env, schedule.span.start, '00:00');
    const input = planRun(loaded, planKey, clock);
    const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [input] });
    const completions = schedule.tasks.map((task) => ({ task: task.task, on: task.due!, result: task.result ?? 'выполнено' })).sort((a, b) => a.on.localeCompare(b.on));
    for (const completion of completions) {
      await clock.until(completion.on, COMPLETION_TIME);
      await completeTask(rig.env.client, planKey, completion.task, { result: completion.result, by: 'test' });
    }
    // The plan hears of a completion from the task's signal, after the update has answered:
    // both views are asked once it has heard of the last one, so they speak of the same state.
    await vi.waitFor(
      async () => {
        const status = await plan.query(planStatusQuery, await rig.env.currentTimeMs());
        const notHeard = status.tasks.filter((task) => task.state !== 'done');
        if (notHeard.length > 0) throw new Error(`the plan has not heard of every completion: ${notHeard.map((task) => task.task).join(', ')}`);
      },
      { timeout: 10_000, interval: 100 },
    );
    // The compact status the pages ask for, filled in from the plan, is the whole status.
    const asked = await rig.env.currentTimeMs();
    const [whole, compact] = await Promise.all([plan.query(planStatusQuery, asked), planStatus(rig.env.client, planKey, asked, loaded)]);
    compactAndWhole = [compact, whole];
    // Two weeks past the plan's end: anything late would be chased by then.
    await clock.throughEndOf(addDays(schedule.span.end, 14));
    finalStatus = await plan.result();
    mail = mailOf(rig.mail, planKey);
  }, 150_000);

  it('runs the 88 tasks of 10 schools, all done on their due dates, none late', () => {
    expect(loaded.schedule.tasks).toHaveLength(88);
    expect(loaded.plan.schools.filter((school) => school.kind !== 'партнер')).toHaveLength(10);
    expect(finalStatus.total).toBe(88);
    expect(finalStatus.started).toBe(88);
    expect(finalStatus.tasks.map((task) => `${task.task} ${task.state} ${task.doneOn} ${task.daysLate}`)).toEqual(loaded.schedule.tasks.map((task) => `${task.task} done ${task.due} 0`));
  });

  it('answers the pages\' compact status query with what, filled in from the plan, is the whole status', () => {
    expect(compactAndWhole[0]).toEqual(compactAndWhole[1]);
    expect(compactAndWhole[0].tasks.some((task) => task.state === 'done')).toBe(true);
  });

  it('sends no mail on a day off, and all of it at 09:00 Moscow time', () => {
    expect(mail.length).toBeGreaterThan(88);
    expect(mail.filter((notification) => !working(notification.sendDate)).map(mailLine)).toEqual([]);
    // 2020 has no working Saturdays or Sundays: no mail at a weekend at all.
    expect(mail.filter((notification) => dayOfWeek(notification.sendDate) % 6 === 0).map(mailLine)).toEqual([]);
    expect(mail.filter((notification) => notification.sendTime !== '09:00').map(mailLine)).toEqual([]);
    expect(mail.filter((notification) => !notification.sendAt.endsWith('T09:00:00+03:00') || !notification.sendAt.startsWith(notification.sendDate)).map(mailLine)).toEqual([]);
  });

  it('assigns every task exactly once, on the first working day it may start: its start day, or after its prerequisites were reported done', () => {
    const { plan, schedule } = loaded;
    const byId = new Map(schedule.tasks.map((task) => [task.task, task]));
    const emailOf = (id: string) => (id.startsWith('director:') ? plan.schools.find((school) => `director:${school.id}` === id)!.director.email : plan.people.find((person) => person.id === id)!.email);
    const expected = schedule.tasks.map((task) => {
      // A prerequisite reported at midday has missed that day's 09:00 mail: the next working day.
      const afterPrerequisites = task.after.map((id) => workingAfter(byId.get(id)!.due!));
      const day = [workingOnOrAfter(task.start!), ...afterPrerequisites].sort().at(-1)!;
      return `${day} 09:00 assigned ${task.task} → ${emailOf(task.executor!)}${task.coExecutors.length > 0 ? ` cc ${task.coExecutors.map(emailOf).join(', ')}` : ''}`;
    });
    const assigned = taskMail(mail).filter((notification) => notification.kind === 'assigned');
    expect(assigned.map(mailLine).sort()).toEqual(expected.sort());
    // The dependants of items 7, 8 and 14 spelled out.
    expect(assigned.filter((notification) => ['9@sch-01', '10@sch-10', '15'].includes(notification.task.task)).map((notification) => `${notification.task.task} ${notification.sendDate}`)).toEqual(['9@sch-01 2020-03-02', '10@sch-10 2020-04-01', '15 2020-10-01']);
  });

  it('reminds 5 and 1 working days before each due date, and only then', () => {
    expect(loaded.plan.reminders).toEqual({ before: [5, 1], overdueEvery: 2 });
    const assignedOn = new Map(taskMail(mail).filter((notification) => notification.kind === 'assigned').map((notification) => [notification.task.task, notification.sendDate]));
    const expected = loaded.schedule.tasks.flatMap((task) =>
      [5, 1]
        .map((before) => ({ before, day: workingDaysBefore(task.due!, before) }))
        // A reminder falls after the task was handed out, never on the same morning.
        .filter(({ day }) => day > assignedOn.get(task.task)!)
        .map(({ before, day }) => `${day} ${task.task} due ${task.due} in ${before}`),
    );
    const reminders = taskMail(mail)
      .filter((notification) => notification.kind === 'reminder')
      .map((notification) => `${notification.sendDate} ${notification.task.task} due ${notification.task.due} in ${notification.task.daysLeft}`);
    expect(reminders.sort()).toEqual(expected.sort());
    expect(reminders).toHaveLength(176);
    expect(reminders.filter((line) => line.includes(' 15 ')).sort()).toEqual(['2020-11-23 15 due 2020-11-30 in 5', '2020-11-27 15 due 2020-11-30 in 1']);
  });

  it('sends nothing overdue and escalates nothing when every task is done on its due date', () => {
    const kinds = [...new Set(mail.map((notification) => notification.kind))].sort();
    expect(kinds).toEqual(['assigned', 'digest', 'document', 'reminder']);
  });

  it('attaches to each school\'s contracts task its contract, numbered in turn, and sends it to the partner\'s director with the school\'s director in copy', async () => {
    const { plan } = loaded;
    const participants = plan.schools.filter((school) => school.kind !== 'партнер');
    const director = (id: string) => plan.schools.find((school) => school.id === id)!.director;
    const assignments = taskMail(mail).filter((notification) => notification.kind === 'assigned' && notification.task.task.startsWith('10@'));
    const letters = taskMail(mail).filter((notification) => notification.kind === 'document');
    expect(assignments).toHaveLength(participants.length);
    expect(letters).toHaveLength(participants.length);
    const numbers = assignments.flatMap((notification) => notification.attachments ?? []).map((document) => document.number);
    expect(numbers.sort()).toEqual(participants.map((_, index) => `ДС-2020/${String(index + 1).padStart(3, '0')}`));
    for (const school of participants) {
      const assignment = assignments.find((notification) => notification.task.task === `10@${school.id}`)!;
      const [contract] = assignment.attachments ?? [];
      expect(assignment.attachments).toHaveLength(1);
      expect(contract!.date).toBe(assignment.sendDate);
      const letter = letters.find((notification) => notification.attachments?.[0]?.number === contract!.number)!;
      expect(mailLine(letter)).toBe(`${assignment.sendDate} 09:00 document 10@${school.id} → ${director(school.partner!).email} cc ${director(school.id).email}`);
      // The document itself: both schools and both directors, in the genitive where the contract says «в лице».
      const text = docxText(await readFile(join(rig.documentsDir, contract!.path)));
      expect(text).toContain(`ДОГОВОР № ${contract!.number}`);
      expect(text).toContain(school.name);
      expect(text).toContain(plan.schools.find((entry) => entry.id === school.partner)!.name);
      expect(text).toMatch(/в лице директора [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+, действующ(его|ей) на основании Устава/);
      expect(createHash('sha256').update(await readFile(join(rig.documentsDir, contract!.path))).digest('hex')).toBe(contract!.sha256);
    }
  });

  it('attaches the order to the working-groups task and a draft of the execution report to the December report task', async () => {
    const attachmentsOf = (task: string) => taskMail(mail).find((notification) => notification.kind === 'assigned' && notification.task.task === task)!.attachments ?? [];
    const [order] = attachmentsOf('4');
    expect(order).toMatchObject({ number: '1-П', date: '2020-02-03' });
    expect(docxText(await readFile(join(rig.documentsDir, order!.path)))).toContain('Об утверждении перечня общеобразовательных организаций');
    const [report] = attachmentsOf('26');
    expect(report).toMatchObject({ number: 'ОИ-2020/001', date: workingOnOrAfter('2020-11-01') });
    const text = docxText(await readFile(join(rig.documentsDir, report!.path)));
    // As of its day: the activities due before November are done, the report itself is not.
    expect(text).toContain('по состоянию на «02» ноября 2020 г.');
    expect(text).toContain('Подготовка отчета о расходовании средств субсидии');
  });

  it('sends the weekly digest to the office only, on the first working day of its week', () => {
    const digests = mail.filter((notification) => notification.kind === 'digest');
    expect(digests.length).toBeGreaterThan(0);
    for (const digest of digests) {
      expect(digest.sendDate).toBe(workingOnOrAfter(digest.weekOf));
      expect(emails(digest.to)).toEqual(['coordinator@example.org']);
    }
  });
});

/**
 * Three items of the Ryazan plan, two participant schools: item 2 (January, the regional
 * operator), item 9 (per school, February–March; its prerequisite 7 left out) and a `within`
 * item that waits for item 2. The executor of item 2 reports three weeks late; nobody else ever
 * reports.
 */
async function neverDonePlan(): Promise<LoadedPlan> {
  const ryazan = parse(await readFile(RYAZAN_2020, 'utf8')) as { schools: { id: string }[]; items: { id: string; after?: string[] }[] };
  const item = (id: string) => ryazan.items.find((entry) => entry.id === id)!;
  const { after: _after, ...perSchool } = item('9');
  return loadFixturePlan({
    ...ryazan,
    schools: ryazan.schools.filter((school) => ['sch-01', 'sch-02', 'sch-11', 'sch-12'].includes(school.id)),
    items: [
      item('2'),
      { id: '2.1', title: 'Направление критериев идентификации ШСНРО и ШФНСУ в муниципальные органы управления образованием', within: '3 рабочих дня', after: ['2'], executor: 'mouo', result: 10 },
      perSchool,
    ],
  });
}

describe('tasks whose executors do not report', () => {
  const planKey = 'ryazan-2020-never';
  const horizon = '2020-04-10';
  const late = { task: '2', on: '2020-02-12' };
  let loaded: LoadedPlan;
  let mail: TaskNotification[];
  let digests: DigestNotification[];
  let status: PlanStatus;

  beforeAll(async () => {
    loaded = await neverDonePlan();
    const clock = await PlanClock.at(rig.env, loaded.schedule.span.start, '00:00');
    const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
    await clock.until(late.on, COMPLETION_TIME);
    await completeTask(rig.env.client, planKey, late.task, { result: 'Критерии разработаны', by: 'test' });
    await clock.throughEndOf(horizon);
    status = await plan.query(planStatusQuery, await rig.env.currentTimeMs());
    mail = taskMail(mailOf(rig.mail, planKey));
    digests = mailOf(rig.mail, planKey).filter((notification): notification is DigestNotification => notification.kind === 'digest');
    for (const task of loaded.schedule.tasks) await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, task.task)).terminate('test over').catch(() => undefined);
    await plan.terminate('test over');
  }, 120_000);

  const of = (task: string, kind: TaskNotification['kind']) => mail.filter((notification) => notification.task.task === task && notification.kind === kind);

  it('schedules the three items as planned: one plain task, one per school, one counted from its prerequisite', () => {
    expect(loaded.schedule.tasks.map((task) => `${task.task} ${task.start}…${task.due}`)).toEqual(['2 2020-01-09…2020-01-31', '2.1 2020-01-31…2020-02-05', '9@sch-01 2020-02-03…2020-03-31', '9@sch-02 2020-02-03…2020-03-31']);
  });

  it("escalates a school's task to the office and the school's curator on the first working day after the due date, once", () => {
    expect(of('9@sch-01', 'escalation').map(mailLine)).toEqual(['2020-04-01 09:00 escalation 9@sch-01 → coordinator@example.org, curator-1@example.org']);
    expect(of('9@sch-02', 'escalation').map(mailLine)).toEqual(['2020-04-01 09:00 escalation 9@sch-02 → coordinator@example.org, curator-2@example.org']);
    expect(workingAfter('2020-03-31')).toBe('2020-04-01');
    expect(of('9@sch-01', 'escalation')[0]!.task.daysLate).toBe(1);
  });

  it('escalates a task without a school to the office alone', () => {
    expect(of('2', 'escalation').map(mailLine)).toEqual(['2020-02-03 09:00 escalation 2 → coordinator@example.org']);
    expect(of('2.1', 'escalation').map(mailLine)).toEqual(['2020-02-18 09:00 escalation 2.1 → coordinator@example.org']);
  });

  it('chases the executor every 2 working days from the first day late until the horizon', () => {
    for (const school of ['sch-01', 'sch-02']) {
      const task = `9@${school}`;
      const expected = everyWorkingDays(workingAfter('2020-03-31'), 2, horizon);
      expect(expected).toEqual(['2020-04-01', '2020-04-03', '2020-04-07', '2020-04-09']);
      expect(of(task, 'overdue').map((notification) => `${notification.sendDate} ${notification.sendTime} ${emails(notification.to).join()} late ${notification.task.daysLate}`)).toEqual(
        expected.map((day) => `${day} 09:00 director${school.slice(4)}@example.org late ${workingDaysFrom('2020-03-31', day)}`),
      );
    }
  });

  it('stops chasing a task once its executor reports it, however late', () => {
    expect(of('2', 'overdue').map((notification) => notification.sendDate)).toEqual(['2020-02-03', '2020-02-05', '2020-02-07', '2020-02-11']);
    expect(status.tasks.find((task) => task.task === '2')).toMatchObject({ state: 'done', doneOn: '2020-02-12', daysLate: 8, due: '2020-01-31' });
  });

  it('counts the `within` task from the day its prerequisite was really done, then chases it too', () => {
    const due = workingDaysAfter(late.on, 3);
    expect(due).toBe('2020-02-17');
    expect(mail.filter((notification) => notification.task.task === '2.1' && notification.kind !== 'overdue').map(mailLine)).toEqual([
      '2020-02-13 09:00 assigned 2.1 → mouo@example.org',
      '2020-02-14 09:00 reminder 2.1 → mouo@example.org',
      '2020-02-18 09:00 escalation 2.1 → coordinator@example.org',
    ]);
    const overdue = everyWorkingDays(workingAfter(due), 2, horizon);
    // 24 February and 9 March 2020 are days off moved from the holidays of 23 February and 8 March.
    expect(overdue.slice(0, 8)).toEqual(['2020-02-18', '2020-02-20', '2020-02-25', '2020-02-27', '2020-03-02', '2020-03-04', '2020-03-06', '2020-03-11']);
    expect(of('2.1', 'overdue').map((notification) => `${notification.sendDate} late ${notification.task.daysLate}`)).toEqual(overdue.map((day) => `${day} late ${workingDaysFrom(due, day)}`));
  });

  it('reports every open task overdue by the working days past its due date at the moment the office asks', () => {
    // Asked at 23:59 on Friday 10 April; the plan workflow last woke for Monday's digest.
    expect(status.tasks.map((task) => `${task.task} ${task.state} due ${task.due} late ${task.daysLate}`)).toEqual([
      '2 done due 2020-01-31 late 8',
      `2.1 overdue due 2020-02-17 late ${workingDaysFrom('2020-02-17', horizon)}`,
      '9@sch-01 overdue due 2020-03-31 late 8',
      '9@sch-02 overdue due 2020-03-31 late 8',
    ]);
  });

  it('lists in each Monday digest the tasks late that very morning, with their working days late, and the week\'s due dates', () => {
    const line = (digest: DigestNotification) => ({
      week: digest.weekOf,
      overdue: digest.overdue.map((task) => `${task.task} late ${task.daysLate}`),
      due: digest.dueThisWeek.map((task) => task.task),
    });
    // Task 2 was due on Friday 31 January: late on Monday morning, when the first digest of February
    // goes out. Task 2.1 has no due date until task 2 is done; then it is due on Monday 17 February.
    expect(digests.filter((digest) => ['2020-02-03', '2020-02-17', '2020-03-30', '2020-04-06'].includes(digest.weekOf)).map(line)).toEqual([
      { week: '2020-02-03', overdue: ['2 late 1'], due: [] },
      { week: '2020-02-17', overdue: [], due: ['2.1'] },
      { week: '2020-03-30', overdue: [`2.1 late ${workingDaysFrom('2020-02-17', '2020-03-30')}`], due: ['9@sch-01', '9@sch-02'] },
      { week: '2020-04-06', overdue: [`2.1 late ${workingDaysFrom('2020-02-17', '2020-04-06')}`, '9@sch-01 late 4', '9@sch-02 late 4'], due: [] },
    ]);
    expect(workingDaysFrom('2020-03-31', '2020-04-06')).toBe(4);
  });

  it('sends nothing on a day off and nothing but at 09:00', () => {
    expect(mail.filter((notification) => !working(notification.sendDate) || notification.sendTime !== '09:00').map(mailLine)).toEqual([]);
  });
});

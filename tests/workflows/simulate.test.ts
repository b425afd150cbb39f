/**
 * `plangraf simulate` as a project office runs it: a real process, the real workflows on the
 * time-skipping server, and the JSON preview of the year's mail. The expected dates are counted
 * here from the shipped production calendar's working days alone, not with the code under test.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, type IsoDate } from '../../plan/dates.ts';
import { planWithItems, toYaml } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { workingDays, type WorkingDays } from '../support/working-days.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TIMEOUT = 240_000;

interface SimulatedMail {
  date: IsoDate;
  time: string;
  to: string;
  kind: string;
  task: string | null;
}

function simulate(plan: string, behaviour: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'simulate', plan, '--complete', behaviour, '--json'], { cwd: ROOT, timeout: RUN_TIMEOUT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  days = workingDays(await shippedCalendar());
});

let days: WorkingDays;
const working = (date: IsoDate) => days.working(date);
const workingOnOrAfter = (date: IsoDate) => days.onOrAfter(date);
const workingOnOrBefore = (date: IsoDate) => days.onOrBefore(date);
const workingDaysBefore = (date: IsoDate, count: number) => days.before(date, count);
const workingDaysAfter = (date: IsoDate, count: number) => days.afterCount(date, count);

// A plan of 2021 (May 1–3 and 8–10 off, Saturday 20 February working) with one school task,
// one task of the region, and a task that waits for the school's.
const PLAN = planWithItems(
  [
    { id: '1', title: 'Разработка плана перехода в эффективный режим', when: 'май', per: 'school', result: 'план утверждён' },
    { id: '2', title: 'Установочное совещание', when: 'февраль', executor: 'riro', result: 1 },
    { id: '3', title: 'Сводный отчёт по планам школ', when: 'июнь', executor: 'riro', after: ['1'] },
  ],
  {
    year: 2021,
    reminders: { before: [3, 1], overdueEvery: 3 },
    schools: [
      { id: 'sch-01', name: 'МОУ «Ерахтурская средняя школа»', kind: 'ШНОР', director: { name: 'Сидоров Пётр Петрович', email: 'director01@example.org' }, curator: 'curator', partner: 'sch-11' },
      { id: 'sch-11', name: 'МБОУ «Шиловская средняя школа № 1»', kind: 'партнер', director: { name: 'Орлов Максим Андреевич', email: 'director11@example.org' } },
    ],
    people: [
      { id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' },
      { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' },
      { id: 'curator', name: 'Васильева Ирина Александровна', email: 'curator@example.org' },
    ],
  },
);

describe('plangraf simulate --json on a plan of 2021 whose executors never report', () => {
  let mail: SimulatedMail[];
  let scratch: string | undefined;
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'plangraf-simulate-'));
    await writeFile(join(scratch, 'plan.yaml'), toYaml(PLAN));
    const run = await simulate(join(scratch, 'plan.yaml'), 'never');
    expect(run.stderr).not.toMatch(/^\s{4}at |Error:/m);
    expect(run.code).toBe(0);
    mail = JSON.parse(run.stdout) as SimulatedMail[];
  }, RUN_TIMEOUT);

  it('prints one entry per addressee with the fields of the contract', () => {
    expect(mail.length).toBeGreaterThan(0);
    for (const entry of mail) {
      expect(Object.keys(entry).sort()).toEqual(['date', 'kind', 'task', 'time', 'to']);
      expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.kind === 'digest' ? entry.task === null : typeof entry.task === 'string').toBe(true);
    }
  });

  it('sends everything at 09:00 Moscow time and nothing on a day off', () => {
    expect(mail.filter((entry) => entry.time !== '09:00')).toEqual([]);
    expect(mail.filter((entry) => !working(entry.date))).toEqual([]);
  });

  it('lists the mail in date order, the same way every run', () => {
    const keys = mail.map((entry) => `${entry.date} ${entry.time}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('assigns each task on the first working day of its period, reminds on the working days before the due date, and chases every third working day after it', () => {
    const may = { start: workingOnOrAfter('2021-05-01'), due: workingOnOrBefore('2021-05-31') };
    const february = { start: workingOnOrAfter('2021-02-01'), due: workingOnOrBefore('2021-02-28') };
    const tailEnd = addDays('2021-12-31', 14);
    const chase = (due: IsoDate) => {
      const days: IsoDate[] = [];
      for (let day = workingDaysAfter(due, 1); day <= tailEnd; day = workingDaysAfter(day, 3)) days.push(day);
      return days;
    };
    const expected = [
      { date: may.start, to: 'director01@example.org', kind: 'assigned', task: '1@sch-01' },
      ...[3, 1].map((before) => ({ date: workingDaysBefore(may.due, before), to: 'director01@example.org', kind: 'reminder', task: '1@sch-01' })),
      ...chase(may.due).map((date) => ({ date, to: 'director01@example.org', kind: 'overdue', task: '1@sch-01' })),
      // A school's task is escalated to the office and to the school's curator.
      { date: workingDaysAfter(may.due, 1), to: 'coordinator@example.org', kind: 'escalation', task: '1@sch-01' },
      { date: workingDaysAfter(may.due, 1), to: 'curator@example.org', kind: 'escalation', task: '1@sch-01' },
      { date: february.start, to: 'riro@example.org', kind: 'assigned', task: '2' },
      ...[3, 1].map((before) => ({ date: workingDaysBefore(february.due, before), to: 'riro@example.org', kind: 'reminder', task: '2' })),
      ...chase(february.due).map((date) => ({ date, to: 'riro@example.org', kind: 'overdue', task: '2' })),
      { date: workingDaysAfter(february.due, 1), to: 'coordinator@example.org', kind: 'escalation', task: '2' },
    ];
    const taskMail = mail.filter((entry) => entry.kind !== 'digest').map(({ date, to, kind, task }) => ({ date, to, kind, task }));
    const order = (entry: { date: string; to: string; kind: string; task: string | null }) => `${entry.date} ${entry.task} ${entry.kind} ${entry.to}`;
    expect(taskMail.map(order).sort()).toEqual(expected.map(order).sort());
    // Task 3 waits for the school's plan, which never comes: it is never assigned, never chased.
    expect(mail.filter((entry) => entry.task === '3')).toEqual([]);
  });

  it('sends the office a digest on the first working day of every week from the week after the first start', () => {
    const digests = mail.filter((entry) => entry.kind === 'digest');
    expect(new Set(digests.map((entry) => entry.to))).toEqual(new Set(['coordinator@example.org']));
    const weeks = digests.map((entry) => entry.date);
    expect(new Set(weeks).size).toBe(weeks.length);
    for (const day of weeks) {
      const monday = addDays(day, -((dayOfWeek(day) + 6) % 7));
      for (let before = monday; before < day; before = addDays(before, 1)) expect(working(before), `${day}: ${before} is a working day of the same week`).toBe(false);
    }
    // The first digest reports the first task started, in the week after it. From the week the
    // February task is due on, it is due or overdue in every digest: no week with a working day
    // goes without one.
    const mondayOf = (day: IsoDate) => addDays(day, -((dayOfWeek(day) + 6) % 7));
    expect(weeks[0]).toBe(workingOnOrAfter(addDays(mondayOf(workingOnOrAfter('2021-02-01')), 7)));
    for (let monday = mondayOf(workingOnOrBefore('2021-02-28')); monday <= addDays('2021-12-31', 7); monday = addDays(monday, 7)) {
      const firstWorking = workingOnOrAfter(monday);
      if (firstWorking < addDays(monday, 7)) expect(weeks, `the week of ${monday}`).toContain(firstWorking);
    }
  });
});

// Two tasks of the region in 2021: a March task and one due 5 working days after it is really done.
const CHAIN = planWithItems(
  [
    { id: '1', title: 'Приказ о составе рабочей группы', when: 'март', executor: 'riro', result: 1 },
    { id: '2', title: 'Рассылка приказа в муниципалитеты', within: '5 рабочих дней', after: ['1'], executor: 'riro', result: 10 },
  ],
  {
    year: 2021,
    reminders: { before: [3, 1], overdueEvery: 3 },
    people: [
      { id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' },
      { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' },
    ],
  },
);

describe('plangraf simulate --json with executors who report early and on the due date', () => {
  const runs: Record<string, SimulatedMail[]> = {};
  let scratch: string | undefined;
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'plangraf-simulate-'));
    await writeFile(join(scratch, 'chain.yaml'), toYaml(CHAIN));
    for (const behaviour of ['early', 'on-due']) {
      const run = await simulate(join(scratch, 'chain.yaml'), behaviour);
      expect(run.code, run.stderr).toBe(0);
      runs[behaviour] = (JSON.parse(run.stdout) as SimulatedMail[]).filter((entry) => entry.kind !== 'digest');
    }
  }, 2 * RUN_TIMEOUT);

  const lines = (mail: SimulatedMail[]) => mail.map((entry) => `${entry.date} ${entry.kind} ${entry.task}`);

  it('reports each task on the day it is handed out, so the task that waits for it starts the next working day and nothing is late', () => {
    const first = workingOnOrAfter('2021-03-01');
    expect(first).toBe('2021-03-01');
    // Done on 1 March at midday: the next task is handed out at the next 09:00, due 5 working days after 1 March.
    expect(lines(runs.early!)).toEqual([`${first} assigned 1`, `${workingDaysAfter(first, 1)} assigned 2`]);
  });

  it('reports each task on its due date: the waiting task counts from then, gets its reminders, and is never chased', () => {
    const due1 = workingOnOrBefore('2021-03-31');
    const due2 = workingDaysAfter(due1, 5);
    expect(lines(runs['on-due']!)).toEqual([
      '2021-03-01 assigned 1',
      `${workingDaysBefore(due1, 3)} reminder 1`,
      `${workingDaysBefore(due1, 1)} reminder 1`,
      `${workingDaysAfter(due1, 1)} assigned 2`,
      `${workingDaysBefore(due2, 3)} reminder 2`,
      `${workingDaysBefore(due2, 1)} reminder 2`,
    ]);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../activities/mail.ts';
import { doneOption } from '../../cli/run-commands.ts';
import type { TaskLine, TaskNotification } from '../../plan/notifications.ts';
import { renderNotification } from '../../templates/mail/messages.ts';
import { byExecutor, doneBeforeStartProblems, doneOnBeforeStart } from '../../workflows/mid-year.ts';
import { buildPlan, toYaml } from '../support/build-plan.ts';
import { buildTaskNotification } from '../support/notifications.ts';
import { runPlangraf, STACK_TRACE } from '../support/plangraf-process.ts';

const person = (id: string, email: string) => ({ id, name: id, email });

describe('byExecutor', () => {
  it('gathers entries by executor address, in order of first appearance, leaving out executors without an address', () => {
    const entries = [
      { task: '2', executor: person('riro', 'riro@example.org') },
      { task: '3@sch-01', executor: person('director:sch-01', 'director01@example.org') },
      { task: '5', executor: person('riro', 'RIRO@example.org ') },
      { task: '6', executor: person('nobody', '') },
      { task: '3@sch-02', executor: person('director:sch-02', 'director02@example.org') },
    ];
    expect(byExecutor(entries, (entry) => entry.executor).map((group) => `${group.executor.id}: ${group.entries.map((entry) => entry.task).join(', ')}`)).toEqual([
      'riro: 2, 5',
      'director:sch-01: 3@sch-01',
      'director:sch-02: 3@sch-02',
    ]);
  });
});

describe('doneOnBeforeStart', () => {
  it('records a task whose deadline has passed as done on its due date, so it does not read as done late', () => {
    expect(doneOnBeforeStart({ due: '2020-03-31' }, '2020-10-05')).toBe('2020-03-31');
  });

  it('records a task marked done ahead of its deadline, or without one, as done on the start day', () => {
    expect(doneOnBeforeStart({ due: '2020-10-30' }, '2020-10-05')).toBe('2020-10-05');
    expect(doneOnBeforeStart({ due: '2020-10-05' }, '2020-10-05')).toBe('2020-10-05');
    expect(doneOnBeforeStart({ due: null }, '2020-10-05')).toBe('2020-10-05');
  });
});

describe('doneBeforeStartProblems', () => {
  const tasks = [{ task: '1' }, { task: '2' }, { task: '3@sch-01' }];

  it('accepts tasks of the plan with results', () => {
    expect(doneBeforeStartProblems(tasks, { '1': { result: 'сделано' }, '3@sch-01': { result: 'да', comment: 'в мае' } })).toEqual([]);
  });

  it('names every task the plan has not and every empty result', () => {
    expect(doneBeforeStartProblems(tasks, { '9': { result: 'да' }, '3@sch-09': { result: 'да' }, '2': { result: '  ' } })).toEqual(['в плане нет задач «9», «3@sch-09»', 'не указан результат задачи «2»']);
  });
});

describe('plangraf start --done', () => {
  const tasks = [
    { task: '1', item: '1', result: '10 школ' },
    { task: '2', item: '2', result: null },
    { task: '3/1', item: '3', result: '1' },
    { task: '3/2', item: '3', result: '1' },
    { task: '13@sch-01', item: '13', result: null },
  ];

  it('reads tasks with and without results, a result taking commas, the option given more than once', () => {
    expect(doneOption(['1,2=Анализ выполнен, справка направлена,3/2', '13@sch-01=Договор № 7'], tasks)).toEqual({
      ok: true,
      done: {
        '1': { result: '10 школ' },
        '2': { result: 'Анализ выполнен, справка направлена' },
        // One occurrence of a repeated activity does not claim the whole target.
        '3/2': { result: 'выполнено' },
        '13@sch-01': { result: 'Договор № 7' },
      },
    });
  });

  it('gives a task without a result and without a planned target the result «выполнено»', () => {
    expect(doneOption(['2'], tasks)).toEqual({ ok: true, done: { '2': { result: 'выполнено' } } });
  });

  it('takes a single word after a comma for a task, so a mistyped task is refused, not swallowed into a result', () => {
    expect(doneOption(['1=Проведён,77'], tasks)).toEqual({ ok: false, problems: ['в плане нет задачи «77»'] });
  });

  it('refuses tasks the plan has not, and a task given twice', () => {
    expect(doneOption(['1,7,13@sch-09=да', '1'], tasks)).toEqual({ ok: false, problems: ['в плане нет задач «7», «13@sch-09»', 'задача указана дважды: «1»'] });
  });

  it('takes nothing from no option', () => {
    expect(doneOption([], tasks)).toEqual({ ok: true, done: {} });
  });
});

describe('the letter of tasks already late at the start', () => {
  const line = (task: string, title: string, due: string, daysLate: number, schoolName: string | null = null): TaskLine => ({
    task,
    title,
    period: 'май',
    start: null,
    due,
    executorName: 'Кузнецова Анна Викторовна',
    schoolName,
    target: '1',
    result: null,
    daysLate,
  });
  const letter = (tasks: TaskLine[]): TaskNotification => ({ ...buildTaskNotification('overdue'), kind: 'late-at-start', key: 'plan:test:late-at-start:director:sch-02', task: tasks[0]!, tasks });
  const two = letter([line('3@sch-02', 'Самодиагностика школы', '2020-05-29', 91, 'МОУ «Лесновская СШ»'), line('4@sch-02', 'Программа перехода', '2020-06-30', 70, 'МОУ «Лесновская СШ»')]);

  it('lists every task with its school, deadline and lateness under one subject', () => {
    const { subject, text } = renderNotification(two);
    expect(subject).toBe('Срок истёк: 2 мероприятия (Кузнецова Анна Викторовна)');
    expect(text).toContain('Сроки исполнения 2 мероприятий, за которые вы отвечаете, уже истекли');
    expect(text).toContain('1. Самодиагностика школы — МОУ «Лесновская СШ»');
    expect(text).toContain('2. Программа перехода — МОУ «Лесновская СШ»');
    expect(text).not.toContain('@sch-');
    expect(text).toContain('Срок исполнения: 30 июня 2020 г.\nПросрочено: 70 рабочих дней');
    expect(text).not.toContain('Ссылки личные');
  });

  it('speaks of a single task in the singular, its lateness in the subject', () => {
    const { subject, text } = renderNotification(letter([line('6', 'Методический семинар', '2020-09-30', 4)]));
    expect(subject).toBe('Срок истёк: Методический семинар (просрочено на 4 рабочих дня)');
    expect(text).toContain('Срок исполнения мероприятия, за которое вы отвечаете, уже истёк');
    expect(text).not.toContain('1. Методический семинар');
  });

  it("gives each task the executor's links of that task's overdue notice, and the letter itself none", () => {
    const asked: string[] = [];
    const message = composeMail(two, 'plangraf <plangraf@localhost>', (n) => {
      asked.push(`${n.kind} ${n.task.task} ${n.key}`);
      return { complete: `https://x.test/${n.task.task}/complete`, extend: `https://x.test/${n.task.task}/extend` };
    });
    expect(asked).toEqual(['overdue 3@sch-02 plan:test:late-at-start:director:sch-02:3@sch-02', 'overdue 4@sch-02 plan:test:late-at-start:director:sch-02:4@sch-02']);
    const text = String(message.text);
    expect(text.indexOf('https://x.test/3@sch-02/complete')).toBeGreaterThan(text.indexOf('1. Самодиагностика школы'));
    expect(text.indexOf('https://x.test/3@sch-02/complete')).toBeLessThan(text.indexOf('2. Программа перехода'));
    expect(text).toContain('https://x.test/4@sch-02/extend');
    expect(message.headers).toMatchObject({ 'X-Plangraf-Kind': 'late-at-start', 'X-Plangraf-Task': '3@sch-02' });
    expect(message.attachments).toEqual([]);
  });
});

describe('plangraf start --done with a task the plan has not', () => {
  it('is refused with exit 1 before anything is connected to, naming the task', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plangraf-mid-year-'));
    try {
      const file = join(dir, 'plan.yaml');
      await writeFile(file, toYaml(buildPlan({ items: [{ id: '1', title: 'Мониторинг', when: 'март', executor: 'riro', result: 1 }] })));
      const run = await runPlangraf(['start', file, '--done', '1=Проведён,7'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`plangraf: --done: в плане нет задачи «7». План не запущен. Номера задач: plangraf schedule ${file}`);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stdout).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

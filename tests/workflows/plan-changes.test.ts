/**
 * Changing a running plan: the office's new plan-graph reaches the plan's workflows. Real plan
 * and task workflows on the time-skipping server; mail recorded in memory.
 *
 * The fixture plan runs from 30 September 2020: item 1 in October (due Friday 30 October),
 * item 2 in November, item 3 in December after 2. 4 November is a holiday.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { changeRunningPlan, completeTask, PlanChangeRefused, planStatus, taskStatus } from '../../client/plan-runs.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { planStatusQuery, planWorkflowId, taskWorkflowId, type PlanChangeSummary } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { buildPlan, MONITORING, toYaml, type PlanFixture } from '../support/build-plan.ts';
import { testDatabaseUrl } from '../support/store.ts';
import { loadFixturePlan, mailLine, mailOf, PlanClock, planRun, startRig, TASK_QUEUE, type WorkflowRig } from '../support/workflow-run.ts';

const RIRO = 'riro@example.org';
const CURATOR = 'curator@example.org';
const OFFICE = 'coordinator@example.org';

const ANALYSIS = { id: '2', title: 'Подготовка аналитических материалов по итогам мониторинга', when: 'ноябрь', executor: 'riro', result: 1 };
const SEMINAR = { id: '3', title: 'Семинар для управленческих команд школ', when: 'декабрь', executor: 'riro', after: ['2'], result: 'да' };
const COUNSELLING = { id: '4', title: 'Консультирование школ по итогам мониторинга', when: 'октябрь - ноябрь', executor: 'curator', result: '10 консультаций' };

/** The fixture plan with a third person, the curator, and these items. */
function plan(items: Record<string, unknown>[]): PlanFixture {
  const base = buildPlan();
  return buildPlan({ people: [...(base.people as unknown[]), { id: 'curator', name: 'Васильева Ирина Александровна', email: CURATOR }], items });
}

const ITEMS = [MONITORING, ANALYSIS, SEMINAR];

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

/** Starts the fixture plan under its own key, its clock at 00:00 of 30 September 2020. */
async function startPlan(planKey: string, items = ITEMS): Promise<{ clock: PlanClock; change(items: Record<string, unknown>[], by?: string): Promise<PlanChangeSummary> }> {
  const loaded = await loadFixturePlan(plan(items));
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
  onTestFinished(async () => {
    // The plan and every task it may have run: their timers must not fire into the next tests.
    await rig.env.client.workflow.getHandle(planWorkflowId(planKey)).terminate('test over').catch(() => undefined);
    for (const task of ['1', '2', '3', '4']) await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, task)).terminate('test over').catch(() => undefined);
  });
  return {
    clock,
    async change(next, by = 'coordinator') {
      return changeRunningPlan(rig.env.client, planKey, planRun(await loadFixturePlan(plan(next)), planKey, clock), by);
    },
  };
}

const taskMail = (planKey: string) => mailOf(rig.mail, planKey).filter((notification): notification is TaskNotification => notification.kind !== 'digest');

async function refusal(action: Promise<unknown>): Promise<string[]> {
  try {
    await action;
  } catch (error) {
    if (error instanceof PlanChangeRefused) return error.reasons;
    throw error;
  }
  throw new Error('the plan accepted a change it should have refused');
}

async function statusOf(planKey: string) {
  return rig.env.client.workflow.getHandle(planWorkflowId(planKey)).query(planStatusQuery, await rig.env.currentTimeMs());
}

describe('a change the plan applies', () => {
  it('starts the tasks of an added item, which get their letters, and records the change in the history', async () => {
    const planKey = 'change-add';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    const summary = await change([...ITEMS, COUNSELLING]);
    expect(summary).toMatchObject({ added: ['4'], removed: [], moved: [], reassigned: [] });
    expect(summary.lines).toEqual(['добавлена задача 4 «Консультирование школ по итогам мониторинга»: 01.10.2020–30.11.2020']);

    await clock.throughEndOf('2020-10-06');
    expect(taskMail(planKey).map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`, `2020-10-06 09:00 assigned 4 → ${CURATOR}`]);
    const status = await statusOf(planKey);
    expect(status.tasks.map((task) => `${task.task} ${task.state}`)).toEqual(['1 active', '2 planned', '3 planned', '4 active']);
    expect(status.total).toBe(4);
    expect(status.changes).toEqual([{ date: '2020-10-05', time: '12:00', by: 'coordinator', lines: summary.lines }]);
  });

  it('withdraws the task of a removed item that has not begun: its workflow ends without a letter and it leaves the plan', async () => {
    const planKey = 'change-remove';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    const summary = await change([MONITORING, ANALYSIS]);
    expect(summary).toMatchObject({ added: [], removed: ['3'], lines: ['удалена задача 3 «Семинар для управленческих команд школ»'] });

    const withdrawn = rig.env.client.workflow.getHandle(taskWorkflowId(planKey, '3'));
    expect((await withdrawn.describe()).status.name).toBe('CANCELLED');
    await clock.throughEndOf('2020-12-31');
    expect(taskMail(planKey).filter((notification) => notification.task.task === '3')).toEqual([]);
    expect((await statusOf(planKey)).tasks.map((task) => task.task)).toEqual(['1', '2']);
  });

  it('starts a removed item afresh when a later change brings it back: its task runs again and is in the plan again', async () => {
    const planKey = 'change-readd';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    await change([MONITORING, ANALYSIS]);
    expect((await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, '3')).describe()).status.name).toBe('CANCELLED');
    await clock.until('2020-10-06', '12:00');
    const summary = await change(ITEMS);
    expect(summary).toMatchObject({ added: ['3'], removed: [] });
    await clock.until('2020-10-07', '12:00');
    expect((await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, '3')).describe()).status.name).toBe('RUNNING');
    expect((await statusOf(planKey)).tasks.map((task) => task.task)).toEqual(['1', '2', '3']);
  });

  it('moves the deadline of a changed period: the executor is told, and the reminders follow the new date', async () => {
    const planKey = 'change-period';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-20', '12:00');
    const summary = await change([{ ...MONITORING, when: 'октябрь - ноябрь' }, ANALYSIS, SEMINAR]);
    expect(summary).toMatchObject({ moved: ['1'], lines: ['задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ»: сроки 01.10.2020–30.10.2020 → 01.10.2020–30.11.2020'] });

    await clock.throughEndOf('2020-12-01');
    const mail = taskMail(planKey).filter((notification) => notification.task.task === '1');
    expect(mail.map(mailLine)).toEqual([
      `2020-10-01 09:00 assigned 1 → ${RIRO}`,
      `2020-10-21 09:00 rescheduled 1 → ${RIRO} cc ${OFFICE}`,
      // Five and one working days before 30 November; none before the old 30 October.
      `2020-11-23 09:00 reminder 1 → ${RIRO}`,
      `2020-11-27 09:00 reminder 1 → ${RIRO}`,
      `2020-12-01 09:00 overdue 1 → ${RIRO}`,
      `2020-12-01 09:00 escalation 1 → ${OFFICE}`,
    ]);
    expect(mail[1]).toMatchObject({ task: { due: '2020-11-30', period: 'октябрь - ноябрь' }, details: { previousDue: '2020-10-30', reason: 'изменение плана-графика' } });
    const task = await taskStatus(rig.env.client, planKey, '1');
    expect(task).toMatchObject({ due: '2020-11-30', plannedDue: '2020-11-30', period: 'октябрь - ноябрь' });
    expect(task.history.find((entry) => entry.kind === 'replan')).toEqual({ date: '2020-10-20', time: '12:00', kind: 'replan', detail: 'срок 2020-10-30 → 2020-11-30', to: ['coordinator'] });
  });

  it('hands a task to a changed executor with the letters reassignment sends; the reminders go to the new executor', async () => {
    const planKey = 'change-executor';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    const summary = await change([{ ...MONITORING, executor: 'curator' }, ANALYSIS, SEMINAR]);
    expect(summary).toMatchObject({ reassigned: ['1'], lines: ['задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ»: исполнитель Петров Иван Сергеевич → Васильева Ирина Александровна'] });

    await clock.throughEndOf('2020-10-29');
    const mail = taskMail(planKey).filter((notification) => notification.task.task === '1');
    expect(mail.map(mailLine)).toEqual([
      `2020-10-01 09:00 assigned 1 → ${RIRO}`,
      `2020-10-06 09:00 reassigned 1 → ${CURATOR} cc ${OFFICE}`,
      `2020-10-23 09:00 reminder 1 → ${CURATOR}`,
      `2020-10-29 09:00 reminder 1 → ${CURATOR}`,
    ]);
    expect(mail[1]!.details).toEqual({ previousExecutor: 'Петров Иван Сергеевич', reason: 'изменение плана-графика' });
    expect((await statusOf(planKey)).tasks[0]!.executor.email).toBe(CURATOR);
  });

  it('re-plans the reminders of a task whose reminders changed', async () => {
    const planKey = 'change-reminders';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    const summary = await change([{ ...MONITORING, reminders: { before: [3] } }, ANALYSIS, SEMINAR]);
    expect(summary).toMatchObject({ reminders: ['1'], lines: ['задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ»: напоминания за 5 и 1 раб. дн. до срока, о просрочке каждые 2 раб. дн. → за 3 раб. дн. до срока, о просрочке каждые 2 раб. дн.'] });

    await clock.throughEndOf('2020-10-30');
    expect(taskMail(planKey).filter((notification) => notification.task.task === '1').map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`, `2020-10-27 09:00 reminder 1 → ${RIRO}`]);
  });

  it('keeps a done task as it was, and the plan goes on to its end on the new plan', async () => {
    const planKey = 'change-keeps-done';
    const { clock, change } = await startPlan(planKey, [MONITORING, ANALYSIS]);
    await clock.until('2020-10-14', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
    await clock.until('2020-10-15', '12:00');
    // Item 1 gets another executor; its task is done, so nothing of it changes.
    const summary = await change([{ ...MONITORING, executor: 'curator' }, { ...ANALYSIS, when: 'ноябрь - декабрь' }]);
    expect(summary).toMatchObject({ moved: ['2'], reassigned: [] });
    const status = await statusOf(planKey);
    expect(status.tasks.map((task) => [task.task, task.state, task.executor.email, task.due])).toEqual([
      ['1', 'done', RIRO, '2020-10-30'],
      ['2', 'planned', RIRO, '2020-12-31'],
    ]);
    await clock.until('2020-12-30', '12:00');
    await completeTask(rig.env.client, planKey, '2', { result: 'Материалы подготовлены', by: 'riro' });
    const final = await rig.env.client.workflow.getHandle<typeof planWorkflow>(planWorkflowId(planKey)).result();
    expect(final.tasks.map((task) => `${task.task} ${task.state} ${task.doneOn}`)).toEqual(['1 done 2020-10-14', '2 done 2020-12-30']);
    expect(final.changes).toHaveLength(1);
  });
});

describe('a change the plan refuses', () => {
  it('refuses to move a done task, naming it', async () => {
    const planKey = 'change-refuse-done';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-14', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
    await clock.until('2020-10-15', '12:00');
    expect(await refusal(change([{ ...MONITORING, when: 'ноябрь' }, ANALYSIS, SEMINAR]))).toEqual([
      'задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ» выполнена 14.10.2020: её сроки не переносятся (было 01.10.2020–30.10.2020, в новом плане 02.11.2020–30.11.2020)',
    ]);
    expect((await statusOf(planKey)).changes).toBeUndefined();
  });

  it('refuses to remove a task that has begun', async () => {
    const planKey = 'change-refuse-begun';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    expect(await refusal(change([ANALYSIS, SEMINAR]))).toEqual([
      'задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ» уже началась (01.10.2020): удалить можно только задачу, которая ещё не начиналась',
    ]);
    await clock.throughEndOf('2020-10-06');
    expect((await taskStatus(rig.env.client, planKey, '1')).state).toBe('active');
  });

  it('refuses a change that breaks a dependency: a begun task made to wait for an unfinished one, an item waiting for a removed one', async () => {
    const planKey = 'change-refuse-dependency';
    const { clock, change } = await startPlan(planKey);
    await clock.until('2020-10-05', '12:00');
    expect(await refusal(change([{ ...MONITORING, after: ['2'] }, ANALYSIS, SEMINAR]))).toEqual([
      'задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ» уже началась: она не может теперь ждать задачу 2, которая не выполнена',
    ]);
    // The plan reader refuses such a file itself; a plan that did not pass it is refused by the workflow too.
    const loaded = await loadFixturePlan(plan(ITEMS));
    const input = planRun(loaded, planKey, clock);
    const broken = { ...input, plan: { ...input.plan, items: input.plan.items.filter((item) => item.id !== '2') } };
    expect(await refusal(changeRunningPlan(rig.env.client, planKey, broken, 'coordinator'))).toEqual(['пункт 3 ждёт пункта 2, а его в новом плане нет: удалите пункт 2 из after или оставьте пункт 2']);
    expect(await refusal(changeRunningPlan(rig.env.client, planKey, { ...input, plan: { ...input.plan, year: 2021 } }, 'coordinator'))).toEqual(['план запущен на 2020 год, а новый план — на 2021 год; год запущенного плана не меняется']);
    expect((await planStatus(rig.env.client, planKey)).total).toBe(3);
  });
});

describe('plangraf change', () => {
  it('applies the plan file to the running plan and says what changed, or refuses with the reasons and exit code 1', async () => {
    const id = 'change-cli';
    const dir = await mkdtemp(join(tmpdir(), 'plangraf-change-'));
    const saved = { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, DATABASE_URL: process.env.DATABASE_URL };
    process.env.TEMPORAL_ADDRESS = rig.env.address;
    process.env.DATABASE_URL = await testDatabaseUrl();
    onTestFinished(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    });
    const file = join(dir, 'plan.yaml');
    const run = async (items: Record<string, unknown>[]) => {
      await writeFile(file, toYaml({ ...plan(items), id }));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['change', file], { out: (text) => out.push(text), err: (text) => err.push(text), width: 120 });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    expect(await run(ITEMS)).toMatchObject({ code: 1, err: `План «${id}» не запущен: изменять нечего. Запустите его: plangraf start ${file}` });

    const loaded = await loadFixturePlan({ ...plan(ITEMS), id });
    const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
    await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(id), args: [planRun(loaded, id, clock)] });
    onTestFinished(async () => {
      await rig.env.client.workflow.getHandle(planWorkflowId(id)).terminate('test over').catch(() => undefined);
      for (const task of ['1', '2', '3', '4']) await rig.env.client.workflow.getHandle(taskWorkflowId(id, task)).terminate('test over').catch(() => undefined);
    });
    await clock.until('2020-10-05', '12:00');

    expect(await run([ANALYSIS, SEMINAR])).toEqual({
      code: 1,
      out: '',
      err: `plangraf: изменение плана «${id}» не принято:\n  – задача 1 «Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ» уже началась (01.10.2020): удалить можно только задачу, которая ещё не начиналась\nЗапущенный план остался прежним.`,
    });
    expect(await run(ITEMS)).toEqual({ code: 0, out: `План «${id}»: в файле те же пункты, сроки, исполнители и напоминания — изменений нет.`, err: '' });
    expect(await run([MONITORING, ANALYSIS, COUNSELLING])).toEqual({
      code: 0,
      out: [
        `План «${id}» изменён:`,
        '  – добавлена задача 4 «Консультирование школ по итогам мониторинга»: 01.10.2020–30.11.2020',
        '  – удалена задача 3 «Семинар для управленческих команд школ»',
        'Исполнители получат письма о том, что изменилось для них; выполненные задачи остались как были.',
      ].join('\n'),
      err: '',
    });
    // The plan goes on to its next run on the new plan as the clock moves.
    await clock.until('2020-10-05', '13:00');
    expect((await statusOf(id)).changes?.[0]).toMatchObject({ by: expect.stringMatching(/^cli:/), lines: expect.arrayContaining(['удалена задача 3 «Семинар для управленческих команд школ»']) });
  }, 60_000);
});

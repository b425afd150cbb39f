/**
 * A task's workflow acted on from outside: deadlines moved, tasks reported done, refusals,
 * the status query, a `within` deadline counted from the real completion, and an address the
 * mail server refuses. Real workflows on the time-skipping server; mail recorded in memory.
 *
 * The fixture task runs in October 2020: it starts Thursday 1 October and is due Friday
 * 30 October; 4 November is a holiday.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { LoadedPlan } from '../../activities/plan-files.ts';
import { completeTask, declineExtension, extendTask, reassignTask, requestExtension, taskStatus } from '../../client/plan-runs.ts';
import type { IsoDate } from '../../plan/dates.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { planStatusQuery, planWorkflowId, taskWorkflowId, type TaskStatus } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import type { taskWorkflow } from '../../workflows/task-workflow.ts';
import { buildPlan, MONITORING } from '../support/build-plan.ts';
import { loadFixturePlan, mailLine, mailOf, PlanClock, planRun, refusalOf, startRig, TASK_QUEUE, taskRun, type WorkflowRig } from '../support/workflow-run.ts';

const RIRO = 'riro@example.org';
const OFFICE = 'coordinator@example.org';

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

/** Ends the workflow when the test ends, so its timers do not fire into the next tests. */
function closeAfterTest(handle: WorkflowHandle): void {
  onTestFinished(async () => {
    await handle.terminate('test over').catch(() => undefined);
  });
}

/** Starts one task of the plan on its own, the plan's clock at 00:00 of `from`. */
async function startTask(loaded: LoadedPlan, planKey: string, task: string, from: IsoDate): Promise<{ clock: PlanClock; handle: WorkflowHandle<typeof taskWorkflow> }> {
  const clock = await PlanClock.at(rig.env, from, '00:00');
  const handle = await rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId: taskWorkflowId(planKey, task), args: [taskRun(loaded, planKey, task, clock)] });
  closeAfterTest(handle);
  return { clock, handle };
}

const mailAbout = (planKey: string) => mailOf(rig.mail, planKey).filter((notification): notification is TaskNotification => notification.kind !== 'digest');


describe('moving a deadline', () => {
  it('moves the reminders to the new due date and tells the office, the executor in copy', async () => {
    const planKey = 'updates-extend';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock, handle } = await startTask(loaded, planKey, '1', '2020-09-30');

    await clock.until('2020-10-26', '12:00');
    const extended = await extendTask(rig.env.client, planKey, '1', { to: '2020-11-13', reason: 'Приказ министерства № 1852 от 26.10.2020', by: 'coordinator' });
    expect(extended).toMatchObject({ due: '2020-11-13', plannedDue: '2020-10-30', state: 'active' });
    expect(extended.history.at(-1)).toEqual({ date: '2020-10-26', time: '12:00', kind: 'extension', detail: '2020-10-30 → 2020-11-13: Приказ министерства № 1852 от 26.10.2020', to: ['coordinator'] });

    await clock.until('2020-11-13', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
    await clock.throughEndOf('2020-11-30');

    const mail = mailAbout(planKey);
    expect(mail.map(mailLine)).toEqual([
      `2020-10-01 09:00 assigned 1 → ${RIRO}`,
      `2020-10-23 09:00 reminder 1 → ${RIRO}`,
      `2020-10-27 09:00 extended 1 → ${OFFICE} cc ${RIRO}`,
      // 4 November is a holiday: five working days before 13 November is 6 November.
      `2020-11-06 09:00 reminder 1 → ${RIRO}`,
      `2020-11-12 09:00 reminder 1 → ${RIRO}`,
    ]);
    const id = taskWorkflowId(planKey, '1');
    expect(mail.filter((notification) => notification.kind === 'reminder').map((notification) => [notification.key, notification.task.due, notification.task.daysLeft])).toEqual([
      [`${id}:reminder:2020-10-30:5`, '2020-10-30', 5],
      [`${id}:reminder:2020-11-13:5`, '2020-11-13', 5],
      [`${id}:reminder:2020-11-13:1`, '2020-11-13', 1],
    ]);
    expect(mail.find((notification) => notification.kind === 'extended')).toMatchObject({ task: { due: '2020-11-13' }, details: { previousDue: '2020-10-30', reason: 'Приказ министерства № 1852 от 26.10.2020' } });
    expect(await handle.result()).toMatchObject({ state: 'done', due: '2020-11-13', doneOn: '2020-11-13', daysLate: 0 });
  });

  it('sends no reminder for a day that has already passed when the new deadline is close', async () => {
    const planKey = 'updates-extend-close';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock } = await startTask(loaded, planKey, '1', '2020-09-30');

    await clock.until('2020-10-27', '12:00');
    await extendTask(rig.env.client, planKey, '1', { to: '2020-11-02', reason: 'Данные школ поступят 30 октября', by: 'coordinator' });
    await clock.until('2020-11-02', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: '10 школ' });
    await clock.throughEndOf('2020-11-10');

    // Five working days before 2 November is 26 October, the day before the extension.
    expect(mailAbout(planKey).map((notification) => `${mailLine(notification)}${notification.kind === 'reminder' ? ` (${notification.key.split(':').slice(-3).join(':')})` : ''}`)).toEqual([
      `2020-10-01 09:00 assigned 1 → ${RIRO}`,
      `2020-10-23 09:00 reminder 1 → ${RIRO} (reminder:2020-10-30:5)`,
      `2020-10-28 09:00 extended 1 → ${OFFICE} cc ${RIRO}`,
      `2020-10-30 09:00 reminder 1 → ${RIRO} (reminder:2020-11-02:1)`,
    ]);
  });
});

describe('an executor asking for more time', () => {
  it('tells the office, which moves the deadline as asked or declines with an answer the executor reads', async () => {
    const planKey = 'updates-request';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock } = await startTask(loaded, planKey, '1', '2020-09-30');

    await clock.until('2020-10-20', '15:00');
    const asked = await requestExtension(rig.env.client, planKey, '1', { to: '2020-11-13', reason: 'Школы не успели провести мониторинг', by: 'riro' });
    expect(asked.extensionRequest).toEqual({ to: '2020-11-13', reason: 'Школы не успели провести мониторинг', on: '2020-10-20', by: 'riro' });
    expect(asked.due).toBe('2020-10-30');
    expect(await refusalOf(requestExtension(rig.env.client, planKey, '1', { to: '2020-11-13', reason: 'ещё раз', by: 'riro' }))).toBe('просьба перенести срок на 2020-11-13 уже направлена 2020-10-20; проектный офис её рассмотрит');
    expect(await refusalOf(requestExtension(rig.env.client, planKey, '1', { to: '2020-10-23', reason: 'раньше', by: 'riro' }))).toBe('просить можно только о более позднем сроке, чем 2020-10-30');

    await clock.until('2020-10-21', '12:00');
    const declined = await declineExtension(rig.env.client, planKey, '1', { reason: 'Срок установлен приказом министерства', by: 'coordinator' });
    expect(declined.extensionRequest).toBeNull();
    expect(declined.due).toBe('2020-10-30');
    expect(await refusalOf(declineExtension(rig.env.client, planKey, '1', { reason: 'ещё раз', by: 'coordinator' }))).toBe('исполнитель не просил перенести срок');

    await clock.until('2020-10-22', '12:00');
    await requestExtension(rig.env.client, planKey, '1', { to: '2020-11-06', reason: 'Второй этап мониторинга', by: 'riro' });
    const extended = await extendTask(rig.env.client, planKey, '1', { to: '2020-11-06', reason: 'по просьбе исполнителя: Второй этап мониторинга', by: 'coordinator' });
    expect(extended).toMatchObject({ due: '2020-11-06', extensionRequest: null });
    await clock.throughEndOf('2020-10-23');

    const mail = mailAbout(planKey).filter((notification) => notification.kind.startsWith('extension') || notification.kind === 'extended');
    expect(mail.map(mailLine)).toEqual([
      `2020-10-21 09:00 extension-requested 1 → ${OFFICE} cc ${RIRO}`,
      `2020-10-22 09:00 extension-declined 1 → ${RIRO} cc ${OFFICE}`,
      `2020-10-23 09:00 extension-requested 1 → ${OFFICE} cc ${RIRO}`,
      `2020-10-23 09:00 extended 1 → ${OFFICE} cc ${RIRO}`,
    ]);
    expect(mail[0]!.details).toEqual({ requestedDue: '2020-11-13', reason: 'Школы не успели провести мониторинг' });
    const history = (await taskStatus(rig.env.client, planKey, '1')).history.map((entry) => `${entry.date} ${entry.kind}${entry.detail ? `: ${entry.detail}` : ''}`);
    expect(history).toContain('2020-10-20 extension-request: 2020-10-30 → 2020-11-13: Школы не успели провести мониторинг');
    expect(history).toContain('2020-10-21 extension-refusal: 2020-11-13: Срок установлен приказом министерства');
  });
});

describe('handing a task to another executor', () => {
  it('tells the new executor and makes the task theirs', async () => {
    const planKey = 'updates-reassign';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock } = await startTask(loaded, planKey, '1', '2020-09-30');
    await clock.until('2020-10-05', '12:00');
    const handed = await reassignTask(rig.env.client, planKey, '1', { executor: { id: 'curator', name: 'Васильева Ирина Александровна', email: 'curator@example.org' }, reason: 'Отпуск исполнителя', by: 'coordinator' });
    expect(handed.executor.id).toBe('curator');
    expect(handed.history.at(-1)?.detail).toBe('Петров Иван Сергеевич → Васильева Ирина Александровна: Отпуск исполнителя');
    await clock.throughEndOf('2020-10-06');
    expect(mailAbout(planKey).map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`, `2020-10-06 09:00 reassigned 1 → curator@example.org cc ${OFFICE}`]);
  });
});

describe('reporting a task done', () => {
  it('stops all further mail, even while the task is being chased', async () => {
    const planKey = 'updates-complete-late';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock, handle } = await startTask(loaded, planKey, '1', '2020-09-30');

    await clock.until('2020-11-05', '12:00');
    const done = await completeTask(rig.env.client, planKey, '1', { result: '9 школ из 10', comment: 'Одна школа на карантине', by: 'riro' });
    await clock.throughEndOf('2020-12-31');

    expect(mailAbout(planKey).map(mailLine)).toEqual([
      `2020-10-01 09:00 assigned 1 → ${RIRO}`,
      `2020-10-23 09:00 reminder 1 → ${RIRO}`,
      `2020-10-29 09:00 reminder 1 → ${RIRO}`,
      `2020-11-02 09:00 overdue 1 → ${RIRO}`,
      `2020-11-02 09:00 escalation 1 → ${OFFICE}`,
      // Two working days after 2 November, over the 4 November holiday.
      `2020-11-05 09:00 overdue 1 → ${RIRO}`,
    ]);
    const expected = { state: 'done', result: '9 школ из 10', comment: 'Одна школа на карантине', doneOn: '2020-11-05', daysLate: 3 };
    expect(done).toMatchObject(expected);
    expect(await handle.result()).toMatchObject(expected);
  });

  it('sends no `assigned` mail when the task is reported done before its start day', async () => {
    const planKey = 'updates-complete-early';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock, handle } = await startTask(loaded, planKey, '1', '2020-09-20');

    await clock.until('2020-09-25', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: 'Мониторинг проведён досрочно', by: 'riro' });
    await clock.throughEndOf('2020-11-30');

    expect(mailAbout(planKey)).toEqual([]);
    const status = await handle.result();
    expect(status).toMatchObject({ state: 'done', start: '2020-10-01', due: '2020-10-30', doneOn: '2020-09-25', daysLate: 0 });
    expect(status.history).toEqual([{ date: '2020-09-25', time: '12:00', kind: 'completed', detail: 'Мониторинг проведён досрочно', to: ['riro'] }]);
  });
});

describe('refusing what cannot be done', () => {
  const planKey = 'updates-refusals';
  let before: TaskStatus;

  beforeAll(async () => {
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
    await rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId: taskWorkflowId(planKey, '1'), args: [taskRun(loaded, planKey, '1', clock)] });
    await clock.until('2020-10-20', '12:00');
    before = await taskStatus(rig.env.client, planKey, '1');
  }, 60_000);

  afterAll(async () => {
    await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, '1')).terminate('test over').catch(() => undefined);
  });

  const unchanged = async () => expect(await taskStatus(rig.env.client, planKey, '1')).toEqual(before);

  it('starts from an active task due 30 October', () => {
    expect(before).toMatchObject({ state: 'active', due: '2020-10-30', daysLate: 0, doneOn: null });
  });

  it('refuses an empty result', async () => {
    expect(await refusalOf(completeTask(rig.env.client, planKey, '1', { result: '   ' }))).toBe('укажите результат: что сделано (например, «10 договоров подписано»)');
    await unchanged();
  });

  it('refuses a Saturday and names the next working day', async () => {
    expect(await refusalOf(extendTask(rig.env.client, planKey, '1', { to: '2020-10-31', reason: 'Перенос совещания' }))).toBe('2020-10-31 — нерабочий день; ближайший рабочий — 2020-11-02');
    await unchanged();
  });

  it('refuses a holiday and names the next working day', async () => {
    expect(await refusalOf(extendTask(rig.env.client, planKey, '1', { to: '2020-11-04', reason: 'Перенос совещания' }))).toBe('2020-11-04 — нерабочий день; ближайший рабочий — 2020-11-05');
    await unchanged();
  });

  it('refuses a deadline in the past', async () => {
    expect(await refusalOf(extendTask(rig.env.client, planKey, '1', { to: '2020-10-19', reason: 'Перенос совещания' }))).toBe('новый срок 2020-10-19 уже прошёл (сегодня 2020-10-20)');
    await unchanged();
  });

  it('refuses an extension without a reason', async () => {
    expect(await refusalOf(extendTask(rig.env.client, planKey, '1', { to: '2020-11-13', reason: '  ' }))).toBe('укажите причину переноса срока');
    await unchanged();
  });

  it('accepts the first report', async () => {
    const done = await completeTask(rig.env.client, planKey, '1', { result: '10 школ' });
    expect(done).toMatchObject({ state: 'done', doneOn: '2020-10-20', result: '10 школ' });
    const after = await rig.env.client.workflow.getHandle<typeof taskWorkflow>(taskWorkflowId(planKey, '1')).result();
    // `asOf` is the day each was asked for: the query's, and the workflow's own at its end.
    expect(after).toEqual({ ...before, asOf: after.asOf, state: 'done', result: '10 школ', doneOn: '2020-10-20', history: [...before.history, { date: '2020-10-20', time: '12:00', kind: 'completed', detail: '10 школ' }] });
  });

  it('refuses a second report of a task already done', async () => {
    expect(await refusalOf(completeTask(rig.env.client, planKey, '1', { result: 'ещё раз' }))).toBe('задача уже выполнена 2020-10-20');
  });

  it('refuses a new deadline for a task already done', async () => {
    expect(await refusalOf(extendTask(rig.env.client, planKey, '1', { to: '2020-11-13', reason: 'Перенос совещания' }))).toBe('задача уже выполнена: переносить нечего');
  });

  it('sent nothing but the assignment: the refusals changed nothing', async () => {
    await rig.env.sleep('30 days');
    expect(mailAbout(planKey).map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`]);
  });
});

describe('the taskStatus query', () => {
  it('reports the state, the days late and what happened, as it goes', async () => {
    const planKey = 'updates-status';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock } = await startTask(loaded, planKey, '1', '2020-09-30');
    const status = async () => taskStatus(rig.env.client, planKey, '1', await rig.env.currentTimeMs());

    await clock.until('2020-09-30', '12:00');
    expect(await status()).toMatchObject({ task: '1', item: '1', state: 'planned', start: '2020-10-01', due: '2020-10-30', plannedDue: '2020-10-30', daysLate: 0, history: [] });

    await clock.until('2020-10-01', '12:00');
    expect(await status()).toMatchObject({
      state: 'active',
      executor: { id: 'riro', email: RIRO },
      target: '10 школ',
      history: [
        { date: '2020-10-01', time: '09:00', kind: 'assigned', to: [RIRO] },
        { date: '2020-10-01', time: '09:00', kind: 'started' },
      ],
    });

    await clock.until('2020-11-02', '12:00');
    const overdue = await status();
    expect(overdue).toMatchObject({ state: 'overdue', daysLate: 1, doneOn: null, result: null });
    expect(overdue.history.map((entry) => `${entry.date} ${entry.time} ${entry.kind}${entry.to ? ` → ${entry.to.join(', ')}` : ''}`)).toEqual([
      `2020-10-01 09:00 assigned → ${RIRO}`,
      '2020-10-01 09:00 started',
      `2020-10-23 09:00 reminder → ${RIRO}`,
      `2020-10-29 09:00 reminder → ${RIRO}`,
      `2020-11-02 09:00 overdue → ${RIRO}`,
      `2020-11-02 09:00 escalation → ${OFFICE}`,
    ]);
  });

  it('counts the days late up to the moment it is asked, not to the last mail the task sent', async () => {
    const planKey = 'updates-status-late';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const { clock } = await startTask(loaded, planKey, '1', '2020-10-29');

    // Due Friday 30 October; chased Monday 2 November at 09:00, next on Thursday 5 November.
    await clock.until('2020-11-03', '18:00');
    expect(await taskStatus(rig.env.client, planKey, '1', await rig.env.currentTimeMs())).toMatchObject({ state: 'overdue', daysLate: 2 });
  });
});

describe('a `within` task', () => {
  it('is due a period after the day its prerequisite was really done, not after the planned day', async () => {
    const planKey = 'updates-within';
    const loaded = await loadFixturePlan(
      buildPlan({
        items: [MONITORING, { id: '2', title: 'Направление аналитической справки по итогам мониторинга в школы', within: '3 рабочих дня', after: ['1'], executor: 'riro', result: 1 }],
      }),
    );
    expect(loaded.schedule.tasks.map((task) => `${task.task} ${task.start}…${task.due}`)).toEqual(['1 2020-10-01…2020-10-30', '2 2020-10-30…2020-11-05']);
    const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
    const plan = await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
    closeAfterTest(plan);
    for (const task of ['1', '2']) closeAfterTest(rig.env.client.workflow.getHandle(taskWorkflowId(planKey, task)));

    // Done on Wednesday 14 October: three working days later is Monday 19 October.
    await clock.until('2020-10-14', '12:00');
    await completeTask(rig.env.client, planKey, '1', { result: '10 школ' });
    await clock.throughEndOf('2020-10-16');

    expect(await taskStatus(rig.env.client, planKey, '2')).toMatchObject({ state: 'active', due: '2020-10-19', plannedDue: '2020-11-05' });
    expect((await plan.query(planStatusQuery)).tasks.map((task) => `${task.task} ${task.state} ${task.due}`)).toEqual(['1 done 2020-10-30', '2 active 2020-10-19']);
    // The five-day reminder would fall on 12 October, before the task was handed out.
    expect(mailAbout(planKey).filter((notification) => notification.task.task === '2').map((notification) => `${mailLine(notification)} due ${notification.task.due}`)).toEqual([
      `2020-10-15 09:00 assigned 2 → ${RIRO} due 2020-10-19`,
      `2020-10-16 09:00 reminder 2 → ${RIRO} due 2020-10-19`,
    ]);
  });
});

describe('an address the mail server refuses for good', () => {
  it('tells the office each time, and the task goes on', async () => {
    const planKey = 'updates-rejected';
    const director = 'rejected-director01@example.org';
    const fixture = buildPlan({ items: [{ ...MONITORING, executor: undefined, per: 'school' }] });
    (fixture.schools as { id: string; director: { email: string } }[])[0]!.director.email = director;
    const loaded = await loadFixturePlan(fixture);
    rig.mail.rejectAddress(director);
    const { clock, handle } = await startTask(loaded, planKey, '1@sch-01', '2020-09-30');

    await clock.until('2020-10-30', '12:00');
    await completeTask(rig.env.client, planKey, '1@sch-01', { result: 'Мониторинг проведён', by: 'coordinator' });
    await clock.throughEndOf('2020-11-10');

    expect(rig.mail.refused.filter((notification) => notification.plan.key === planKey).map(mailLine)).toEqual([
      `2020-10-01 09:00 assigned 1@sch-01 → ${director}`,
      `2020-10-23 09:00 reminder 1@sch-01 → ${director}`,
      `2020-10-29 09:00 reminder 1@sch-01 → ${director}`,
    ]);
    const notices = mailAbout(planKey);
    expect(notices.map(mailLine)).toEqual([
      `2020-10-01 09:00 undeliverable 1@sch-01 → ${OFFICE}`,
      `2020-10-23 09:00 undeliverable 1@sch-01 → ${OFFICE}`,
      `2020-10-29 09:00 undeliverable 1@sch-01 → ${OFFICE}`,
    ]);
    expect(notices.map((notification) => notification.details)).toEqual(
      ['assigned', 'reminder', 'reminder'].map((failedKind) => ({ failedAddress: director, failure: `550 5.1.1 <${director}>: Recipient address rejected`, failedKind })),
    );
    const status = await handle.result();
    expect(status).toMatchObject({ state: 'done', doneOn: '2020-10-30', daysLate: 0 });
    expect(status.history.map((entry) => `${entry.date} ${entry.kind}${entry.detail ? `: ${entry.detail}` : ''}`)).toEqual([
      `2020-10-01 undeliverable: assigned: ${director}: 550 5.1.1 <${director}>: Recipient address rejected`,
      '2020-10-01 undeliverable',
      '2020-10-01 started',
      `2020-10-23 undeliverable: reminder: ${director}: 550 5.1.1 <${director}>: Recipient address rejected`,
      '2020-10-23 undeliverable',
      `2020-10-29 undeliverable: reminder: ${director}: 550 5.1.1 <${director}>: Recipient address rejected`,
      '2020-10-29 undeliverable',
      '2020-10-30 completed: Мониторинг проведён',
    ]);
  });
});

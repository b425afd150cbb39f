/**
 * Execution control: an executor's report waits for the office's check («на проверке»), the
 * office accepts it («снять с контроля») or returns it with a reason («вернуть на доработку»),
 * and an administrator reopens a task accepted by mistake. Real plan and task workflows on the
 * time-skipping server; mail recorded in memory.
 *
 * The fixture plan runs from 30 September 2020: item 1 in October (due Friday 30 October), item 2
 * in October with reports that need no check, item 3 in December. 4 November is a holiday.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { acceptReport, completeTask, reopenTask, reportTask, returnReport, TaskActionRefused } from '../../client/plan-runs.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { planStatusQuery, planWorkflowId, taskStatusQuery, taskWorkflowId } from '../../workflows/messages.ts';
import type { planWorkflow } from '../../workflows/plan-workflow.ts';
import { buildPlan, MONITORING } from '../support/build-plan.ts';
import { loadFixturePlan, mailLine, mailOf, PlanClock, planRun, refusalOf, startRig, TASK_QUEUE, type WorkflowRig } from '../support/workflow-run.ts';

const RIRO = 'riro@example.org';
const OFFICE = 'coordinator@example.org';

const SURVEY = { id: '2', title: 'Анкетирование руководителей школ', when: 'октябрь', executor: 'riro', result: 'да', check: false };
const SEMINAR = { id: '3', title: 'Семинар для управленческих команд школ', when: 'декабрь', executor: 'riro', result: 'да' };

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

/** Starts the fixture plan under its own key, its clock at 00:00 of 30 September 2020. */
async function startPlan(planKey: string): Promise<PlanClock> {
  const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING, SURVEY, SEMINAR] }));
  const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
  await rig.env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue: TASK_QUEUE, workflowId: planWorkflowId(planKey), args: [planRun(loaded, planKey, clock)] });
  onTestFinished(async () => {
    await rig.env.client.workflow.getHandle(planWorkflowId(planKey)).terminate('test over').catch(() => undefined);
    for (const task of ['1', '2', '3']) await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, task)).terminate('test over').catch(() => undefined);
  });
  return clock;
}

const taskMail = (planKey: string, task: string) => mailOf(rig.mail, planKey).filter((notification): notification is TaskNotification => notification.kind !== 'digest' && notification.task.task === task);

async function planTask(planKey: string, task: string) {
  const status = await rig.env.client.workflow.getHandle(planWorkflowId(planKey)).query(planStatusQuery, await rig.env.currentTimeMs());
  return status.tasks.find((entry) => entry.task === task)!;
}

describe('a report on check', () => {
  it('waits for the office without chasing; returned with a reason it is chased again from the letter; reported again and accepted, it is done', async () => {
    const planKey = 'control-loop';
    const clock = await startPlan(planKey);
    await clock.until('2020-10-14', '12:00');
    const reported = await reportTask(rig.env.client, planKey, '1', { result: '8 школ', comment: 'две школы на карантине', by: 'riro' });
    expect(reported).toMatchObject({ state: 'review', result: '8 школ', comment: 'две школы на карантине', reportedOn: '2020-10-14', doneOn: null, checked: true, reports: 1 });
    expect(await refusalOf(reportTask(rig.env.client, planKey, '1', { result: '9 школ', by: 'riro' }))).toBe('отчёт от 2020-10-14 уже на проверке в проектном офисе');
    expect(await refusalOf(returnReport(rig.env.client, planKey, '1', { reason: '  ', by: 'coordinator' }))).toBe('укажите, что доработать: исполнитель прочтёт это в письме');

    // On check past its deadline: no reminder, no overdue notice, no escalation; the plan sees it waiting.
    await clock.throughEndOf('2020-11-02');
    expect(taskMail(planKey, '1').map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`]);
    expect(await planTask(planKey, '1')).toMatchObject({ state: 'review', result: '8 школ', reportedOn: '2020-10-14', daysLate: 0 });

    await clock.until('2020-11-03', '12:00');
    const returned = await returnReport(rig.env.client, planKey, '1', { reason: 'Приложите протокол мониторинга по всем 10 школам', by: 'coordinator' });
    expect(returned.reportedOn).toBeUndefined();
    expect(returned).toMatchObject({ state: 'overdue', result: null, returned: { reason: 'Приложите протокол мониторинга по всем 10 школам', on: '2020-11-03', by: 'coordinator' } });
    expect(await refusalOf(acceptReport(rig.env.client, planKey, '1', { by: 'coordinator' }))).toBe('отчёта на проверке нет: исполнитель ещё не отчитался или отчёт уже возвращён');
    // The plan hears of the return at once, not at the letter two days later: the task is open and late again.
    await clock.until('2020-11-03', '13:00');
    expect(await planTask(planKey, '1')).toMatchObject({ state: 'overdue', result: null, daysLate: 2 });

    // The letter goes at the next slot (4 November is a holiday) and stands for the first overdue
    // notice: the chasing counts from it, every 2 working days, and the office is not told of its own return.
    await clock.throughEndOf('2020-11-09');
    const mail = taskMail(planKey, '1');
    expect(mail.map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`, `2020-11-05 09:00 returned 1 → ${RIRO} cc ${OFFICE}`, `2020-11-09 09:00 overdue 1 → ${RIRO}`]);
    expect(mail[1]!.details).toEqual({ reason: 'Приложите протокол мониторинга по всем 10 школам', returnedResult: '8 школ — две школы на карантине' });

    await clock.until('2020-11-10', '12:00');
    expect(await reportTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' })).toMatchObject({ state: 'review', reports: 2, returned: null });
    await clock.until('2020-11-11', '10:00');
    const accepted = await acceptReport(rig.env.client, planKey, '1', { by: 'coordinator' });
    // Done as of the report, late by the working days from the deadline to it.
    expect(accepted).toMatchObject({ state: 'done', result: '10 школ', doneOn: '2020-11-10', daysLate: 6 });
    expect(accepted.history.filter((entry) => ['reported', 'report-returned', 'returned', 'accepted'].includes(entry.kind))).toEqual([
      { date: '2020-10-14', time: '12:00', kind: 'reported', detail: '8 школ — две школы на карантине', to: ['riro'] },
      { date: '2020-11-03', time: '12:00', kind: 'report-returned', detail: 'Приложите протокол мониторинга по всем 10 школам', to: ['coordinator'] },
      { date: '2020-11-05', time: '09:00', kind: 'returned', to: [RIRO] },
      { date: '2020-11-10', time: '12:00', kind: 'reported', detail: '10 школ', to: ['riro'] },
      { date: '2020-11-11', time: '10:00', kind: 'accepted', detail: '10 школ', to: ['coordinator'] },
    ]);
    await clock.until('2020-11-11', '11:00');
    expect(await planTask(planKey, '1')).toMatchObject({ state: 'done', result: '10 школ', doneOn: '2020-11-10' });
  }, 60_000);

  it('closes a task at once when its item needs no check, and the office may still mark a task on check done itself', async () => {
    const planKey = 'control-no-check';
    const clock = await startPlan(planKey);
    await clock.until('2020-10-14', '12:00');
    expect(await reportTask(rig.env.client, planKey, '2', { result: 'да', by: 'riro' })).toMatchObject({ state: 'done', doneOn: '2020-10-14', checked: false, reports: 1 });
    await reportTask(rig.env.client, planKey, '1', { result: '8 школ', by: 'riro' });
    expect(await completeTask(rig.env.client, planKey, '1', { result: '10 школ (по данным мониторинга)', by: 'coordinator' })).toMatchObject({ state: 'done', result: '10 школ (по данным мониторинга)', doneOn: '2020-10-14' });
    await clock.throughEndOf('2020-11-02');
    expect(taskMail(planKey, '1').map((notification) => notification.kind)).toEqual(['assigned']);
  }, 60_000);
});

describe('reopening an accepted task', () => {
  it('runs the task again with its history kept: the executor is told why, is chased from that letter, and the next report is checked again', async () => {
    const planKey = 'control-reopen';
    const clock = await startPlan(planKey);
    await clock.until('2020-10-14', '12:00');
    await reportTask(rig.env.client, planKey, '1', { result: '10 школ', by: 'riro' });
    await acceptReport(rig.env.client, planKey, '1', { by: 'coordinator' });
    expect(await refusalOf(reopenTask(rig.env.client, planKey, { task: '3', reason: 'ошибка', by: 'admin' }))).toBe('задача не выполнена: возобновлять нечего');
    expect(await refusalOf(reopenTask(rig.env.client, planKey, { task: '1', reason: '', by: 'admin' }))).toBe('укажите основание: исполнитель прочтёт его в письме');

    await clock.until('2020-11-12', '12:00');
    const summary = await reopenTask(rig.env.client, planKey, { task: '1', reason: 'Протоколы мониторинга подписаны не всеми школами', by: 'admin' });
    expect(summary).toMatchObject({ state: 'overdue', result: null, doneOn: null });
    await clock.until('2020-11-12', '13:00');
    const reopened = await rig.env.client.workflow.getHandle(taskWorkflowId(planKey, '1')).query(taskStatusQuery, await rig.env.currentTimeMs());
    expect(reopened).toMatchObject({ state: 'overdue', result: null, reports: 1 });
    expect(reopened.history.map((entry) => entry.kind)).toEqual(['assigned', 'started', 'reported', 'accepted', 'reopening']);
    expect(reopened.history.at(-1)).toEqual({ date: '2020-11-12', time: '12:00', kind: 'reopening', detail: 'Протоколы мониторинга подписаны не всеми школами (был принят результат «10 школ» от 2020-10-14)', to: ['admin'] });
    expect(await planTask(planKey, '1')).toMatchObject({ state: 'overdue', result: null });

    await clock.throughEndOf('2020-11-17');
    const mail = taskMail(planKey, '1');
    expect(mail.map(mailLine)).toEqual([`2020-10-01 09:00 assigned 1 → ${RIRO}`, `2020-11-13 09:00 reopened 1 → ${RIRO} cc ${OFFICE}`, `2020-11-17 09:00 overdue 1 → ${RIRO}`]);
    expect(mail[1]!.details).toEqual({ reason: 'Протоколы мониторинга подписаны не всеми школами', returnedResult: '10 школ' });

    await clock.until('2020-11-18', '12:00');
    expect(await reportTask(rig.env.client, planKey, '1', { result: '10 школ, протоколы подписаны', by: 'riro' })).toMatchObject({ state: 'review', reports: 2 });
    expect(await acceptReport(rig.env.client, planKey, '1', { by: 'coordinator' })).toMatchObject({ state: 'done', doneOn: '2020-11-18' });
    await clock.until('2020-11-18', '13:00');
    expect(await planTask(planKey, '1')).toMatchObject({ state: 'done', result: '10 школ, протоколы подписаны' });
  }, 60_000);
});

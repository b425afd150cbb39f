/**
 * A task chased for months continues as new when its history grows long, and nobody can tell:
 * the same letters on the same days, the same history, and it takes updates in its new run.
 * Real workflows on the time-skipping server; mail recorded in memory.
 *
 * The fixture task is due Friday 30 October 2020 and is never reported: from 2 November it is
 * chased every 2 working days to the end of the year.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { completeTask } from '../../client/plan-runs.ts';
import type { TaskNotification } from '../../plan/notifications.ts';
import { taskStatusQuery, taskWorkflowId } from '../../workflows/messages.ts';
import type { taskWorkflow } from '../../workflows/task-workflow.ts';
import { buildPlan, MONITORING } from '../support/build-plan.ts';
import { loadFixturePlan, mailLine, mailOf, PlanClock, startRig, TASK_QUEUE, taskRun, type WorkflowRig } from '../support/workflow-run.ts';

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

describe('a task whose history grows long', () => {
  it('continues as new with its state: the same letters and history as a task that does not, and it takes an update in its new run', async () => {
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
    // The same task twice: one continuing after 60 events (about every 5 letters), one never.
    const runs = [
      { planKey: 'long-continued', continueAfterEvents: 60 },
      { planKey: 'long-single', continueAfterEvents: 100_000 },
    ];
    const handles = await Promise.all(
      runs.map(({ planKey, continueAfterEvents }) =>
        rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId: taskWorkflowId(planKey, '1'), args: [{ ...taskRun(loaded, planKey, '1', clock), continueAfterEvents }] }),
      ),
    );
    onTestFinished(async () => {
      for (const handle of handles) await handle.terminate('test over').catch(() => undefined);
    });

    await clock.throughEndOf('2020-12-30');
    const letters = runs.map(({ planKey }) => mailOf(rig.mail, planKey).map((notification) => mailLine(notification as TaskNotification)));
    expect(letters[0]!.length).toBeGreaterThan(20);
    expect(letters[0]).toEqual(letters[1]);
    // Each letter once: the keys of those sent went on with the state.
    expect(new Set(mailOf(rig.mail, 'long-continued').map((notification) => notification.key)).size).toBe(letters[0]!.length);

    const [continued, single] = await Promise.all(handles.map(async (handle) => handle.query(taskStatusQuery, await rig.env.currentTimeMs())));
    const { history: continuedHistory, ...continuedRest } = continued!;
    const { history: singleHistory, ...singleRest } = single!;
    expect(continuedHistory).toEqual(singleHistory);
    expect(continuedRest).toEqual({ ...singleRest });
    expect(continued!.state).toBe('overdue');

    const described = await handles[0]!.describe();
    expect(described.runId).not.toBe(handles[0]!.firstExecutionRunId);
    expect((await handles[0]!.fetchHistory()).events!.length).toBeLessThan(120);
    expect((await handles[1]!.describe()).runId).toBe(handles[1]!.firstExecutionRunId);

    await clock.until('2020-12-30', '12:00');
    const done = await completeTask(rig.env.client, 'long-continued', '1', { result: '10 школ', by: 'riro' });
    expect(done).toMatchObject({ state: 'done', doneOn: '2020-12-30', result: '10 школ' });
    expect((await handles[0]!.result()).history.at(-1)).toMatchObject({ kind: 'completed', detail: '10 школ' });
  }, 120_000);
});

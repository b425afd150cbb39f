/**
 * The workers bound the stack traces taken in the workflow sandbox to five frames
 * (`workflows/sandbox-stack-depth.ts`): a refusal still names the line that refused, the
 * `__stack_trace` query still says where a waiting task stands, and the process's own stack
 * traces keep their depth. Real workflows on the time-skipping server.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { completeTaskUpdate, taskWorkflowId } from '../../workflows/messages.ts';
import type { taskWorkflow } from '../../workflows/task-workflow.ts';
import { buildPlan, MONITORING } from '../support/build-plan.ts';
import { loadFixturePlan, PlanClock, startRig, TASK_QUEUE, taskRun, type WorkflowRig } from '../support/workflow-run.ts';

/** The depth `workflows/sandbox-stack-depth.ts` sets (not imported here: it would set this process's). */
const SANDBOX_FRAMES = 5;

let rig: WorkflowRig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

const framesOf = (stack: string) => stack.split('\n').filter((line) => /^\s*at /.test(line));

describe('stack traces in the workflow sandbox', () => {
  it('are five frames deep, name plangraf’s source lines, and leave the process’s depth alone', async () => {
    const planKey = 'stack-depth';
    const loaded = await loadFixturePlan(buildPlan({ items: [MONITORING] }));
    const clock = await PlanClock.at(rig.env, '2020-09-30', '00:00');
    const handle = await rig.env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', { taskQueue: TASK_QUEUE, workflowId: taskWorkflowId(planKey, '1'), args: [taskRun(loaded, planKey, '1', clock)] });
    onTestFinished(async () => {
      await handle.terminate('test over').catch(() => undefined);
    });
    await clock.until('2020-10-05', '12:00');

    // A refusal made in the sandbox: its stack, as the client receives it.
    const refusal = await handle.executeUpdate(completeTaskUpdate, { args: [{ result: '   ' }] }).then(
      () => {
        throw new Error('a blank result was accepted');
      },
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refusal as WorkflowUpdateFailedError).cause as Error;
    expect(cause.message).toBe('укажите результат: что сделано (например, «10 договоров подписано»)');
    const frames = framesOf(cause.stack ?? '');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(SANDBOX_FRAMES);
    expect(frames.join('\n')).toMatch(/workflows\/task-workflow\.ts:\d+:\d+/);

    // Where the task waits for its next letter, source-mapped to plangraf's lines.
    const stackTrace = await handle.query<string>('__stack_trace');
    expect(stackTrace).toMatch(/workflows\/task-workflow\.ts:\d+:\d+/);

    // The sandbox's `Error` is its own: this process's stack traces are as deep as before.
    const deep = (calls: number): Error => (calls === 0 ? new Error('here') : deep(calls - 1));
    expect(framesOf(deep(20).stack!).length).toBe(10);
  });
});

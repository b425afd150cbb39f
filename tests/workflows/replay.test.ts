/**
 * Recorded histories replayed against today's workflow code: a change that would break the
 * plans already running (a timer moved, an activity added, a message handled differently)
 * fails here. The fixtures come from tests/support/record-histories.ts (and the mid-year ones
 * from record-mid-year-histories.ts); record them again
 * only for a change made on purpose behind `patched()`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyFromProtoJson } from '../support/history-json.ts';
import { HISTORIES_DIR, type HistoryFixture } from '../support/record-histories.ts';
import { workflowBundle } from '../support/temporal.ts';

// mid-year-*: recorded by tests/support/record-mid-year-histories.ts; plan-change*: by record-histories.ts change;
// read-model-plan: by record-histories.ts read-model; v1-*: by record-histories.ts v1 (code version 1).
const FIXTURES = [
  'mid-year-plan.json',
  'mid-year-task-1.json',
  'mid-year-task-2.json',
  'plan-change-continued.json',
  'plan-change-task-1.json',
  'plan-change-task-2.json',
  'plan-change-task-3.json',
  'plan-change.json',
  'plan-task-1.json',
  'plan-task-2.json',
  'plan-task-3.json',
  'plan.json',
  'read-model-plan.json',
  'task-rejected-recipient.json',
  'v1-plan-task-1.json',
  'v1-plan-task-2.json',
  'v1-plan-task-3.json',
  'v1-plan.json',
  'v1-task-rejected-recipient.json',
];

/** How a recorded run may end: done, continued on a changed plan, or a task withdrawn from it. */
const CLOSING_EVENTS: Record<string, string> = {
  'plan-change.json': 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
  'plan-change-task-3.json': 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED',
};

async function fixture(name: string): Promise<HistoryFixture> {
  return JSON.parse(await readFile(`${HISTORIES_DIR}${name}`, 'utf8')) as HistoryFixture;
}

type ProtoJsonEvent = { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } };

describe('recorded histories', () => {
  beforeAll(async () => {
    await workflowBundle();
  }, 60_000);

  it('are all there', async () => {
    expect((await readdir(HISTORIES_DIR)).filter((name) => name.endsWith('.json')).sort()).toEqual(FIXTURES);
  });

  it.each(FIXTURES)('%s replays on the current workflow code without a determinism error', async (name) => {
    const { workflowId, workflowType, history } = await fixture(name);
    const events = (history as { events: ProtoJsonEvent[] }).events;
    expect(events[0]!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(events.at(-1)!.eventType).toBe(CLOSING_EVENTS[name] ?? 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    expect(workflowId.startsWith(workflowType === 'planWorkflow' ? 'plan:' : 'task:')).toBe(true);
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromProtoJson(history), workflowId)).resolves.toBeUndefined();
  });

  it('fails a history the code no longer matches, so the replays above prove something', async () => {
    const { workflowId, history } = await fixture('task-rejected-recipient.json');
    const tampered = structuredClone(history) as { events: ProtoJsonEvent[] };
    const scheduled = tampered.events.find((event) => event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')!;
    scheduled.activityTaskScheduledEventAttributes!.activityType.name = 'sendLetter';
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromProtoJson(tampered), workflowId)).rejects.toThrow(DeterminismViolationError);
  });

  // Fails while npm keeps separate copies of protobufjs 8 under @temporalio/common and
  // @temporalio/proto: «TypeError: type must be a Type» (see tests/support/history-json.ts).
  it("reads with the SDK's own historyFromJSON, as Worker.runReplayHistory does for a JSON history", async () => {
    const { history } = await fixture('plan-task-1.json');
    expect(historyFromJSON(history).events).toHaveLength((history as { events: unknown[] }).events.length);
  });
});

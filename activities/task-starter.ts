/**
 * Starting a plan's task workflows from the plan workflow. An activity rather than child
 * workflows: a plan of thousands of tasks would otherwise fill its own history with them.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { TaskStarterActivities } from '../workflows/plan-workflow.ts';
import { taskStartsOf } from '../workflows/task-starts.ts';
import { DueAttribute, ExecutorAttribute, PlanAttribute, StatusAttribute } from '../workflows/search-attributes.ts';
import { taskStatusQuery, TaskState } from '../workflows/messages.ts';
import type { Reopening, TaskInput, taskWorkflow } from '../workflows/task-workflow.ts';
import { instantOf } from '../workflows/clock.ts';
import { inParallel } from './in-parallel.ts';

/** Start requests in flight at once per activity: one by one, a start waited on a round trip each. */
export const START_CONCURRENCY = 16;

export function createTaskStarterActivities(deps: { client: Client; taskQueue: string; concurrency?: number }): TaskStarterActivities {
  return {
    async startTaskWorkflows(batch) {
      const outcomes = await inParallel(taskStartsOf(batch), deps.concurrency ?? START_CONCURRENCY, async ({ workflowId, input }) => {
        try {
          await deps.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
            taskQueue: deps.taskQueue,
            workflowId,
            args: [input],
            // A task that ran to its end is not run again when the plan is started again; one
            // withdrawn by a change of the plan (cancelled) starts afresh when a later change brings it back.
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            ...searchAttributesOf(input, 'planned'),
          });
          return 'started';
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          return 'existing';
        }
      });
      const started = outcomes.filter((outcome) => outcome === 'started').length;
      return { started, existing: outcomes.length - started };
    },

    async reopenTaskWorkflow({ workflowId, input, reason, by }) {
      const handle = deps.client.workflow.getHandle<typeof taskWorkflow>(workflowId);
      const latest = await handle.describe();
      if (latest.status.name === 'RUNNING') {
        // A retry after the new run started; or the done run still finishing, which it does at once.
        const status = await handle.query(taskStatusQuery);
        if (status.state !== TaskState.done) return;
      }
      const previous = await handle.result();
      const reopened: Reopening = { reason, ...(by ? { by } : {}), history: previous.history, reports: previous.reports ?? 0, previous: { result: previous.result, doneOn: previous.doneOn } };
      try {
        await deps.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [{ ...input, reopened }],
          // The finished run is the one being reopened; a running one (a retry of this start) is not touched.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          ...searchAttributesOf(input, 'active'),
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },
  };
}

/** A task's search attributes as its start sets them, on a server that has them. */
function searchAttributesOf(input: TaskInput, status: string): Pick<WorkflowStartOptions, 'typedSearchAttributes'> {
  if (!input.indexed) return {};
  return {
    typedSearchAttributes: [
      { key: PlanAttribute, value: input.plan.key },
      { key: ExecutorAttribute, value: input.recipients.executor.id },
      { key: StatusAttribute, value: status },
      ...(input.task.due ? [{ key: DueAttribute, value: new Date(instantOf(input.task.due, '00:00', input.plan.timezone)) }] : []),
    ],
  };
}

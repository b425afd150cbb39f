/**
 * Starting a plan's task workflows from the plan workflow. An activity rather than child
 * workflows: a plan of thousands of tasks would otherwise fill its own history with them.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { TaskStarterActivities } from '../workflows/plan-workflow.ts';
import { DueAttribute, ExecutorAttribute, PlanAttribute, StatusAttribute } from '../workflows/search-attributes.ts';
import type { taskWorkflow } from '../workflows/task-workflow.ts';
import { instantOf } from '../workflows/clock.ts';
import { inParallel } from './in-parallel.ts';

/** Start requests in flight at once per activity: one by one, a start waited on a round trip each. */
export const START_CONCURRENCY = 16;

export function createTaskStarterActivities(deps: { client: Client; taskQueue: string; concurrency?: number }): TaskStarterActivities {
  return {
    async startTaskWorkflows(tasks) {
      const outcomes = await inParallel(tasks, deps.concurrency ?? START_CONCURRENCY, async ({ workflowId, input }) => {
        try {
          await deps.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
            taskQueue: deps.taskQueue,
            workflowId,
            args: [input],
            // A task that ran to its end is not run again when the plan is started again; one
            // withdrawn by a change of the plan (cancelled) starts afresh when a later change brings it back.
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            ...(input.indexed
              ? {
                  typedSearchAttributes: [
                    { key: PlanAttribute, value: input.plan.key },
                    { key: ExecutorAttribute, value: input.recipients.executor.id },
                    { key: StatusAttribute, value: 'planned' },
                    ...(input.task.due ? [{ key: DueAttribute, value: new Date(instantOf(input.task.due, '00:00', input.plan.timezone)) }] : []),
                  ],
                }
              : {}),
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
  };
}

/** The worker both runtime benches run: the bench's workflows, plangraf's task starter, a mail activity of the bench's own. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createTaskStarterActivities, START_CONCURRENCY } from '../activities/task-starter.ts';
import { inParallel } from '../activities/in-parallel.ts';
import { WORKFLOW_BUNDLER_OPTIONS } from '../worker-bundle.ts';
import type { ReadModelActivities } from '../workflows/read-model.ts';
import type { BenchMail } from './workflows.ts';

export type BenchMailResult = { messageId: string; accepted: string[]; rejected: string[]; duplicate: boolean };

/**
 * `readModel`: the plan workflows' writer of the store's read model; by default one that keeps
 * nothing (the runtime benches measure the workflows, not the store).
 */
export function createBenchWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  sendNotification: (mail: BenchMail) => Promise<BenchMailResult>,
  readModel: ReadModelActivities = { writePlanStates: async () => undefined },
): Promise<Worker> {
  /** The baseline of a plan's start: no-op workflows started as the task starter starts tasks, 16 at a time. */
  const startNoopWorkflows = async (workflowIds: string[]) => {
    await inParallel(workflowIds, START_CONCURRENCY, (workflowId) => env.client.workflow.start('noopWorkflow', { taskQueue, workflowId }));
  };
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    // The bench clock hears of a task's assignment from there (`taskOnBenchClockWorkflow`).
    interceptors: { workflowModules: [fileURLToPath(new URL('./workflows.ts', import.meta.url))] },
    bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
    maxCachedWorkflows: 5000,
    activities: { ...createTaskStarterActivities({ client: env.client, taskQueue }), ...readModel, sendNotification, startNoopWorkflows },
  });
}

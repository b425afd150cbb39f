/**
 * The plangraf worker: wires activities (with their dependencies) and workflows to the
 * `plangraf` task queue. The workflows arrive with the Temporal runtime; until then the
 * worker serves the plan-loading activity only.
 *
 * Run: `node --import tsx worker.ts` (TEMPORAL_ADDRESS, default 127.0.0.1:7233; TEMPORAL_NAMESPACE, default "default").
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPlanActivities } from './activities/plan-activities.ts';

export const TASK_QUEUE = 'plangraf';

export async function runWorker(address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', namespace = process.env.TEMPORAL_NAMESPACE ?? 'default'): Promise<void> {
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({ connection, namespace, taskQueue: TASK_QUEUE, activities: createPlanActivities() });
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runWorker().catch((error: unknown) => {
    process.stderr.write(`plangraf worker: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}

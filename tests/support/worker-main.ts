/**
 * The entry of the worker process that tests/support/e2e-worker.ts spawns:
 * `node --import tsx tests/support/worker-main.ts '<TestWorkerOptions as JSON>'`.
 * Prints `ready` once the worker polls; runs until it is killed.
 */
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { createPlangrafWorker } from '../../worker.ts';
import type { TestWorkerOptions } from './e2e-worker.ts';

installQuietRuntime('ERROR');
const options = JSON.parse(process.argv[2] ?? '') as TestWorkerOptions;
const running = await createPlangrafWorker({ address: options.address, taskQueue: options.taskQueue, varDir: options.varDir, mailEnv: { SMTP_URL: options.smtpUrl } });
const done = running.run();
process.stdout.write('ready\n');
await done;

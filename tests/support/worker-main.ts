/**
 * The entry of the worker process that tests/support/e2e-worker.ts spawns:
 * `node --import tsx tests/support/worker-main.ts '<TestWorkerOptions as JSON>'`.
 * Prints `ready` once the worker polls; runs until it is killed.
 */
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { createTestWorker, type TestWorkerOptions } from './e2e-worker.ts';

installQuietRuntime('ERROR');
const options = JSON.parse(process.argv[2] ?? '') as TestWorkerOptions;
// Its own connection to the store, as a worker on another host has.
const { running, closeStore } = await createTestWorker(options);
const done = running.run().finally(closeStore);
process.stdout.write('ready\n');
await done;

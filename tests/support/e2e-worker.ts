/**
 * The real plangraf worker (worker.ts: task starter, nodemailer, the store's sent log, register
 * and signing keys) for the e2e tests, either in this process or as a process of its own that a
 * test can SIGKILL. Either way it connects to the store at `databaseUrl` itself, as a worker
 * host does, and closes that connection when it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connectStore } from '../../store/database.ts';
import { createPlangrafWorker, type RunningWorker } from '../../worker.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

export interface TestWorkerOptions {
  /** The dev server, `host:port`. */
  address: string;
  taskQueue: string;
  /** The store the worker keeps its sent log, register and signing keys in (`testDatabaseUrl()`). */
  databaseUrl: string;
  /** The worker's var directory (only a built-in catcher would write there). */
  varDir: string;
  /** The SMTP server the mail goes to: a mail catcher's `url`. */
  smtpUrl: string;
  /** Where the links in its letters point (the pages' address). */
  publicUrl?: string;
}

/** The worker of `options` on a store connection of its own; closing the store is the caller's. */
export async function createTestWorker(options: TestWorkerOptions): Promise<{ running: RunningWorker; closeStore(): Promise<void> }> {
  const store = await connectStore(options.databaseUrl, { max: 5 });
  try {
    const running = await createPlangrafWorker({
      store,
      address: options.address,
      taskQueue: options.taskQueue,
      varDir: options.varDir,
      mailEnv: { SMTP_URL: options.smtpUrl },
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    });
    return { running, closeStore: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export interface TestWorker {
  running: RunningWorker;
  /** Shuts the worker down and waits until it has drained; rethrows what made it stop early. */
  stop(): Promise<void>;
}

/** Creates the worker and starts it polling; `stop()` it when the test is over. */
export async function startWorker(options: TestWorkerOptions): Promise<TestWorker> {
  const { running, closeStore } = await createTestWorker(options);
  const done = running.run().finally(closeStore);
  // Kept so that an early failure surfaces in stop() rather than as an unhandled rejection.
  done.catch(() => undefined);
  let stopped: Promise<void> | undefined;
  return {
    running,
    stop: () =>
      (stopped ??= (async () => {
        if (running.worker.getState() === 'RUNNING') await running.shutdown();
        await done;
      })()),
  };
}

export interface WorkerProcess {
  pid: number;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGKILL: no shutdown, no drain, exactly as a crash or `kill -9`. */
  kill(): Promise<void>;
}

/**
 * Runs the worker in a child process (tests/support/worker-main.ts) and resolves once it
 * polls. The child has the same options as `startWorker`.
 */
export async function spawnWorkerProcess(options: TestWorkerOptions, { readyTimeoutMs = 60_000 } = {}): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker process did not get ready in ${readyTimeoutMs} ms:\n${stderr}`));
    }, readyTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker process exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
  });
  return {
    pid: child.pid!,
    stderr: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

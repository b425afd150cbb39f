/**
 * The plangraf worker: wires activities (with their dependencies) and workflows to the
 * `plangraf` task queue. It keeps nothing of its own on disk: the register and the documents,
 * the sent log and the link-signing keys are in the shared store, so any number of workers
 * on any hosts serve the same plans.
 *
 * Run on its own: `plangraf worker` (Temporal from TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and the
 * TLS settings of client/temporal-settings.ts; the store from DATABASE_URL; mail through SMTP_URL
 * or SMTP_HOST…, see activities/mail.ts). `plangraf up` runs it inside the main job, where,
 * without an SMTP server, a mail catcher keeps every message in the store (and under var/mail/caught).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMailActivities, createSmtpTransport, isSmtpConfigured, type MailEnv } from './activities/mail.ts';
import { startMailCatcher, type MailCatcher } from './activities/mail-catcher.ts';
import { createDocumentActivities } from './activities/documents.ts';
import { createPlanActivities } from './activities/plan-activities.ts';
import { createReadModelActivities } from './activities/read-model.ts';
import { DocumentRenderer } from './documents/document-renderer.ts';
import { executorActionLinks, LinkSigner } from './web/links.ts';
import { storeKeyring } from './web/keyring.ts';
import { publicUrl } from './web/settings.ts';
import { createTaskStarterActivities } from './activities/task-starter.ts';
import { TASK_QUEUE } from './client/plan-runs.ts';
import { WORKFLOW_BUNDLER_OPTIONS } from './worker-bundle.ts';
import { connectionOptions, temporalSettings, workerLimits, type TemporalSettings, type WorkerLimits } from './client/temporal-settings.ts';
import type { Store } from './store/database.ts';
import { StoreDocumentRegister } from './store/register.ts';
import { storeSentLog } from './store/sent-mail.ts';
import { saveCaughtMail } from './store/caught-mail.ts';

export { TASK_QUEUE };

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
/** Where this checkout keeps what is its own (the embedded servers' data): `var/`, or PLANGRAF_VAR. */
export const VAR_DIR = process.env.PLANGRAF_VAR ? `${resolve(process.env.PLANGRAF_VAR)}/` : fileURLToPath(new URL('./var/', import.meta.url));

export interface WorkerOptions {
  /** The shared store: register, documents, sent log, signing keys. */
  store: Store;
  /** Temporal; by default from the environment. `address` alone overrides its address. */
  temporal?: TemporalSettings;
  address?: string;
  taskQueue?: string;
  /** Where the office's pages are reached: the executors' links in mail point there. */
  publicUrl?: string;
  /** SMTP settings; without a server configured, `mailCatcherPort` decides where the built-in catcher listens. */
  mailEnv?: MailEnv;
  mailCatcherPort?: number;
  /** Where the built-in catcher also keeps its `.eml` files (`<varDir>/mail/caught`). */
  varDir?: string;
  /** Cached workflows and concurrent tasks; by default from the environment. */
  limits?: WorkerLimits;
}

export interface RunningWorker {
  worker: Worker;
  /** Where mail goes: an SMTP URL without password. */
  mailTarget: string;
  catcher: MailCatcher | null;
  /** Runs until `shutdown()`; resolves when the worker has drained. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function createPlangrafWorker(options: WorkerOptions): Promise<RunningWorker> {
  const temporal = options.temporal ?? temporalSettings();
  const connection = { ...connectionOptions(temporal), ...(options.address ? { address: options.address } : {}) };
  const taskQueue = options.taskQueue ?? temporal.taskQueue;
  const varDir = options.varDir ?? VAR_DIR;
  const mailEnv = options.mailEnv ?? process.env;
  const { store } = options;
  const catcher = isSmtpConfigured(mailEnv)
    ? null
    : await startMailCatcher({ port: options.mailCatcherPort ?? 1025, dir: `${varDir}/mail/caught`, onMessage: (raw, envelopeTo) => saveCaughtMail(store.pool, raw, envelopeTo) });
  const opened: Array<() => unknown> = [() => catcher?.stop()];
  // A worker that cannot start lets go of what it opened, so the process can end with its error.
  const undo = async () => {
    for (const close of opened.reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    const smtp = createSmtpTransport(catcher ? { ...mailEnv, SMTP_URL: catcher.url } : mailEnv);
    opened.push(() => smtp.transport.close());
    const keyring = await storeKeyring(store);
    opened.push(() => keyring.close());
    const actionLinks = executorActionLinks(new LinkSigner(keyring), options.publicUrl ?? publicUrl());
    const register = new StoreDocumentRegister(store);

    const nativeConnection = await NativeConnection.connect(connection);
    opened.push(() => nativeConnection.close());
    const clientConnection = await Connection.connect(connection);
    opened.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: temporal.namespace });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
      ...(options.limits ?? workerLimits()),
      activities: {
        ...createPlanActivities(),
        ...createTaskStarterActivities({ client, taskQueue }),
        ...createReadModelActivities({ store }),
        ...createMailActivities({ transport: smtp.transport, from: smtp.from, sentLog: storeSentLog(store.pool), actionLinks, documents: register }),
        ...createDocumentActivities({ client, office: { register, renderer: new DocumentRenderer() } }),
      },
    });
    return {
      worker,
      mailTarget: smtp.target,
      catcher,
      async run() {
        try {
          await worker.run();
        } finally {
          await undo();
        }
      },
      async shutdown() {
        // The runtime drains the worker by itself on SIGINT and SIGTERM: then there is nothing to do.
        if (worker.getState() === 'RUNNING') worker.shutdown();
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

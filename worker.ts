/**
 * The plangraf worker: wires activities (with their dependencies) and workflows to the
 * `plangraf` task queue.
 *
 * Run on its own: `node --import tsx worker.ts` (TEMPORAL_ADDRESS, default 127.0.0.1:7233;
 * mail through SMTP_URL or SMTP_HOST…, see activities/mail.ts; without them, a mail catcher
 * keeps every message under var/mail/caught; documents registered under var/documents, or
 * PLANGRAF_DOCUMENTS). `plangraf up` runs it inside the main job.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createMailActivities, createFileSentLog, createSmtpTransport, isSmtpConfigured, type MailEnv } from './activities/mail.ts';
import { startMailCatcher, type MailCatcher } from './activities/mail-catcher.ts';
import { createDocumentActivities } from './activities/documents.ts';
import { createPlanActivities } from './activities/plan-activities.ts';
import { DocumentRenderer } from './documents/document-renderer.ts';
import { documentsDir } from './documents/locations.ts';
import { DocumentRegister } from './documents/register.ts';
import { executorActionLinks, LinkSigner, loadSecret } from './web/links.ts';
import { publicUrl } from './web/settings.ts';
import { createTaskStarterActivities } from './activities/task-starter.ts';
import { TASK_QUEUE, temporalAddress } from './client/plan-runs.ts';

export { TASK_QUEUE };

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
export const VAR_DIR = fileURLToPath(new URL('./var/', import.meta.url));

export interface WorkerOptions {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  /** Where the office's pages are reached: the executors' links in mail point there. */
  publicUrl?: string;
  /** SMTP settings; without a server configured, `mailCatcherPort` decides where the built-in catcher listens. */
  mailEnv?: MailEnv;
  mailCatcherPort?: number;
  varDir?: string;
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

export async function createPlangrafWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const address = options.address ?? temporalAddress();
  const namespace = options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = options.taskQueue ?? TASK_QUEUE;
  const varDir = options.varDir ?? VAR_DIR;
  const mailEnv = options.mailEnv ?? process.env;
  const catcher = isSmtpConfigured(mailEnv) ? null : await startMailCatcher({ port: options.mailCatcherPort ?? 1025, dir: `${varDir}/mail/caught` });
  const smtp = createSmtpTransport(catcher ? { ...mailEnv, SMTP_URL: catcher.url } : mailEnv);
  const signer = new LinkSigner(await loadSecret(varDir));
  const actionLinks = executorActionLinks(signer, options.publicUrl ?? publicUrl());

  const nativeConnection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: {
      ...createPlanActivities(),
      ...createTaskStarterActivities({ client, taskQueue }),
      ...createMailActivities({ transport: smtp.transport, from: smtp.from, sentLog: createFileSentLog(`${varDir}/mail`), actionLinks }),
      ...createDocumentActivities({ client, office: { register: new DocumentRegister(options.varDir ? `${varDir}/documents` : documentsDir()), renderer: new DocumentRenderer() } }),
    },
  });
  const closeAll = async () => {
    smtp.transport.close();
    await catcher?.stop();
    await clientConnection.close();
    await nativeConnection.close();
  };
  return {
    worker,
    mailTarget: smtp.target,
    catcher,
    async run() {
      try {
        await worker.run();
      } finally {
        await closeAll();
      }
    },
    async shutdown() {
      // The runtime drains the worker by itself on SIGINT and SIGTERM: then there is nothing to do.
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const running = await createPlangrafWorker();
  process.stderr.write(`plangraf worker: очередь ${TASK_QUEUE}, Temporal ${temporalAddress()}, почта ${running.mailTarget}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.shutdown());
  await running.run();
}

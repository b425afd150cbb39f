/**
 * plangraf reaching Temporal over mutual TLS, as a self-hosted cluster or Temporal Cloud with
 * client certificates asks: the settings come from the environment (TEMPORAL_TLS_CERT, _KEY, _CA,
 * _SERVER_NAME) and serve the command line's client and the worker alike. The dev server speaks
 * plain gRPC, so a TLS front that demands a client certificate signed by the test's own CA stands
 * before it, as a cluster's frontend would; the certificates are made by openssl for the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../activities/mail-catcher.ts';
import { installQuietRuntime } from '../../cli/quiet-runtime.ts';
import { registerAndStartPlan } from '../../client/plan-registry.ts';
import { connectClient, planInputOf } from '../../client/plan-runs.ts';
import { temporalSettings } from '../../client/temporal-settings.ts';
import type { Store } from '../../store/database.ts';
import { createPlangrafWorker, type RunningWorker } from '../../worker.ts';
import { e2ePlan, shiftToSlot, SLOT_DAY, TASKS_STARTING_ON_SLOT_DAY, writeAndLoadPlan } from '../support/e2e-plan.ts';
import { testStore } from '../support/store.ts';
import { devServerEnvironment } from '../support/temporal.ts';

installQuietRuntime('ERROR');

const SERVER_NAME = 'temporal.plangraf.test';

let scratch: string;
let env: TestWorkflowEnvironment;
let front: NetServer;
let address: string;
let store: Store;
let catcher: MailCatcher;
let worker: RunningWorker | undefined;
let files: Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey' | 'strangerCert' | 'strangerKey', string>;

/** A CA, a server certificate for SERVER_NAME and a client certificate, both signed by it; and a client certificate signed by nobody it knows. */
function makeCertificates(dir: string): typeof files {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=plangraf test CA', '-keyout', path('ca.key'), '-out', path('ca.pem'));
  const signed = (name: string, subject: string, extensions: string) => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`));
    execFileSync('sh', ['-c', `printf '%s\\n' '${extensions}' > ${path(`${name}.ext`)}`]);
    openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', path(`${name}.ext`), '-out', path(`${name}.pem`));
  };
  signed('server', `/CN=${SERVER_NAME}`, `subjectAltName=DNS:${SERVER_NAME}`);
  signed('client', '/CN=plangraf-worker', 'extendedKeyUsage=clientAuth');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=stranger', '-keyout', path('stranger.key'), '-out', path('stranger.pem'));
  return {
    ca: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    strangerCert: path('stranger.pem'),
    strangerKey: path('stranger.key'),
  };
}

/** The environment a deployment would set for a process that reaches this cluster. */
function tlsEnv(client: { cert: string; key: string } = { cert: files.clientCert, key: files.clientKey }): NodeJS.ProcessEnv {
  return { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TLS_CERT: client.cert, TEMPORAL_TLS_KEY: client.key, TEMPORAL_TLS_CA: files.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-e2e-tls-'));
  files = makeCertificates(scratch);
  env = await devServerEnvironment();
  const [host, port] = env.address.split(':') as [string, string];
  // The frontend's TLS: only a client with a certificate of this CA gets through, over HTTP/2.
  front = createTlsServer(
    { key: await readFile(files.serverKey), cert: await readFile(files.serverCert), ca: await readFile(files.ca), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      const upstream = connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  front.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(front.address() as { port: number }).port}`;
  store = await testStore();
  catcher = await startMailCatcher({ port: 0, dir: join(scratch, 'caught') });
}, 120_000);

afterAll(async () => {
  await worker?.shutdown();
  await catcher?.stop();
  await store?.close();
  await new Promise((resolve) => front?.close(resolve));
  await env?.teardown();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

describe('Temporal over mutual TLS', () => {
  it('lets in a client with the certificate and CA of the settings, checked against the server name given', async () => {
    const client = await connectClient(undefined, tlsEnv());
    try {
      const info = await client.connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await client.connection.close();
    }
  });

  it('is refused without a client certificate the cluster trusts', async () => {
    await expect(connectClient(undefined, tlsEnv({ cert: files.strangerCert, key: files.strangerKey })).then((client) => client.connection.workflowService.getSystemInfo({}))).rejects.toThrow();
    await expect(connectClient(undefined, { TEMPORAL_ADDRESS: address, TEMPORAL_TLS: '1', TEMPORAL_TLS_CA: files.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME }).then((client) => client.connection.workflowService.getSystemInfo({}))).rejects.toThrow();
  }, 60_000);

  it('runs a plan through it: the worker and the client both connect with the settings, and the assignments go out', async () => {
    const settings = temporalSettings({ ...tlsEnv(), PLANGRAF_TASK_QUEUE: 'plangraf-tls' });
    worker = await createPlangrafWorker({ store, temporal: settings, mailEnv: { SMTP_URL: catcher.url }, publicUrl: 'http://127.0.0.1:8080' });
    const running = worker.run();
    running.catch(() => undefined);
    const client = await connectClient(undefined, tlsEnv());
    try {
      const { loaded } = await writeAndLoadPlan(scratch, e2ePlan('tls-plan'));
      await registerAndStartPlan(store, client, loaded, 'main', planInputOf(loaded, { clockShiftMs: shiftToSlot(SLOT_DAY, 6) }), undefined, settings.taskQueue);
      await vi.waitFor(
        async () => {
          const letters = (await catcher.messages()).filter((mail) => mail.plan === 'tls-plan' && mail.kind === 'assigned');
          if (letters.length < TASKS_STARTING_ON_SLOT_DAY.length) throw new Error(`${letters.length} assignments so far`);
        },
        { timeout: 60_000, interval: 500 },
      );
    } finally {
      await client.connection.close();
    }
  }, 120_000);
});

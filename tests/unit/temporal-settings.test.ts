/** How every process reaches Temporal: address, namespace, TLS and an API key from the environment. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOptions, DEFAULT_WORKER_LIMITS, temporalSettings, workerLimits } from '../../client/temporal-settings.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plangraf-tls-'));
  await writeFile(join(dir, 'client.pem'), 'CERT');
  await writeFile(join(dir, 'client.key'), 'KEY');
  await writeFile(join(dir, 'ca.pem'), 'CA');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the Temporal settings', () => {
  it('default to the dev server of the main job: plain gRPC on 127.0.0.1:7233, namespace default, queue plangraf', () => {
    const settings = temporalSettings({});
    expect(settings).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'plangraf', description: '127.0.0.1:7233, пространство default' });
    expect(connectionOptions(settings)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('read mutual TLS from the certificate, key and CA files, with the server name to check', () => {
    const settings = temporalSettings({
      TEMPORAL_ADDRESS: 'temporal.region.local:7233',
      TEMPORAL_NAMESPACE: 'plangraf-prod',
      TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: join(dir, 'client.key'),
      TEMPORAL_TLS_CA: join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(connectionOptions(settings)).toEqual({
      address: 'temporal.region.local:7233',
      tls: { serverNameOverride: 'temporal.internal', serverRootCACertificate: Buffer.from('CA'), clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } },
    });
    expect(settings.namespace).toBe('plangraf-prod');
    expect(settings.description).toBe('temporal.region.local:7233, пространство plangraf-prod, mTLS');
  });

  it('take an API key (Temporal Cloud) over TLS, and never put the key in what they say', () => {
    const settings = temporalSettings({ TEMPORAL_ADDRESS: 'plangraf.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'plangraf.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
    expect(connectionOptions(settings)).toEqual({ address: 'plangraf.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: 'secret-key' });
    expect(settings.description).not.toContain('secret-key');
  });

  it('refuse half a client certificate, an unreadable file and a malformed flag in Russian', () => {
    expect(() => temporalSettings({ TEMPORAL_TLS_CERT: join(dir, 'client.pem') })).toThrow('нужны оба файла: TEMPORAL_TLS_CERT и TEMPORAL_TLS_KEY');
    expect(() => temporalSettings({ TEMPORAL_TLS_CA: join(dir, 'missing.pem') })).toThrow(`TEMPORAL_TLS_CA: не удаётся прочитать файл ${join(dir, 'missing.pem')} (ENOENT)`);
    expect(() => temporalSettings({ TEMPORAL_TLS: 'может быть' })).toThrow('TEMPORAL_TLS=может быть: ожидается 1 или 0');
    expect(temporalSettings({ TEMPORAL_TLS: '1' }).tls).toEqual({});
  });

  it("bound the worker's memory by default and take its limits from the environment", () => {
    expect(workerLimits({})).toEqual(DEFAULT_WORKER_LIMITS);
    expect(workerLimits({ PLANGRAF_WORKER_CACHED_WORKFLOWS: '2000', PLANGRAF_WORKER_WORKFLOW_TASKS: '50', PLANGRAF_WORKER_ACTIVITIES: '80', PLANGRAF_WORKER_LETTERS: '40' })).toEqual({ maxCachedWorkflows: 2000, maxConcurrentWorkflowTaskExecutions: 50, maxConcurrentActivityTaskExecutions: 80, maxConcurrentLocalActivityExecutions: 40 });
    expect(() => workerLimits({ PLANGRAF_WORKER_CACHED_WORKFLOWS: '0' })).toThrow('PLANGRAF_WORKER_CACHED_WORKFLOWS=0: ожидается целое число больше нуля');
  });
});

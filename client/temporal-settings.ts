/**
 * How every plangraf process reaches Temporal, from the environment: the worker, the command
 * line and the pages alike.
 *
 * - `TEMPORAL_ADDRESS` (`127.0.0.1:7233`), `TEMPORAL_NAMESPACE` (`default`);
 * - mutual TLS: `TEMPORAL_TLS_CERT` and `TEMPORAL_TLS_KEY` (files of the client certificate and
 *   its key), `TEMPORAL_TLS_CA` (the server's CA, when the system does not trust it),
 *   `TEMPORAL_TLS_SERVER_NAME` (the name to check the server's certificate against);
 *   `TEMPORAL_TLS=1` asks for TLS without a client certificate;
 * - `TEMPORAL_API_KEY` (Temporal Cloud): TLS with the key as a bearer token;
 * - `PLANGRAF_TASK_QUEUE` (`plangraf`): the queue the workers poll and plans start on, for two
 *   deployments sharing one namespace;
 * - the worker's limits: `PLANGRAF_WORKER_CACHED_WORKFLOWS`, `PLANGRAF_WORKER_WORKFLOW_TASKS`,
 *   `PLANGRAF_WORKER_ACTIVITIES`, `PLANGRAF_WORKER_LETTERS`, with defaults that keep its memory bounded.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow/tls-config.js';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** `undefined`: plain gRPC, as the dev server speaks. */
  tls?: TLSConfig;
  apiKey?: string;
  /** Said in messages: `127.0.0.1:7233, пространство default` (never the key). */
  description: string;
}

export interface WorkerLimits {
  /** Workflows kept in memory between their tasks; the rest are replayed when they wake. */
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  /** The tasks' letters (local activities) sent at once; the rest wait their turn in the worker. */
  maxConcurrentLocalActivityExecutions: number;
}

/** 500 cached task workflows take about 170 MB (README, «Benchmarks»). */
export const DEFAULT_WORKER_LIMITS: WorkerLimits = { maxCachedWorkflows: 500, maxConcurrentWorkflowTaskExecutions: 20, maxConcurrentActivityTaskExecutions: 20, maxConcurrentLocalActivityExecutions: 20 };

export class SettingsError extends Error {}

/** The settings from the environment; a file that cannot be read or a malformed value is a `SettingsError` in Russian. */
export function temporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const address = env.TEMPORAL_ADDRESS?.trim() || '127.0.0.1:7233';
  const namespace = env.TEMPORAL_NAMESPACE?.trim() || 'default';
  const taskQueue = env.PLANGRAF_TASK_QUEUE?.trim() || 'plangraf';
  const cert = env.TEMPORAL_TLS_CERT?.trim();
  const key = env.TEMPORAL_TLS_KEY?.trim();
  const ca = env.TEMPORAL_TLS_CA?.trim();
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim();
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  if (Boolean(cert) !== Boolean(key)) throw new SettingsError('для TLS с сертификатом клиента нужны оба файла: TEMPORAL_TLS_CERT и TEMPORAL_TLS_KEY');
  const wantsTls = Boolean(cert || ca || serverName || apiKey) || readFlag('TEMPORAL_TLS', env.TEMPORAL_TLS);
  const tls: TLSConfig | undefined = wantsTls
    ? {
        ...(serverName ? { serverNameOverride: serverName } : {}),
        ...(ca ? { serverRootCACertificate: readSettingFile('TEMPORAL_TLS_CA', ca) } : {}),
        ...(cert && key ? { clientCertPair: { crt: readSettingFile('TEMPORAL_TLS_CERT', cert), key: readSettingFile('TEMPORAL_TLS_KEY', key) } } : {}),
      }
    : undefined;
  const how = [tls ? (tls.clientCertPair ? 'mTLS' : 'TLS') : null, apiKey ? 'ключ API' : null].filter(Boolean).join(', ');
  return { address, namespace, taskQueue, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}), description: `${address}, пространство ${namespace}${how ? `, ${how}` : ''}` };
}

/** The worker's limits from the environment, each a positive whole number. */
export function workerLimits(env: NodeJS.ProcessEnv = process.env): WorkerLimits {
  const read = (name: string, fallback: number): number => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new SettingsError(`${name}=${text}: ожидается целое число больше нуля`);
    return value;
  };
  return {
    maxCachedWorkflows: read('PLANGRAF_WORKER_CACHED_WORKFLOWS', DEFAULT_WORKER_LIMITS.maxCachedWorkflows),
    maxConcurrentWorkflowTaskExecutions: read('PLANGRAF_WORKER_WORKFLOW_TASKS', DEFAULT_WORKER_LIMITS.maxConcurrentWorkflowTaskExecutions),
    maxConcurrentActivityTaskExecutions: read('PLANGRAF_WORKER_ACTIVITIES', DEFAULT_WORKER_LIMITS.maxConcurrentActivityTaskExecutions),
    maxConcurrentLocalActivityExecutions: read('PLANGRAF_WORKER_LETTERS', DEFAULT_WORKER_LIMITS.maxConcurrentLocalActivityExecutions),
  };
}

/** The options both `Connection.connect` and `NativeConnection.connect` take. */
export function connectionOptions(settings: TemporalSettings): { address: string; tls?: TLSConfig; apiKey?: string } {
  return { address: settings.address, ...(settings.tls ? { tls: settings.tls } : {}), ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
}

function readFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  if (/^(1|true|yes|да)$/i.test(value.trim())) return true;
  if (/^(0|false|no|нет)$/i.test(value.trim())) return false;
  throw new SettingsError(`${name}=${value}: ожидается 1 или 0`);
}

function readSettingFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new SettingsError(`${name}: не удаётся прочитать файл ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

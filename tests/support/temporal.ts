/**
 * The real Temporal servers for tests, as scripts/setup-temporal.sh leaves them in .temporal/:
 * the Java time-skipping test server and the CLI's dev server.
 */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../worker-bundle.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/search-attributes.ts';

export const TEST_SERVER = fileURLToPath(new URL('../../.temporal/bin/temporal-test-server', import.meta.url));
export const TEMPORAL_CLI = fileURLToPath(new URL('../../.temporal/bin/temporal', import.meta.url));
export const WORKFLOWS = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

function required(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash scripts/setup-temporal.sh`);
  return path;
}

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: required(TEST_SERVER) } } });
}

export async function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: required(TEMPORAL_CLI) },
      ip: '127.0.0.1',
      searchAttributes: [],
      extraArgs: SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS, ...WORKFLOW_BUNDLER_OPTIONS, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  return bundle;
}

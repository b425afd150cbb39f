/**
 * How the workers bundle the workflows. With the SDK's reusable V8 context every workflow
 * evaluates the bundle's modules afresh, so each cached workflow holds its own copy of every
 * module it imports. The pure modules listed here hold no per-workflow state and call no
 * workflow API when they load: the worker loads them once, before any workflow, and all
 * workflows share them (the SDK freezes them). One more runs there for its effect alone: it
 * bounds the depth of the sandbox's stack traces, which only a module loaded before the SDK
 * freezes the sandbox's globals can do. And the workflow code is compiled for the Node the
 * workers run (`compileForNode`).
 */
import type { BundleOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const SHARED_WORKFLOW_MODULES = [
  './plan/dates.ts',
  './plan/calendar-count.ts',
  './plan/production-calendar.ts',
  './plan/notifications.ts',
  './plan/period.ts',
  './plan/plan-span.ts',
  './plan/recipients.ts',
  './plan/russian-words.ts',
  './plan/schedule.ts',
  './plan/within.ts',
  './documents/document-errors.ts',
  './documents/plan-documents.ts',
  './workflows/clock.ts',
  // Not a module the workflows import: it bounds the depth of the sandbox's stack traces.
  './workflows/sandbox-stack-depth.ts',
].map(at);

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** What Node 20, the workers' runtime, runs as it is. */
const NODE_TARGET = 'es2022';

/**
 * plangraf's TypeScript compiled for the Node the workers run on. The SDK compiles it for ES2017,
 * which turns every object spread (`{ ...task }`, in every letter and status a task makes) into
 * calls of helpers that copy key by key; Node 20 runs ES2022 as it is. Only the workflow code's
 * own TypeScript is compiled so: the SDK's modules are JavaScript and are bundled as they are.
 */
export function compileForNode(config: WebpackConfiguration): WebpackConfiguration {
  for (const rule of config.module?.rules ?? []) {
    const use = rule && typeof rule === 'object' ? rule.use : undefined;
    if (!use || typeof use !== 'object' || Array.isArray(use) || typeof use.loader !== 'string' || !use.loader.includes('swc-loader')) continue;
    const options = use.options as { jsc?: { target?: string } } | undefined;
    if (options?.jsc) options.jsc.target = NODE_TARGET;
  }
  return config;
}

/** The bundler's options for every worker, simulation and test that runs plangraf's workflows. */
export const WORKFLOW_BUNDLER_OPTIONS = { preloadModules: SHARED_WORKFLOW_MODULES, webpackConfigHook: compileForNode } satisfies Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>;

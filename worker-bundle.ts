/**
 * How the workers bundle the workflows. With the SDK's reusable V8 context every workflow
 * evaluates the bundle's modules afresh, so each cached workflow holds its own copy of every
 * module it imports. The pure modules listed here hold no per-workflow state and call no
 * workflow API when they load: the worker loads them once, before any workflow, and all
 * workflows share them (the SDK freezes them). One more runs there for its effect alone: it
 * bounds the depth of the sandbox's stack traces, which only a module loaded before the SDK
 * freezes the sandbox's globals can do.
 */
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

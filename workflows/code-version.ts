/**
 * Which changes of the workflow code a run follows. A change made while workflows run is
 * behind `wf.patched(name)`: a run that began before it goes on as it was, and a run that began
 * after it follows it. But every `wf.patched` a run passes leaves a marker and an update of the
 * `TemporalChangeVersion` search attribute (a visibility write) in its history, even in runs that
 * began long after the change: a task passed three or four, each a few events and a write, which
 * at 300,000 tasks a year is millions of events and writes for nothing.
 *
 * So a workflow's input carries the version of the code that made it (`codeVersion`), and a run
 * whose code already had a change follows it without asking: no marker, the same history on
 * every replay. A run without the field (started before it) asks `wf.patched` as before.
 *
 * A change from now on: its patch name goes into `PATCHES` with the next version, and
 * `CODE_VERSION` rises to it. A patch's version is never changed.
 */
import * as wf from '@temporalio/workflow';

/** Each patch, and the first code version whose runs follow it without a marker. */
const PATCHES = {
  'send-all-due-at-a-slot': 1,
  'report-after-update': 1,
  'quiet-start': 1,
  'task-continues-as-new': 1,
  'report-after-wait': 1,
  'join-mid-year': 1,
  'read-model': 1,
  'change-answered-before-continue': 1,
  'start-batches-in-parallel': 1,
  'mail-as-local-activity': 1,
} as const;

export type Patch = keyof typeof PATCHES;

/** The version of this code: what it writes into the inputs of the workflows it starts. */
export const CODE_VERSION = 1;

/** Whether this run follows the change named `patch`: by the code version it began with, else by `wf.patched`. */
export function follows(input: { codeVersion?: number }, patch: Patch): boolean {
  return (input.codeVersion ?? 0) >= PATCHES[patch] || wf.patched(patch);
}

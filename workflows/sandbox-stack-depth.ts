/**
 * How many frames a stack trace taken in the workflow sandbox holds. The workers preload this
 * module (`worker-bundle.ts`) before the SDK freezes the sandbox's globals, so it sets the
 * depth of the sandbox's own `Error` and of nothing else. Never import it from Node code: it
 * would set the depth of the process's `Error`.
 *
 * Why not V8's default of 10: the SDK records where every promise of a workflow was made (for
 * the `__stack_trace` query), taking a stack trace of each and mapping every frame through the
 * bundle's source map. A task makes dozens of promises in its life (53 in the bench's), and
 * that recording was about a fifth of the workflow thread's time, most of it proportional to
 * the depth (README, «Where the time and the memory go»). Five frames still name the line that
 * threw and its callers, and leave the SDK the two frames it needs to link `Promise.race` and
 * `Promise.all` to their callers.
 */
export {};

Error.stackTraceLimit = 5;

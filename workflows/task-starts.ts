/**
 * The input of the starter activity: the task workflows a plan starts in one batch. Pure, so
 * that the plan workflow builds it and the activity reads it with the same code.
 */
import type { TaskInput } from './task-workflow.ts';

/** One task workflow to start. */
export interface TaskStart {
  workflowId: string;
  input: TaskInput;
}

/**
 * Task workflows to start, with what their inputs have in common once (the plan, the calendar,
 * the clock…) and each task's own part: the batch is the starter activity's input, kept in the
 * plan's history, and a plan of 4,000 tasks wrote every task's whole input there.
 */
export interface TaskStartBatch {
  shared: Partial<TaskInput>;
  tasks: { workflowId: string; input: Partial<TaskInput> }[];
}

/** The batch of these starts: each field equal in every input is said once. */
export function taskStartBatch(starts: readonly TaskStart[]): TaskStartBatch {
  const [first] = starts;
  const keys = first ? (Object.keys(first.input) as (keyof TaskInput)[]) : [];
  const sharedKeys = keys.filter((key) => {
    const value = JSON.stringify(first!.input[key]);
    return starts.every((start) => key in start.input && JSON.stringify(start.input[key]) === value);
  });
  const shared = Object.fromEntries(sharedKeys.map((key) => [key, first!.input[key]])) as Partial<TaskInput>;
  const own = (input: TaskInput) => Object.fromEntries(Object.entries(input).filter(([key]) => !sharedKeys.includes(key as keyof TaskInput))) as Partial<TaskInput>;
  return { shared, tasks: starts.map(({ workflowId, input }) => ({ workflowId, input: own(input) })) };
}

/** The starts of a batch, or of the plain list plans of earlier code scheduled. */
export function taskStartsOf(batch: TaskStartBatch | readonly TaskStart[]): TaskStart[] {
  if (Array.isArray(batch)) return [...(batch as readonly TaskStart[])];
  const { shared, tasks } = batch as TaskStartBatch;
  return tasks.map(({ workflowId, input }) => ({ workflowId, input: { ...shared, ...input } as TaskInput }));
}

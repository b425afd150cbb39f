/** The workflows the worker runs. */
export { planWorkflow } from './plan-workflow.ts';
export { taskWorkflow } from './task-workflow.ts';

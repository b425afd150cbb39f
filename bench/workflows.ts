/** The bench's workflows: plangraf's own, and a no-op baseline to measure them against. */
export { planWorkflow, taskWorkflow } from '../workflows/index.ts';

export async function noopWorkflow(): Promise<void> {}

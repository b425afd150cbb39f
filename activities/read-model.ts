/**
 * The read model's writer: the plan workflows' batches of task states into the shared store
 * (`store/plan-states.ts`), where every page server reads them.
 */
import type { Store } from '../store/database.ts';
import { writePlanStates } from '../store/plan-states.ts';
import type { ReadModelActivities } from '../workflows/read-model.ts';

export function createReadModelActivities(deps: { store: Store }): ReadModelActivities {
  return {
    async writePlanStates(batch) {
      await writePlanStates(deps.store, batch);
    },
  };
}

/**
 * The plan workflow's `changePlan` update: the office's new plan-graph for a running plan. The
 * validator refuses what cannot be done to the year under way, with the reason naming the task;
 * the handler tells the running tasks what changed for them, withdraws removed tasks that have
 * not begun, records the change in the plan's history, and leaves the plan to continue as new
 * on the new plan with its state carried over (new tasks are started there).
 */
import * as wf from '@temporalio/workflow';
import { ProductionCalendar } from '../plan/production-calendar.ts';
import { schedulePlan, type Schedule } from '../plan/schedule.ts';
import { dateOf, timeOf } from './clock.ts';
import { changePlanUpdate, replanTaskSignal, taskWorkflowId, type ChangePlanInput, type PlanChangeRecord, type PlanChangeSummary } from './messages.ts';
import { dependencyRefusals, diffSchedules, identityRefusals, lateAfterChange, replansOf, runningIds, startedAfter, summariesAfter, summaryOf, taskRefusals, type PlanSide, type ScheduleDiff } from './plan-change.ts';
import type { CarriedPlanState, PlanInput, PlanState } from './plan-workflow.ts';

/** Failure types of the change, for clients to tell a refusal from a fault. */
export const PlanChangeFailure = { refused: 'PlanChangeRefused' } as const;

/** The running plan as the update needs it. */
export interface RunningPlan {
  input: PlanInput;
  schedule: Schedule;
  state: PlanState;
  /** The plan's history of changes so far; the update adds to it. */
  history: PlanChangeRecord[];
  /** Done tasks whose dependents have been told. */
  relayed(): string[];
  /** The plan's clock (the workflow clock with its shift). */
  now(): number;
  /** The state continue-as-new carries, for a plan and its schedule. */
  carry(state: PlanState, relayed: string[], side: PlanSide): CarriedPlanState;
}

interface AcceptedChange {
  request: ChangePlanInput;
  side: PlanSide;
  diff: ScheduleDiff;
  /** The change's number in the plan's history. */
  number: number;
  /** The tasks that had workflows when the change was applied, and so have been told of it. */
  told: Set<string>;
}

/**
 * Sets the `changePlan` handler. Once a change has been applied, `pending()` says so and `next()`
 * gives the input of the plan's next run (`null` until then): the plan continues as new with it.
 */
export function handlePlanChanges(running: RunningPlan): { pending(): boolean; next(): Promise<PlanInput | null> } {
  const { input, schedule, state } = running;
  const zone = input.plan.timezone;
  const today = () => dateOf(running.now(), zone);
  let accepted: AcceptedChange | null = null;

  /** The new plan scheduled and compared with the running one, or the reasons it cannot be. */
  const weigh = (request: ChangePlanInput): { refusals: string[] } | { refusals: []; side: PlanSide; diff: ScheduleDiff } => {
    if (accepted) return { refusals: ['предыдущее изменение плана ещё применяется; повторите через минуту'] };
    const identity = identityRefusals(input.plan, request.plan, input.year, request.year);
    if (identity.length > 0) return { refusals: identity };
    const dependencies = dependencyRefusals(request.plan, input.plan);
    if (dependencies.length > 0) return { refusals: dependencies };
    let side: PlanSide;
    try {
      side = { plan: request.plan, tasks: schedulePlan(request.plan, new ProductionCalendar(request.calendar), input.year !== undefined ? { year: input.year } : {}).tasks };
    } catch (error) {
      return { refusals: [`новый план не разложить по срокам: ${(error as Error).message}`] };
    }
    const diff = diffSchedules({ plan: input.plan, tasks: schedule.tasks }, side);
    const refusals = taskRefusals(diff, state.tasks, today());
    return refusals.length > 0 ? { refusals } : { refusals: [], side, diff };
  };

  wf.setHandler(
    changePlanUpdate,
    async (request): Promise<PlanChangeSummary> => {
      const weighed = weigh(request);
      if (!('diff' in weighed)) throw refusal(weighed.refusals);
      const { side, diff } = weighed;
      const summary = summaryOf(diff, state.tasks);
      if (summary.lines.length === 0) {
        if (JSON.stringify(request.plan) === JSON.stringify(input.plan)) return summary;
        // Titles, targets, notes: the plan's pages show the new words; the running tasks keep theirs.
        summary.lines.push('план обновлён; сроки, исполнители и напоминания задач в работе не изменились');
      }
      const at = running.now();
      running.history.push({ date: dateOf(at, zone), time: timeOf(at, zone), by: request.by ?? null, lines: summary.lines });
      // Only the tasks the plan has started have workflows; the next run starts the others on the new plan.
      const live = runningIds(schedule.tasks, state.started);
      const change = { request, side, diff, number: running.history.length, told: live };
      await tell(change, live);
      accepted = change;
      return summary;
    },
    {
      validator: (request) => {
        const { refusals } = weigh(request);
        if (refusals.length > 0) throw refusal(refusals);
      },
    },
  );

  /** Withdraws the removed tasks among `ids` and tells the changed ones what changed for them. */
  const tell = async ({ request, diff, number }: AcceptedChange, ids: Set<string>): Promise<void> => {
    const task = (id: string) => wf.getExternalWorkflowHandle(taskWorkflowId(input.planKey, id));
    await Promise.all([
      // A task that has not begun sent no letter: it ends without one. One that ended meanwhile is left as it is.
      ...diff.removed.filter((removed) => ids.has(removed.task)).map((removed) => task(removed.task).cancel().catch(() => undefined)),
      ...replansOf(diff, request.plan, state.tasks, number, request.by)
        .filter((replan) => ids.has(replan.task))
        .map((replan) => task(replan.task).signal(replanTaskSignal, replan.input).catch(() => undefined)),
    ]);
  };

  return {
    pending: () => accepted !== null,
    async next() {
      if (!accepted) return null;
      const { request, side, diff, told } = accepted;
      // A batch of tasks being started when the change came started them on the old plan: they hear of it now.
      const late = new Set([...runningIds(schedule.tasks, state.started)].filter((id) => !told.has(id)));
      if (late.size > 0) await tell(accepted, late);
      // Taken when the plan continues, not when the change was accepted: tasks may have reported since.
      const tasks = summariesAfter(diff, side, state.tasks, today());
      const relayed = running.relayed().filter((id) => id in tasks);
      // The letters of a mid-year start still to go: the tasks they cover told their executors' history so at the start.
      const letters = state.late && lateAfterChange(state.late, diff, side, state.tasks, new ProductionCalendar(input.calendar), zone);
      const next: PlanState = { started: startedAfter(schedule.tasks, state.started, side.tasks), tasks, relayed, digests: state.digests, ...(letters ? { late: letters } : {}) };
      return { ...input, plan: request.plan, calendar: request.calendar, state: { ...running.carry(next, relayed, side), changes: running.history } };
    },
  };
}

function refusal(reasons: string[]): wf.ApplicationFailure {
  return wf.ApplicationFailure.create({ type: PlanChangeFailure.refused, nonRetryable: true, message: reasons.join('\n'), details: [reasons] });
}

/**
 * What a plan workflow carries over continue-as-new: only what differs from the plan, and
 * from it the same state as before.
 */
import { describe, expect, it } from 'vitest';
import { ProductionCalendar } from '../../plan/production-calendar.ts';
import { schedulePlan } from '../../plan/schedule.ts';
import { Plan } from '../../plan/schema.ts';
import { carryState, restoreState } from '../../workflows/plan-workflow.ts';
import { buildPlan } from '../support/build-plan.ts';
import { shippedYears } from '../support/calendar.ts';

describe('the state a plan carries over continue-as-new', () => {
  it('restores every task as it was, and for a plan of 4,000 school tasks weighs little', async () => {
    const schools = Array.from({ length: 400 }, (_, i) => ({ id: `s-${i}`, name: `МОУ «Школа № ${i + 1}»`, kind: 'ШНОР', director: { name: 'Иванов Иван Иванович', email: `d${i}@example.org` } }));
    const plan = Plan.parse(buildPlan({ schools, items: Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), title: `Мероприятие ${i + 1}`, when: 'март', per: 'school' })) }));
    const tasks = schedulePlan(plan, new ProductionCalendar(await shippedYears())).tasks;
    const state = restoreState(undefined, plan, tasks);
    expect(Object.keys(state.tasks)).toHaveLength(4000);
    // A year under way: some done, some overdue, one handed to another executor.
    state.tasks['1@s-0'] = { ...state.tasks['1@s-0']!, state: 'done', result: 'план утверждён', doneOn: '2020-03-20' };
    state.tasks['2@s-5'] = { ...state.tasks['2@s-5']!, state: 'overdue', daysLate: 3, due: '2020-04-10' };
    state.tasks['3@s-7'] = { ...state.tasks['3@s-7']!, executor: { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' } };
    state.started = 4000;
    state.digests = ['2020-03-02'];
    const carried = carryState(state, ['1@s-0'], plan, tasks);
    expect(Object.keys(carried.changed!).sort()).toEqual(['1@s-0', '2@s-5', '3@s-7']);
    expect(JSON.stringify(carried).length).toBeLessThan(2_000);
    expect(restoreState(JSON.parse(JSON.stringify(carried)), plan, tasks)).toEqual({ ...state, relayed: ['1@s-0'] });
  });

  it('reads the state runs before this change carried whole', async () => {
    const plan = Plan.parse(buildPlan());
    const tasks = schedulePlan(plan, new ProductionCalendar(await shippedYears())).tasks;
    const whole = restoreState(undefined, plan, tasks);
    expect(restoreState({ started: 1, tasks: whole.tasks, relayed: [], digests: [] }, plan, tasks)).toEqual({ ...whole, started: 1 });
  });
});

import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/activity';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPlanActivities, PlanFailure } from '../../activities/plan-activities.ts';
import { buildPlan, toYaml } from '../support/build-plan.ts';
import { workspace } from '../support/workspace.ts';

const RYAZAN_2020 = fileURLToPath(new URL('../../calendars/ryazan-2020.yaml', import.meta.url));

describe('the loadPlan activity', () => {
  it('returns the validated plan and its schedule laid over the year asked for', async () => {
    const { loadPlan } = createPlanActivities();
    const result = (await new MockActivityEnvironment().run(loadPlan, RYAZAN_2020, { year: 2025 })) as Awaited<ReturnType<typeof loadPlan>>;
    expect(result.plan.id).toBe('ryazan-2020');
    expect(result.schedule.tasks[0]).toMatchObject({ task: '1', start: '2025-01-09', due: '2025-02-28' });
  });

  it('fails for good, with every error, on an invalid plan', async () => {
    const dir = workspace({ 'broken.yaml': toYaml(buildPlan({ office: 'nobody', items: [{ id: '1', title: 'Пункт', when: 'фервраль', executor: 'riro' }] })) });
    const file = join(dir, 'broken.yaml');
    const { loadPlan } = createPlanActivities();
    const failure = await new MockActivityEnvironment().run(loadPlan, file).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: PlanFailure.invalidPlan, nonRetryable: true });
    expect((failure as Error).message).toMatch(/office: нет человека с id «nobody»/);
    expect((failure as Error).message).toMatch(/items\[0\]\.when \(пункт «1»\): не понимаю «фервраль»/);
  });
});

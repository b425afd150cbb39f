import { describe, expect, it } from 'vitest';
import { planInputOf } from '../../client/plan-runs.ts';
import { taskNames } from '../../plan/task-names.ts';
import { taskInputOf } from '../../workflows/plan-workflow.ts';
import { taskStartBatch, taskStartsOf } from '../../workflows/task-starts.ts';
import { loadSamplePlan } from '../support/workflow-run.ts';

describe("the starter activity's batch", () => {
  it('says once what every input shares and gives each task back its whole input', async () => {
    const loaded = await loadSamplePlan('calendars/ryazan-2020.yaml');
    const input = planInputOf(loaded);
    const names = taskNames(loaded.plan, loaded.schedule.tasks);
    const starts = loaded.schedule.tasks.slice(0, 40).map((task) => ({ workflowId: `task:${task.task}`, input: taskInputOf(input, task, null, names) }));
    const batch = taskStartBatch(starts);
    expect(Object.keys(batch.shared)).toEqual(expect.arrayContaining(['plan', 'calendar', 'clockShiftMs', 'codeVersion']));
    expect(batch.tasks.every((task) => !('calendar' in task.input) && 'task' in task.input)).toBe(true);
    expect(taskStartsOf(batch)).toEqual(starts);
    expect(JSON.stringify(batch).length).toBeLessThan(JSON.stringify(starts).length * 0.7);
  });

  it('reads the plain list that plans of earlier code scheduled', async () => {
    const loaded = await loadSamplePlan('calendars/ryazan-2020.yaml');
    const task = loaded.schedule.tasks[0]!;
    const starts = [{ workflowId: 'task:1', input: taskInputOf(planInputOf(loaded), task, null, taskNames(loaded.plan, loaded.schedule.tasks)) }];
    expect(taskStartsOf(starts)).toEqual(starts);
    expect(taskStartsOf(taskStartBatch([]))).toEqual([]);
  });
});

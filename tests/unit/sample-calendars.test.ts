import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../activities/plan-files.ts';

const CALENDARS = fileURLToPath(new URL('../../calendars/', import.meta.url));
const planFiles = readdirSync(CALENDARS).filter((name) => /\.ya?ml$/.test(name));

describe('the sample plans in calendars/', () => {
  it('include the Ryazan plans of 2020–2022 and the Konakovo school-year plan', () => {
    expect(planFiles).toEqual(expect.arrayContaining(['ryazan-2020.yaml', 'ryazan-2021.yaml', 'ryazan-2022.yaml', 'konakovo-2022-2023.yaml']));
  });

  it.each(planFiles)('%s validates without errors and schedules every task on a working day', async (name) => {
    const result = await loadPlanFile(CALENDARS + name);
    expect(result.lines.filter((line) => line.includes(': ошибка: '))).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { calendar, schedule } = result.loaded;
    for (const task of schedule.tasks) {
      if (task.start !== null) expect(calendar.isWorkingDay(task.start), `${task.task} starts on ${task.start}`).toBe(true);
      if (task.due !== null) expect(calendar.isWorkingDay(task.due), `${task.task} is due on ${task.due}`).toBe(true);
    }
  });

  it.each(['ryazan-2020', 'ryazan-2021', 'ryazan-2022'])('%s has all 28 activities with targets, executors and 10 participant schools with partners', async (id) => {
    const result = await loadPlanFile(`${CALENDARS}${id}.yaml`);
    if (!result.ok) throw new Error(result.lines.join('\n'));
    const { plan } = result.loaded;
    expect(plan.id).toBe(id);
    expect(plan.items.map((item) => item.id)).toEqual(Array.from({ length: 28 }, (_, index) => String(index + 1)));
    for (const item of plan.items) {
      expect(item.result, `item ${item.id}`).toBeDefined();
      expect(item.executor !== undefined || item.per === 'school', `item ${item.id}`).toBe(true);
    }
    const participants = plan.schools.filter((school) => school.kind !== 'партнер');
    expect(participants).toHaveLength(10);
    for (const school of participants) {
      expect(plan.schools.find((partner) => partner.id === school.partner)?.kind, school.id).toBe('партнер');
      expect(school.curator, school.id).toBeDefined();
    }
    expect(plan.items.find((item) => item.id === '9')?.per).toBe('school');
  });

  it('ryazan-2020 schedules its year as the plan-graph says', async () => {
    const result = await loadPlanFile(`${CALENDARS}ryazan-2020.yaml`);
    if (!result.ok) throw new Error(result.lines.join('\n'));
    const byTask = new Map(result.loaded.schedule.tasks.map((task) => [task.task, task]));
    expect([byTask.get('1')?.start, byTask.get('1')?.due]).toEqual(['2020-01-09', '2020-02-28']);
    expect([byTask.get('13/3')?.start, byTask.get('13/3')?.due]).toEqual(['2020-11-02', '2020-11-30']);
    expect([byTask.get('16/4')?.start, byTask.get('16/4')?.due]).toEqual(['2020-10-01', '2020-12-31']);
    expect(byTask.get('9@sch-01')?.due).toBe('2020-03-31');
    expect(byTask.get('26')?.due).toBe('2020-12-31');
  });

  it('konakovo-2022-2023 runs December to June across New Year', async () => {
    const result = await loadPlanFile(`${CALENDARS}konakovo-2022-2023.yaml`);
    if (!result.ok) throw new Error(result.lines.join('\n'));
    const { plan, schedule } = result.loaded;
    expect(plan.schoolYear).toBe(2022);
    const crossing = schedule.tasks.find((task) => /декабрь-июнь/i.test(task.period));
    expect([crossing?.start, crossing?.due]).toEqual(['2022-12-01', '2023-06-30']);
  });
});

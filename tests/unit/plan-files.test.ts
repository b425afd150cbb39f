import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../activities/plan-files.ts';
import { buildIndicators } from '../../web/year/indicator-data.ts';
import { planWithItems, toYaml } from '../support/build-plan.ts';
import { workspace } from '../support/workspace.ts';

const REGIONAL = 'year: 2020\nregion: Республика Татарстан\nsource: Закон РТ «О праздничных и памятных днях в Республике Татарстан»\nholidays: [2020-05-25, 2020-07-31]\n';

describe('loading a plan with calendars of the user', () => {
  it('honours the regional calendar the plan names, relative to the plan file', async () => {
    const dir = workspace({
      'tatarstan-2020.yaml': REGIONAL,
      'plan.yaml': toYaml(planWithItems([{ id: '1', title: 'Отчёт', when: 'июль', executor: 'riro' }], { calendar: 'tatarstan-2020.yaml' })),
    });
    const result = await loadPlanFile(join(dir, 'plan.yaml'));
    if (!result.ok) throw new Error(result.lines.join('\n'));
    expect(result.loaded.schedule.tasks[0]?.due).toBe('2020-07-30');
  });

  it('takes more calendar files from the command line', async () => {
    const dir = workspace({ 'tatarstan-2020.yaml': REGIONAL, 'plan.yaml': toYaml(planWithItems([{ id: '1', title: 'Отчёт', when: 'июль', executor: 'riro' }])) });
    const plain = await loadPlanFile(join(dir, 'plan.yaml'));
    const regional = await loadPlanFile(join(dir, 'plan.yaml'), { calendars: [join(dir, 'tatarstan-2020.yaml')] });
    expect(plain.ok && plain.loaded.schedule.tasks[0]?.due).toBe('2020-07-31');
    expect(regional.ok && regional.loaded.schedule.tasks[0]?.due).toBe('2020-07-30');
  });

  it('refuses the plan when a calendar it names is missing or broken, naming that file', async () => {
    const dir = workspace({
      'broken.yaml': 'year: 2020\nholidays: [2020-13-01]\n',
      'plan.yaml': toYaml(planWithItems([{ id: '1', title: 'Отчёт', when: 'июль', executor: 'riro' }], { calendar: ['missing.yaml', 'broken.yaml'] })),
    });
    const result = await loadPlanFile(join(dir, 'plan.yaml'));
    expect(result.ok).toBe(false);
    expect(result.lines.map((line) => line.replace(dir + '/', ''))).toEqual([
      'broken.yaml:2:12: ошибка: holidays[0]: «2020-13-01» — такой даты нет; ожидается ГГГГ-ММ-ДД',
      'missing.yaml: ошибка: файл не найден',
    ]);
  });
});

describe('a plan laid over another year', () => {
  it('speaks of that year in its title and in the periods its pages show', async () => {
    const items = [
      { id: '1', title: 'Отчёт', when: 'ноябрь 2020 года', executor: 'riro' },
      { id: '2', title: 'Рассылка', within: '3 рабочих дня', after: ['1'], executor: 'riro' },
    ];
    const dir = workspace({ 'plan.yaml': toYaml(planWithItems(items, { title: 'План-график на 2020 год (по итогам 2019 года)' })) });
    const laid = await loadPlanFile(join(dir, 'plan.yaml'), { year: 2026 });
    if (!laid.ok) throw new Error(laid.lines.join('\n'));
    expect(laid.loaded.plan.title).toBe('План-график на 2026 год (по итогам 2025 года)');
    expect(laid.loaded.plan.year).toBe(2020);
    expect(buildIndicators(laid.loaded, null).rows.map((row) => row.period)).toEqual(['ноябрь 2026 года', '3 рабочих дня']);
    const own = await loadPlanFile(join(dir, 'plan.yaml'));
    expect(own.ok && own.loaded.plan.title).toBe('План-график на 2020 год (по итогам 2019 года)');
  });
});

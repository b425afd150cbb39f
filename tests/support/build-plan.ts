/**
 * Plan fixtures: a small valid plan, with overrides, as data or as YAML text.
 */
import { stringify } from 'yaml';

export interface PlanFixture {
  [key: string]: unknown;
  items: Record<string, unknown>[];
}

/**
 * The item the workflow tests run one task of: October 2020, so it starts Thursday 1 October
 * and is due Friday 30 October; executed by `riro`.
 */
export const MONITORING = { id: '1', title: 'Углубленный мониторинг образовательных результатов в ШСНРО и ШФНСУ', when: 'октябрь', executor: 'riro', result: '10 школ' };

/** A valid calendar-year plan with two people, a participant school, a partner and one item. */
export function buildPlan(overrides: Partial<PlanFixture> = {}): PlanFixture {
  return {
    id: 'test-plan',
    title: 'Тестовый план-график',
    year: 2020,
    office: 'coordinator',
    people: [
      { id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' },
      { id: 'riro', name: 'Петров Иван Сергеевич', email: 'riro@example.org' },
    ],
    schools: [
      { id: 'sch-01', name: 'МОУ «Ерахтурская средняя школа»', kind: 'ШНОР', municipality: 'Шиловский район', director: { name: 'Сидоров Пётр Петрович', email: 'director01@example.org' }, curator: 'riro', partner: 'sch-11' },
      { id: 'sch-02', name: 'МОУ «Лесновская средняя школа»', kind: 'ШНСУ', municipality: 'Шиловский район', director: { name: 'Кузнецова Анна Викторовна', email: 'director02@example.org' }, curator: 'riro', partner: 'sch-11' },
      { id: 'sch-11', name: 'МБОУ «Шиловская средняя школа № 1»', kind: 'партнер', municipality: 'Шиловский район', director: { name: 'Орлов Максим Андреевич', email: 'director11@example.org' } },
    ],
    items: [{ id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro', result: 3 }],
    ...overrides,
  };
}

/** A plan with these items (and the rest of `buildPlan`). */
export function planWithItems(items: Record<string, unknown>[], overrides: Partial<PlanFixture> = {}): PlanFixture {
  return buildPlan({ ...overrides, items });
}

/** The fixture as the YAML a user would write. */
export function toYaml(plan: unknown): string {
  return stringify(plan, { lineWidth: 0 });
}

/**
 * Drafts: a plan with an item without an executor or a person without an e-mail is valid with
 * a warning for each gap, at its line; it schedules (`"executor": null`); it never starts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile, type LoadedPlan } from '../../activities/plan-files.ts';
import { PlanIsDraft, registerAndStartPlan } from '../../client/plan-registry.ts';
import type { PlanInput } from '../../workflows/plan-workflow.ts';
import { draftGaps, draftRefusal } from '../../plan/drafts.ts';
import { recipientsOf } from '../../plan/recipients.ts';
import type { Store } from '../../store/database.ts';
import { buildPlan, toYaml } from '../support/build-plan.ts';
import { runPlangraf, STACK_TRACE } from '../support/plangraf-process.ts';

const DRAFT = buildPlan({
  people: [
    { id: 'coordinator', name: 'Иванова Ольга Юрьевна', email: 'coordinator@example.org' },
    { id: 'riro', name: 'РИРО' },
  ],
  items: [
    { id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro' },
    { id: '2', title: 'Разработка критериев', when: 'февраль' },
    { id: '9', title: 'Планы перехода в эффективный режим', when: 'февраль - март', per: 'school' },
  ],
});

let scratch: string;
let draftFile: string;
let completeFile: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-drafts-'));
  draftFile = join(scratch, 'draft.yaml');
  completeFile = join(scratch, 'complete.yaml');
  await writeFile(draftFile, toYaml(DRAFT));
  await writeFile(completeFile, toYaml(buildPlan()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function loadDraft(): Promise<{ loaded: LoadedPlan; lines: string[] }> {
  const result = await loadPlanFile(draftFile);
  if (!result.ok) throw new Error(result.lines.join('\n'));
  return { loaded: result.loaded, lines: result.lines };
}

const shown = (lines: string[]) => lines.map((line) => line.replace(relative(process.cwd(), draftFile), 'draft.yaml').replace(draftFile, 'draft.yaml'));

describe('a draft plan', () => {
  it('is valid, with a warning at the line of every item without an executor and every person without an e-mail', async () => {
    const { lines } = await loadDraft();
    expect(shown(lines)).toMatchInlineSnapshot(`
      [
        "draft.yaml:9:5: предупреждение: people[1].email (человек «riro»): не указан адрес электронной почты (email) — письма слать некуда; план остаётся черновиком и не запустится, пока адреса не вписаны",
        "draft.yaml:42:5: предупреждение: items[1].executor (пункт «2»): не указан ответственный исполнитель (executor: id человека из people) — план остаётся черновиком: его можно проверять и смотреть сроки, но не запустить",
      ]
    `);
  });

  it('schedules the item without an executor with executor null, and a per-school item with each school’s director', async () => {
    const { loaded } = await loadDraft();
    expect(loaded.schedule.tasks.map(({ task, start, due, executor, coExecutors }) => ({ task, start, due, executor, coExecutors }))).toEqual([
      { task: '1', start: '2020-01-09', due: '2020-01-31', executor: 'riro', coExecutors: [] },
      { task: '2', start: '2020-02-03', due: '2020-02-28', executor: null, coExecutors: [] },
      { task: '9@sch-01', start: '2020-02-03', due: '2020-03-31', executor: 'director:sch-01', coExecutors: [] },
      { task: '9@sch-02', start: '2020-02-03', due: '2020-03-31', executor: 'director:sch-02', coExecutors: [] },
    ]);
  });

  it('gives the mail and the pages a recipient without an address, never a crash', async () => {
    const { loaded } = await loadDraft();
    const [withoutEmail, withoutExecutor] = loaded.schedule.tasks.map((task) => recipientsOf(loaded.plan, task));
    expect(withoutEmail!.executor).toEqual({ id: 'riro', name: 'РИРО', email: '' });
    expect(withoutExecutor!.executor).toEqual({ id: '', name: 'исполнитель не назначен', email: '' });
  });

  it('is refused at start, naming every item without an executor and every person without an address', async () => {
    const { loaded } = await loadDraft();
    expect(draftGaps(loaded.plan).map((gap) => gap.path.join('.'))).toEqual(['items.1.executor', 'people.1.email']);
    expect(draftRefusal(loaded.plan, 'draft.yaml')).toMatchInlineSnapshot(`
      "План «test-plan» — черновик, он не запущен.
      Пункты без ответственного исполнителя (executor):
        пункт «2» «Разработка критериев»
      Люди без адреса электронной почты (email):
        человек «riro» (РИРО)
      Впишите их в draft.yaml и проверьте: plangraf validate draft.yaml"
    `);
  });

  it('is neither recorded nor started by registerAndStartPlan, whoever calls it', async () => {
    const { loaded } = await loadDraft();
    // Neither the store nor Temporal is touched: a draft stops before them.
    await expect(registerAndStartPlan({} as Store, {} as Client, loaded, 'main', {} as PlanInput)).rejects.toThrow(PlanIsDraft);
  });

  it('has no gaps when every item has an executor and every person an address', async () => {
    const result = await loadPlanFile(completeFile);
    expect(result.ok && draftRefusal(result.loaded.plan)).toBeUndefined();
    const ryazan = await loadPlanFile('calendars/ryazan-2020.yaml');
    expect(ryazan.ok && draftGaps(ryazan.loaded.plan)).toEqual([]);
  });
});

describe('a draft on the command line', { timeout: 30_000 }, () => {
  it('passes validate with exit 0 and the warnings on stderr', async () => {
    const run = await runPlangraf(['validate', draftFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/план «test-plan» в порядке — 3 пункта, 4 задачи, .*; 2 предупреждения/);
    expect(run.stderr).toMatch(/draft\.yaml:42:5: предупреждение: items\[1\]\.executor \(пункт «2»\): не указан ответственный исполнитель/);
  });

  it('prints "executor": null in schedule --json', async () => {
    const run = await runPlangraf(['schedule', draftFile, '--json']);
    expect(run.code).toBe(0);
    const tasks = JSON.parse(run.stdout) as { task: string; executor: string | null }[];
    expect(tasks.find((task) => task.task === '2')!.executor).toBeNull();
  });

  it('is refused by start with exit 1, every gap named, and no stack trace', async () => {
    const run = await runPlangraf(['start', draftFile], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('План «test-plan» — черновик, он не запущен.');
    expect(run.stderr).toContain('  пункт «2» «Разработка критериев»');
    expect(run.stderr).toContain('  человек «riro» (РИРО)');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toBe('');
  });
});

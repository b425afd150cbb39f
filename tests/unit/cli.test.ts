/**
 * The `plangraf` command as a user runs it: a real process, its exit status, and what it
 * prints to stdout and stderr. Each run costs about a second, so each test runs one.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadPlanFile } from '../../activities/plan-files.ts';
import { planWithItems, toYaml } from '../support/build-plan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TIMEOUT = 60_000;
const BROKEN_PLAN = 'tests/fixtures/broken/many-problems.yaml';
const GOOD_PLAN = 'calendars/ryazan-2020.yaml';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `plangraf …` from the repository root, as `npm run -s plangraf -- …` does. */
function plangraf(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', ...args],
      { cwd: ROOT, timeout: RUN_TIMEOUT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** What a program error looks like: a stack trace or a thrown error's name. */
const STACK_TRACE = /^\s{4}at |\bError:|внутренняя ошибка/m;

const CONTRACT_KEYS = ['task', 'item', 'title', 'start', 'due', 'executor', 'coExecutors', 'school', 'result'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

let scratch: string;
let unscheduledPlan: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-cli-'));
  unscheduledPlan = join(scratch, 'unscheduled.yaml');
  await writeFile(
    unscheduledPlan,
    toYaml(
      planWithItems([
        { id: '1', title: 'Доработка региональной модели', when: 'январь', executor: 'riro' },
        { id: '2', title: 'Стажировки команд школ', when: 'по отдельному графику', executor: 'riro' },
      ]),
    ),
  );
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.concurrent('plangraf validate', { timeout: 90_000 }, () => {
  it('accepts a good plan with status 0 and says in one line what it holds', async ({ expect }) => {
    const run = await plangraf('validate', GOOD_PLAN);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^calendars\/ryazan-2020\.yaml: план «ryazan-2020» в порядке — \d+ пункт\S*, \d+ задач\S*, с 09\.01\.2020 по 31\.12\.2020$/);
    expect(run.stderr).not.toContain('ошибка');
  });

  it('refuses a broken plan with status 1 and prints every error as file:line:col, path and message, without a stack trace', async ({ expect }) => {
    const [run, load] = await Promise.all([plangraf('validate', BROKEN_PLAN), loadPlanFile(join(ROOT, BROKEN_PLAN))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const errorLines = run.stderr.split('\n').filter((line) => line.includes(': ошибка: '));
    for (const line of errorLines) {
      expect(line).toMatch(/^tests\/fixtures\/broken\/many-problems\.yaml:\d+:\d+: ошибка: [\w.[\]]+( \([^)]*\))?: \S.*$/);
    }
    const expectedErrors = load.lines.filter((line) => line.includes(': ошибка: '));
    expect(expectedErrors.length).toBe(14);
    expect(errorLines).toEqual(expectedErrors);
    expect(run.stderr).toContain('14 ошибок — план не принят');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('refuses a file that is not YAML at all with status 1 and a line to look at, without a stack trace', async ({ expect }) => {
    const run = await plangraf('validate', 'tests/fixtures/broken/yaml-unclosed-quote.yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tests\/fixtures\/broken\/yaml-unclosed-quote\.yaml:16:\d+: ошибка: items\[0\]\.title: YAML: /m);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('says «файл не найден» with status 1 when the plan file does not exist', async ({ expect }) => {
    const run = await plangraf('validate', 'calendars/no-such-plan.yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('calendars/no-such-plan.yaml: ошибка: файл не найден');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe.concurrent('plangraf schedule', { timeout: 90_000 }, () => {
  it('prints with --json an array of tasks with the contract keys and ISO dates', async ({ expect }) => {
    const run = await plangraf('schedule', GOOD_PLAN, '--json');
    expect(run.code).toBe(0);
    const tasks = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(Array.isArray(tasks)).toBe(true);
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      expect(Object.keys(task)).toEqual(expect.arrayContaining(CONTRACT_KEYS));
      for (const key of ['start', 'due'] as const) {
        if (task[key] !== null) expect(task[key]).toMatch(ISO_DATE);
      }
      expect(task.coExecutors).toBeInstanceOf(Array);
      expect(typeof task.task).toBe('string');
    }
    expect(tasks[0]).toMatchObject({ task: '1', item: '1', start: '2020-01-09', due: '2020-02-28', school: null });
    expect(tasks.some((task) => typeof task.school === 'string' && (task.task as string).endsWith(`@${task.school}`))).toBe(true);
  });

  it('prints without --json a table with the Russian column headings', async ({ expect }) => {
    const run = await plangraf('schedule', GOOD_PLAN);
    expect(run.code).toBe(0);
    const heading = run.stdout.split('\n').find((line) => line.includes('Задача'));
    expect(heading).toBeDefined();
    for (const column of ['Задача', 'Период', 'Начало', 'Срок', 'Исполнитель']) expect(heading).toContain(column);
    expect(run.stdout).toContain('09.01.2020');
  });

  it('lays a 2020 plan over 2023 with --year 2023: the first task starts on 9 January 2023', async ({ expect }) => {
    const run = await plangraf('schedule', GOOD_PLAN, '--json', '--year', '2023');
    expect(run.code).toBe(0);
    const tasks = JSON.parse(run.stdout) as { start: string | null; due: string | null }[];
    expect(tasks[0]?.start).toBe('2023-01-09');
    for (const task of tasks) {
      if (task.start !== null) expect(task.start.slice(0, 4)).toBe('2023');
      if (task.due !== null) expect(task.due.slice(0, 4)).toBe('2023');
    }
  });

  it('sends warnings to stderr and keeps stdout valid JSON: «по отдельному графику» gives a task with no dates', async ({ expect }) => {
    const run = await plangraf('schedule', unscheduledPlan, '--json');
    expect(run.code).toBe(0);
    const tasks = JSON.parse(run.stdout) as { task: string; start: string | null; due: string | null }[];
    expect(tasks.find((task) => task.task === '2')).toMatchObject({ start: null, due: null });
    expect(run.stderr).toMatch(/:\d+:\d+: предупреждение: items\[1\]\.when .*по отдельному графику/);
    expect(run.stderr).not.toContain('ошибка');
  });

  it('ends quietly with status 0 when its reader closes the pipe before the output is written', async ({ expect }) => {
    const run = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'schedule', GOOD_PLAN, '--json'], { cwd: ROOT, timeout: RUN_TIMEOUT });
      // Like `plangraf schedule … | head -0`: the reader is gone before the first byte.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe.concurrent('plangraf usage errors', { timeout: 90_000 }, () => {
  it('rejects an unknown command with status 2, a Russian message and the usage', async ({ expect }) => {
    const run = await plangraf('publish', GOOD_PLAN);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^plangraf: неизвестная команда «publish»/);
    expect(run.stderr).toContain('Использование:');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('rejects an unknown option with status 2, a Russian message and the usage', async ({ expect }) => {
    const run = await plangraf('schedule', GOOD_PLAN, '--jsno');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^plangraf: неизвестный параметр --jsno/);
    expect(run.stderr).toContain('Использование:');
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

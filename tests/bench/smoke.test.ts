/**
 * Benches that cannot rot: every bench of bench/ runs once with small arguments, as a user would
 * run it, and must finish and print its figures in their form. Nothing here times anything: a
 * slow figure passes, a crash or a missing or malformed line fails.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Runs `bench/<file>` with `args` and gives what it printed; a crash fails with its output. */
async function bench(file: string, args: string[], extraNodeArgs: string[] = []): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [...extraNodeArgs, '--import', 'tsx', `bench/${file}`, ...args], { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } });
    return stdout;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`bench/${file} ${args.join(' ')} failed (exit ${failed.code}):\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
}

/** A figure: digits with a decimal point. */
const N = String.raw`\d+(?:\.\d+)?`;

describe('every bench runs once with small arguments and prints its figures', () => {
  it('bench/documents.ts: contracts per second of plangraf, its peers and the floors, as ratios', async () => {
    const out = await bench('documents.ts', ['6', '1']);
    for (const contender of ['plangraf: one DocumentRenderer, compiled once', 'docx-templates', 'easy-template-x', 'floor: substitute, zip again with pizzip']) {
      expect(out).toMatch(new RegExp(`${contender.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*?${N}/s\\s+${N}× plangraf\\s+${N}× floor`));
    }
  }, 300_000);

  it('bench/runtime.ts: tasks against no-op workflows and skeletons, the start of a plan, the worker memory', async () => {
    const out = await bench('runtime.ts', ['4', '8', '1']);
    expect(out).toMatch(new RegExp(`ratio:\\s+tasks/s ÷ no-op/s = ${N}; tasks/s ÷ skeletons/s = ${N}`));
    // The server's CPU is read from /proc: `n/a` where there is none.
    const cpu = `(?:${N}|n/a)`;
    expect(out).toMatch(new RegExp(`no-op server ${cpu} \\+ worker ${N} = ${cpu} ms; skeleton server ${cpu} \\+ worker ${N} = ${cpu} ms; task server ${cpu} \\+ worker ${N} = ${cpu} ms`));
    expect(out).toMatch(new RegExp(`a no-op's CPU ÷ a task's = ${cpu}`));
    expect(out).toMatch(new RegExp(`a plan of them as school tasks ÷ no-op = ${N}`));
    expect(out).toMatch(new RegExp(`plan of 80 school tasks: all started in ${N} s; worker RSS \\d+ MB → \\d+ MB`));
  }, 300_000);

  it('bench/web.ts: the year page and the federal overview against a static file of their bytes', async () => {
    const out = await bench('web.ts', ['6', '3', '2', '4']);
    for (const line of ['year page, read model, two page servers in turn', 'year page, a task changed before every request', 'year page, no read model: the plan workflow asked', 'overview, read model, two page servers in turn']) {
      expect(out).toMatch(new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${N} ms\\s+${N}×`));
    }
    expect(out).toMatch(new RegExp(`a completion reached the store after ${N} s`));
  }, 300_000);

  it('bench/task-memory.ts: a cached task workflow against a cached idle one', async () => {
    const out = await bench('task-memory.ts', ['30'], ['--expose-gc']);
    expect(out).toMatch(new RegExp(`ratio: a cached task ÷ a cached idle workflow = ${N} \\(RSS\\)`));
  }, 300_000);

  it('bench/replay.ts: the history and the replay time of a task chased all year, against one done in its month', async () => {
    const out = await bench('replay.ts', ['1']);
    expect(out).toMatch(new RegExp(`task never reported, at the end of the year \\(overdue, \\d+ working days late, \\d+ letters; \\d+ runs, \\d+ events in all\\): \\d+ events, ${N} KB; replay ${N} ms`));
    expect(out).toMatch(new RegExp(`ratio: the last run of a year-long task ÷ a month's task = ${N} in events, ${N} in replay time`));
  }, 300_000);

  it('bench/mail-burst.ts: a burst of letters through plangraf\'s mail activity against raw pooled nodemailer, every letter caught once', async () => {
    const out = await bench('mail-burst.ts', ['40', '1']);
    expect(out).toMatch(new RegExp(`raw pooled nodemailer, letters rendered before the clock\\s+${N} s\\s+\\d+/s`));
    expect(out).toMatch(new RegExp(`ratio: plangraf ÷ raw = ${N}`));
  }, 300_000);

  it('bench/profile-summary.ts: the kinds of work and the top frames of a CPU profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plangraf-profile-'));
    try {
      await run(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${dir}`, '-e', 'let s = 0; for (let i = 0; i < 2e6; i++) s += Math.sqrt(i);']);
      const out = await bench('profile-summary.ts', [dir, '--top', '3']);
      expect(out).toMatch(new RegExp(`\\.cpuprofile: ${N} s sampled, ${N} s busy`));
      expect(out).toContain('kinds of work, share of busy time:');
      expect(out.match(new RegExp(`^\\s+${N} %  \\S`, 'gm'))?.length).toBeGreaterThanOrEqual(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The `plangraf` command run as a user runs it: a real process, its exit status and its output. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TIMEOUT = 20_000;

export interface PlangrafRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a program error looks like: a stack trace or a thrown error's name. */
export const STACK_TRACE = /^\s{4}at |\bError:|внутренняя ошибка/m;

/** Runs `plangraf …` from the repository root, as `npm run -s plangraf -- …` does, with `env` over this process's environment. */
export function runPlangraf(args: readonly string[], env: Record<string, string> = {}, { timeoutMs = RUN_TIMEOUT }: { timeoutMs?: number } = {}): Promise<PlangrafRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', ...args],
      { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Where a command writes: the user's terminal, or a test's buffers. */
export type Output = { out: (text: string) => void; err: (text: string) => void; width: number };

/** The user typed the command wrong: exit status 2 and the usage. */
export class UsageError extends Error {}

export const terminalOutput: Output = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  width: process.stdout.columns ?? 160,
};

/** `--year 2026`: four digits, or a usage error that says what was typed. */
export function parseYearOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value)) throw new UsageError(`--year: ожидается год из четырёх цифр, а указано «${value}»`);
  return Number(value);
}

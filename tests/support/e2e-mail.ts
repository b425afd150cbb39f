/**
 * Reading what the mail catchers (real SMTP servers) caught for one plan: the e2e tests count
 * messages by Message-ID, so a message sent twice shows up as a count of 2.
 */
import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { vi } from 'vitest';
import type { CaughtMail, MailCatcher } from '../../activities/mail-catcher.ts';

/** Every message of the plan `planKey` the catchers hold, in arrival order per catcher. */
export async function planMail(catchers: readonly MailCatcher[], planKey: string): Promise<CaughtMail[]> {
  const all = await Promise.all(catchers.map((catcher) => catcher.messages()));
  return all.flat().filter((mail) => mail.plan === planKey);
}

/** How many times each Message-ID arrived. */
export function countByMessageId(mails: readonly CaughtMail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mail of mails) counts[mail.messageId] = (counts[mail.messageId] ?? 0) + 1;
  return counts;
}

/** Waits until the plan's mail holds at least `count` messages; returns them. */
export async function waitForPlanMail(catchers: readonly MailCatcher[], planKey: string, count: number, timeoutMs: number): Promise<CaughtMail[]> {
  return vi.waitFor(
    async () => {
      const mails = await planMail(catchers, planKey);
      if (mails.length < count) throw new Error(`${planKey}: ${mails.length} of ${count} messages caught so far`);
      return mails;
    },
    { timeout: timeoutMs, interval: 250 },
  );
}

/** The header `name` of a caught message, read back from its `.eml` file ('' when absent). */
export async function headerOf(mail: CaughtMail, name: string): Promise<string> {
  const parsed = await simpleParser(await readFile(mail.file));
  const value = parsed.headers.get(name.toLowerCase());
  return typeof value === 'string' ? value : '';
}

/** The attachment `filename`'s text, read back from the `.eml` file. */
export async function attachmentText(mail: CaughtMail, filename: string): Promise<string> {
  const parsed = await simpleParser(await readFile(mail.file));
  const attachment = parsed.attachments.find((entry) => entry.filename === filename);
  if (!attachment) throw new Error(`${mail.file} has no attachment ${filename}`);
  return attachment.content.toString('utf8');
}

/** Resolves after `ms` of real time. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

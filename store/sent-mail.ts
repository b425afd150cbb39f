/**
 * The sent log in the store: which notification keys the SMTP server accepted. Every worker
 * reads and writes the same log, so a mail activity retried on another host finds what the
 * first one sent.
 */
import type { SentEntry, SentLog } from '../activities/mail.ts';
import type { Queryable } from './database.ts';

export function storeSentLog(db: Queryable): SentLog {
  const get = async (key: string): Promise<SentEntry | undefined> => {
    const { rows } = await db.query<{ key: string; messageId: string; accepted: string[]; rejected: string[]; sentAt: Date }>(
      `select key, message_id as "messageId", accepted, rejected, sent_at as "sentAt" from sent_mail where key = $1`,
      [key],
    );
    const row = rows[0];
    return row ? { ...row, sentAt: row.sentAt.toISOString() } : undefined;
  };
  return {
    get,
    has: async (key) => (await get(key)) !== undefined,
    async add(key, messageId, delivery = { accepted: [], rejected: [] }) {
      await db.query('insert into sent_mail (key, message_id, accepted, rejected) values ($1, $2, $3, $4) on conflict (key) do nothing', [key, messageId, delivery.accepted, delivery.rejected]);
    },
  };
}

/** Records messages sent before (an import from `var/mail/sent.jsonl`). */
export async function importSentEntries(db: Queryable, entries: readonly SentEntry[]): Promise<void> {
  for (const entry of entries) {
    await db.query('insert into sent_mail (key, message_id, accepted, rejected, sent_at) values ($1, $2, $3, $4, coalesce(nullif($5, \'\')::timestamptz, now())) on conflict (key) do nothing', [
      entry.key,
      entry.messageId,
      entry.accepted,
      entry.rejected,
      entry.sentAt,
    ]);
  }
}

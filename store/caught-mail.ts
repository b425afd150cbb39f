/**
 * The letters the built-in mail catcher took, kept in the store: the «Почта» page of every page
 * server shows them, whichever worker sent them. Each letter is parsed once per process.
 */
import { parseCaughtMessage, type CaughtMail } from '../activities/mail-catcher.ts';
import type { Queryable } from './database.ts';

/** A letter's plan: its `X-Plangraf-Plan` header, read without parsing the whole message. */
export function planHeaderOf(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const match = /^X-Plangraf-Plan:[ \t]*([^\r\n]*)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return match ? match[1]!.trim() : '';
}

export async function saveCaughtMail(db: Queryable, raw: Buffer, envelopeTo: string[]): Promise<void> {
  await db.query('insert into caught_mail (plan, envelope_to, raw) values ($1, $2, $3)', [planHeaderOf(raw), envelopeTo, raw]);
}

export interface Mailbox {
  /** The letters of these plans (every letter when `plans` is `null`), oldest first. */
  messages(plans?: readonly string[] | null): Promise<CaughtMail[]>;
  /** A letter's bytes, by the `file` its `CaughtMail` names. */
  raw(message: CaughtMail): Promise<Buffer | undefined>;
}

export function storeMailbox(db: Queryable): Mailbox {
  const parsed = new Map<number, Promise<CaughtMail>>();
  return {
    async messages(plans = null) {
      const { rows } = await db.query<{ id: number; envelopeTo: string[] }>(
        `select id, envelope_to as "envelopeTo" from caught_mail where ($1::text[] is null or plan = any($1)) order by id`,
        [plans],
      );
      return Promise.all(
        rows.map((row) => {
          let message = parsed.get(row.id);
          if (!message) {
            message = db
              .query<{ raw: Buffer }>('select raw from caught_mail where id = $1', [row.id])
              .then((result) => parseCaughtMessage(result.rows[0]!.raw, `store:${row.id}`, row.envelopeTo));
            parsed.set(row.id, message);
            message.catch(() => parsed.delete(row.id));
          }
          return message;
        }),
      );
    },
    async raw(message) {
      const id = /^store:(\d+)$/.exec(message.file)?.[1];
      if (!id) return undefined;
      return (await db.query<{ raw: Buffer }>('select raw from caught_mail where id = $1', [Number(id)])).rows[0]?.raw;
    },
  };
}

/**
 * The executors' links already used: a link acts once across every page server. The check, the
 * action and the record happen under a transaction-level advisory lock on the link, so two
 * requests with one link on two hosts are taken in turn and the second finds it used.
 */
import type { Store } from './database.ts';

export interface UsedLinkRegister {
  has(id: string): Promise<boolean>;
  /**
   * Runs `act` unless the link was used; records it when `act` says it acted, with what was sent
   * through it (`sent`, shown when the link is opened again). `null` for a used link.
   */
  once<T>(id: string, act: () => Promise<{ acted: boolean; value: T; sent?: unknown }>): Promise<T | null>;
  /** What was sent through a used link and when; `null` for a link not used (or used before this was kept). */
  sentThrough?(id: string): Promise<{ usedAt: Date; sent: unknown } | null>;
}

export function storeUsedLinks(store: Store): UsedLinkRegister {
  return {
    async has(id) {
      return (await store.pool.query('select 1 from used_links where id = $1', [id])).rowCount! > 0;
    },
    once(id, act) {
      return store.transaction(async (client) => {
        await client.query(`select pg_advisory_xact_lock(hashtextextended('link:' || $1, 0))`, [id]);
        if ((await client.query('select 1 from used_links where id = $1', [id])).rowCount! > 0) return null;
        const outcome = await act();
        if (outcome.acted) await client.query('insert into used_links (id, sent) values ($1, $2)', [id, outcome.sent === undefined ? null : JSON.stringify(outcome.sent)]);
        return outcome.value;
      });
    },
    async sentThrough(id) {
      const { rows } = await store.pool.query<{ used_at: Date; sent: unknown }>('select used_at, sent from used_links where id = $1 and sent is not null', [id]);
      return rows[0] ? { usedAt: rows[0].used_at, sent: rows[0].sent } : null;
    },
  };
}

/** Records links used before (an import from `var/links/used.jsonl`). */
export async function markLinksUsed(store: Store, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await store.pool.query('insert into used_links (id) select unnest($1::text[]) on conflict do nothing', [ids]);
}

/**
 * The executors' links already used: a link acts once across every page server. The check, the
 * action and the record happen under a transaction-level advisory lock on the link, so two
 * requests with one link on two hosts are taken in turn and the second finds it used.
 */
import type { Store } from './database.ts';

export interface UsedLinkRegister {
  has(id: string): Promise<boolean>;
  /** Runs `act` unless the link was used; records it when `act` says it acted. `null` for a used link. */
  once<T>(id: string, act: () => Promise<{ acted: boolean; value: T }>): Promise<T | null>;
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
        if (outcome.acted) await client.query('insert into used_links (id) values ($1)', [id]);
        return outcome.value;
      });
    },
  };
}

/** Records links used before (an import from `var/links/used.jsonl`). */
export async function markLinksUsed(store: Store, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await store.pool.query('insert into used_links (id) select unnest($1::text[]) on conflict do nothing', [ids]);
}

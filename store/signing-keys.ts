/**
 * The keys the executors' links and calendar feeds are signed with. Each has an id that the
 * token carries: new links are signed with the newest key; a token signed with an older key
 * still verifies until that key is retired. Every worker and page server reads the same keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from './database.ts';

export interface SigningKey {
  kid: string;
  secret: Buffer;
  createdAt: Date;
  retiredAt: Date | null;
}

/** A key id from its secret: short, and the same wherever the secret is. */
export function keyIdOf(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 8);
}

export async function listSigningKeys(db: Queryable): Promise<SigningKey[]> {
  const { rows } = await db.query<SigningKey>(`select kid, secret, created_at as "createdAt", retired_at as "retiredAt" from signing_keys order by created_at, kid`);
  return rows;
}

/** Adds a key (a given secret, or a new random one); a key already there is kept as it is. */
export async function addSigningKey(db: Queryable, secret: Buffer = randomBytes(32)): Promise<string> {
  const kid = keyIdOf(secret);
  await db.query('insert into signing_keys (kid, secret) values ($1, $2) on conflict (kid) do nothing', [kid, secret]);
  return kid;
}

/** The first key, made when the store has none; many hosts starting at once agree on one. */
export async function ensureSigningKey(db: pg.PoolClient): Promise<void> {
  await db.query('select pg_advisory_xact_lock(7204619302)');
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from signing_keys where retired_at is null');
  if (rows[0]!.n === 0) await addSigningKey(db);
}

/**
 * Retires a key: links signed with it stop working. The last active key cannot be retired, even
 * when two administrators retire the last two at once: the active keys are locked while counted.
 */
export async function retireSigningKey(db: Queryable, kid: string): Promise<'retired' | 'unknown' | 'last'> {
  const { rows } = await db.query<{ known: boolean; retired: boolean }>(
    `with active as (select kid from signing_keys where retired_at is null order by kid for update),
          retired as (update signing_keys set retired_at = now() where kid = $1 and kid in (select kid from active) and (select count(*) from active) > 1 returning kid)
     select exists (select 1 from active where kid = $1) as known, exists (select 1 from retired) as retired`,
    [kid],
  );
  const { known, retired } = rows[0]!;
  return !known ? 'unknown' : retired ? 'retired' : 'last';
}

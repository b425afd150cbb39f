/** Organisations: a region's project office (or the federal operator) that plans and users belong to. */
import type { Queryable } from './database.ts';

export interface Organisation {
  id: string;
  name: string;
}

/** An organisation's id: Latin letters, digits and hyphens (`ryazan`, `tatarstan-io`). */
export const ORG_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Adds the organisation, or renames it when `name` is given and differs. */
export async function ensureOrganisation(db: Queryable, id: string, name?: string): Promise<Organisation> {
  const { rows } = await db.query<Organisation>(
    `insert into organisations (id, name) values ($1, $2)
     on conflict (id) do update set name = case when $3 then excluded.name else organisations.name end
     returning id, name`,
    [id, name ?? id, name !== undefined],
  );
  return rows[0]!;
}

export async function findOrganisation(db: Queryable, id: string): Promise<Organisation | undefined> {
  return (await db.query<Organisation>('select id, name from organisations where id = $1', [id])).rows[0];
}

export async function listOrganisations(db: Queryable): Promise<Organisation[]> {
  return (await db.query<Organisation>('select id, name from organisations order by name, id')).rows;
}

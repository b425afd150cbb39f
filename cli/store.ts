/**
 * The command line's way to the shared store: opened on first use (`DATABASE_URL`, or this
 * checkout's embedded PostgreSQL, started for the command when nothing else runs it) and closed
 * when the command ends. The first open also brings in an old checkout's `var/` files, once
 * (its register from `var/documents`, or PLANGRAF_DOCUMENTS where it had been moved).
 */
import { join } from 'node:path';
import type { Store } from '../store/database.ts';
import { importVarFiles } from '../store/import-var.ts';
import { ensureOrganisation, findOrganisation, listOrganisations } from '../store/organisations.ts';
import { openStore, type OpenedStore } from '../store/open.ts';
import { VAR_DIR } from '../worker.ts';

/** The organisation plans and users belong to when none is named: PLANGRAF_ORG, else `main`. */
export function defaultOrg(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLANGRAF_ORG?.trim() || 'main';
}

let opened: Promise<OpenedStore> | undefined;

/** The store for this command; opened once per process. */
export function cliStore(options: { log?: (line: string) => void; max?: number } = {}): Promise<Store> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  opened ??= openStore({ varDir: VAR_DIR, log, ...(options.max !== undefined ? { max: options.max } : {}) }).then(async (result) => {
    await importVarFiles(result.store, VAR_DIR, { ...(process.env.PLANGRAF_DOCUMENTS ? { documentsDir: process.env.PLANGRAF_DOCUMENTS } : {}), usersFile: process.env.PLANGRAF_USERS ?? join(VAR_DIR, 'office-users.yaml'), org: defaultOrg(), log });
    return result;
  });
  opened.catch(() => (opened = undefined));
  return opened.then((result) => result.store);
}

/** Whether this command uses the embedded PostgreSQL, and whether it started it. */
export async function cliEmbedded(): Promise<OpenedStore['embedded']> {
  return opened ? (await opened).embedded : null;
}

/** Closes the store (and stops the embedded server if this command started it). */
export async function closeCliStore(): Promise<void> {
  const current = opened;
  opened = undefined;
  if (!current) return;
  const result = await current.catch(() => null);
  await result?.close();
}

/**
 * The organisation a command acts for. One named with `--org` must exist — a typo must not make a
 * new region that nobody sees; the default one (PLANGRAF_ORG, else `main`) is made when missing,
 * named `name` (the plan's region).
 * @returns the organisation's id, or a Russian sentence saying what to do
 */
export async function organisationFor(store: Store, explicit: string | undefined, name?: string): Promise<{ ok: true; org: string } | { ok: false; message: string }> {
  const org = explicit ?? defaultOrg();
  if (await findOrganisation(store.pool, org)) return { ok: true, org };
  if (explicit === undefined) {
    await ensureOrganisation(store.pool, org, name ?? org);
    return { ok: true, org };
  }
  const known = (await listOrganisations(store.pool)).map((entry) => `${entry.id} (${entry.name})`);
  return {
    ok: false,
    message: `нет организации «${org}»${known.length > 0 ? `; есть: ${known.join(', ')}` : ''}. Проверьте --org или добавьте её: plangraf orgs add ${org} --name "Министерство образования …"`,
  };
}

/** The audit log: every office action, who took it, when, from which address, and on what. */
import type { Queryable } from './database.ts';

export interface AuditEntry {
  login: string | null;
  org: string | null;
  address: string | null;
  /** What was done: `task.extend`, `login`, `logout.everywhere`, `user.add` … */
  action: string;
  plan?: string | null;
  task?: string | null;
  details?: Record<string, unknown>;
}

export interface StoredAuditEntry extends Required<AuditEntry> {
  id: number;
  at: Date;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query('insert into audit_log (login, org, address, action, plan, task, details) values ($1, $2, $3, $4, $5, $6, $7)', [
    entry.login,
    entry.org,
    entry.address,
    entry.action,
    entry.plan ?? null,
    entry.task ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}

/** The newest entries first; `org` keeps one organisation's. */
export async function listAudit(db: Queryable, options: { org?: string; limit?: number } = {}): Promise<StoredAuditEntry[]> {
  const { rows } = await db.query<StoredAuditEntry>(
    `select id, at, login, org, address, action, plan, task, details from audit_log where ($1::text is null or org = $1) order by id desc limit $2`,
    [options.org ?? null, options.limit ?? 200],
  );
  return rows;
}

import type { StoreConnection } from './store-connection.ts';

/** One admin action, as the audit log keeps it. */
export interface AuditEntry {
  id: number;
  at: string;
  /** The name of the admin token that acted (or the command, for a process). */
  actor: string;
  /** What was done, e.g. `source.disable`, `source.purge`, `best-bet.create`. */
  action: string;
  /** What it was done to: a source id, a best bet's id… */
  target: string | null;
  /** The state before and after, as JSON values; null when there was none (a creation). */
  before: unknown;
  after: unknown;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
}

/**
 * Who did what, when, with the before and after: appended to, never rewritten (the table's
 * triggers refuse UPDATE and DELETE, crawl-store-schema.ts), so that the log can be trusted when
 * it is needed, after a mistake or an intrusion.
 */
export class AuditLog {
  constructor(private readonly db: StoreConnection) {}

  append(entry: Omit<AuditEntry, 'id'>): AuditEntry {
    const inserted = this.db
      .statement('INSERT INTO audit_log (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor, entry.action, entry.target, toJson(entry.before), toJson(entry.after));
    return { ...entry, id: Number(inserted.lastInsertRowid) };
  }

  /** Newest first; `beforeId` pages back through older entries. */
  list({ limit, beforeId }: { limit: number; beforeId?: number }): AuditEntry[] {
    const rows = this.db
      .statement('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as AuditRow[];
    return rows.map((row) => ({
      ...row,
      before: row.before === null ? null : (JSON.parse(row.before) as unknown),
      after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    }));
  }
}

function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

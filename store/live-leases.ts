import type { StoreConnection } from './store-connection.ts';
import type { WriterLockHolder } from './writer-lock.ts';

/**
 * The crawl workers' leases (crawl-leases.ts) still valid at `now`, as writers, the oldest first:
 * what the one-writer lock waits for. In its own file because both the lock and the leases read it.
 */
export function liveLeases(db: StoreConnection, now: Date): (WriterLockHolder & { sourceId: string })[] {
  const rows = db
    .statement(
      `SELECT source_id AS sourceId, holder, command, since FROM crawl_leases
         WHERE expires_at > ? ORDER BY since`,
    )
    .all(now.toISOString()) as { sourceId: string; holder: string; command: string; since: string }[];
  return rows.map((row) => {
    const [host = '', pid = '0'] = row.holder.split(':');
    return {
      sourceId: row.sourceId,
      pid: Number(pid),
      start: '',
      host,
      command: row.command,
      since: row.since,
    };
  });
}

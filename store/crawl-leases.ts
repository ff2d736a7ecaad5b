import { hostname } from 'node:os';
import { currentProcess } from '../core/process-identity.ts';
import type { StoreConnection } from './store-connection.ts';
import { liveLeases } from './live-leases.ts';
import { lockHolder, StoreBusyError } from './writer-lock.ts';

/** How long a lease lasts unless renewed: a worker that died (SIGKILL, a lost machine) frees its source then. */
export const LEASE_TTL_MS = 60_000;

/** A crawl worker's hold on one source: renewed while it crawls, released when it is done. */
export interface CrawlLease {
  /** Extends the lease by LEASE_TTL_MS from `now`. */
  renew(now?: Date): void;
  release(): void;
}

/**
 * Takes the lease on `sourceId` for `command`, or throws StoreBusyError naming who writes: the
 * holder of the one-writer lock (a hand-run crawl, a rebuild, an admin's change), or the worker
 * crawling this same source. Leases on other sources do not stand in the way: workers crawl
 * different sources at once, and SQLite's own lock still lets one transaction write at a time.
 * A lease is identified by host and pid, since workers run in containers and on other machines.
 */
export function acquireCrawlLease(
  db: StoreConnection,
  sourceId: string,
  command: string,
  now = new Date(),
): CrawlLease {
  const holder = thisHolder();
  db.immediateTransaction(() => {
    const writer = lockHolder(db);
    if (writer) throw new StoreBusyError(writer);
    const same = liveLeases(db, now).find((lease) => lease.sourceId === sourceId);
    if (same) throw new StoreBusyError(same);
    db.statement(
      `INSERT INTO crawl_leases (source_id, holder, command, since, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET holder = excluded.holder, command = excluded.command,
           since = excluded.since, expires_at = excluded.expires_at`,
    ).run(sourceId, holder, command, now.toISOString(), expiry(now));
  });
  return {
    renew(at = new Date()) {
      db.statement('UPDATE crawl_leases SET expires_at = ? WHERE source_id = ? AND holder = ?').run(
        expiry(at),
        sourceId,
        holder,
      );
    },
    release() {
      db.statement('DELETE FROM crawl_leases WHERE source_id = ? AND holder = ?').run(sourceId, holder);
    },
  };
}

/** Frees every lease this process holds: it stops (SIGTERM) in the middle of its crawls. */
export function releaseLeasesOfThisProcess(db: StoreConnection): void {
  db.statement('DELETE FROM crawl_leases WHERE holder = ?').run(thisHolder());
}

function thisHolder(): string {
  const me = currentProcess();
  return `${hostname()}:${me.pid}:${me.start}`;
}

function expiry(from: Date): string {
  return new Date(from.getTime() + LEASE_TTL_MS).toISOString();
}

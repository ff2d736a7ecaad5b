import { setTimeout as sleep } from 'node:timers/promises';
import { acquireCrawlLease, type CrawlLease, LEASE_TTL_MS } from './crawl-leases.ts';
import type { StoreConnection } from './store-connection.ts';
import { StoreBusyError } from './writer-lock.ts';

/** The lease key of the index sync: no source id has a colon (core/source.ts). */
const SYNC_KEY = ':index-sync';
const POLL_MS = 100;

/**
 * Runs `sync` when no other crawl worker is sending the store's pending documents to Meilisearch,
 * waiting its turn: two syncs at once would read the same pending documents and mark them indexed
 * in either order. The turn is a lease like a source's (crawl-leases.ts), so it is held across
 * containers and freed if its worker dies; it is renewed while a long sync runs.
 */
export async function inIndexSyncTurn<T>(
  db: StoreConnection,
  command: string,
  sync: () => Promise<T>,
  pollMs = POLL_MS,
): Promise<T> {
  let lease: CrawlLease | undefined;
  while (!lease) {
    try {
      lease = acquireCrawlLease(db, SYNC_KEY, command);
    } catch (error) {
      if (!(error instanceof StoreBusyError)) throw error;
      await sleep(pollMs);
    }
  }
  const held = lease;
  const renewal = setInterval(() => held.renew(), LEASE_TTL_MS / 3);
  try {
    return await sync();
  } finally {
    clearInterval(renewal);
    held.release();
  }
}

import { hostname } from 'node:os';
import { AppError } from '../core/errors.ts';
import type { StoreConnection } from './store-connection.ts';
import { currentProcess, isRunning, type ProcessIdentity } from '../core/process-identity.ts';
import { liveLeases } from './live-leases.ts';

/** The process that holds the store's writer lock. */
export interface WriterLockHolder extends ProcessIdentity {
  command: string;
  since: string;
  /** The machine (container) it runs on; null in rows written before workers existed. */
  host?: string | null;
}

/** Another process is writing to the store (a crawl, a rebuild): this one must not. */
export class StoreBusyError extends AppError {
  readonly code = 'store_busy';
  constructor(readonly holder: WriterLockHolder) {
    super(
      `Another process is writing to the crawl store: ${holder.command} (pid ${holder.pid}, since ${holder.since}). ` +
        'Wait for it to finish, or stop it, then run this again.',
    );
  }
}

/**
 * One writer at a time. Two crawls, or a crawl and a rebuild or confirmed deletions, would each
 * change what the other relies on (a rebuild marks everything indexed after its swap; crawls would
 * share run ids). The lock is a row in the store itself, taken in one SQLite write transaction, so
 * taking it is atomic across processes; a row left by a process that died (SIGKILL) is taken over.
 * Crawl workers' leases on their sources (crawl-leases.ts) count as writers too: the lock waits for
 * the last of them, and they wait for it.
 */
export function acquireWriterLock(db: StoreConnection, command: string, now = new Date()): () => void {
  const me = currentProcess();
  db.immediateTransaction(() => {
    const holder = readHolder(db);
    if (holder && !(holder.pid === me.pid && holder.start === me.start) && isAlive(holder)) {
      throw new StoreBusyError(holder);
    }
    const [lease] = liveLeases(db, now);
    if (lease) throw new StoreBusyError(lease);
    db.statement(
      `INSERT INTO writer_lock (id, pid, process_start, command, since, host) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, process_start = excluded.process_start,
           command = excluded.command, since = excluded.since, host = excluded.host`,
    ).run(me.pid, me.start, command, now.toISOString(), hostname());
  });
  return () => {
    db.immediateTransaction(() => {
      db.statement('DELETE FROM writer_lock WHERE id = 1 AND pid = ? AND process_start = ?').run(
        me.pid,
        me.start,
      );
    });
  };
}

/** The process holding the writer lock now, if it still runs (a row left by a dead one is none). */
export function lockHolder(db: StoreConnection): WriterLockHolder | undefined {
  const holder = readHolder(db);
  return holder && isAlive(holder) ? holder : undefined;
}

/** The process writing to the store now, if any: the lock's holder, else a crawl worker's lease. */
export function currentWriter(db: StoreConnection, now = new Date()): WriterLockHolder | undefined {
  return lockHolder(db) ?? liveLeases(db, now)[0];
}

function readHolder(db: StoreConnection): WriterLockHolder | undefined {
  return db
    .statement('SELECT pid, process_start AS start, command, since, host FROM writer_lock WHERE id = 1')
    .get() as WriterLockHolder | undefined;
}

/**
 * A holder on another host (a worker's container, another machine) cannot be checked from here:
 * its pid means nothing in this process's namespace. It is taken to be running, which at worst
 * makes a writer wait; a lock wrongly taken over would let two write.
 */
function isAlive(holder: WriterLockHolder): boolean {
  if (holder.host && holder.host !== hostname()) return true;
  return isRunning(holder);
}

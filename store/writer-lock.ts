import { AppError } from '../core/errors.ts';
import type { StoreConnection } from './store-connection.ts';
import { currentProcess, isRunning, type ProcessIdentity } from '../core/process-identity.ts';

/** The process that holds the store's writer lock. */
export interface WriterLockHolder extends ProcessIdentity {
  command: string;
  since: string;
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
 */
export function acquireWriterLock(db: StoreConnection, command: string, now = new Date()): () => void {
  const me = currentProcess();
  db.immediateTransaction(() => {
    const holder = db
      .statement('SELECT pid, process_start AS start, command, since FROM writer_lock WHERE id = 1')
      .get() as WriterLockHolder | undefined;
    if (holder && !(holder.pid === me.pid && holder.start === me.start) && isRunning(holder)) {
      throw new StoreBusyError(holder);
    }
    db.statement(
      `INSERT INTO writer_lock (id, pid, process_start, command, since) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, process_start = excluded.process_start,
           command = excluded.command, since = excluded.since`,
    ).run(me.pid, me.start, command, now.toISOString());
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

/** The process writing to the store now, if any (a row left by a dead process is none). */
export function currentWriter(db: StoreConnection): WriterLockHolder | undefined {
  const holder = db
    .statement('SELECT pid, process_start AS start, command, since FROM writer_lock WHERE id = 1')
    .get() as WriterLockHolder | undefined;
  return holder && isRunning(holder) ? holder : undefined;
}

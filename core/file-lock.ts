import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from './errors.ts';
import { currentProcess, isRunning, type ProcessIdentity } from './process-identity.ts';

/** Who holds a file's lock: a process, and what it is doing. */
export interface FileLockHolder extends ProcessIdentity {
  purpose: string;
  since: string;
}

/** The lock could not be taken in time: `holder` has it. */
export class FileLockTimeoutError extends AppError {
  readonly code = 'file_locked';
  constructor(
    readonly file: string,
    readonly holder: FileLockHolder | undefined,
  ) {
    super(
      `${file} is locked${holder ? ` by pid ${holder.pid} (${holder.purpose}, since ${holder.since})` : ''}`,
    );
  }
}

/** How often a waiting writer looks again. */
const RETRY_MS = 20;

/**
 * Runs `work` holding an exclusive lock on `file`, across processes and within one: a `<file>.lock`
 * created with O_EXCL, naming its holder. A lock left by a process that died is taken over. A
 * second writer waits for the first, up to `timeoutMs`, then gets FileLockTimeoutError naming it.
 */
export async function withFileLock<T>(
  file: string,
  purpose: string,
  work: () => Promise<T>,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<T> {
  const lockFile = `${file}.lock`;
  const me: FileLockHolder = { ...currentProcess(), purpose, since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readHolder(lockFile);
      // A lock being written (empty yet) is not stale: only a named holder that is gone is, or a
      // nameless lock older than anyone would wait (its writer died between creating and naming).
      if (holder ? !isRunning(holder) : await olderThan(lockFile, timeoutMs)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() >= deadline) throw new FileLockTimeoutError(file, holder);
      await sleep(RETRY_MS);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function readHolder(lockFile: string): Promise<FileLockHolder | undefined> {
  try {
    return JSON.parse(await readFile(lockFile, 'utf8')) as FileLockHolder;
  } catch {
    return undefined;
  }
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ms;
  } catch {
    return true;
  }
}

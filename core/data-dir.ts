import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StartupError } from './errors.ts';

/**
 * Makes sure DATA_DIR can be used before anything is started in it: creates it if need be, then
 * writes and removes a probe file. A path that is a file, or that cannot be created or written,
 * stops the process with a message naming DATA_DIR, instead of a stack trace from deep inside the
 * embedded Meilisearch's start.
 */
export async function ensureWritableDataDir(dataDir: string): Promise<void> {
  const directory = path.resolve(dataDir);
  const refuse = (reason: string, cause?: unknown) =>
    new StartupError(
      'DATA_DIR',
      `DATA_DIR ${dataDir} cannot be used: ${reason}. Set DATA_DIR to a directory this process can create and write.`,
      { cause },
    );
  try {
    await makeDirectory(directory);
  } catch (error) {
    if (error instanceof NotADirectoryError) throw refuse(`${error.path} is a file, not a directory`);
    throw refuse(`it cannot be created (${errorCode(error)})`, error);
  }
  const probe = path.join(directory, `.write-probe-${process.pid}`);
  try {
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw refuse(`it cannot be written (${errorCode(error)})`, error);
  }
}

class NotADirectoryError extends Error {
  constructor(readonly path: string) {
    super(`${path} is not a directory`);
  }
}

/**
 * `mkdir -p`, one level at a time: Node 20's own `mkdir(…, { recursive: true })` never returns for a
 * path under /proc (it retries the parent forever), which made `DATA_DIR=/proc/nope` hang silently.
 */
async function makeDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(directory)).isDirectory()) return;
      throw new NotADirectoryError(directory);
    }
    const parent = path.dirname(directory);
    if (code !== 'ENOENT' || parent === directory) throw error;
    await makeDirectory(parent);
    // Fails again, with ENOENT, where the parent exists but cannot hold directories (/proc).
    await mkdir(directory);
  }
}

function errorCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

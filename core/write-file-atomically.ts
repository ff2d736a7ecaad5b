import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `text` to `file` so that a reader sees the old file or the whole new one, never a part:
 * the text goes to a temporary file in the same directory (a rename is atomic only within one file
 * system), is flushed to disk, then renamed over `file`. A crawl killed while writing its report, or
 * a full disk, then leaves no truncated report for the API to read (api/last-crawls.ts).
 *
 * The temporary file's name starts with a dot and ends in `.tmp`, so that nothing reading the
 * directory for `crawl-*.json` takes it for a report; it is removed when the write fails.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      // On disk before the rename: after a power cut the new name never points at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

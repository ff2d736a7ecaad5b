/** What bench:scale reads of the machine: a directory's size on disk, a process's memory, percentiles. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Bytes the files under `directory` take on disk (allocated blocks, as `du` counts them). */
export async function directorySize(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += await directorySize(full);
    else if (entry.isFile()) total += (await stat(full)).blocks * 512;
  }
  return total;
}

/** A process's resident memory in bytes, from /proc (Linux, like the embedded Meilisearch). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kilobytes) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kilobytes) * 1024;
}

/** The value below which `share` of `values` fall (nearest rank). */
export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

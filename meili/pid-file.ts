import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../core/logger.ts';

/**
 * If our process was killed with SIGKILL, its Meilisearch child outlives it and keeps the database
 * locked, so the next start would fail. The pid file lets the next start find and stop that orphan.
 */
export async function writePidFile(meiliDir: string, pid: number): Promise<void> {
  await writeFile(path.join(meiliDir, 'meilisearch.pid'), String(pid));
}

export async function killStaleMeilisearch(meiliDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(meiliDir, 'meilisearch.pid');
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, 'utf8')).trim());
  } catch {
    return;
  }
  // Only kill it if it really is a Meilisearch on this data directory (pids are reused).
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (commandLine.includes('meilisearch') && commandLine.includes(meiliDir)) {
    log.warn({ pid }, 'stopping a Meilisearch left running by a previous process');
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 100 && (await isAlive(pid)); waited++) await sleep(100);
    if (await isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

async function isAlive(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return status !== '' && !/^State:\s+Z/m.test(status);
}

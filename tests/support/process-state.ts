import { readFileSync } from 'node:fs';

/** Running, not a zombie: a stopped Meilisearch whose parent exited waits there for init to reap it. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

import { readFileSync } from 'node:fs';

/**
 * A process as another process can recognise it later: its pid, and when it started (from
 * /proc/<pid>/stat on Linux), since pids are reused. Elsewhere the start is unknown ('') and only
 * the pid is checked.
 */
export interface ProcessIdentity {
  pid: number;
  start: string;
}

export function currentProcess(): ProcessIdentity {
  return identityOf(process.pid);
}

/** The identity of a running process, e.g. a child just spawned. */
export function identityOf(pid: number): ProcessIdentity {
  return { pid, start: processStart(pid) ?? '' };
}

/** Whether that very process still runs (not another one that was given its pid since). */
export function isRunning(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(identity.pid);
  if (start === null || identity.start === '') return start !== null || process.platform !== 'linux';
  return start === identity.start;
}

/** Field 22 of /proc/<pid>/stat, the start time in clock ticks since boot; null if gone or a zombie. */
function processStart(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return null;
  return fields[19] ?? null;
}

/**
 * CPU time a process has used so far, read from /proc (Linux, like the embedded Meilisearch): on a
 * small machine the servers and the load generator share the cores, so CPU per request tells where
 * the time goes better than requests/s alone.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface CpuReader {
  /** User + system CPU seconds used by `pid` so far (children not included). */
  cpuSeconds(pid: number): Promise<number>;
}

export function createCpuReader(): CpuReader {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return {
    async cpuSeconds(pid) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces), itself in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    },
  };
}

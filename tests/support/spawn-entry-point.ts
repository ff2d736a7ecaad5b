import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningEntryPoint {
  child: ChildProcess;
  /** Settles when the process exits, however it exits (a signal included). */
  exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Starts one of the project's entry points as `npm run` would, and hands back the process to kill it. */
export function startEntryPoint(
  entryPoint: string,
  args: string[],
  env: Record<string, string>,
): RunningEntryPoint {
  const child = spawn(process.execPath, ['--import', 'tsx', entryPoint, ...args], {
    cwd: projectRoot,
    // `npm start` runs the scheduler unless told otherwise: a test of the API asks for it (SCHEDULER=on),
    // rather than have crawls of its sources start under it and take the store's writer lock.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', SCHEDULER: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Awaited<RunningEntryPoint['exited']>>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  return { child, exited };
}

/**
 * The address `npm start` prints once it listens (`API listening on http://…`), waiting up to 30 s;
 * undefined if it never does (the test then says so, with its own message).
 */
export async function listeningAddress(api: RunningEntryPoint): Promise<string | undefined> {
  let stdout = '';
  const collect = (chunk: Buffer) => (stdout += chunk.toString());
  api.child.stdout?.on('data', collect);
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      const base = /API listening on (http:\/\/[\d.:]+)/.exec(stdout)?.[1];
      if (base) return base;
      if (api.child.exitCode !== null) return undefined;
      await sleep(100);
    }
    return undefined;
  } finally {
    api.child.stdout?.off('data', collect);
  }
}

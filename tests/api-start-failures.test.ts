import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEntryPoint } from './support/spawn-entry-point.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pas-start-failure-'));
  cleanups.push(async () => {
    // Whatever the API left running on this data directory is the test's to stop.
    for (const pid of await processesMentioning(dir)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Processes whose command line names `text`, e.g. a Meilisearch started on a data directory. */
async function processesMentioning(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const matching: number[] = [];
  for (const pid of pids) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(text)) matching.push(Number(pid));
  }
  return matching;
}

/** `npm start` with `env`, run to its end. */
async function startApiExpectingFailure(env: Record<string, string>) {
  const api = startEntryPoint('api/main.ts', [], { PORT: '0', LOG_LEVEL: 'warn', ...env });
  cleanups.push(async () => {
    api.child.kill('SIGKILL');
    await api.exited;
  });
  return api.exited;
}

async function takenPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

describe('npm start that cannot start', () => {
  it('says PORT is in use, exits non-zero, and leaves no Meilisearch behind', async () => {
    const dataDir = await tempDir();
    const port = await takenPort();
    const result = await startApiExpectingFailure({
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`PORT ${port}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it.each([
    ['not an address of this machine', '192.0.2.1'],
    ['a name that does not resolve', 'nowhere.invalid'],
  ])('says HOST is wrong when it is %s, and leaves no Meilisearch behind', async (_case, host) => {
    const dataDir = await tempDir();
    const result = await startApiExpectingFailure({ DATA_DIR: dataDir, HOST: host });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`HOST ${host}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it('says DATA_DIR is a file, not a directory', async () => {
    const file = path.join(await tempDir(), 'data');
    await writeFile(file, 'not a directory');
    const result = await startApiExpectingFailure({ DATA_DIR: file });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`DATA_DIR ${file}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await processesMentioning(file)).toEqual([]);
  });

  it('says DATA_DIR cannot be created, instead of hanging', async () => {
    const result = await startApiExpectingFailure({ DATA_DIR: '/proc/nope' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('DATA_DIR /proc/nope');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isRunning } from './support/process-state.ts';
import { sha256Hex } from '../core/admin-tokens.ts';
import { aSiteSlowToAnswer } from './support/held-site.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const TOKEN = 'pasadm_test-token-of-the-shutdown-test';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `npm start` with a slow request to make: the admin's check of a URL (GET /v1/admin/urls) reads
 * the site's robots.txt, which the site answers only when the test releases it.
 */
async function anApiWithASlowSite(env: Record<string, string> = {}) {
  const site = await aSiteSlowToAnswer();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-shutdown-'));
  const sourcesFile = await writeTempSourcesFile([
    {
      id: 'lente',
      name: 'Commune lente',
      kind: 'collectivite',
      url: `${site.origin}/`,
      territory: 'national',
    },
  ]);
  const api = startEntryPoint('api/main.ts', [], {
    MEILI_URL: inject('meiliUrl'),
    MEILI_MASTER_KEY: inject('meiliKey'),
    MEILI_INDEX: uniqueIndexUid('shutdown'),
    DATA_DIR: dataDir,
    SOURCES_FILE: sourcesFile,
    CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    ADMIN_TOKENS: `ops:read:${sha256Hex(TOKEN)}`,
    PORT: '0',
    // Its log lines say when it has stopped listening.
    LOG_LEVEL: 'info',
    ...env,
  });
  cleanups.push(async () => {
    api.child.kill('SIGKILL');
    await api.exited;
    site.release();
    await site.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const output = { stdout: '', stderr: '' };
  api.child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  api.child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const until = async (done: () => boolean) => {
    while (!done() && api.child.exitCode === null) await sleep(50);
  };
  await until(() => /API listening on http:\/\/[\d.:]+/.test(output.stdout));
  const base = /API listening on (http:\/\/[\d.:]+)/.exec(output.stdout)?.[1];
  expect(base, 'the API printed its address').toBeDefined();

  return {
    api,
    site,
    output,
    /** The URL check, in flight in the API (waiting for robots.txt) when this returns. */
    async slowRequest(): Promise<{ answered: Promise<Response> }> {
      const answered = fetch(
        `${base}/v1/admin/urls?url=${encodeURIComponent(`${site.origin}/deliberations`)}`,
        {
          headers: { Authorization: `Bearer ${TOKEN}` },
        },
      );
      await site.robotsAsked;
      return { answered };
    },
    /** SIGTERM, and back once the API says it no longer accepts connections. */
    async terminate() {
      api.child.kill('SIGTERM');
      await until(() => output.stderr.includes('refusing new connections'));
    },
    newConnection: () =>
      fetch(`${base}/healthz`).then(
        () => 'answered',
        (error: { cause?: { code?: string } }) => error.cause?.code,
      ),
  };
}

describe('npm start receiving SIGTERM', () => {
  it('answers the slow request in flight with 200, refuses new connections meanwhile, and exits 0', async () => {
    const started = await anApiWithASlowSite();
    const { answered } = await started.slowRequest();

    await started.terminate();
    const meanwhile = await started.newConnection();
    started.site.release();
    const response = await answered;
    const exit = await started.api.exited;

    expect(meanwhile).toBe('ECONNREFUSED');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ source: { id: 'lente' }, robots: { verdict: 'allowed' } });
    expect(exit.exitCode, exit.stderr).toBe(0);
    expect(started.output.stderr).toContain('every request in flight was answered');
  });

  it('closes a request still running after SHUTDOWN_TIMEOUT_SECONDS, and exits 0 all the same', async () => {
    const started = await anApiWithASlowSite({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const { answered } = await started.slowRequest();
    const outcome = answered.then(
      (response) => response.status,
      () => 'connection closed',
    );

    // The site never answers: only the grace period ends the request.
    await started.terminate();
    const exit = await started.api.exited;

    expect(await outcome).toBe('connection closed');
    expect(exit.exitCode, exit.stderr).toBe(0);
    expect(started.output.stderr).toContain('requests still in flight after the grace period');
  });
});

describe('npm start, the script, receiving SIGTERM', () => {
  // An orchestrator signals the process it started, npm: the signal must reach the API through npm
  // and its shell, or the API and its Meilisearch go on running, orphaned.
  it('passes it on to the API, which stops its embedded Meilisearch and exits 0', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-npm-start-'));
    const sourcesFile = await writeTempSourcesFile([
      {
        id: 'tarbes',
        name: 'Tarbes',
        kind: 'collectivite',
        url: 'https://www.tarbes.fr/',
        territory: 'commune:65440',
      },
    ]);
    const npm = spawn('npm', ['start'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        SOURCES_FILE: sourcesFile,
        PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => npm.once('close', (code) => resolve(code)));
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    npm.stderr.resume();
    cleanups.push(async () => {
      npm.kill('SIGKILL');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    });
    while (!stdout.includes('API listening on') && npm.exitCode === null) await sleep(50);
    const meiliPid = Number(await readFile(path.join(dataDir, 'meilisearch', 'meilisearch.pid'), 'utf8'));

    npm.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(isRunning(meiliPid), 'the embedded Meilisearch stopped with the API').toBe(false);
  });
});

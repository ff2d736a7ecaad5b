import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { searchKeyUid } from '../meili/search-key.ts';
import { runEntryPoint } from './support/run-command.ts';

const projectRoot = path.resolve(import.meta.dirname, '..');

describe('npm start', () => {
  it('starts its own Meilisearch, becomes ready, answers searches, and stops it on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-start-'));
    const api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: projectRoot,
      // Without the scheduler: it would crawl the shipped sources.yaml, on the internet (see scheduler-start).
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SCHEDULER: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      api.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      let base: string | undefined;
      for (let attempt = 0; attempt < 300 && !base; attempt++) {
        base = /API listening on (http:\/\/[\d.:]+)/.exec(stdout)?.[1];
        if (!base) await sleep(100);
      }
      expect(base, 'the API printed its address').toBeDefined();
      // Ready once the index is created and the search key registered, both in the background.
      await expect.poll(async () => (await fetch(`${base}/readyz`)).status).toBe(200);
      const search = await fetch(`${base}/v1/search?q=cantine`);
      expect(search.status).toBe(200);
      expect(await search.json()).toMatchObject({ query: 'cantine', hits: [], totalHits: 0 });

      const meiliPid = Number(await readFile(path.join(dataDir, 'meilisearch', 'meilisearch.pid'), 'utf8'));
      // Requests are served with a search-only key, which the API registered in its Meilisearch.
      const masterKey = (await readFile(path.join(dataDir, 'meilisearch', 'master-key'), 'utf8')).trim();
      const commandLine = (await readFile(`/proc/${meiliPid}/cmdline`, 'utf8')).split('\0');
      const meiliUrl = `http://${commandLine[commandLine.indexOf('--http-addr') + 1]}`;
      const keyUid = searchKeyUid('documents');
      await expect
        .poll(async () => {
          const response = await fetch(`${meiliUrl}/keys/${keyUid}`, {
            headers: { Authorization: `Bearer ${masterKey}` },
          });
          return response.ok ? ((await response.json()) as { actions: string[] }).actions.sort() : [];
        })
        .toEqual(['documents.get', 'search', 'tasks.get']);
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
      expect(isRunning(meiliPid), 'the embedded Meilisearch stopped with the API').toBe(false);
    } finally {
      api.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run demo', () => {
  it('serves real fiches, crawls them, and finds one by its title', async () => {
    const result = await runEntryPoint('demo/main.ts', ['--pages', '40', '--once'], {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/3\/4 Crawled and indexed: demo-service-public: \d+ new, .*errors: none/);
    expect(result.stdout).toMatch(/4\/4 Found [1-9]\d* results for/);
    // The vendored extract of the DGCL's funded projects answers an official's questions.
    expect(result.stdout).toMatch(/demo-dgcl: 2215 new, .*dataset: 2 files, 2215 rows/);
    expect(result.stdout).toMatch(/« city stade »: [1-9]\d* projets\n {6}- .*(city|multisport|plateau)/i);
    expect(result.stdout).toMatch(/« vidéoprotection, dans l'Hérault »: [1-9]\d* projets/);
    // The page an official opens, with its style (the demo once served it bare).
    expect(result.stdout).toMatch(/The search page at \/ shows [1-9]\d* results for "city stade", styled\./);
  });
});

/** Running, not a zombie: a stopped Meilisearch whose parent exited waits there for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

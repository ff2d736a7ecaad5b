import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import { runEntryPoint } from './support/run-command.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';

/**
 * The README's local workflow, on the embedded Meilisearch (no MEILI_URL): `npm start`, then
 * `npm run crawl` in another terminal on the same DATA_DIR, then search. Both processes share one
 * Meilisearch: the crawl must neither stop the API's nor start a second one on the same database.
 */
describe('npm start, then npm run crawl beside it', () => {
  it('keeps the API answering searches throughout the crawl, and finds what was crawled, without a restart', async () => {
    const site = buildFicheSite({ count: 30 });
    const web = await serveSite(site, { latencyMs: 20 });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-local-'));
    const sourcesFile = await writeTempSourcesFile([
      { id: 'fiches', name: 'Fiches', kind: 'etat', url: `${web.origin}/`, territory: 'national' },
    ]);
    const env = { DATA_DIR: dataDir, SOURCES_FILE: sourcesFile, CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' };
    const api = startEntryPoint('api/main.ts', [], { ...env, PORT: '0' });
    try {
      const base = await addressOf(api);
      await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 30_000 }).toBe(200);

      const statuses: number[] = [];
      let crawling = true;
      const searching = (async () => {
        while (crawling) {
          statuses.push((await fetch(`${base}/v1/search?q=carte`)).status);
          await sleep(100);
        }
      })();
      const crawl = await runEntryPoint('workflow/crawl-main.ts', [], env);
      crawling = false;
      await searching;

      expect(crawl.exitCode, crawl.stderr).toBe(0);
      expect(crawl.stdout).toMatch(/fiches: \d+ new/);
      expect(statuses.length).toBeGreaterThan(10);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(await meilisearchProcessesOn(dataDir)).toHaveLength(1);
      const title = site.fiches[3]!.title;
      await expect
        .poll(
          async () =>
            (
              (await (await fetch(`${base}/v1/search?q=${encodeURIComponent(title)}`)).json()) as {
                totalHits: number;
              }
            ).totalHits,
          { timeout: 20_000 },
        )
        .toBeGreaterThan(0);

      api.child.kill('SIGTERM');
      await api.exited;
      expect(await meilisearchProcessesOn(dataDir)).toEqual([]);
    } finally {
      api.child.kill('SIGKILL');
      await web.close();
    }
  });
});

async function addressOf(api: ReturnType<typeof startEntryPoint>): Promise<string> {
  let stdout = '';
  api.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  for (let waited = 0; waited < 60_000; waited += 100) {
    const address = /API listening on (http:\/\/[\d.:]+)/.exec(stdout)?.[1];
    if (address) return address;
    if (api.child.exitCode !== null) throw new Error(`the API exited: ${(await api.exited).stderr}`);
    await sleep(100);
  }
  throw new Error('the API never said where it listens');
}

/** Live Meilisearch processes whose command line names this data directory. */
async function meilisearchProcessesOn(dataDir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const matching: number[] = [];
  for (const pid of pids) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!commandLine.includes('meilisearch') || !commandLine.includes(dataDir)) continue;
    const status = (() => {
      try {
        return readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (status && !/^State:\s+Z/m.test(status)) matching.push(pid);
  }
  return matching;
}

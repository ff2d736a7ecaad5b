import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { type FixtureSite, htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage } from './builders/town-page.ts';
import { useTestRedis } from './support/redis-server.ts';
import { listeningAddress, type RunningEntryPoint, startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { CrawlQueue } from '../workflow/crawl-queue.ts';
import { sha256Hex } from '../core/admin-tokens.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const PAGES_PER_SOURCE = 5;
const towns = ['Abeilhan', 'Bessan', 'Cazouls', 'Florensac'];

/** A section of a site: its home page linking its pages, each with words of its own. */
function addSection(site: FixtureSite, prefix: string, town: string): void {
  const pages = Array.from({ length: PAGES_PER_SOURCE }, (_, n) => `${prefix}${n + 1}`);
  site.set(prefix, htmlResponse(aTownPage({ title: `Accueil de ${town}`, links: pages })));
  pages.forEach((page, n) =>
    site.set(
      page,
      htmlResponse(
        aTownPage({
          title: `${town} délibération ${n + 1}`,
          paragraphs: [`Le conseil municipal de ${town} a voté la délibération numéro ${n + 1}.`],
        }),
      ),
    ),
  );
}

function source(id: string, site: ServedSite, prefix: string, pace: object) {
  return {
    id,
    name: id,
    kind: 'collectivite',
    url: site.url(prefix),
    territory: 'national',
    crawl: { include: [`${prefix}**`], ...pace },
  };
}

/** Gaps between the arrivals of a site's requests, robots.txt and sitemaps included (they take turns too). */
function startGaps(site: ServedSite): number[] {
  const starts = site.requests.map((request) => request.at).sort((a, b) => a - b);
  return starts.slice(1).map((at, n) => at - starts[n]!);
}

/** One real Redis for the file: each test's sources, hosts and jobs are its own. */
const testRedis = useTestRedis();

describe('crawl workers on one Redis queue', () => {
  it('crawl each queued source once, two at a time, holding every host’s limits across both workers, and take an admin’s recrawl', async () => {
    // Site A answers slowly and allows one request at a time; site B allows 4 requests a second.
    const slowSite = new Map() as FixtureSite;
    addSection(slowSite, '/a/', towns[0]!);
    addSection(slowSite, '/b/', towns[1]!);
    const pacedSite = new Map() as FixtureSite;
    addSection(pacedSite, '/c/', towns[2]!);
    addSection(pacedSite, '/d/', towns[3]!);
    const slow = await serveSite(slowSite, { latencyMs: 150 });
    const paced = await serveSite(pacedSite);
    const sourcesFile = await writeTempSourcesFile([
      source('abeilhan', slow, '/a/', { maxConcurrency: 1, requestsPerSecond: 50 }),
      source('bessan', slow, '/b/', { maxConcurrency: 1, requestsPerSecond: 50 }),
      source('cazouls', paced, '/c/', { maxConcurrency: 2, requestsPerSecond: 4 }),
      source('florensac', paced, '/d/', { maxConcurrency: 2, requestsPerSecond: 4 }),
    ]);
    const env = {
      REDIS_URL: testRedis().url,
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: uniqueIndexUid('crawl-workers'),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-crawl-workers-')),
      SOURCES_FILE: sourcesFile,
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const processes: RunningEntryPoint[] = [];
    try {
      const workers = [0, 1].map(() => startEntryPoint('workflow/worker-main.ts', [], env));
      processes.push(...workers);
      const outputs = workers.map(() => ({ text: '' }));
      workers.forEach((worker, n) =>
        worker.child.stdout?.on('data', (chunk: Buffer) => (outputs[n]!.text += chunk.toString())),
      );
      await expect
        .poll(() => outputs.every((output) => /ready/.test(output.text)), { timeout: 60_000 })
        .toBe(true);
      // The scheduler of `npm start` queues every source (none was ever crawled: all are due).
      const metricsToken = 'metrics-token-of-the-test';
      const adminToken = 'admin-token-of-the-crawl-workers-test';
      const api = startEntryPoint('api/main.ts', [], {
        ...env,
        SCHEDULER: 'on',
        PORT: '0',
        METRICS_TOKEN: metricsToken,
        ADMIN_TOKENS: `ops:write:${sha256Hex(adminToken)}`,
      });
      processes.push(api);
      const base = await listeningAddress(api);
      expect(base, 'npm start never listened').toBeDefined();

      const reportLines = () =>
        outputs.flatMap((output, worker) =>
          output.text
            .split('\n')
            .filter((line) => /^[a-z]+: \d+ new/.test(line))
            .map((line) => ({ worker, sourceId: line.split(':')[0]! })),
        );
      await expect.poll(() => reportLines().length, { timeout: 120_000, interval: 500 }).toBe(4);

      // Each source crawled once, and both workers crawled.
      expect(
        reportLines()
          .map((line) => line.sourceId)
          .sort(),
      ).toEqual(['abeilhan', 'bessan', 'cazouls', 'florensac']);
      expect(new Set(reportLines().map((line) => line.worker)).size).toBe(2);
      for (const site of [slow, paced]) {
        const pageRequests = site.requests.filter((request) => /^\/[a-d]\//.test(request.path));
        const perPath = new Map<string, number>();
        for (const request of pageRequests) perPath.set(request.path, (perPath.get(request.path) ?? 0) + 1);
        expect([...perPath.values()].every((count) => count === 1)).toBe(true);
        expect(perPath.size).toBe(2 * (PAGES_PER_SOURCE + 1));
      }
      // The two sources of each site were crawled by the two workers at the same time, yet the
      // site saw one crawler: one request at a time on A, 250 ms between requests on B.
      expect(slow.maxInFlight).toBe(1);
      // Arrival times carry a few ms of scheduling noise each way: the median is the pace, and no gap
      // comes near what two workers each keeping 250 ms would give (~125 ms, or none).
      const gaps = startGaps(paced).sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(245);
      expect(gaps[0]).toBeGreaterThanOrEqual(200);

      // Every source's pages are searchable through the API.
      for (const town of towns) {
        await expect
          .poll(
            async () => {
              const response = await fetch(`${base}/v1/search?q=${town}+délibération`);
              const body = (await response.json()) as { estimatedTotalHits?: number; hits?: unknown[] };
              return body.hits?.length ?? 0;
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBeGreaterThanOrEqual(PAGES_PER_SOURCE);
      }
      // An admin's "recrawl now" goes to the workers too, and one of them crawls the source again.
      const recrawl = await fetch(`${base}/v1/admin/sources/abeilhan/recrawl`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(recrawl.status).toBe(202);
      expect(await recrawl.json()).toEqual({ queued: { sourceId: 'abeilhan', alreadyQueued: false } });
      await expect
        .poll(() => reportLines().filter((line) => line.sourceId === 'abeilhan').length, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe(2);
      // The operator sees the queue emptied.
      const metrics = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      const text = await metrics.text();
      expect(text).toMatch(/^pas_crawl_queue_jobs\{state="waiting"\} 0$/m);
      expect(text).toMatch(/^pas_crawl_queue_jobs\{state="active"\} 0$/m);
    } finally {
      for (const running of processes) running.child.kill('SIGTERM');
      await Promise.all(processes.map((running) => running.exited));
      await Promise.all([slow.close(), paced.close()]);
    }
  }, 240_000);

  it('refuse to start without REDIS_URL, saying what to set', async () => {
    const worker = startEntryPoint('workflow/worker-main.ts', [], {
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-worker-no-redis-')),
    });
    const { exitCode, stderr } = await worker.exited;
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/REDIS_URL: not set/);
  });

  it('resume, in the other worker, a crawl whose worker was stopped, without fetching again what it had recorded', async () => {
    const site = new Map() as FixtureSite;
    const pages = Array.from({ length: 24 }, (_, n) => `/e/${n + 1}`);
    site.set('/e/', htmlResponse(aTownPage({ title: 'Accueil de Gignac', links: pages })));
    pages.forEach((page, n) =>
      site.set(
        page,
        htmlResponse(
          aTownPage({
            title: `Gignac arrêté ${n + 1}`,
            paragraphs: [`Le maire de Gignac a signé l’arrêté numéro ${n + 1}.`],
          }),
        ),
      ),
    );
    const served = await serveSite(site);
    const env = {
      REDIS_URL: testRedis().url,
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: uniqueIndexUid('crawl-workers-resume'),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-crawl-workers-resume-')),
      SOURCES_FILE: await writeTempSourcesFile([
        source('gignac', served, '/e/', { maxConcurrency: 1, requestsPerSecond: 4 }),
      ]),
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const workers = [0, 1].map(() => startEntryPoint('workflow/worker-main.ts', [], env));
    const outputs = workers.map(() => ({ text: '' }));
    workers.forEach((worker, n) =>
      worker.child.stdout?.on('data', (chunk: Buffer) => (outputs[n]!.text += chunk.toString())),
    );
    const queue = new CrawlQueue(testRedis().url);
    try {
      await expect
        .poll(() => outputs.every((output) => /ready/.test(output.text)), { timeout: 60_000 })
        .toBe(true);
      await queue.enqueue('gignac', 'test');
      await expect
        .poll(() => outputs.findIndex((output) => /gignac: crawl started/.test(output.text)), {
          timeout: 30_000,
        })
        .toBeGreaterThanOrEqual(0);
      const first = outputs.findIndex((output) => /gignac: crawl started/.test(output.text));
      // A third of the way through (4 requests a second), the worker crawling it is stopped.
      await expect
        .poll(() => served.requests.filter((request) => /^\/e\/\d+$/.test(request.path)).length, {
          timeout: 30_000,
        })
        .toBeGreaterThanOrEqual(8);
      workers[first]!.child.kill('SIGTERM');
      const stopped = await workers[first]!.exited;
      expect(stopped.exitCode, stopped.stderr).toBe(130);

      const other = 1 - first;
      await expect
        .poll(() => /^gignac: \d+ new/m.test(outputs[other]!.text), { timeout: 90_000, interval: 500 })
        .toBe(true);
      const fetches = new Map<string, number>();
      for (const request of served.requests.filter((one) => /^\/e\/\d+$/.test(one.path)))
        fetches.set(request.path, (fetches.get(request.path) ?? 0) + 1);
      // Every page fetched; again only the one that was in flight when the first worker stopped.
      expect(fetches.size).toBe(pages.length);
      expect([...fetches.values()].filter((count) => count > 1).length).toBeLessThanOrEqual(1);
      // Every page is searchable (the home page too): those the first worker recorded, those the second fetched.
      const index = createMeiliClient(inject('meiliUrl'), inject('meiliKey')).index(env.MEILI_INDEX);
      const found = await index.search('Gignac arrêté', { limit: 50, attributesToRetrieve: ['url'] });
      expect(found.hits.map((hit) => hit.url as string).sort()).toEqual(
        ['/e/', ...pages].map((page) => served.url(page)).sort(),
      );
    } finally {
      await queue.close();
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
      await served.close();
    }
  }, 240_000);
});

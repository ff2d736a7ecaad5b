import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { type FixtureSite, htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage } from './builders/town-page.ts';
import { startTestRedis } from './support/redis-server.ts';
import { listeningAddress, type RunningEntryPoint, startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
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

describe('crawl workers on one Redis queue', () => {
  it('crawl each queued source once, two at a time, holding every host’s limits across both workers', async () => {
    const redis = await startTestRedis();
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
      REDIS_URL: redis.url,
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
      const api = startEntryPoint('api/main.ts', [], {
        ...env,
        SCHEDULER: 'on',
        PORT: '0',
        METRICS_TOKEN: metricsToken,
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
  });

  it('refuse to start without REDIS_URL, saying what to set', async () => {
    const worker = startEntryPoint('workflow/worker-main.ts', [], {
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-worker-no-redis-')),
    });
    const { exitCode, stderr } = await worker.exited;
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/REDIS_URL: not set/);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { aTownPage } from './builders/town-page.ts';
import { servedPerTest } from './support/served-sites.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const serve = servedPerTest();

describe('npm start with its scheduler', () => {
  it('crawls a source nobody crawled, by itself, until its pages are found through the API', async () => {
    const site = await serve(
      new Map([
        ['/', htmlResponse(aTownPage({ title: 'Accueil de Trifouilly', links: ['/cantine'] }))],
        [
          '/cantine',
          htmlResponse(
            aTownPage({
              title: 'Cantine de Trifouilly',
              paragraphs: ['La cantine de Trifouilly sert des repas bio.'],
            }),
          ),
        ],
      ]),
    );
    const sourcesFile = await writeTempSourcesFile([
      {
        id: 'trifouilly',
        name: 'Trifouilly',
        kind: 'collectivite',
        url: `${site.origin}/`,
        territory: 'national',
        crawl: { requestsPerSecond: 50 },
      },
    ]);
    const api = startEntryPoint('api/main.ts', [], {
      SCHEDULER: 'on',
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: uniqueIndexUid('scheduler-start'),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-scheduler-start-')),
      SOURCES_FILE: sourcesFile,
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
      PORT: '0',
    });
    let stdout = '';
    api.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/API listening on http:/);
      const base = /API listening on (http:\/\/[\d.:]+)/.exec(stdout)![1]!;

      await expect
        .poll(
          async () => {
            const response = await fetch(`${base}/v1/search?q=trifouilly+cantine`);
            const body = (await response.json()) as { hits?: { url: string }[] };
            return body.hits?.[0]?.url;
          },
          { timeout: 90_000, interval: 500 },
        )
        .toBe(`${site.origin}/cantine`);

      api.child.kill('SIGTERM');
      expect((await api.exited).exitCode).toBe(0);
    } finally {
      api.child.kill('SIGKILL');
    }
  });
});

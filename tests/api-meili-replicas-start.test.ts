import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_KEY_ACTIONS, searchKeyUid } from '../meili/search-key.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { parseMetrics, sampleValue } from './support/prometheus-text.ts';
import { runEntryPoint } from './support/run-command.ts';
import { type SearchHost, startHostsInStep } from './support/search-host.ts';
import { listeningAddress, startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const MASTER_KEY = 'replicas-start-master-key-0123456789';
const METRICS_TOKEN = 'prometheus-scrapes-with-this-0123456789';
const indexUid = uniqueIndexUid('replicas-start');
const CANTINE = 'https://www.tarbes.fr/deliberation-cantine.pdf';
let hosts: SearchHost[] = [];

beforeAll(async () => {
  hosts = await startHostsInStep({
    count: 2,
    masterKey: MASTER_KEY,
    indexUid,
    documents: [aSearchDocument({ url: CANTINE, title: 'Délibération : tarifs de la cantine scolaire' })],
  });
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
});

describe('npm start with MEILI_SEARCH_URLS', () => {
  it('searches both hosts with a search-only key it registered on each, and counts each in /metrics', async () => {
    const [writer, replica] = hosts as [SearchHost, SearchHost];
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-replicas-start-'));
    const api = startEntryPoint('api/main.ts', [], {
      MEILI_URL: writer.url,
      MEILI_MASTER_KEY: MASTER_KEY,
      MEILI_SEARCH_URLS: `${writer.url}, ${replica.url}`,
      MEILI_INDEX: indexUid,
      DATA_DIR: dataDir,
      SOURCES_FILE: await writeTempSourcesFile([
        {
          id: 'tarbes',
          name: 'Tarbes',
          kind: 'collectivite',
          url: 'https://www.tarbes.fr/',
          territory: 'commune:65440',
        },
      ]),
      PORT: '0',
      METRICS_TOKEN,
    });
    try {
      const base = await listeningAddress(api);
      expect(base, 'the API printed its address').toBeDefined();
      // Ready on both once the key is registered on both (/readyz checks each host).
      await expect
        .poll(async () => JSON.stringify(await (await fetch(`${base}/readyz`)).json()), { timeout: 30_000 })
        .toContain('"hosts":[{"host":1,"status":"ready","setAside":false},{"host":2,"status":"ready"');
      const before = await Promise.all(hosts.map((host) => host.searches()));

      // Distinct searches, so that the API's cache answers none of them.
      for (let size = 1; size <= 6; size++) {
        const response = await fetch(`${base}/v1/search?q=cantine&hitsPerPage=${size}`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { hits: { url: string }[] }).hits.map((hit) => hit.url)).toEqual([
          CANTINE,
        ]);
      }

      const after = await Promise.all(hosts.map((host) => host.searches()));
      expect(after.map((count, index) => count - before[index]!)).toEqual([3, 3]);
      const key = await replica.admin.getKey(searchKeyUid(indexUid));
      expect({ actions: [...key.actions].sort(), indexes: key.indexes }).toEqual({
        actions: [...SEARCH_KEY_ACTIONS].sort(),
        indexes: [indexUid],
      });
      const scraped = await fetch(`${base}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const metrics = parseMetrics(await scraped.text());
      for (const host of hosts) {
        expect(sampleValue(metrics, 'pas_search_host_requests_total', { host: host.url })).toBe(3);
        expect(sampleValue(metrics, 'pas_search_host_failures_total', { host: host.url })).toBe(0);
        expect(sampleValue(metrics, 'pas_search_host_set_aside', { host: host.url })).toBe(0);
      }
    } finally {
      api.child.kill('SIGTERM');
      expect((await api.exited).exitCode).toBe(0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an entry that is not an http(s) URL, naming MEILI_SEARCH_URLS and the entry', async () => {
    const result = await runEntryPoint('api/main.ts', [], {
      MEILI_URL: 'http://127.0.0.1:7700',
      MEILI_SEARCH_URLS: 'http://127.0.0.1:7700,meili-2:7700',
      PORT: '0',
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("MEILI_SEARCH_URLS: entry 2, 'meili-2:7700': not an http(s) URL");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parseMetrics, sampleValue } from './support/prometheus-text.ts';
import { runEntryPoint } from './support/run-command.ts';
import { listeningAddress, startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const METRICS_TOKEN = 'prometheus-scrapes-with-this-0123456789';

describe('npm start with METRICS_TOKEN', () => {
  it('serves /metrics to Prometheus with the token: the index, the store and its own requests', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-metrics-start-'));
    const sourcesFile = await writeTempSourcesFile([
      {
        id: 'tarbes',
        name: 'Tarbes',
        kind: 'collectivite',
        url: 'https://www.tarbes.fr/',
        territory: 'commune:65440',
      },
    ]);
    const api = startEntryPoint('api/main.ts', [], {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: uniqueIndexUid('metrics-start'),
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      PORT: '0',
      METRICS_TOKEN,
    });
    try {
      const base = await listeningAddress(api);
      expect(base, 'the API printed its address').toBeDefined();
      await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 30_000 }).toBe(200);
      expect((await fetch(`${base}/v1/search?q=cantine`)).status).toBe(200);

      const anonymous = await fetch(`${base}/metrics`);
      const scraped = await fetch(`${base}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });

      expect(anonymous.status).toBe(401);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const metrics = parseMetrics(await scraped.text());
      expect(sampleValue(metrics, 'pas_http_requests_total', { route: '/v1/search', status: '200' })).toBe(1);
      expect(sampleValue(metrics, 'pas_search_cache_requests_total', { result: 'miss' })).toBe(1);
      expect(sampleValue(metrics, 'pas_index_documents')).toBe(0);
      expect(sampleValue(metrics, 'pas_store_pending_documents')).toBe(0);
      expect(sampleValue(metrics, 'pas_recrawl_jobs_running')).toBe(0);
      expect(sampleValue(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a METRICS_TOKEN too short to keep anyone out, naming it', async () => {
    const result = await runEntryPoint('api/main.ts', [], { METRICS_TOKEN: 'secret', PORT: '0' });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('METRICS_TOKEN');
  });
});

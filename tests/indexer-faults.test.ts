import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { documentIdForUrl } from '../core/search-document.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { type EmbeddedMeilisearch, startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { aRawPage, recordPages } from './builders/raw-page-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { tempCrawlStore } from './support/test-crawl.ts';

const log = silentLogger();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('indexing through a Meilisearch crash', () => {
  it('resumes after Meilisearch is killed mid-indexing, and ends with exactly the expected documents', async () => {
    // A Meilisearch of our own, since this test kills it.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-meili-crash-'));
    let meili: EmbeddedMeilisearch = await startEmbeddedMeilisearch({ dataDir, log });
    cleanups.push(async () => {
      await meili.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    const client = createMeiliClient(meili.url, meili.masterKey);
    const resources = await loadIndexerResources();
    await ensureIndex(client, 'documents', resources.settings);
    const { store } = await tempCrawlStore();
    const pages = Array.from({ length: 3000 }, (_, n) => aRawPage({}, n));
    recordPages(store, pages);

    const syncing = syncIndex({
      documents: store.documents,
      client,
      indexUid: 'documents',
      sources: [aSource()],
      resources,
      log,
      batchSize: 200,
      retry: { delaysMs: Array.from({ length: 40 }, () => 250) },
    });
    // Kill it once some batches are confirmed and others are not.
    while (store.documents.countPending() > 2400) await sleep(20);
    meili.process!.kill('SIGKILL');
    await sleep(1000);
    meili = await startEmbeddedMeilisearch({ dataDir, log, port: meili.port, masterKey: meili.masterKey });
    const result = await syncing;

    expect(store.documents.countPending()).toBe(0);
    expect(result.upserted).toBeGreaterThanOrEqual(3000);
    const indexed = await client.index('documents').getDocuments({ fields: ['id'], limit: 5000 });
    expect(new Set(indexed.results.map((document) => document.id as string))).toEqual(
      new Set(pages.map((page) => documentIdForUrl(page.url))),
    );
  });
});

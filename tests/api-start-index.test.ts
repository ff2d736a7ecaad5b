import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { type EmbeddedMeilisearch, startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { type BlockedTaskQueue, blockTaskQueue } from './support/blocked-task-queue.ts';
import { type RunningEntryPoint, startEntryPoint } from './support/spawn-entry-point.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `npm start` against the Meilisearch at `meiliUrl`, and the address it printed once listening. */
async function startApi(
  env: Record<string, string>,
): Promise<{ api: RunningEntryPoint; base: string; stderr: () => string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-api-index-'));
  const api = startEntryPoint('api/main.ts', [], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...env });
  let stdout = '';
  let stderr = '';
  api.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  api.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cleanups.push(async () => {
    api.child.kill('SIGTERM');
    await api.exited;
    await rm(dataDir, { recursive: true, force: true });
  });
  await expect
    .poll(() => /API listening on (http:\/\/[\d.:]+)/.exec(stdout)?.[1], { timeout: 30_000, interval: 100 })
    .toBeDefined();
  return { api, base: /API listening on (http:\/\/[\d.:]+)/.exec(stdout)![1]!, stderr: () => stderr };
}

describe('npm start while Meilisearch is busy indexing', () => {
  it('answers /healthz and searches at once, while the task queue is held', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-busy-meili-'));
    const meili: EmbeddedMeilisearch = await startEmbeddedMeilisearch({ dataDir, log: silentLogger() });
    cleanups.push(async () => {
      await meili.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    const admin: Meilisearch = createMeiliClient(meili.url, meili.masterKey);
    await ensureIndex(admin, 'documents', (await loadIndexerResources()).settings);
    await indexDocuments(admin, 'documents', [aSearchDocument()]);
    // A crawl's indexing run, minutes long in production: held here until the test lets it go.
    const queue: BlockedTaskQueue = await blockTaskQueue(admin, 'other');
    cleanups.push(() => queue.release());

    const { base } = await startApi({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await expect
      .poll(async () => {
        const response = await fetch(`${base}/v1/search?q=pistes%20cyclables`);
        return response.ok ? ((await response.json()) as { totalHits: number }).totalHits : response.status;
      })
      .toBe(1);
    expect((await admin.tasks.getTask(queue.taskUid)).status, 'the queue was still held').toBe('processing');
  });
});

describe('npm start with an index whose settings differ from the code', () => {
  it('leaves them as they are, and warns once, naming the command that applies them', async () => {
    const admin = testMeiliClient();
    const indexUid = uniqueIndexUid('stale-settings');
    await awaitTask(admin, admin.createIndex(indexUid, { primaryKey: 'id' }));
    await awaitTask(admin, admin.index(indexUid).updateSettings({ rankingRules: ['words', 'typo'] }));

    const { stderr } = await startApi({
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: indexUid,
    });
    await expect.poll(() => stderr()).toContain('npm run index:settings');
    expect(stderr().split('npm run index:settings').length - 1, 'one warning').toBe(1);
    expect((await admin.index(indexUid).getSettings()).rankingRules).toEqual(['words', 'typo']);
  });
});

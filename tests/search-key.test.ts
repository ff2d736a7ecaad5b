import { MeilisearchApiError } from 'meilisearch';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { ensureSearchKey, registerSearchKey, searchKeyUid, searchKeyValue } from '../meili/search-key.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const admin = testMeiliClient();
const indexUid = uniqueIndexUid('search-key');
const otherIndexUid = uniqueIndexUid('search-key-other');
const document = aSearchDocument();

/** The Meilisearch error code a promise is rejected with. */
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof MeilisearchApiError ? error.cause?.code : String(error)),
  );

beforeAll(async () => {
  const resources = await loadIndexerResources();
  await ensureIndex(admin, indexUid, resources.settings);
  await ensureIndex(admin, otherIndexUid, resources.settings);
  await indexDocuments(admin, indexUid, [document]);
});

describe("the API's search-only Meilisearch key", () => {
  it('is the value the API derives without asking Meilisearch', async () => {
    expect(await ensureSearchKey(admin, indexUid)).toBe(searchKeyValue(inject('meiliKey'), indexUid));
  });

  it('searches and reads the documents and tasks of its index', async () => {
    const reader = createMeiliClient(inject('meiliUrl'), await ensureSearchKey(admin, indexUid));
    expect((await reader.index(indexUid).search('vélo')).hits).toHaveLength(1);
    expect(await reader.index(indexUid).getDocument(document.id)).toMatchObject({ url: document.url });
    expect((await reader.tasks.getTasks({ indexUids: [indexUid] })).results.length).toBeGreaterThan(0);
  });

  it('can change nothing, and read no other index', async () => {
    const reader = createMeiliClient(inject('meiliUrl'), await ensureSearchKey(admin, indexUid));
    const index = reader.index(indexUid);
    expect(await codeOf(index.addDocuments([aSearchDocument({ url: 'https://x.example/' })]))).toBe(
      'invalid_api_key',
    );
    expect(await codeOf(index.deleteDocument(document.id))).toBe('invalid_api_key');
    expect(await codeOf(index.updateSettings({ stopWords: [] }))).toBe('invalid_api_key');
    expect(await codeOf(index.delete())).toBe('invalid_api_key');
    expect(await codeOf(reader.index(otherIndexUid).search('vélo'))).toBe('invalid_api_key');
    expect(await codeOf(reader.getKeys())).toBe('invalid_api_key');
    // Nothing was changed.
    expect((await admin.index(indexUid).search('')).hits).toHaveLength(1);
  });

  it('is found again on the next start, and replaced if its rights were changed', async () => {
    const first = await ensureSearchKey(admin, indexUid);
    expect(await ensureSearchKey(admin, indexUid)).toBe(first);
    const uid = searchKeyUid(indexUid);
    await admin.deleteKey(uid);
    await admin.createKey({ uid, actions: ['*'], indexes: ['*'], expiresAt: null });
    expect(await ensureSearchKey(admin, indexUid)).toBe(first);
    expect(await admin.getKey(uid)).toMatchObject({
      actions: expect.arrayContaining(['search', 'documents.get', 'tasks.get']) as unknown,
      indexes: [indexUid],
    });
    expect((await admin.getKey(uid)).actions).toHaveLength(3);
  });

  it('serves the API', async () => {
    const client = createMeiliClient(inject('meiliUrl'), searchKeyValue(inject('meiliKey'), indexUid));
    await ensureSearchKey(admin, indexUid);
    const app = await anApp(client, indexUid);
    expect((await app.request('/v1/search?q=vélo')).status).toBe(200);
    expect((await app.request(`/v1/documents/${document.id}`)).status).toBe(200);
    expect((await app.request('/v1/sources')).status).toBe(200);
  });
});

describe('registering the key', () => {
  it('keeps trying while Meilisearch cannot be reached, and stops when told', async () => {
    const unreachable = createMeiliClient('http://127.0.0.1:9', 'a-master-key-of-enough-length', {
      timeoutMs: 500,
    });
    let retries = 0;
    const registration = registerSearchKey({
      admin: unreachable,
      indexUid,
      expected: 'never',
      retryMs: 20,
      onRegistered: () => expect.fail('registered without a server'),
      onRetry: () => (retries += 1),
      onMismatch: () => expect.fail('no server, no mismatch'),
    });
    await expect.poll(() => retries, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    await registration.stop();
    const after = retries;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(retries).toBe(after);
  });

  it('says when the key is registered, and when Meilisearch gave it another value', async () => {
    const outcome = (expected: string) =>
      new Promise<string>((resolve) => {
        registerSearchKey({
          admin,
          indexUid,
          expected,
          retryMs: 20,
          onRegistered: () => resolve('registered'),
          onRetry: () => resolve('retry'),
          onMismatch: () => resolve('mismatch'),
        });
      });
    expect(await outcome(searchKeyValue(inject('meiliKey'), indexUid))).toBe('registered');
    expect(await outcome('another value')).toBe('mismatch');
  });
});

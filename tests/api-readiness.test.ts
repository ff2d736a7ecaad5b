import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { ensureSearchKey, searchKeyValue } from '../meili/search-key.ts';
import { anApp } from './builders/app-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const admin = testMeiliClient();
const indexUid = uniqueIndexUid('readiness');
/** The client `npm start` serves with: the search-only key it derives for its index. */
const servingClient = () =>
  createMeiliClient(inject('meiliUrl'), searchKeyValue(inject('meiliKey'), indexUid));
const readyz = async (app: Awaited<ReturnType<typeof anApp>>) => {
  const response = await app.request('/readyz');
  return { status: response.status, body: (await response.json()) as unknown };
};

beforeAll(async () => {
  await ensureIndex(admin, indexUid, (await loadIndexerResources()).settings);
});

describe('GET /readyz', () => {
  it('is ready only once Meilisearch accepts the search key the API serves with', async () => {
    const app = await anApp(servingClient(), indexUid);
    // The key is derived at start-up and registered in the background: not there yet.
    expect(await readyz(app)).toEqual({
      status: 503,
      body: { error: { code: 'search_key_refused', message: expect.any(String) as unknown } },
    });
    await ensureSearchKey(admin, indexUid);
    expect(await readyz(app)).toEqual({ status: 200, body: { status: 'ready' } });
  });
  // Meilisearch unreachable: tests/api.test.ts, health.

  it('is not ready, and says so, while the index does not exist', async () => {
    const app = await anApp(admin, uniqueIndexUid('readiness-missing'));
    expect(await readyz(app)).toEqual({
      status: 503,
      body: { error: { code: 'index_not_ready', message: expect.any(String) as unknown } },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { anApp } from './builders/app-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
const resources = await loadIndexerResources();

/** The API over an index in the state `prepare` leaves it in. */
async function apiOver(prepare: (indexUid: string) => Promise<unknown>) {
  const indexUid = uniqueIndexUid('fresh');
  await prepare(indexUid);
  const app = await anApp(client, indexUid);
  return async (path: string) => {
    const response = await app.request(path);
    const isJson = response.headers.get('Content-Type')?.startsWith('application/json') === true;
    return {
      status: response.status,
      body: (isJson ? await response.json() : {}) as Record<string, unknown>,
    };
  };
}

// The API creates its index at start-up, then Meilisearch applies the settings once the tasks queued
// before them are done (minutes during a crawl); nothing is indexed until the first crawl.
const createdWithoutSettings = (indexUid: string) =>
  awaitTask(client, client.createIndex(indexUid, { primaryKey: 'id' }));
const withSettingsButNoPage = (indexUid: string) => ensureIndex(client, indexUid, resources.settings);

describe('a fresh install: the index exists, nothing is indexed yet', () => {
  it('suggests nothing, with a 200, before the first page is indexed', async () => {
    const get = await apiOver(withSettingsButNoPage);
    expect(await get('/v1/suggest?q=can')).toEqual({ status: 200, body: { query: 'can', suggestions: [] } });
  });

  it('finds nothing, with a 200, for a filtered, date-sorted and faceted search while the settings are queued', async () => {
    const get = await apiOver(createdWithoutSettings);
    const { status, body } = await get('/v1/search?q=cantine&source=frontignan&sort=date&facets=theme');
    expect(status).toBe(200);
    expect(body).toMatchObject({ query: 'cantine', hits: [], totalHits: 0, facets: { theme: {} } });
    expect((await get('/v1/search.atom?q=cantine')).status).toBe(200);
  });

  it('lists the sources and themes with no documents while the settings are queued', async () => {
    const get = await apiOver(createdWithoutSettings);
    expect(await get('/v1/sources')).toMatchObject({ status: 200, body: { sources: [{ documents: 0 }] } });
    const themes = await get('/v1/themes');
    expect(themes.status).toBe(200);
    expect((themes.body.themes as { documents: number }[]).every((theme) => theme.documents === 0)).toBe(
      true,
    );
  });
});

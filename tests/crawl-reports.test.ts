import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLastCrawls } from '../api/last-crawls.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { anApp } from './builders/app-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const dirs: string[] = [];
async function reportsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pas-reports-'));
  dirs.push(dir);
  return dir;
}
const report = (sourceId: string, startedAt: string) => JSON.stringify([{ sourceId, startedAt }]);

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('GET /v1/sources with the crawl reports of DATA_DIR/reports', () => {
  it('still answers when the newest report was cut short, with the last crawl of an older one', async () => {
    const dir = await reportsDir();
    await writeFile(
      path.join(dir, 'crawl-2025-03-01.json'),
      report('frontignan', '2025-03-01T08:00:00.000Z'),
    );
    // A crawl killed while it wrote its report, or a disk that filled up.
    await writeFile(
      path.join(dir, 'crawl-2025-03-02.json'),
      report('frontignan', '2025-03-02T08:00:00.000Z').slice(0, 20),
    );
    const client = testMeiliClient();
    const indexUid = uniqueIndexUid('reports');
    await ensureIndex(client, indexUid, (await loadIndexerResources()).settings);
    const app = await anApp(client, indexUid, { lastCrawls: () => readLastCrawls(dir) });

    const response = await app.request('/v1/sources');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      sources: [{ id: 'frontignan', lastCrawl: '2025-03-01T08:00:00.000Z' }],
    });
  });
});

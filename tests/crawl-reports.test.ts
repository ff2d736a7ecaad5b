import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLastCrawls } from '../api/last-crawls.ts';
import { writeFileAtomically } from '../core/write-file-atomically.ts';
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

describe('writeFileAtomically', () => {
  it('writes the whole text and leaves nothing else in the directory', async () => {
    const dir = await reportsDir();
    const file = path.join(dir, 'crawl-2025-03-02.json');
    await writeFile(file, 'the previous report');
    await writeFileAtomically(file, report('tarbes', '2025-03-02T08:00:00.000Z'));
    expect(await readFile(file, 'utf8')).toBe(report('tarbes', '2025-03-02T08:00:00.000Z'));
    expect(await readdir(dir)).toEqual(['crawl-2025-03-02.json']);
  });

  it('is read as the previous text or the whole new one, never a part, while it is written', async () => {
    const file = path.join(await reportsDir(), 'crawl-2025-03-02.json');
    await writeFile(file, 'the previous report');
    const next = `[${'{"sourceId":"tarbes"},'.repeat(1_000_000)}{}]`;
    let writing = true;
    const write = writeFileAtomically(file, next).finally(() => (writing = false));
    const lengthsRead = new Set<number>();
    while (writing) lengthsRead.add((await readFile(file, 'utf8')).length);
    await write;
    expect(
      [...lengthsRead].filter((length) => length !== 'the previous report'.length && length !== next.length),
    ).toEqual([]);
  });

  it('leaves neither a partial file nor its temporary file when the write fails', async () => {
    const dir = await reportsDir();
    // A directory where the file should go: the final rename fails, as a full disk would fail the write.
    const file = path.join(dir, 'crawl-2025-03-02.json');
    await mkdir(path.join(file, 'in-the-way'), { recursive: true });
    await expect(writeFileAtomically(file, report('tarbes', '2025-03-02T08:00:00.000Z'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['crawl-2025-03-02.json']);
    expect(await readdir(file)).toEqual(['in-the-way']);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { runEntryPoint } from './support/run-command.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

/** `npm run backup`, the disk lost, `npm run restore`: the same answers and the same crawl state. */
describe('a backup restored on an empty DATA_DIR', () => {
  const site = buildFicheSite({ count: 20 });
  let web: ServedSite;
  let env: Record<string, string>;
  let dataDir: string;
  const QUERIES = ['carte grise', 'impôt', 'congé', site.fiches[5]!.title];

  beforeAll(async () => {
    web = await serveSite(site);
    dataDir = await mkdtemp(path.join(tmpdir(), 'pas-backup-'));
    const sources = await writeTempSourcesFile([
      {
        id: 'fiches',
        name: 'Fiches',
        kind: 'etat',
        url: `${web.origin}/`,
        territory: 'national',
        crawl: { requestsPerSecond: 50 },
      },
    ]);
    env = { DATA_DIR: dataDir, SOURCES_FILE: sources, CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' };
    const crawl = await runEntryPoint('workflow/crawl-main.ts', [], env);
    expect(crawl.exitCode, crawl.stderr).toBe(0);
  }, 120_000);
  afterAll(() => web.close());

  /** What a user would get from the index, and what the next crawl would start from. */
  async function stateOf(directory: string) {
    const masterKey = (await readFile(path.join(directory, 'meilisearch', 'master-key'), 'utf8')).trim();
    const meili = await startEmbeddedMeilisearch({ dataDir: directory, masterKey, log: silentLogger() });
    try {
      const client = createMeiliClient(meili.url, masterKey);
      const answers = [];
      for (const q of QUERIES) {
        const { hits } = await client
          .index('documents')
          .search(q, { limit: 5, attributesToRetrieve: ['url'] });
        answers.push(hits.map((hit) => String(hit.url)));
      }
      const db = new Database(path.join(directory, 'crawl', 'crawl.sqlite'), { readonly: true });
      const pages = db
        .prepare('SELECT url, outcome, content_hash, etag, indexed_url FROM pages ORDER BY url')
        .all();
      const documents = db.prepare('SELECT url, content_hash, pending FROM documents ORDER BY url').all();
      db.close();
      return { answers, pages, documents };
    } finally {
      await meili.stop();
    }
  }

  it('answers the same searches and knows the same pages as before the loss', async () => {
    const before = await stateOf(dataDir);
    expect(before.answers.flat().length).toBeGreaterThan(5);
    const backupDir = path.join(await mkdtemp(path.join(tmpdir(), 'pas-backup-copy-')), 'backup');

    const backup = await runEntryPoint('workflow/backup-main.ts', ['--to', backupDir], env);
    expect(backup.exitCode, backup.stderr).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
    const restore = await runEntryPoint('workflow/restore-main.ts', [backupDir], env);
    expect(restore.exitCode, restore.stderr).toBe(0);

    expect(await stateOf(dataDir)).toEqual(before);
  }, 300_000);

  it('refuses to restore while a Meilisearch runs on the DATA_DIR, and changes nothing', async () => {
    const backupDir = path.join(await mkdtemp(path.join(tmpdir(), 'pas-backup-busy-')), 'backup');
    expect((await runEntryPoint('workflow/backup-main.ts', ['--to', backupDir], env)).exitCode).toBe(0);
    const masterKey = (await readFile(path.join(dataDir, 'meilisearch', 'master-key'), 'utf8')).trim();
    const running = await startEmbeddedMeilisearch({ dataDir, masterKey, log: silentLogger() });
    try {
      const restore = await runEntryPoint('workflow/restore-main.ts', [backupDir], env);
      expect(restore.exitCode).toBe(4);
      expect(restore.stderr).toContain('stop every process using DATA_DIR');
    } finally {
      await running.stop();
    }
  }, 300_000);
});

describe('a backup with a Meilisearch of its own (MEILI_URL)', () => {
  it('restores the crawl store and rebuilds the same index from it', async () => {
    const web = await serveSite(buildFicheSite({ count: 12 }));
    try {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-backup-remote-'));
      const indexUid = uniqueIndexUid('backup');
      const sources = await writeTempSourcesFile([
        { id: 'fiches', name: 'Fiches', kind: 'etat', url: `${web.origin}/`, territory: 'national' },
      ]);
      const env = {
        DATA_DIR: dataDir,
        SOURCES_FILE: sources,
        CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
        MEILI_URL: inject('meiliUrl'),
        MEILI_MASTER_KEY: inject('meiliKey'),
        MEILI_INDEX: indexUid,
      };
      expect((await runEntryPoint('workflow/crawl-main.ts', [], env)).exitCode).toBe(0);
      const client = testMeiliClient();
      const urls = async () =>
        (await client.index(indexUid).getDocuments({ limit: 1000, fields: ['url'] })).results
          .map((d) => String(d.url))
          .sort();
      const before = await urls();
      const backupDir = path.join(dataDir, '..', `${path.basename(dataDir)}-backup`);

      const backup = await runEntryPoint('workflow/backup-main.ts', ['--to', backupDir], env);
      expect(backup.stdout).toContain("stays in the Meilisearch server's dump directory");
      await rm(dataDir, { recursive: true, force: true });
      await client.deleteIndex(indexUid).waitTask();
      const restore = await runEntryPoint('workflow/restore-main.ts', [backupDir], env);
      expect(restore.exitCode, restore.stderr).toBe(0);

      expect(await urls()).toEqual(before);
      expect(before.length).toBeGreaterThan(10);
    } finally {
      await web.close();
    }
  }, 300_000);
});

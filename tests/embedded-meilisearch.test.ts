import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { buildIndexSettings, ensureIndex } from '../indexer/index-settings.ts';
import {
  type EmbeddedMeilisearch,
  isHealthy,
  startEmbeddedMeilisearch,
} from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';

const started: EmbeddedMeilisearch[] = [];
const dirs: string[] = [];
const log = silentLogger();

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pas-embedded-'));
  dirs.push(dir);
  return dir;
}
async function start(dataDir: string): Promise<EmbeddedMeilisearch> {
  const meili = await startEmbeddedMeilisearch({ dataDir, log });
  started.push(meili);
  return meili;
}

afterEach(async () => {
  for (const meili of started.splice(0)) await meili.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the embedded Meilisearch', () => {
  it('keeps its database, dumps and generated master key under DATA_DIR', async () => {
    const dataDir = await freshDataDir();
    const meili = await start(dataDir);
    expect(await isHealthy(meili.url)).toBe(true);
    const keyFile = path.join(dataDir, 'meilisearch', 'master-key');
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(meili.masterKey);
    await access(path.join(dataDir, 'meilisearch', 'data.ms'));
    // Without the key, Meilisearch refuses: the generated key really protects it.
    const anonymous = await fetch(`${meili.url}/indexes`);
    expect(anonymous.status).toBe(401);
  });

  it('restarts on the same data with the same key and keeps the documents', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    const client = createMeiliClient(first.url, first.masterKey);
    await ensureIndex(client, 'documents', buildIndexSettings({}));
    await indexDocuments(client, 'documents', [aSearchDocument()]);
    await first.stop();

    const second = await start(dataDir);
    expect(second.masterKey).toBe(first.masterKey);
    const stats = await createMeiliClient(second.url, second.masterKey).index('documents').getStats();
    expect(stats.numberOfDocuments).toBe(1);
  });

  it('stops a Meilisearch left running by a process that was killed, then starts', async () => {
    const dataDir = await freshDataDir();
    const orphan = await start(dataDir); // never stopped by its owner, as after a SIGKILL
    const next = await start(dataDir);
    expect(await isHealthy(next.url)).toBe(true);
    expect(await isHealthy(orphan.url)).toBe(false);
  });
});

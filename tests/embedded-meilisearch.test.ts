import { readFileSync } from 'node:fs';
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
import { listeningAddress, startEntryPoint } from './support/spawn-entry-point.ts';

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

  it('is shared by every user of the same DATA_DIR, and stopped by the last one to leave', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    const second = await start(dataDir);
    expect(second.joined).toBe(true);
    expect(second.url).toBe(first.url);

    await first.stop();
    expect(await isHealthy(second.url)).toBe(true);
    await second.stop();
    expect(await isHealthy(first.url)).toBe(false);
  });

  it('stops a Meilisearch left running by a process that was killed, then starts its own', async () => {
    const dataDir = await freshDataDir();
    // `npm start` killed with SIGKILL: its Meilisearch, in a process group of its own, outlives it.
    const owner = startEntryPoint('api/main.ts', [], { DATA_DIR: dataDir, PORT: '0' });
    const listening = listeningAddress(owner);
    await expect
      .poll(() => readFile(path.join(dataDir, 'meilisearch', 'meilisearch.pid'), 'utf8').catch(() => ''), {
        timeout: 30_000,
      })
      .not.toBe('');
    const orphanPid = Number(await readFile(path.join(dataDir, 'meilisearch', 'meilisearch.pid'), 'utf8'));
    // Killed once it serves, as a Meilisearch left running is: killed while it was still creating its
    // database (a loaded machine), the next one could not even read the database's version.
    expect(await listening, 'npm start never listened').toBeDefined();
    expect(isAlive(orphanPid)).toBe(true);
    owner.child.kill('SIGKILL');
    await owner.exited;
    expect(isAlive(orphanPid)).toBe(true);

    const next = await start(dataDir);

    expect(next.joined).toBe(false);
    expect(await isHealthy(next.url)).toBe(true);
    expect(isAlive(orphanPid)).toBe(false);
  });
});

/** Alive and not a zombie (a killed child not yet reaped by its parent). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { silentLogger } from '../../core/logger.ts';
import type { SearchDocument } from '../../core/search-document.ts';
import { indexDocuments } from '../../indexer/index-documents.ts';
import { ensureIndex } from '../../indexer/index-settings.ts';
import { loadIndexerResources } from '../../indexer/indexer-resources.ts';
import { type EmbeddedMeilisearch, startEmbeddedMeilisearch } from '../../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../../meili/meili-client.ts';
import { parseMetrics } from './prometheus-text.ts';

/**
 * A real Meilisearch of its own (its own process, port and data directory), as one of several hosts
 * the API searches: the test can kill it, pause it (SIGSTOP: it still accepts connections, and
 * answers nothing, as a hung server does), and bring it back on the same port with its data.
 */
export interface SearchHost {
  url: string;
  /** Its master key's client, to give it documents and keys. */
  admin: Meilisearch;
  /** Searches it has received since it last started, as its own /metrics counts them. */
  searches(): Promise<number>;
  kill(): Promise<void>;
  /** Starts it again on the same port and data, once killed. */
  restart(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startSearchHost(masterKey: string): Promise<SearchHost> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-search-host-'));
  const start = async (port?: number) => {
    const started = await startEmbeddedMeilisearch({
      dataDir,
      masterKey,
      log: silentLogger(),
      ...(port === undefined ? {} : { port }),
    });
    await enableMetrics(started.url, masterKey);
    return started;
  };
  let meili: EmbeddedMeilisearch = await start();
  const signal = (name: NodeJS.Signals) => process.kill(meili.pid, name);
  return {
    url: meili.url,
    admin: createMeiliClient(meili.url, masterKey),
    searches: () => searchesOf(meili.url, masterKey),
    async kill() {
      const exited = meili.process ? once(meili.process, 'exit') : Promise.resolve();
      signal('SIGKILL');
      await exited;
      // Only drops this process's lease: the instance it was for is gone.
      await meili.stop();
    },
    async restart() {
      meili = await start(meili.port);
    },
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    async stop() {
      await meili.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `count` hosts with the same master key, and the same index, settings and documents: replicas an
 * operator keeps in step.
 */
export async function startHostsInStep(options: {
  count: number;
  masterKey: string;
  indexUid: string;
  documents: readonly SearchDocument[];
}): Promise<SearchHost[]> {
  const hosts = await Promise.all(
    Array.from({ length: options.count }, () => startSearchHost(options.masterKey)),
  );
  const { settings } = await loadIndexerResources();
  for (const host of hosts) {
    await ensureIndex(host.admin, options.indexUid, settings);
    await indexDocuments(host.admin, options.indexUid, [...options.documents]);
  }
  return hosts;
}

/** Meilisearch's own request counts (an experimental feature, switched on at run time). */
async function enableMetrics(url: string, masterKey: string): Promise<void> {
  const response = await fetch(new URL('/experimental-features', url), {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${masterKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ metrics: true }),
  });
  if (!response.ok) throw new Error(`could not enable Meilisearch's metrics: ${await response.text()}`);
}

async function searchesOf(url: string, masterKey: string): Promise<number> {
  const response = await fetch(new URL('/metrics', url), {
    headers: { Authorization: `Bearer ${masterKey}` },
  });
  const searchPaths = new Set(['/indexes/{index_uid}/search', '/multi-search']);
  return parseMetrics(await response.text())
    .filter((sample) => sample.name === 'meilisearch_http_requests_total')
    .filter((sample) => searchPaths.has(sample.labels['path'] ?? ''))
    .reduce((sum, sample) => sum + sample.value, 0);
}

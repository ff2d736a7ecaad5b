import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import type { SearchEngine } from '../meili/search-engine.ts';
import { registerSearchKey, searchKeyValue } from '../meili/search-key.ts';
import { createApiMeiliClient, createApiReplicaClient } from './api-meili-client.ts';
import type { SearchHosts } from './app-dependencies.ts';

export interface ServingClientOptions {
  /** Where the API writes (MEILI_URL or the embedded one), with the master key. */
  engine: SearchEngine;
  indexUid: string;
  /** MEILI_SEARCH_URLS: the hosts to search instead of `engine`'s. */
  searchUrls: readonly [string, ...string[]] | undefined;
  /** MEILI_SEARCH_KEY: the operator's key for `searchUrls`; else the API's own (meili/search-key.ts). */
  searchKey: string | undefined;
  log: Logger;
  /** Where to add what must be stopped. */
  stops: (() => Promise<void>)[];
  /** Meilisearch gave the search key another value than expected: the API cannot serve. */
  onMismatch: () => void;
}

/**
 * The client requests are served with, and its key. Requests are served with a key that can only
 * read the index (meili/search-key.ts): the master key prepares the index and registers that key,
 * and nothing a request reaches uses it. With MEILI_SEARCH_URLS the client searches those hosts
 * (api-meili-client.ts) with the operator's MEILI_SEARCH_KEY, or with the API's own key, which it
 * then registers on each host with the master key (the same on every host): a key is all the API
 * ever writes to a search host. A Meilisearch without a master key has no keys at all.
 */
export function connectServingClient(options: ServingClientOptions): {
  client: Meilisearch;
  searchHosts?: SearchHosts;
} {
  const { engine, indexUid, searchUrls, log, stops } = options;
  const ownKey = engine.masterKey && searchKeyValue(engine.masterKey, indexUid);
  const key = options.searchKey ?? ownKey;
  if (options.searchKey === undefined && ownKey !== undefined) {
    registerOwnKey({ ...options, key: ownKey, hosts: otherHosts(searchUrls ?? [], engine.url) });
  }
  if (searchUrls === undefined) return { client: createApiMeiliClient(engine.url, key) };
  const replicas = createApiReplicaClient(searchUrls, key, {
    onSetAside: (host, error) =>
      log.warn(
        { err: error, host: host.url },
        'search host failed: skipped for a while, its requests retried on another',
      ),
    onBack: (host) => log.info({ host: host.url }, 'search host answers again'),
  });
  stops.push(() => replicas.close());
  log.info(
    { hosts: searchUrls, key: options.searchKey === undefined ? 'own' : 'MEILI_SEARCH_KEY' },
    `searches spread over ${searchUrls.length} Meilisearch hosts (MEILI_SEARCH_URLS); writes go to ${engine.embedded ? 'the embedded one' : 'MEILI_URL'}`,
  );
  return { client: replicas.client, searchHosts: replicas.hosts };
}

/** Registers the API's own key where it writes and on each other search host, each on its own. */
function registerOwnKey({
  engine,
  indexUid,
  key,
  hosts,
  log,
  stops,
  onMismatch,
}: ServingClientOptions & { key: string; hosts: readonly string[] }): void {
  const targets = [
    { url: engine.url, admin: engine.client },
    ...hosts.map((url) => ({ url, admin: createMeiliClient(url, engine.masterKey) })),
  ];
  for (const { url, admin } of targets) {
    const registration = registerSearchKey({
      admin,
      indexUid,
      expected: key,
      retryMs: 5_000,
      onRegistered: () => log.info({ host: url }, 'requests are served with a search-only Meilisearch key'),
      onRetry: (error) =>
        log.warn({ err: error, host: url }, 'could not register the search key yet; retrying'),
      onMismatch,
    });
    stops.push(() => registration.stop());
  }
}

/** The search hosts other than `writer`, compared as URLs (`http://a:7700` is `http://a:7700/`). */
function otherHosts(urls: readonly string[], writer: string): string[] {
  const same = (url: string) => new URL(url).href.replace(/\/+$/, '');
  return urls.filter((url) => same(url) !== same(writer));
}

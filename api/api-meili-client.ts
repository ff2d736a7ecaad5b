import type { Meilisearch } from 'meilisearch';
import { createMeiliClient } from '../meili/meili-client.ts';
import { MeiliReplicas, type MeiliReplicasOptions, type ReplicaHostStatus } from '../meili/meili-replicas.ts';
import type { SearchHosts } from './app-dependencies.ts';

/**
 * Longest the API waits for one Meilisearch request. A search slower than this is useless to a user:
 * the API answers 503 and sheds the load. It is shorter than the ~10 s Meilisearch spends trying an
 * unreachable embedding service, which is why semantic search falls back on its own timeout
 * (api/meili-search.ts).
 */
export const API_SEARCH_TIMEOUT_MS = 3_000;

/**
 * With several search hosts, how a request shares that time: the first try gets half, and a host
 * that has not answered by then is set aside and the request retried on another with the rest. A
 * host that failed is skipped for 2 s, then tried again; each failure in a row doubles that, up to
 * 30 s, so that a host down for long costs one failed try (a refused connection: a millisecond) now
 * and then rather than one per request.
 */
export const API_SEARCH_FAILOVER: Readonly<Failover> = {
  firstTryTimeoutMs: API_SEARCH_TIMEOUT_MS / 2,
  setAsideMs: 2_000,
  maxSetAsideMs: 30_000,
};

type Failover = Pick<MeiliReplicasOptions, 'firstTryTimeoutMs' | 'setAsideMs' | 'maxSetAsideMs'>;

/**
 * The client `npm start` serves requests with: `key` is its search-only key (meili/search-key.ts).
 * Tests that mean "as in production" build theirs here too, so they see the same timeout.
 */
export function createApiMeiliClient(url: string, key: string | undefined): Meilisearch {
  return createMeiliClient(url, key, { timeoutMs: API_SEARCH_TIMEOUT_MS });
}

/**
 * The client `npm start` serves requests with when MEILI_SEARCH_URLS names the hosts to search:
 * requests spread over them and fail over (meili/meili-replicas.ts), with the same key and timeout
 * as with one host. `hosts` is each host alone, for /readyz and /metrics; `close` ends the
 * connections.
 */
export function createApiReplicaClient(
  urls: readonly [string, ...string[]],
  key: string | undefined,
  options: {
    failover?: Partial<Failover>;
    onSetAside?: (host: ReplicaHostStatus, error: unknown) => void;
    onBack?: (host: ReplicaHostStatus) => void;
  } = {},
): { client: Meilisearch; hosts: SearchHosts; close(): Promise<void> } {
  const replicas = new MeiliReplicas({
    urls,
    ...API_SEARCH_FAILOVER,
    ...options.failover,
    ...(options.onSetAside ? { onSetAside: options.onSetAside } : {}),
    ...(options.onBack ? { onBack: options.onBack } : {}),
  });
  const client = createMeiliClient(urls[0], key, {
    timeoutMs: API_SEARCH_TIMEOUT_MS,
    transport: replicas.transport,
  });
  const hosts: SearchHosts = {
    hosts: urls.map((url) => ({ url, client: createApiMeiliClient(url, key) })),
    status: () => replicas.status(),
  };
  return { client, hosts, close: () => replicas.close() };
}

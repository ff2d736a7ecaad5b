import type { Meilisearch } from 'meilisearch';
import { createMeiliClient } from '../meili/meili-client.ts';

/**
 * Longest the API waits for one Meilisearch request. A search slower than this is useless to a user:
 * the API answers 503 and sheds the load. It is shorter than the ~10 s Meilisearch spends trying an
 * unreachable embedding service, which is why semantic search falls back on its own timeout
 * (api/meili-search.ts).
 */
export const API_SEARCH_TIMEOUT_MS = 3_000;

/**
 * The client `npm start` serves requests with: `key` is its search-only key (meili/search-key.ts).
 * Tests that mean "as in production" build theirs here too, so they see the same timeout.
 */
export function createApiMeiliClient(url: string, key: string | undefined): Meilisearch {
  return createMeiliClient(url, key, { timeoutMs: API_SEARCH_TIMEOUT_MS });
}

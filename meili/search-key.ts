import { createHash, createHmac } from 'node:crypto';
import { type Meilisearch, MeilisearchApiError } from 'meilisearch';

/**
 * What the API does in Meilisearch while it serves requests: search (one search or a federated
 * multi-search), read one document, and list the index's tasks (to empty its cache after an
 * indexing run). Nothing that writes.
 */
export const SEARCH_KEY_ACTIONS = ['search', 'documents.get', 'tasks.get'] as const;

/**
 * A Meilisearch key that can only read `indexUid`, for the API to serve requests with: whatever a
 * request makes the API do, it cannot change or delete anything, nor read another index. The master
 * key is used once, at start-up, to create it. Its uid is derived from the index uid, so every start
 * finds the same key instead of adding one (Meilisearch derives the key itself from its uid and the
 * master key); a key whose rights differ (an older version of this list) is replaced.
 */
export async function ensureSearchKey(admin: Meilisearch, indexUid: string): Promise<string> {
  const uid = searchKeyUid(indexUid);
  const wanted = { actions: [...SEARCH_KEY_ACTIONS], indexes: [indexUid] };
  const existing = await admin.getKey(uid).catch((error: unknown) => {
    if (error instanceof MeilisearchApiError && error.cause?.code === 'api_key_not_found') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const same =
      sameSet(existing.actions, wanted.actions) &&
      sameSet(existing.indexes, wanted.indexes) &&
      existing.expiresAt === null;
    if (same) return existing.key;
    await admin.deleteKey(uid);
  }
  const created = await admin.createKey({
    uid,
    name: `public-action-search API (search only, ${indexUid})`,
    description: 'Created by the API at start-up: search and read documents of one index.',
    ...wanted,
    expiresAt: null,
  });
  return created.key;
}

/**
 * The value Meilisearch gives the key of `ensureSearchKey`: the HMAC-SHA256 of its uid under the
 * master key (how Meilisearch 1.x derives a key; tests/search-key.test.ts checks it against the
 * server). Knowing it without asking lets the API start while Meilisearch is still down and
 * register the key once it is up.
 */
export function searchKeyValue(masterKey: string, indexUid: string): string {
  return createHmac('sha256', masterKey).update(searchKeyUid(indexUid)).digest('hex');
}

/** A UUID (version 4 layout, as Meilisearch requires) that depends only on the index uid. */
export function searchKeyUid(indexUid: string): string {
  const bytes = createHash('sha256').update(`public-action-search api search key\n${indexUid}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value) => right.includes(value));
}

/**
 * Registers the search key now, or, while Meilisearch cannot be reached, every `retryMs` until it
 * can: the API starts and answers 503 meanwhile, as before it had a key of its own. Meilisearch
 * giving the key another value than `expected` (a release that derives keys otherwise) is a bug the
 * API cannot serve around: it is reported through `onMismatch`, and registration stops.
 */
export function registerSearchKey(options: {
  admin: Meilisearch;
  indexUid: string;
  expected: string;
  retryMs: number;
  onRegistered: () => void;
  onRetry: (error: unknown) => void;
  onMismatch: () => void;
}): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> = Promise.resolve();
  const tryOnce = async (): Promise<void> => {
    try {
      const key = await ensureSearchKey(options.admin, options.indexUid);
      if (key === options.expected) options.onRegistered();
      else options.onMismatch();
    } catch (error) {
      if (stopped) return;
      options.onRetry(error);
      timer = setTimeout(() => {
        attempt = tryOnce();
      }, options.retryMs);
      timer.unref();
    }
  };
  attempt = tryOnce();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await attempt;
    },
  };
}

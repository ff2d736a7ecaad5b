import { Index, Meilisearch, MeilisearchApiError, MeilisearchRequestError } from 'meilisearch';
import { meiliPool, type MeiliTransport, poolTransport } from './pool-transport.ts';

/** Longest wait for one Meilisearch task: 20,000 documents take ~45 s to index on 2 cores. */
export const TASK_TIMEOUT_MS = 15 * 60_000;

/** Longest wait for one HTTP request unless told otherwise: big document batches take a while. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface MeiliClientOptions {
  /**
   * Longest wait for one HTTP request. The API passes ~1 s so that a hung Meilisearch becomes a quick
   * 503; the indexer keeps the default. A timeout surfaces as a `MeilisearchRequestError` whose cause
   * is a `MeilisearchRequestTimeOutError`, as with the stock client.
   */
  timeoutMs?: number;
  /**
   * How requests reach Meilisearch; default: a pool of connections to `url` (pool-transport.ts). The
   * API's replicas give theirs, which spreads requests over several hosts (meili-replicas.ts).
   */
  transport?: MeiliTransport;
}

/**
 * A Meilisearch client that talks over an undici `Pool` of keep-alive connections instead of the
 * global `fetch`: measured here, `fetch` costs ~1.3 ms of CPU per search call against ~0.3 ms for
 * `Pool.request`, and that CPU is taken from the same cores Meilisearch and the API run on.
 *
 * Errors keep the stock client's classes: network failures and timeouts are `MeilisearchRequestError`,
 * answers with an error status are `MeilisearchApiError` with `cause.code` (see `unwrapApiErrors`).
 */
export function createMeiliClient(
  url: string,
  apiKey: string | undefined,
  options: MeiliClientOptions = {},
): Meilisearch {
  const client = new Meilisearch({
    host: url,
    apiKey,
    // The client's default 5 s task timeout is far too short for big batches.
    defaultWaitOptions: { timeout: TASK_TIMEOUT_MS, interval: 100 },
    timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Deprecated in meilisearch-js but still the only way to replace `fetch`; pinned at 0.62.0 and
    // covered by tests/meili-client.test.ts, which fail if a release changes how it is called.
    httpClient: options.transport ?? poolTransport(meiliPool(url)),
  });
  return unwrapApiErrors(client, new Set([Index.prototype, protoOf(client.tasks), protoOf(client.batches)]));
}

/**
 * The client wraps everything its `httpClient` throws in a `MeilisearchRequestError`, API errors
 * included: `index_not_found` would then look like "Meilisearch unreachable" (a 503 with the wrong
 * code in the API, endless retries in the indexer). This proxy takes the API error back out, so
 * callers see exactly the classes the `fetch`-based client throws. It covers the client, its
 * indexes and its task and batch clients, which are what every call goes through.
 */
function unwrapApiErrors<T extends object>(target: T, parts: ReadonlySet<object>): T {
  const translate = (value: unknown): unknown => {
    if (value instanceof Promise) return translatePromise(value, translate);
    if (typeof value === 'object' && value !== null && parts.has(protoOf(value))) {
      return unwrapApiErrors(value, parts);
    }
    // `getIndexes()` answers a plain page whose `results` are indexes.
    if (isPage(value)) return { ...value, results: value.results.map(translate) };
    return value;
  };
  return new Proxy(target, {
    get(object, property) {
      // Read and call on the real object: the client's private fields are not reachable via a proxy.
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return translate(value);
      return (...args: unknown[]) => translate(Reflect.apply(value, object, args));
    },
  });
}

/** Same outcome with the API error unwrapped; keeps the `waitTask()` the client adds to task promises. */
function translatePromise(promise: Promise<unknown>, translate: (value: unknown) => unknown) {
  const translated = promise.then(translate, (error: unknown) => {
    throw error instanceof MeilisearchRequestError && error.cause instanceof MeilisearchApiError
      ? error.cause
      : error;
  });
  const waitTask: unknown = (promise as { waitTask?: unknown }).waitTask;
  if (typeof waitTask !== 'function') return translated;
  return Object.defineProperty(translated, 'waitTask', {
    value: (...args: unknown[]) => translate(Reflect.apply(waitTask, promise, args)),
  });
}

function isPage(value: unknown): value is { results: unknown[] } {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { results?: unknown }).results)
  );
}

function protoOf(value: object): object {
  return Object.getPrototypeOf(value) as object;
}

import { getMaxListeners, setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import { MeilisearchApiError, type MeilisearchErrorResponse } from 'meilisearch';
import { Pool } from 'undici';

/**
 * What the Meilisearch client calls in place of `fetch(url, init)` (its `httpClient` option): the
 * parsed JSON body (or a stream for streamed endpoints) on success, a `MeilisearchApiError` on an
 * error status, and exactly the signal's reason when the signal aborts.
 */
export type MeiliTransport = (input: string | URL | Request, init?: RequestInit) => Promise<unknown>;

/** A pool of keep-alive connections to one Meilisearch, as every client of the project uses. */
export function meiliPool(url: string): Pool {
  return new Pool(new URL(url).origin, {
    // Enough for the API's concurrency; requests beyond it queue in the pool instead of failing.
    connections: 64,
    // The pool closes idle sockets itself, before Meilisearch does (it keeps them over a minute), so
    // it never writes on a socket the server is closing; an idle process holds no connections.
    keepAliveTimeout: 4_000,
  });
}

// Endpoints the client reads as a stream (`getStream`/`postStream`) rather than as JSON.
const STREAMED_PATH = /\/(tasks\/\d+\/documents|chats\/[^/]+\/chat\/completions)$/;

/**
 * The transport the client calls in place of `fetch(url, init)`: it must return the parsed JSON
 * body (or a stream for streamed endpoints) and throw on an error status, as the client does not
 * look at the response itself when given an `httpClient`.
 */
export function poolTransport(pool: Pool): MeiliTransport {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const signal = init?.signal ?? undefined;
    if (init?.body != null && typeof init.body !== 'string') {
      throw new TypeError(`Meilisearch request body must be a string, got ${typeof init.body} for ${url}`);
    }
    // The client passes one signal to every poll of a task wait and leaves a listener on it each
    // time; undici's fetch (the stock transport) raises the limit on request signals for the same
    // reason, so do the same rather than print a leak warning during every long indexing task. Not
    // only from the default: a long task wait under load still warned at a limit of 50
    // (bench:index -- --dataset, session 4).
    if (signal && getMaxListeners(signal) < 1500) setMaxListeners(1500, signal);
    try {
      const response = await pool.request({
        path: url.pathname + url.search,
        method: init?.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init?.headers)),
        body: init?.body ?? undefined,
        signal,
      });
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      if (ok && STREAMED_PATH.test(url.pathname)) return Readable.toWeb(response.body);
      const text = await response.body.text();
      // Same reading as the stock client: an empty body is `undefined`, anything else is JSON.
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      if (ok) return body;
      throw new MeilisearchApiError(
        new Response(null, {
          status: response.statusCode,
          statusText: response.statusText,
          headers: toHeaders(response.headers),
        }),
        body as MeilisearchErrorResponse | undefined,
      );
    } catch (error) {
      // The client tells its request timeout and its task-wait timeout apart by the abort reason
      // itself, so an aborted request must reject with exactly that reason.
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  };
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one);
    }
  }
  return headers;
}

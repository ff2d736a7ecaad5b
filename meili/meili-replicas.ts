import type { Pool } from 'undici';
import { SearchEngineUnavailableError } from '../core/errors.ts';
import { meiliPool, type MeiliTransport, poolTransport } from './pool-transport.ts';
import { isHostFailure, isRead } from './replica-failover.ts';

export interface MeiliReplicasOptions {
  /** The hosts, each holding the same index; the client is built on the first (its `host`). */
  urls: readonly string[];
  /**
   * How long the first try of a read may take before it is retried on another host. Shorter than
   * the client's own timeout, which the retry gets the rest of and which alone ends it: a search
   * that is slow everywhere (an embedding service that does not answer) still ends as the client's
   * timeout, which semantic search tells apart (api/query-embedding.ts).
   */
  firstTryTimeoutMs: number;
  /** How long a host that failed is skipped; each failure in a row doubles it, up to `maxSetAsideMs`. */
  setAsideMs: number;
  maxSetAsideMs: number;
  onSetAside?: (host: ReplicaHostStatus, error: unknown) => void;
  onBack?: (host: ReplicaHostStatus) => void;
  now?: () => number;
}

/** What the requests met on one host so far (for /readyz and /metrics). */
export interface ReplicaHostStatus {
  url: string;
  /** Tries sent to it, a retry counting on the host it went to. */
  requests: number;
  /** Tries it failed: unreachable, too slow, or unable to serve the index (replica-failover.ts). */
  failures: number;
  /** Requests waiting for it now. */
  pending: number;
  /** Skipped for now after a failure; tried again once the time is up, or when every host is. */
  setAside: boolean;
}

interface Host {
  url: string;
  /** `url` as the client prefixes paths with it: with a trailing slash. */
  base: string;
  pool: Pool;
  send: MeiliTransport;
  requests: number;
  failures: number;
  pending: number;
  failuresInARow: number;
  setAsideUntil: number | undefined;
}

/**
 * Several Meilisearch hosts holding the same index, as one client's transport (the `httpClient` of
 * meili-client.ts): each request goes to the host with the fewest requests waiting, ties in turn.
 * Fewest waiting rather than plain turns: a host that is slower for now (indexing a batch, a cold
 * page cache) holds its requests longer and so gets fewer new ones, without measuring anything.
 * A read that fails on a host for the host's sake is retried once on another, and the host is set
 * aside for a while. Writes are never retried: the API only reads through this.
 */
export class MeiliReplicas {
  readonly #hosts: Host[];
  readonly #options: MeiliReplicasOptions;
  readonly #now: () => number;
  /** Where the next tie is broken from, so that equal hosts take turns. */
  #turn = 0;

  constructor(options: MeiliReplicasOptions) {
    if (options.urls.length === 0) throw new TypeError('MeiliReplicas needs at least one URL');
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#hosts = options.urls.map((url) => {
      const pool = meiliPool(url);
      return {
        url,
        base: baseOf(url),
        pool,
        send: poolTransport(pool),
        requests: 0,
        failures: 0,
        pending: 0,
        failuresInARow: 0,
        setAsideUntil: undefined,
      };
    });
  }

  readonly transport: MeiliTransport = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const retried = this.#hosts.length > 1 && isRead(init?.method ?? 'GET', url.pathname);
    const first = this.#pick(undefined);
    try {
      return await this.#try(first, url, init, retried ? this.#options.firstTryTimeoutMs : undefined);
    } catch (error) {
      if (!retried || !isHostFailure(error, init?.signal)) throw error;
      return await this.#try(this.#pick(first), url, init, undefined);
    }
  };

  status(): ReplicaHostStatus[] {
    const now = this.#now();
    return this.#hosts.map((host) => this.#statusOf(host, now));
  }

  async close(): Promise<void> {
    await Promise.all(this.#hosts.map((host) => host.pool.close()));
  }

  /** The host with the fewest requests waiting among those not set aside; else the one back soonest. */
  #pick(other: Host | undefined): Host {
    const now = this.#now();
    const candidates = this.#hosts.filter((host) => host !== other);
    const available = candidates.filter((host) => (host.setAsideUntil ?? 0) <= now);
    if (available.length === 0) {
      return candidates.reduce((soonest, host) =>
        (host.setAsideUntil ?? 0) < (soonest.setAsideUntil ?? 0) ? host : soonest,
      );
    }
    let best: Host | undefined;
    for (let step = 0; step < this.#hosts.length; step++) {
      const host = this.#hosts[(this.#turn + step) % this.#hosts.length]!;
      if (available.includes(host) && (best === undefined || host.pending < best.pending)) best = host;
    }
    this.#turn = (this.#hosts.indexOf(best!) + 1) % this.#hosts.length;
    return best!;
  }

  async #try(host: Host, url: URL, init: RequestInit | undefined, timeoutMs: number | undefined) {
    const outer = init?.signal ?? undefined;
    const attempt = new AbortController();
    const forward = () => attempt.abort(outer?.reason);
    if (outer?.aborted) forward();
    outer?.addEventListener('abort', forward, { once: true });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            attempt.abort(
              new SearchEngineUnavailableError(`${host.url} did not answer within ${timeoutMs} ms`),
            );
          }, timeoutMs);
    host.requests++;
    host.pending++;
    try {
      const answer = await host.send(host.base + url.href.slice(this.#hosts[0]!.base.length), {
        ...init,
        signal: attempt.signal,
      });
      this.#succeeded(host);
      return answer;
    } catch (error) {
      if (isHostFailure(error, outer)) this.#failed(host, error);
      throw error;
    } finally {
      host.pending--;
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  }

  #succeeded(host: Host): void {
    const wasAside = host.failuresInARow > 0;
    host.failuresInARow = 0;
    host.setAsideUntil = undefined;
    if (wasAside) this.#options.onBack?.(this.#statusOf(host, this.#now()));
  }

  #failed(host: Host, error: unknown): void {
    host.failures++;
    const now = this.#now();
    // Requests already on their way to a host that went down fail together: one failure, not many.
    if ((host.setAsideUntil ?? 0) > now) return;
    host.failuresInARow++;
    const { setAsideMs, maxSetAsideMs } = this.#options;
    host.setAsideUntil = now + Math.min(setAsideMs * 2 ** (host.failuresInARow - 1), maxSetAsideMs);
    this.#options.onSetAside?.(this.#statusOf(host, now), error);
  }

  #statusOf(host: Host, now: number): ReplicaHostStatus {
    const { url, requests, failures, pending } = host;
    return { url, requests, failures, pending, setAside: (host.setAsideUntil ?? 0) > now };
  }
}

function baseOf(url: string): string {
  const href = new URL(url).href;
  return href.endsWith('/') ? href : `${href}/`;
}

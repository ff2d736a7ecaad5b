import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimitedError } from '../core/errors.ts';
import { prepareQuery as stemmedQuery } from './query-text.ts';
import { plannedSearches } from './meili-search.ts';
import type { AppEnv } from './app-env.ts';
import type { PartnerDirectory } from './partner-directory.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SemanticSearch } from './semantic-search.ts';
import { MAX_QUERY_LENGTH } from './search-params.ts';

export interface RateLimitOptions {
  /** The allowance of each address, for requests without a partner's key; none: not limited. */
  limiter?: RateLimiter;
  /** The partners: a request with a key is counted against its partner's allowance instead. */
  partners?: PartnerDirectory;
  /**
   * Behind a reverse proxy every request comes from the proxy's address: then the client is the
   * last address of X-Forwarded-For, the one the proxy appended. Only set it behind such a proxy,
   * since a client can write any X-Forwarded-For it likes when it reaches the API directly.
   */
  trustProxy?: boolean;
  prepareQuery?: (q: string) => string;
  /** Semantic search, when the index has an embedder: one more search while it is available. */
  semantic?: SemanticSearch;
}

/**
 * Refuses, with 429 and Retry-After, the requests of a client that has used its allowance of
 * Meilisearch searches (see rate-limiter.ts). Each request is charged what it costs Meilisearch
 * on a cache miss, cached or not, so that the answer does not depend on what others asked.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const prepare = options.prepareQuery ?? stemmedQuery;
  return async (c, next) => {
    const partner = c.get('partner');
    const limiter = partner ? options.partners?.limiterOf(partner) : options.limiter;
    if (!limiter) return next();
    const cost = searchCost(c, prepare, options.semantic);
    // A partner's visitors share its key's allowance, whatever their addresses.
    const decision = limiter.take(
      partner ? `key:${partner.id}` : clientOf(c, options.trustProxy ?? false),
      cost,
    );
    if (!decision.allowed) {
      const who = partner ? `with this key` : `from this client`;
      // error-response.ts answers it: JSON for the API, a page for the search page.
      throw new RateLimitedError(
        `Too many requests ${who} (${limiter.perMinute} searches a minute); retry in ${decision.retryAfterSeconds} s.`,
        decision.retryAfterSeconds,
      );
    }
    await next();
  };
}

/** The client's address: the socket's peer, or the proxy's word for it (see trustProxy). */
export function clientOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return clientKey(forwarded);
  }
  try {
    return clientKey(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    // No socket: a request made in-process (app.request in tests, or another runtime's adapter).
    return 'unknown';
  }
}

/**
 * The bucket an address counts against. An IPv4 client seen on a dual-stack socket
 * (::ffff:203.0.113.7) is that IPv4 address. An IPv6 client counts by its /64: one subscriber
 * usually holds a whole /64, and one bucket per address would let it make 2^64 clients, and push
 * every real client out of the limiter's memory.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = address.includes('::') ? [...headGroups, ...zeros, ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Meilisearch searches the request will cost (meili-search.ts plans them), read from the raw query
 * string, before validation: a query too long to be valid costs one and gets its 400 (a bad other
 * parameter beside a long question is charged the question).
 */
function searchCost(
  c: Context,
  prepare: (q: string) => string,
  semantic: SemanticSearch | undefined,
): number {
  // The search page runs the same search as /v1/search (a no-result page two more, not counted).
  if (c.req.path !== '/v1/search' && c.req.path !== '/') return 1;
  const q = c.req.query('q')?.trim() ?? '';
  if (q.length > MAX_QUERY_LENGTH) return 1;
  const relevance = (c.req.query('sort') ?? 'relevance') === 'relevance';
  const semanticWeight = semantic?.available ? semantic.weight : undefined;
  return plannedSearches({ q, prepared: prepare(q), relevance }, semanticWeight).length;
}

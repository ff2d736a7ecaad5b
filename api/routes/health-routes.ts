import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Meilisearch } from 'meilisearch';
import type { AppEnv } from '../app-env.ts';
import type { AppDependencies, SearchHosts } from '../app-dependencies.ts';
import { notReadyCode, notReadyResponse } from '../error-response.ts';

/** Longest a readiness check waits for Meilisearch: a load balancer must get an answer quickly. */
const READINESS_TIMEOUT_MS = 1_000;

/**
 * Liveness (the process answers) and readiness (a search works), for orchestrators. Ready means
 * what a user's search needs, checked by doing one: Meilisearch answers, accepts the key the API
 * serves with (registered in the background at start-up, meili/search-key.ts), and has the index.
 * `/health` alone said ready while every search failed for want of the key.
 */
export function registerHealthRoutes(
  app: OpenAPIHono<AppEnv>,
  { client, indexUid, searchHosts }: Pick<AppDependencies, 'client' | 'indexUid' | 'searchHosts'>,
): void {
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (searchHosts) {
      const { ready, hosts, firstError } = await checkHosts(searchHosts, indexUid);
      return ready ? c.json({ status: 'ready', hosts }) : notReadyResponse(c, firstError, { hosts });
    }
    const error = await searchFails(client, indexUid);
    return error === undefined ? c.json({ status: 'ready' }) : notReadyResponse(c, error);
  });
}

/**
 * With several search hosts the API is ready while one of them can search (the others' requests
 * fail over to it), and says how each is. Hosts are named by their place in MEILI_SEARCH_URLS, from
 * 1: their addresses are the operator's business, and /readyz is public.
 */
async function checkHosts(searchHosts: SearchHosts, indexUid: string) {
  const errors = await Promise.all(searchHosts.hosts.map((host) => searchFails(host.client, indexUid)));
  const status = searchHosts.status();
  const hosts = errors.map((error, index) => ({
    host: index + 1,
    ...(error === undefined ? { status: 'ready' } : { status: 'unavailable', code: notReadyCode(error) }),
    // Set aside by the searches themselves after a failure, until it is tried again.
    setAside: status[index]?.setAside ?? false,
  }));
  return {
    ready: errors.some((error) => error === undefined),
    hosts,
    firstError: errors.find((error) => error !== undefined),
  };
}

/** The smallest real search (no hits asked for), with `client`; its error if it fails. */
async function searchFails(client: Meilisearch, indexUid: string): Promise<unknown> {
  try {
    await client
      .index(indexUid)
      .search('', { limit: 0 }, { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
    return undefined;
  } catch (error) {
    return error;
  }
}

import { MeilisearchApiError } from 'meilisearch';

// What meili-replicas.ts retries on another host, and what sets a host aside.

/** The API's reads: GETs, and the POSTs that only read (searches, documents fetched by filter). */
export function isRead(method: string, path: string): boolean {
  return method === 'GET' || /\/(search|multi-search|facet-search|documents\/fetch|similar)$/.test(path);
}

/**
 * A failure of the host rather than of the request, which another host may not have: it cannot be
 * reached or dropped the connection, did not answer in time, answered as a proxy does when the
 * server behind it is down, or cannot serve the index (missing, or the key not registered there yet:
 * a replica that is out of step). Not when the caller gave up (its signal): that is its time, not
 * the host's, and nothing is retried past it.
 */
export function isHostFailure(error: unknown, signal: AbortSignal | null | undefined): boolean {
  if (signal?.aborted) return false;
  if (!(error instanceof MeilisearchApiError)) return true;
  const status = error.response.status;
  const code = error.cause?.code;
  return (
    status === 502 ||
    status === 503 ||
    status === 504 ||
    code === 'index_not_found' ||
    code === 'invalid_api_key' ||
    code === 'missing_authorization_header'
  );
}

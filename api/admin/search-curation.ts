import { MeilisearchApiError } from 'meilisearch';
import type { Partner } from '../../core/partner.ts';
import { queryKey } from '../../core/query-key.ts';
import { documentIdForUrl } from '../../core/search-document.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { type SearchHit, type SearchResult, searchDocuments } from '../search-documents.ts';
import type { SearchParams } from '../search-params.ts';
import { resolveLikeTowns } from '../like-towns.ts';

/**
 * What admins add to a search: the pages they pinned for its query (best bets) on top of the first
 * page, marked `promoted`, and the search counted for the query insights. Outside the search cache:
 * a bet's end is checked at every request, not when the cache next empties.
 */
export async function curateSearch(
  deps: AppDependencies,
  params: SearchParams,
  result: SearchResult,
  request: { client: string; requestUrl: string; partner?: Partner | undefined },
): Promise<SearchResult> {
  const admin = deps.admin;
  if (!admin || !params.q) return result;
  const now = admin.now();
  // A user paging through a search made it once; the insights count searches, not pages.
  if (params.page === 1) {
    admin.insights.record(params.q, request.client, result.totalHits === 0, now);
  }
  if (params.page !== 1 || params.sort !== 'relevance') return result;
  const bets = admin.store.bestBets.activeFor(queryKey(params.q), now);
  if (bets.length === 0) return result;
  const promoted = await promotedHits(
    deps,
    params,
    bets.map((bet) => bet.url),
    request,
  );
  if (promoted.length === 0) return result;
  const ids = new Set(promoted.map((hit) => hit.id));
  return { ...result, hits: [...promoted, ...result.hits.filter((hit) => !ids.has(hit.id))] };
}

/**
 * The pinned pages, in the bets' order, that match the request's filters and the partner's scope: a
 * search scoped to a territory or a source (a partner's widget) never gets a page from outside it,
 * promoted or not.
 */
async function promotedHits(
  deps: AppDependencies,
  params: SearchParams,
  urls: string[],
  request: { requestUrl: string; partner?: Partner | undefined },
): Promise<SearchHit[]> {
  try {
    const like = resolveLikeTowns(params, deps.resources.territories);
    const base = deps.publicUrl ?? new URL(request.requestUrl).origin;
    const { key: _key, ...searched } = params;
    const found = await searchDocuments(
      deps.client,
      deps.indexUid,
      { ...searched, q: '', page: 1, hitsPerPage: urls.length, facets: undefined },
      undefined,
      {
        ...(like ? { like } : {}),
        ...(request.partner ? { scope: request.partner.scope } : {}),
        onlyUrls: urls,
        projectPage: (id) => `${base}/projets/${id}`,
      },
    );
    // By id: a project's hit carries the API's page as its url, not the row's.
    const byId = new Map(found.hits.map((hit) => [hit.id, hit]));
    return urls.flatMap((url) => {
      const hit = byId.get(documentIdForUrl(url));
      return hit ? [{ ...hit, promoted: true as const }] : [];
    });
  } catch (error) {
    // An index whose settings predate promoted results (`url` not filterable yet): the search
    // still answers, unpromoted, until `npm run index:settings` is run.
    if (error instanceof MeilisearchApiError && error.cause?.code === 'invalid_search_filter') {
      deps.log.warn('promoted results need the index settings in code: run npm run index:settings');
      return [];
    }
    throw error;
  }
}

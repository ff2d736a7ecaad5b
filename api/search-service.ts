import type { Partner } from '../core/partner.ts';
import type { AppDependencies } from './app-dependencies.ts';
import type { ApiMetrics } from './metrics/api-metrics.ts';
import { assertKnownValues } from './known-values.ts';
import { resolveLikeTowns } from './like-towns.ts';
import { type SearchResult, searchDocuments } from './search-documents.ts';
import type { SearchParams } from './search-params.ts';

export type SearchService = (
  params: SearchParams,
  request: { requestUrl: string; partner?: Partner | undefined },
) => Promise<SearchResult>;

/**
 * One search as the API and the search page both run it: values checked against what exists, "towns
 * like mine" resolved, the partner's scope applied, through the cache. The page calls it in process,
 * so that its HTML costs what the JSON costs, and both share the cache's entries.
 */
export function createSearchService(deps: AppDependencies, metrics?: ApiMetrics): SearchService {
  return (params, { requestUrl, partner }) => {
    assertKnownValues(params, deps);
    // Where this API is reached, for the links to its own project pages.
    const base = deps.publicUrl ?? new URL(requestUrl).origin;
    const like = resolveLikeTowns(params, deps.resources.territories);
    const { key: _key, ...searched } = params;
    const searchIndex = () =>
      searchDocuments(deps.client, deps.indexUid, searched, deps.prepareQuery, {
        ...(deps.semantic ? { semantic: deps.semantic } : {}),
        ...(like ? { like } : {}),
        ...(partner ? { scope: partner.scope } : {}),
        projectPage: (id) => `${base}/projets/${id}`,
      });
    // Timed behind the cache: what Meilisearch costs, apart from the answers given from memory.
    const run = metrics ? () => metrics.timeSearch(searchIndex) : searchIndex;
    // Keyed by the validated parameters and the partner: equivalent requests share an entry whatever
    // their spelling, and a scoped answer is never served to another partner or to the public.
    const cacheKey = `search:${base}:${partner?.id ?? ''}:${JSON.stringify(searched)}`;
    return deps.cache ? deps.cache.get(cacheKey, run) : run();
  };
}

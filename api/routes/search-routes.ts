import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { etagOf } from '../json-etag.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { ERROR_RESPONSES, json, SearchResponseSchema } from '../api-schemas.ts';
import { renderAtomFeed } from '../atom-feed.ts';
import type { AppEnv } from '../app-env.ts';
import { scopeFilter } from '../partner-scope.ts';
import { PartnerKeyParam, SearchParamsSchema } from '../search-params.ts';
import type { SearchService } from '../search-service.ts';
import { emptyWhileUnprepared } from '../unprepared-index.ts';
import { curateSearch } from '../admin/search-curation.ts';
import { clientOf } from '../rate-limit.ts';

const searchRoute = createRoute({
  method: 'get',
  path: '/v1/search',
  summary: 'Search the documents of trusted sources',
  request: { query: SearchParamsSchema },
  responses: { 200: json(SearchResponseSchema, 'Results'), ...ERROR_RESPONSES },
});

const atomRoute = createRoute({
  method: 'get',
  path: '/v1/search.atom',
  summary: 'The same search as an Atom feed of its newest results',
  request: { query: SearchParamsSchema },
  responses: {
    200: { content: { 'application/atom+xml': { schema: z.string() } }, description: 'Atom 1.0 feed' },
    ...ERROR_RESPONSES,
  },
});

const SuggestParamsSchema = z.object({ q: z.string().trim().min(1).max(100), key: PartnerKeyParam }).strict();
const suggestRoute = createRoute({
  method: 'get',
  path: '/v1/suggest',
  summary: 'Page titles completing what is typed, for the search box',
  request: { query: SuggestParamsSchema },
  responses: {
    200: json(
      z.object({ query: z.string(), suggestions: z.array(z.object({ title: z.string(), url: z.string() })) }),
      'Suggestions',
    ),
    ...ERROR_RESPONSES,
  },
});

export function registerSearchRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  search: SearchService,
): void {
  app.openapi(searchRoute, async (c) => {
    const params = c.req.valid('query');
    const partner = c.get('partner');
    c.header('Cache-Control', 'public, max-age=30');
    const found = await search(params, { requestUrl: c.req.url, partner });
    // Promoted results within the partner's scope, and the search counted for the insights.
    // With the request's logger: a warning about promoted results carries the request's id.
    const curated = await curateSearch({ ...deps, log: c.get('log') }, params, found, {
      client: clientOf(c, deps.trustProxy ?? false),
      requestUrl: c.req.url,
      partner,
    });
    // A keyed answer says which scope it was searched in, so a widget can show it.
    const result = partner ? { ...curated, scope: { partner: partner.name, ...partner.scope } } : curated;
    return c.json(result, 200, { ETag: etagOf(result, ['processingTimeMs']) });
  });

  app.openapi(atomRoute, async (c) => {
    const params = c.req.valid('query');
    const result = await search(
      { ...params, sort: 'date', page: 1, hitsPerPage: Math.max(params.hitsPerPage, 20) },
      { requestUrl: c.req.url, partner: c.get('partner') },
    );
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(renderAtomFeed(result, c.req.url, new Date()), 200);
  });

  app.openapi(suggestRoute, async (c) => {
    const { q } = c.req.valid('query');
    // A partner's visitors are suggested only titles of its scope.
    const partner = c.get('partner');
    const filter = scopeFilter(partner?.scope);
    const load = () =>
      emptyWhileUnprepared(
        deps.client,
        deps.indexUid,
        async () => {
          const response = await deps.client.index(deps.indexUid).search(q, {
            limit: 8,
            attributesToSearchOn: ['title'],
            attributesToRetrieve: ['title', 'url'],
            ...(filter.length > 0 ? { filter } : {}),
          });
          return response.hits.map((hit) => ({ title: String(hit.title), url: String(hit.url) }));
        },
        () => [],
      );
    const suggestions = deps.cache
      ? await deps.cache.get(`suggest:${partner?.id ?? ''}:${q.toLowerCase()}`, load)
      : await load();
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ query: q, suggestions }, 200);
  });
}

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { etagOf } from '../json-etag.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { ERROR_RESPONSES, json, SearchResponseSchema } from '../api-schemas.ts';
import { renderAtomFeed } from '../atom-feed.ts';
import { assertKnownValues } from '../known-values.ts';
import { type SearchResult, searchDocuments } from '../search-documents.ts';
import { type SearchParams, SearchParamsSchema } from '../search-params.ts';
import { resolveLikeTowns } from '../like-towns.ts';
import { emptyWhileUnprepared } from '../unprepared-index.ts';
import { curateSearch } from '../admin/search-curation.ts';

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

const SuggestParamsSchema = z.object({ q: z.string().trim().min(1).max(100) }).strict();
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

export function registerSearchRoutes(app: OpenAPIHono, deps: AppDependencies): void {
  /** `base`: where this API is reached, for the links to its own project pages. */
  const search = (params: SearchParams, base: string): Promise<SearchResult> => {
    const like = resolveLikeTowns(params, deps.resources.territories);
    const run = () =>
      searchDocuments(deps.client, deps.indexUid, params, deps.prepareQuery, {
        ...(deps.semantic ? { semantic: deps.semantic } : {}),
        ...(like ? { like } : {}),
        projectPage: (id) => `${base}/projets/${id}`,
      });
    // Keyed by the validated parameters: equivalent requests share an entry whatever their spelling.
    return deps.cache ? deps.cache.get(`search:${base}:${JSON.stringify(params)}`, run) : run();
  };
  const baseOf = (requestUrl: string) => deps.publicUrl ?? new URL(requestUrl).origin;

  app.openapi(searchRoute, async (c) => {
    const params = c.req.valid('query');
    assertKnownValues(params, deps);
    c.header('Cache-Control', 'public, max-age=30');
    const result = await curateSearch(c, deps, params, await search(params, baseOf(c.req.url)));
    return c.json(result, 200, { ETag: etagOf(result, ['processingTimeMs']) });
  });

  app.openapi(atomRoute, async (c) => {
    const params = c.req.valid('query');
    assertKnownValues(params, deps);
    const result = await search(
      { ...params, sort: 'date', page: 1, hitsPerPage: Math.max(params.hitsPerPage, 20) },
      baseOf(c.req.url),
    );
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(renderAtomFeed(result, c.req.url, new Date()), 200);
  });

  app.openapi(suggestRoute, async (c) => {
    const { q } = c.req.valid('query');
    const load = () =>
      emptyWhileUnprepared(
        deps.client,
        deps.indexUid,
        async () => {
          const response = await deps.client.index(deps.indexUid).search(q, {
            limit: 8,
            attributesToSearchOn: ['title'],
            attributesToRetrieve: ['title', 'url'],
          });
          return response.hits.map((hit) => ({ title: String(hit.title), url: String(hit.url) }));
        },
        () => [],
      );
    const suggestions = deps.cache ? await deps.cache.get(`suggest:${q.toLowerCase()}`, load) : await load();
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ query: q, suggestions }, 200);
  });
}

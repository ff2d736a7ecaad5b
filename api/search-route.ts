import { createRoute, z } from '@hono/zod-openapi';

export const MAX_QUERY_LENGTH = 500;
export const MAX_HITS_PER_PAGE = 50;
/** Deep pages cost Meilisearch a lot and nobody reads them: page × hitsPerPage stays under this. */
export const MAX_RESULT_DEPTH = 1000;

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const SearchQuerySchema = z
  .object({
    q: z.string().trim().max(MAX_QUERY_LENGTH).default('').openapi({ description: 'Words to search for' }),
    page: z.coerce.number().int().min(1).default(1),
    hitsPerPage: z.coerce.number().int().min(1).max(MAX_HITS_PER_PAGE).default(10),
  })
  .strict()
  .refine((query) => query.page * query.hitsPerPage <= MAX_RESULT_DEPTH, {
    message: `page × hitsPerPage must not exceed ${MAX_RESULT_DEPTH}`,
    path: ['page'],
  });

const SearchHitSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    title: z.string(),
    snippet: z.string().openapi({ description: 'HTML: matched words in <mark>, the rest escaped' }),
    source: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
    territory: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  })
  .openapi('SearchHit');

export const SearchResponseSchema = z
  .object({
    query: z.string(),
    hits: z.array(SearchHitSchema),
    page: z.number(),
    hitsPerPage: z.number(),
    totalHits: z.number(),
    processingTimeMs: z.number(),
  })
  .openapi('SearchResponse');

export const searchRoute = createRoute({
  method: 'get',
  path: '/v1/search',
  summary: 'Search the documents of trusted sources',
  request: { query: SearchQuerySchema },
  responses: {
    200: { content: { 'application/json': { schema: SearchResponseSchema } }, description: 'Results' },
    400: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Invalid parameters' },
    503: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Search engine down' },
  },
});

export { ErrorSchema };

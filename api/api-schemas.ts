import { z } from '@hono/zod-openapi';
import { SORTS } from './search-params.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const TerritorySummarySchema = z
  .object({ code: z.string(), name: z.string(), level: z.string() })
  .openapi('TerritorySummary');

export const SearchHitSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    title: z.string(),
    snippet: z.string().openapi({ description: 'HTML: matched words in <mark>, the rest escaped' }),
    source: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
    territory: TerritorySummarySchema,
    themes: z.array(z.string()),
    type: z.string(),
    publishedAt: z.string().nullable(),
    crawledAt: z.string(),
    project: z
      .object({
        year: z.number().nullable(),
        scheme: z.string().nullable(),
        beneficiary: z.string().nullable(),
        cost: z.number().nullable().openapi({ description: 'Euros, before tax' }),
        grant: z.number().nullable().openapi({ description: 'Euros' }),
        dataset: z.object({
          url: z.string(),
          publisher: z.string(),
          page: z.string().nullable(),
          licence: z.string().nullable(),
        }),
      })
      .optional()
      .openapi({
        description:
          'A project from a public dataset (type `projet`); its `url` is then this API’s page for the project, citing the dataset',
      }),
    promoted: z
      .literal(true)
      .optional()
      .openapi({ description: 'Pinned at the top of this query’s results by the admins (a best bet)' }),
  })
  .openapi('SearchHit');

export const SearchResponseSchema = z
  .object({
    query: z.string(),
    filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    sort: z.enum(SORTS),
    hits: z.array(SearchHitSchema),
    page: z.number(),
    hitsPerPage: z.number(),
    totalHits: z.number(),
    totalPages: z.number(),
    facets: z.record(z.string(), z.record(z.string(), z.number())).optional(),
    processingTimeMs: z.number(),
    scope: z
      .object({
        partner: z.string(),
        sources: z.array(z.string()).optional(),
        kinds: z.array(z.string()).optional(),
        themes: z.array(z.string()).optional(),
        territories: z.array(z.string()).optional(),
      })
      .optional()
      .openapi({ description: "With a partner's key: the partner and the scope every result is inside" }),
  })
  .openapi('SearchResponse');

/** The error responses every route may give, for the OpenAPI description. */
export const ERROR_RESPONSES = {
  400: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Invalid parameters' },
  429: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: "The client has used its minute's allowance of searches",
    headers: {
      'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying' },
    },
  },
  503: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Search engine unavailable' },
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

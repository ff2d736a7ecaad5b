import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { MeilisearchApiError } from 'meilisearch';
import { NotFoundError } from '../../core/errors.ts';
import { SearchDocumentSchema } from '../../core/search-document.ts';
import { SOURCE_KINDS } from '../../core/source.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { ERROR_RESPONSES, json, TerritorySummarySchema } from '../api-schemas.ts';
import type { AppEnv } from '../app-env.ts';
import { isInScope } from '../partner-scope.ts';
import { PartnerKeyParam } from '../search-params.ts';
import { emptyWhileUnprepared } from '../unprepared-index.ts';

const PublicSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    url: z.string(),
    territory: TerritorySummarySchema,
    documents: z.number().openapi({ description: 'Documents of this source in the index' }),
    lastCrawl: z.string().nullable().openapi({ description: 'When its last crawl started' }),
  })
  .openapi('Source');

const sourcesRoute = createRoute({
  method: 'get',
  path: '/v1/sources',
  summary: 'The trusted sources searched',
  responses: {
    200: json(z.object({ sources: z.array(PublicSourceSchema) }), 'Enabled sources'),
    ...ERROR_RESPONSES,
  },
});

const themesRoute = createRoute({
  method: 'get',
  path: '/v1/themes',
  summary: 'The reviewed themes documents are classified under',
  responses: {
    200: json(
      z.object({
        themes: z.array(
          z.object({ slug: z.string(), label: z.string(), description: z.string(), documents: z.number() }),
        ),
      }),
      'Themes',
    ),
    ...ERROR_RESPONSES,
  },
});

const TerritoryParamsSchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'A name or a code: "castel", "34", "34301"' }),
    limit: z.coerce.number().int().min(1).max(20).default(10),
    key: PartnerKeyParam,
  })
  .strict();
const territoriesRoute = createRoute({
  method: 'get',
  path: '/v1/territories',
  summary: 'Find a commune, EPCI, département or région by name or code',
  request: { query: TerritoryParamsSchema },
  responses: {
    200: json(
      z.object({
        territories: z.array(
          TerritorySummarySchema.extend({
            departement: z.object({ code: z.string(), name: z.string() }).nullable(),
            region: z.object({ code: z.string(), name: z.string() }).nullable(),
            population: z.number().nullable(),
            sizeBracket: z.string().nullable(),
          }),
        ),
      }),
      'Matching territories, best first',
    ),
    ...ERROR_RESPONSES,
  },
});

const DocumentParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a document id') });
// Ranking internals and the stemmed shadow fields are for Meilisearch, not for readers.
const PublicDocumentSchema = SearchDocumentSchema.omit({
  trust: true,
  freshness: true,
  formatRank: true,
  contentHash: true,
  stemmed: true,
  titleWords: true,
});
const documentRoute = createRoute({
  method: 'get',
  path: '/v1/documents/{id}',
  summary: 'One indexed document, with its provenance',
  request: { params: DocumentParamsSchema },
  responses: {
    200: json(PublicDocumentSchema.openapi('Document'), 'The document'),
    404: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'No such document'),
    ...ERROR_RESPONSES,
  },
});

export function registerCatalogRoutes(app: OpenAPIHono<AppEnv>, deps: AppDependencies): void {
  const { client, indexUid, resources } = deps;
  const facetCounts = (attribute: string) =>
    emptyWhileUnprepared(
      client,
      indexUid,
      async () => {
        const response = await client.index(indexUid).search('', { limit: 0, facets: [attribute] });
        return response.facetDistribution?.[attribute] ?? {};
      },
      (): Record<string, number> => ({}),
    );

  app.openapi(sourcesRoute, async (c) => {
    const [counts, lastCrawls] = await Promise.all([
      facetCounts('source.id'),
      deps.lastCrawls?.() ?? new Map<string, string>(),
    ]);
    const sources = deps.sources
      .filter((source) => source.enabled)
      .map((source) => {
        const territory = resources.territories.resolve(source.territory);
        return {
          id: source.id,
          name: source.name,
          kind: source.kind,
          url: source.url,
          territory: {
            code: source.territory,
            name: territory?.name ?? source.territory,
            level: territory?.level ?? '',
          },
          documents: counts[source.id] ?? 0,
          lastCrawl: lastCrawls.get(source.id) ?? null,
        };
      });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ sources }, 200);
  });

  app.openapi(themesRoute, async (c) => {
    const counts = await facetCounts('themes');
    const themes = resources.taxonomy.themes.map((theme) => ({
      slug: theme.slug,
      label: theme.label,
      description: theme.description,
      documents: counts[theme.slug] ?? 0,
    }));
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ themes }, 200);
  });

  app.openapi(territoriesRoute, (c) => {
    const { q, limit } = c.req.valid('query');
    const territories = resources.territories.search(q, limit).map((territory) => ({
      code: territory.code,
      name: territory.name,
      level: territory.level,
      departement: territory.departement,
      region: territory.region,
      population: territory.population,
      sizeBracket: territory.sizeBracket,
    }));
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ territories }, 200);
  });

  app.openapi(documentRoute, async (c) => {
    const { id } = c.req.valid('param');
    const raw = await client
      .index(indexUid)
      .getDocument(id)
      .catch((error: unknown) => {
        if (error instanceof MeilisearchApiError && error.cause?.code === 'document_not_found') {
          throw new NotFoundError('document', id);
        }
        throw error;
      });
    const document = PublicDocumentSchema.parse(raw);
    // With a partner's key, a document outside its scope does not exist.
    if (!isInScope(document, c.get('partner')?.scope)) throw new NotFoundError('document', id);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document, 200);
  });
}

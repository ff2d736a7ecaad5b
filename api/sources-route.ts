import { createRoute, z } from '@hono/zod-openapi';
import { SOURCE_KINDS, type Source } from '../core/source.ts';

const PublicSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    url: z.string(),
    territory: z.string(),
  })
  .openapi('Source');

export const sourcesRoute = createRoute({
  method: 'get',
  path: '/v1/sources',
  summary: 'The trusted sources searched',
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ sources: z.array(PublicSourceSchema) }) } },
      description: 'Enabled sources',
    },
  },
});

/** Only what the public may see: crawl rules stay internal. */
export function toPublicSource(source: Source): z.infer<typeof PublicSourceSchema> {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    url: source.url,
    territory: source.territory,
  };
}

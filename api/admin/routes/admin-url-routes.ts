import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { NotFoundError } from '../../../core/errors.ts';
import { ScopePreviewSchema } from '../../../core/scope-preview.ts';
import { UrlInspectionSchema } from '../../../core/url-inspection.ts';
import { ERROR_RESPONSES, json } from '../../api-schemas.ts';
import type { AdminDependencies } from '../admin-dependencies.ts';
import { ADMIN_ERROR_RESPONSES, SourceEntryBody, SourceIdParams } from '../admin-schemas.ts';

const security = [{ adminToken: [] }];
const tags = ['admin'];
const responses = { ...ERROR_RESPONSES, ...ADMIN_ERROR_RESPONSES } as const;

const HttpUrl = z
  .string()
  .max(2000)
  .refine((raw) => URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol), 'must be an http(s) URL');

const urlRoute = createRoute({
  method: 'get',
  path: '/v1/admin/urls',
  tags,
  security,
  summary:
    'Why is this URL missing? Its source, scope rule, robots.txt verdict, last fetch, canonical, index state',
  request: { query: z.object({ url: HttpUrl }).strict() },
  responses: { 200: json(UrlInspectionSchema.openapi('UrlInspection'), 'The inspection'), ...responses },
});

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const previewRoute = createRoute({
  method: 'post',
  path: '/v1/admin/sources/{id}/preview',
  tags,
  security,
  summary: "A dry run of a source's scope: the first URLs it would take, and why others are refused",
  request: { params: SourceIdParams, query: z.object({ limit: Limit }).strict() },
  responses: { 200: json(ScopePreviewSchema.openapi('ScopePreview'), 'The preview'), ...responses },
});
const candidatePreviewRoute = createRoute({
  method: 'post',
  path: '/v1/admin/scope-preview',
  tags,
  security,
  summary: 'The same dry run for a source not in sources.yaml yet (or a change to one)',
  request: {
    query: z.object({ limit: Limit }).strict(),
    body: { content: { 'application/json': { schema: SourceEntryBody } }, required: true },
  },
  responses: { 200: json(ScopePreviewSchema, 'The preview'), ...responses },
});

/**
 * The crawler's view of URLs, for admins: the URL inspector, and the scope preview. Both only
 * read, and only ever request a source's own host (never a URL given by the request elsewhere).
 */
export function registerAdminUrlRoutes(app: OpenAPIHono<AppEnv>, admin: AdminDependencies): void {
  app.openapi(urlRoute, async (c) => {
    const { url } = c.req.valid('query');
    return c.json(await admin.inspectUrl(new URL(url)), 200);
  });

  app.openapi(previewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const source = admin.catalog.get(id);
    if (!source) throw new NotFoundError('source', id);
    return c.json(await admin.previewScope(source, c.req.valid('query').limit), 200);
  });

  app.openapi(candidatePreviewRoute, async (c) => {
    const source = admin.catalog.validateEntry(c.req.valid('json'));
    return c.json(await admin.previewScope(source, c.req.valid('query').limit), 200);
  });
}

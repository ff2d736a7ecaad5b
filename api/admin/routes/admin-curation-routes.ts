import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { MeilisearchApiError } from 'meilisearch';
import { InvalidParametersError, NotFoundError } from '../../../core/errors.ts';
import { queryKey } from '../../../core/query-key.ts';
import { documentIdForUrl } from '../../../core/search-document.ts';
import type { BestBet } from '../../../store/best-bets.ts';
import type { AppDependencies } from '../../app-dependencies.ts';
import { ERROR_RESPONSES, json } from '../../api-schemas.ts';
import type { AdminDependencies } from '../admin-dependencies.ts';
import { audit } from '../admin-audit.ts';
import { ADMIN_ERROR_RESPONSES, AuditEntrySchema, BestBetSchema } from '../admin-schemas.ts';
import { MIN_DISTINCT_CLIENTS } from '../query-insights.ts';

const security = [{ adminToken: [] }];
const tags = ['admin'];
const responses = { ...ERROR_RESPONSES, ...ADMIN_ERROR_RESPONSES } as const;

/** An instant, or a day (a start at its first instant, an end after its last: `endsAt: 2025-06-30` includes the 30th). */
const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const BestBetBody = z
  .object({
    url: z
      .string()
      .max(2000)
      .refine((raw) => URL.canParse(raw), 'must be an absolute URL'),
    queries: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
  })
  .strict();

const listBetsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/best-bets',
  tags,
  security,
  summary: 'The promoted results, expired ones included',
  responses: { 200: json(z.object({ bestBets: z.array(BestBetSchema) }), 'Best bets'), ...responses },
});
const createBetRoute = createRoute({
  method: 'post',
  path: '/v1/admin/best-bets',
  tags,
  security,
  summary: 'Pin an indexed page at the top of the results of some queries, optionally between two dates',
  request: { body: { content: { 'application/json': { schema: BestBetBody } }, required: true } },
  responses: { 201: json(BestBetSchema, 'The best bet'), ...responses },
});
const deleteBetRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/best-bets/{id}',
  tags,
  security,
  summary: 'Remove a best bet',
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: { 200: json(BestBetSchema, 'The best bet removed'), ...responses },
});
const Day = z.iso.date();
const insightsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/insights',
  tags,
  security,
  summary: `Daily searches and zero-result searches; a query shows once ${MIN_DISTINCT_CLIENTS} distinct clients made it that day`,
  request: {
    query: z
      .object({
        from: Day.optional(),
        to: Day.optional(),
        top: z.coerce.number().int().min(1).max(200).default(20),
      })
      .strict(),
  },
  responses: {
    200: json(
      z.object({
        days: z.array(
          z.object({
            day: z.string(),
            searches: z.number(),
            zeroResults: z.number(),
            topQueries: z.array(
              z.object({ query: z.string(), searches: z.number(), zeroResults: z.number() }),
            ),
            zeroResultQueries: z.array(
              z.object({ query: z.string(), searches: z.number(), zeroResults: z.number() }),
            ),
          }),
        ),
      }),
      'Days, newest first',
    ),
    ...responses,
  },
});
const auditRoute = createRoute({
  method: 'get',
  path: '/v1/admin/audit',
  tags,
  security,
  summary: 'The audit log: every admin action, newest first',
  request: {
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().positive().optional(),
      })
      .strict(),
  },
  responses: { 200: json(z.object({ entries: z.array(AuditEntrySchema) }), 'Entries'), ...responses },
});

/** Best bets, query insights and the audit log. */
export function registerAdminCurationRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  admin: AdminDependencies,
): void {
  const shown = (bet: BestBet) => {
    const now = admin.now().toISOString();
    return { ...bet, active: (bet.startsAt ?? '') <= now && (bet.endsAt === null || bet.endsAt > now) };
  };

  app.openapi(listBetsRoute, (c) => c.json({ bestBets: admin.store.bestBets.all().map(shown) }, 200));

  app.openapi(createBetRoute, async (c) => {
    const body = c.req.valid('json');
    const startsAt = body.startsAt ? instant(body.startsAt, 'start') : null;
    const endsAt = body.endsAt ? instant(body.endsAt, 'end') : null;
    if (startsAt && endsAt && startsAt >= endsAt) {
      throw new InvalidParametersError([{ parameter: 'endsAt', message: 'must come after startsAt' }]);
    }
    // Only a page of the index can be promoted: a URL of no source, or a typo, would show nothing.
    const indexed = await hasDocument(deps, body.url);
    if (!indexed) {
      throw new InvalidParametersError([
        { parameter: 'url', message: 'not in the index: see /v1/admin/urls?url=…' },
      ]);
    }
    const queries = [...new Set(body.queries.map(queryKey).filter(Boolean))];
    const bet = admin.store.bestBets.create({
      url: body.url,
      queries,
      startsAt,
      endsAt,
      createdAt: admin.now().toISOString(),
      createdBy: c.get('adminToken').name,
    });
    audit(admin, c, 'best-bet.create', String(bet.id), { after: bet });
    return c.json(shown(bet), 201);
  });

  app.openapi(deleteBetRoute, (c) => {
    const { id } = c.req.valid('param');
    const bet = admin.store.bestBets.remove(id);
    if (!bet) throw new NotFoundError('best bet', String(id));
    audit(admin, c, 'best-bet.delete', String(id), { before: bet });
    return c.json(shown(bet), 200);
  });

  app.openapi(insightsRoute, (c) => {
    const { from, to, top } = c.req.valid('query');
    admin.insights.flush();
    const today = admin.now().toISOString().slice(0, 10);
    const days = admin.store.queryCounts.days(from ?? '0000-00-00', to ?? today, top);
    return c.json({ days }, 200);
  });

  app.openapi(auditRoute, (c) => {
    const { limit, before } = c.req.valid('query');
    return c.json(
      { entries: admin.store.audit.list({ limit, ...(before ? { beforeId: before } : {}) }) },
      200,
    );
  });
}

/** A day as the instant it starts at, or (an end) the instant after it ends. */
function instant(value: string, side: 'start' | 'end'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value).toISOString();
  const day = new Date(`${value}T00:00:00Z`);
  if (side === 'end') day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

async function hasDocument(deps: AppDependencies, url: string): Promise<boolean> {
  try {
    await deps.client.index(deps.indexUid).getDocument(documentIdForUrl(url), { fields: ['id'] });
    return true;
  } catch (error) {
    const code = error instanceof MeilisearchApiError ? error.cause?.code : undefined;
    if (code === 'document_not_found' || code === 'index_not_found') return false;
    throw error;
  }
}

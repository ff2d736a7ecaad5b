import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { RecrawlJobSchema } from '../../../core/recrawl-job.ts';
import { StoreBusyError } from '../../../store/writer-lock.ts';
import type { AppDependencies } from '../../app-dependencies.ts';
import { ERROR_RESPONSES, ErrorSchema, json } from '../../api-schemas.ts';
import type { AdminDependencies } from '../admin-dependencies.ts';
import { audit } from '../admin-audit.ts';
import { ADMIN_ERROR_RESPONSES, SourceIdParams } from '../admin-schemas.ts';
import { changeStoreAndIndex } from '../index-changes.ts';

const security = [{ adminToken: [] }];
const tags = ['admin'];
const responses = {
  ...ERROR_RESPONSES,
  ...ADMIN_ERROR_RESPONSES,
  409: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: 'Another process is writing to the store (the message names it)',
  },
} as const;

const sourceAction = (method: 'get' | 'post', path: string, summary: string, response: z.ZodType) =>
  createRoute({
    method,
    path: `/v1/admin/sources/{id}/${path}`,
    tags,
    security,
    summary,
    request: { params: SourceIdParams },
    responses: { 200: json(response, 'Done'), ...responses },
  });

const Removed = z.object({ documentsRemoved: z.number() });
const purgeRoute = sourceAction('post', 'purge', "Remove the source's documents from the index now", Removed);
const heldRoute = sourceAction(
  'get',
  'held-deletions',
  'The deletions a crawl held for review (more than 10% of the source at once)',
  z.object({ urls: z.array(z.string()) }),
);
const confirmRoute = sourceAction('post', 'held-deletions/confirm', 'Apply the held deletions now', Removed);
const dropRoute = sourceAction(
  'post',
  'held-deletions/drop',
  'Keep the documents; the next crawl decides again',
  z.object({ dropped: z.number() }),
);
const recrawlRoute = createRoute({
  method: 'post',
  path: '/v1/admin/sources/{id}/recrawl',
  tags,
  security,
  summary:
    'Crawl this source now (npm run crawl -- --source ID, in a process of its own; with REDIS_URL, queued for the crawl workers)',
  request: { params: SourceIdParams },
  responses: {
    202: json(
      z.union([
        z.object({ job: RecrawlJobSchema }),
        z.object({
          queued: z.object({
            sourceId: z.string(),
            /** A crawl of it was already waiting or running in the workers' queue: nothing added. */
            alreadyQueued: z.boolean(),
          }),
        }),
      ]),
      'Started here, or queued for the crawl workers',
    ),
    ...responses,
  },
});
const jobsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/recrawls',
  tags,
  security,
  summary: 'The recrawls asked for since the API started, newest first',
  responses: { 200: json(z.object({ jobs: z.array(RecrawlJobSchema) }), 'Jobs'), ...responses },
});

/** What changes the store and the index: each under the store's writer lock, or a 409 naming its holder. */
export function registerAdminIndexRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  admin: AdminDependencies,
): void {
  const context = { admin, indexUid: deps.indexUid, resources: deps.resources };
  const mustExist = (id: string) => {
    const source = admin.catalog.get(id);
    if (!source) throw new NotFoundError('source', id);
    return source;
  };
  const now = () => admin.now().toISOString();

  app.openapi(purgeRoute, async (c) => {
    const { id } = c.req.valid('param');
    mustExist(id);
    const { result } = await changeStoreAndIndex(
      // The index sync's lines carry the request's id (request-log.ts).
      { ...context, log: c.get('log') },
      `admin: purge ${id} (${c.get('adminToken').name})`,
      () => admin.store.documents.retireSource(id, now()),
    );
    audit(admin, c, 'source.purge', id, { after: { documentsRemoved: result } });
    return c.json({ documentsRemoved: result }, 200);
  });

  app.openapi(heldRoute, (c) => {
    const { id } = c.req.valid('param');
    mustExist(id);
    return c.json({ urls: admin.store.documents.heldDeletions(id) }, 200);
  });

  app.openapi(confirmRoute, async (c) => {
    const { id } = c.req.valid('param');
    mustExist(id);
    const held = admin.store.documents.heldDeletions(id);
    const { result } = await changeStoreAndIndex(
      // The index sync's lines carry the request's id (request-log.ts).
      { ...context, log: c.get('log') },
      `admin: confirm deletions of ${id} (${c.get('adminToken').name})`,
      () => admin.store.documents.confirmHeldDeletions(id, now()),
    );
    audit(admin, c, 'held-deletions.confirm', id, { before: { held }, after: { documentsRemoved: result } });
    return c.json({ documentsRemoved: result }, 200);
  });

  app.openapi(dropRoute, async (c) => {
    const { id } = c.req.valid('param');
    mustExist(id);
    const held = admin.store.documents.heldDeletions(id);
    const { result } = await changeStoreAndIndex(
      // The index sync's lines carry the request's id (request-log.ts).
      { ...context, log: c.get('log') },
      `admin: drop held deletions of ${id} (${c.get('adminToken').name})`,
      () => admin.store.documents.dropHeldDeletions(id),
    );
    audit(admin, c, 'held-deletions.drop', id, { before: { held }, after: { dropped: result } });
    return c.json({ dropped: result }, 200);
  });

  app.openapi(recrawlRoute, async (c) => {
    const { id } = c.req.valid('param');
    const source = mustExist(id);
    if (!source.enabled)
      throw new ConflictError('source_disabled', `The source '${id}' is disabled: enable it first.`);
    if (admin.store.health.of(id)?.suspendedAt) {
      throw new ConflictError('source_suspended', `The source '${id}' is suspended: enable it first.`);
    }
    if (admin.crawlQueue) {
      // Past one machine the workers crawl: the job waits its turn there, as the scheduler's do.
      const added = await admin.crawlQueue.enqueue(id, `admin: ${c.get('adminToken').name}`);
      audit(admin, c, 'source.recrawl', id, { after: { queued: added } });
      return c.json({ queued: { sourceId: id, alreadyQueued: !added } }, 202);
    }
    // The crawl takes the lock itself; asking first answers now, rather than in the job's output.
    const writer = admin.store.writer();
    if (writer) throw new StoreBusyError(writer);
    const job = admin.recrawler.start(id, c.get('adminToken').name);
    audit(admin, c, 'source.recrawl', id, { after: { job: job.id } });
    return c.json({ job }, 202);
  });

  app.openapi(jobsRoute, (c) => c.json({ jobs: admin.recrawler.jobs() }, 200));
}

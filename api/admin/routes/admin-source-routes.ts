import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { appendEntry, entryOf, patchEntry } from '../../../core/source-entry-edits.ts';
import type { AppDependencies } from '../../app-dependencies.ts';
import { ERROR_RESPONSES, json } from '../../api-schemas.ts';
import type { AdminDependencies } from '../admin-dependencies.ts';
import { audit } from '../admin-audit.ts';
import {
  ADMIN_ERROR_RESPONSES,
  SourceEntryBody,
  SourceIdParams,
  SourcePatchBody,
  SourceStatusSchema,
} from '../admin-schemas.ts';
import { changeStoreAndIndex } from '../index-changes.ts';
import { sourceStatuses } from '../source-status.ts';

const security = [{ adminToken: [] }];
const responses = { ...ERROR_RESPONSES, ...ADMIN_ERROR_RESPONSES } as const;
const EntryResponse = z.object({ source: z.record(z.string(), z.unknown()) });
const tags = ['admin'];

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/sources',
  tags,
  security,
  summary: 'Every source of the whitelist, with its live status',
  responses: { 200: json(z.object({ sources: z.array(SourceStatusSchema) }), 'Sources'), ...responses },
});
const oneRoute = createRoute({
  method: 'get',
  path: '/v1/admin/sources/{id}',
  tags,
  security,
  summary: 'One source, with its live status',
  request: { params: SourceIdParams },
  responses: { 200: json(SourceStatusSchema, 'The source'), ...responses },
});
const addRoute = createRoute({
  method: 'post',
  path: '/v1/admin/sources',
  tags,
  security,
  summary: 'Add a source to sources.yaml (checked as the crawl checks it)',
  request: { body: { content: { 'application/json': { schema: SourceEntryBody } }, required: true } },
  responses: { 201: json(EntryResponse, 'The entry as written'), ...responses },
});
const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/sources/{id}',
  tags,
  security,
  summary: 'Change fields of a source (a JSON merge patch)',
  request: {
    params: SourceIdParams,
    body: { content: { 'application/json': { schema: SourcePatchBody } }, required: true },
  },
  responses: { 200: json(EntryResponse, 'The entry as written'), ...responses },
});
const action = (path: string, summary: string, response: z.ZodType) =>
  createRoute({
    method: 'post',
    path: `/v1/admin/sources/{id}/${path}`,
    tags,
    security,
    summary,
    request: { params: SourceIdParams },
    responses: { 200: json(response, 'Done'), ...responses },
  });
const enableRoute = action(
  'enable',
  'Enable a source (and lift its suspension): crawled again from the next run',
  EntryResponse.extend({ liftedSuspension: z.boolean() }),
);
const disableRoute = action(
  'disable',
  'Disable a source: out of the whitelist, its documents out of the index at once',
  EntryResponse.extend({ documentsRemoved: z.number() }),
);
const reviewRoute = action('review', 'Record that the source was reviewed today', EntryResponse);

/** The whitelist's sources, read and changed in sources.yaml. */
export function registerAdminSourceRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  admin: AdminDependencies,
): void {
  const { catalog } = admin;
  const today = () => admin.now().toISOString().slice(0, 10);
  const search = { client: deps.client, indexUid: deps.indexUid };
  const mustExist = (id: string) => {
    const source = catalog.get(id);
    if (!source) throw new NotFoundError('source', id);
    return source;
  };

  app.openapi(listRoute, async (c) => {
    const sources = await catalog.refresh();
    return c.json({ sources: await sourceStatuses(admin, search, sources) }, 200);
  });

  app.openapi(oneRoute, async (c) => {
    const source = mustExist(c.req.valid('param').id);
    const [status] = await sourceStatuses(admin, search, [source]);
    return c.json(status!, 200);
  });

  app.openapi(addRoute, async (c) => {
    const token = c.get('adminToken');
    const body = c.req.valid('json');
    const curation = (typeof body.curation === 'object' && body.curation) || {};
    const entry = {
      ...body,
      id: String(body.id),
      curation: { addedBy: token.name, addedOn: today(), ...curation },
    };
    const written = await catalog.edit(`add ${entry.id} (${token.name})`, (document) => {
      appendEntry(document, entry);
      return entryOf(document, entry.id);
    });
    audit(admin, c, 'source.add', entry.id, { after: written });
    return c.json({ source: written }, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const { before, after } = await catalog.edit(`update ${id} (${c.get('adminToken').name})`, (document) => {
      const before = entryOf(document, id);
      patchEntry(document, id, patch);
      return { before, after: entryOf(document, id) };
    });
    audit(admin, c, 'source.update', id, { before, after });
    return c.json({ source: after }, 200);
  });

  app.openapi(enableRoute, async (c) => {
    const { id } = c.req.valid('param');
    mustExist(id);
    const { before, after } = await catalog.edit(`enable ${id} (${c.get('adminToken').name})`, (document) => {
      const before = entryOf(document, id);
      // Enabled is the default: the key goes, as in an entry written by hand.
      if ('enabled' in before) patchEntry(document, id, { enabled: null });
      return { before, after: entryOf(document, id) };
    });
    const suspension = admin.store.health.of(id);
    const liftedSuspension = Boolean(suspension?.suspendedAt);
    admin.store.health.lift(id);
    audit(admin, c, 'source.enable', id, {
      before: { entry: before, suspendedAt: suspension?.suspendedAt ?? null },
      after: { entry: after, suspendedAt: null },
    });
    return c.json({ source: after, liftedSuspension }, 200);
  });

  app.openapi(disableRoute, async (c) => {
    const { id } = c.req.valid('param');
    const source = mustExist(id);
    if (!source.enabled)
      throw new ConflictError('already_disabled', `The source '${id}' is already disabled.`);
    const name = c.get('adminToken').name;
    // The store's lock first: if a crawl runs, nothing changes (409), not the file without the index.
    const { result } = await changeStoreAndIndex(
      { admin, indexUid: deps.indexUid, resources: deps.resources, log: c.get('log') },
      `admin: disable ${id} (${name})`,
      async () => {
        const change = await catalog.edit(`disable ${id} (${name})`, (document) => {
          const before = entryOf(document, id);
          patchEntry(document, id, { enabled: false });
          return { before, after: entryOf(document, id) };
        });
        const removed = admin.store.documents.retireSource(id, admin.now().toISOString());
        return { ...change, removed };
      },
    );
    audit(admin, c, 'source.disable', id, {
      before: result.before,
      after: { entry: result.after, documentsRemoved: result.removed },
    });
    return c.json({ source: result.after, documentsRemoved: result.removed }, 200);
  });

  app.openapi(reviewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const name = c.get('adminToken').name;
    const { before, after } = await catalog.edit(`review ${id} (${name})`, (document) => {
      const before = entryOf(document, id);
      patchEntry(document, id, { curation: { reviewedOn: today(), reviewedBy: name } });
      return { before, after: entryOf(document, id) };
    });
    audit(admin, c, 'source.review', id, { before, after });
    return c.json({ source: after }, 200);
  });
}

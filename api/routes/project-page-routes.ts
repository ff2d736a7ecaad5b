import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { MeilisearchApiError } from 'meilisearch';
import { SearchDocumentSchema } from '../../core/search-document.ts';
import type { AppEnv } from '../app-env.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { renderProjectPage } from '../project-page.ts';

const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** No script, no frame, no plug-in: the page shows data and links, nothing else. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `/projets/:id`: the page a project hit links to (a dataset row has no page of its own elsewhere).
 * HTML for people; the same document as JSON is `/v1/documents/:id`.
 */
export function registerProjectPageRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: Pick<AppDependencies, 'client' | 'indexUid'>,
): void {
  app.get('/projets/:id', async (c) => {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    const notFound = () =>
      c.html(
        '<!DOCTYPE html><html lang="fr"><title>Projet introuvable</title><h1>Projet introuvable</h1></html>',
        404,
      );
    const id = IdSchema.safeParse(c.req.param('id'));
    if (!id.success) return notFound();
    const raw = await deps.client
      .index(deps.indexUid)
      .getDocument(id.data)
      .catch((error: unknown) => {
        if (error instanceof MeilisearchApiError && error.cause?.code === 'document_not_found') return null;
        throw error;
      });
    const document = raw && SearchDocumentSchema.safeParse(raw);
    if (!document?.success || !document.data.project) return notFound();
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(renderProjectPage({ ...document.data, project: document.data.project }));
  });
}

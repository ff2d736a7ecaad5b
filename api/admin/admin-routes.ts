import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import type { AdminDependencies } from './admin-dependencies.ts';
import { adminAuth } from './admin-auth.ts';
import { registerAdminCurationRoutes } from './routes/admin-curation-routes.ts';
import { registerAdminIndexRoutes } from './routes/admin-index-routes.ts';
import { registerAdminPageRoutes } from './routes/admin-page-routes.ts';
import { registerAdminSourceRoutes } from './routes/admin-source-routes.ts';
import { registerAdminUrlRoutes } from './routes/admin-url-routes.ts';

/**
 * The admin API under /v1/admin, every route behind a bearer token (admin-auth.ts, registered
 * before any of them), and the admin page at /admin.
 */
export function registerAdminRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  admin: AdminDependencies,
): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An admin token (npm run admin:token); read rights for GET, write rights for the rest',
  });
  app.use('/v1/admin', adminAuth(admin.tokens));
  app.use('/v1/admin/*', adminAuth(admin.tokens));
  registerAdminSourceRoutes(app, deps, admin);
  registerAdminIndexRoutes(app, deps, admin);
  registerAdminUrlRoutes(app, admin);
  registerAdminCurationRoutes(app, deps, admin);
  registerAdminPageRoutes(app);
}

import type { Context } from 'hono';
import type { AdminDependencies } from './admin-dependencies.ts';

/**
 * Appends what an admin request did to the audit log, under the name of its token. Called once the
 * action took effect: a refused or failed request changed nothing, and its answer says why.
 */
export function audit(
  admin: AdminDependencies,
  c: Context,
  action: string,
  target: string | null,
  change: { before?: unknown; after?: unknown },
): void {
  admin.store.audit.append({
    at: admin.now().toISOString(),
    actor: c.get('adminToken').name,
    action,
    target,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}

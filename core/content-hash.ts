import { createHash } from 'node:crypto';

/**
 * A page's content fingerprint: SHA-256 of its text, base64url, 22 characters. In a module of its
 * own because the crawler's extraction workers need it and nothing else of the search document: a
 * worker importing search-document.ts loaded zod and every schema, a third of its start-up.
 */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

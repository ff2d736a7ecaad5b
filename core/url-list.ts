import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * A comma-separated list of http(s) URLs, e.g. `MEILI_SEARCH_URLS`: each entry is checked on its own
 * and a bad one is quoted in the message, so that an operator with five hosts sees which one is
 * wrong. Spaces around entries and empty entries (a trailing comma) are ignored. An entry may have a
 * path (a Meilisearch behind a reverse proxy's prefix), but no user, password, query or fragment:
 * the client would drop them without a word.
 */
export function httpUrlList() {
  return z.string().transform((text, context): [string, ...string[]] => {
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) {
      context.addIssue({ code: 'custom', message: 'lists no URL (comma-separated http(s) URLs)' });
      return z.NEVER;
    }
    const seen = new Set<string>();
    for (const [position, entry] of entries.entries()) {
      const problem = problemOf(entry, seen);
      // A password is not repeated in a message that ends up in logs.
      const quoted = problem === CREDENTIALS ? '(not shown)' : `'${entry}'`;
      if (problem !== undefined) {
        context.addIssue({ code: 'custom', message: `entry ${position + 1}, ${quoted}: ${problem}` });
      }
    }
    return entries as [string, ...string[]];
  });
}

const CREDENTIALS = 'must not carry a user or password';

function problemOf(entry: string, seen: Set<string>): string | undefined {
  if (!HttpUrl.safeParse(entry).success) return 'not an http(s) URL';
  const url = new URL(entry);
  if (url.username !== '' || url.password !== '') return CREDENTIALS;
  if (url.search !== '' || url.hash !== '') return 'must not have a query or a fragment';
  // The same host twice would get twice the share of searches, and say nothing more when it fails.
  const normalized = url.href.replace(/\/+$/, '');
  if (seen.has(normalized)) return 'listed twice';
  seen.add(normalized);
  return undefined;
}

import { createHash } from 'node:crypto';

/**
 * A strong ETag for a JSON response body, set by the route itself. Hono's etag middleware computes
 * one only when the response has none, and to do so clones the response and hashes its stream (in the
 * bench:api profile: stream copies and the digest, a few % of the API's CPU on the search route). The
 * route knows the value it answers, and the tag of a value served from the search cache is
 * remembered with it, so a cache hit is not hashed again. (Measured end to end, the gain is within
 * the benchmark's noise on this machine.)
 */
const tags = new WeakMap<object, string>();

/**
 * `ignored`: fields that say how the answer was computed, not what it is (`processingTimeMs`): they
 * differ on every uncached search, and would change the tag of an unchanged result.
 */
export function etagOf(value: object, ignored: readonly string[] = []): string {
  let tag = tags.get(value);
  if (tag === undefined) {
    const replacer = (key: string, field: unknown) => (ignored.includes(key) ? undefined : field);
    tag = `"${createHash('sha1').update(JSON.stringify(value, replacer)).digest('base64url')}"`;
    tags.set(value, tag);
  }
  return tag;
}

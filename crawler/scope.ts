import picomatch from 'picomatch';
import type { Source } from '../core/source.ts';
import { normalizedPath } from './normalized-path.ts';

/**
 * The security boundary of the product: a URL is fetched or indexed only when it is in scope of an
 * enabled source. Hosts are compared after WHATWG normalization (lower case, punycode, default port
 * dropped) and without a trailing dot, so `EXAMPLE.org.:443` and `example.org` are the same host.
 */
export function isInScope(url: URL, source: Source): boolean {
  if (!source.enabled) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const origin = new URL(source.url);
  if (url.protocol !== origin.protocol || url.port !== origin.port) return false;
  if (normalizedHost(url) !== normalizedHost(origin)) return false;
  return pathMatcher(source)(url.pathname);
}

/** The source a URL belongs to, among the given ones; undefined when it belongs to none. */
export function findSourceForUrl(url: URL, sources: readonly Source[]): Source | undefined {
  return sources.find((source) => isInScope(url, source));
}

export function normalizedHost(url: URL): string {
  return url.hostname.replace(/\.$/, '');
}

// Compiling globs is costly and sources are immutable once loaded: keep one matcher per source object.
const matchers = new WeakMap<Source, (path: string) => boolean>();

/**
 * Globs are matched without regard to case on the path as a server reads it (normalized-path.ts):
 * an exclude must hold however the path is spelled, so a URL is out when its raw path or its
 * normalized one matches an exclude. It is in when either matches an include: the raw path keeps a
 * glob copied percent-encoded from an address bar (`/actualit%C3%A9s/**`) working.
 */
function pathMatcher(source: Source): (path: string) => boolean {
  let matcher = matchers.get(source);
  if (!matcher) {
    const options = { dot: true, nocase: true };
    const included = picomatch(source.crawl.include, options);
    const excluded = source.crawl.exclude.length > 0 ? picomatch(source.crawl.exclude, options) : () => false;
    matcher = (path) =>
      (included(path) || included(normalizedPath(path, { decodeSlashes: false }))) &&
      !excluded(path) &&
      !excluded(normalizedPath(path, { decodeSlashes: true }));
    matchers.set(source, matcher);
  }
  return matcher;
}

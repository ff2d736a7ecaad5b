import picomatch from 'picomatch';
import type { Source } from '../core/source.ts';

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

function pathMatcher(source: Source): (path: string) => boolean {
  let matcher = matchers.get(source);
  if (!matcher) {
    const included = picomatch(source.crawl.include, { dot: true });
    const excluded =
      source.crawl.exclude.length > 0 ? picomatch(source.crawl.exclude, { dot: true }) : () => false;
    matcher = (path) => included(path) && !excluded(path);
    matchers.set(source, matcher);
  }
  return matcher;
}

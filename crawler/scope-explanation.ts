import picomatch from 'picomatch';
import type { Source } from '../core/source.ts';
import { normalizedPath } from './normalized-path.ts';
import { findSourceForUrl, normalizedHost } from './scope.ts';

export interface ScopeExplanation {
  /** The source whose scope holds the URL, else the one whose host it is (to say why not). */
  source: Source | undefined;
  inScope: boolean;
  /** The rule that decided, in words an admin can act on (or quote to a webmaster). */
  rule: string;
}

/**
 * Why a URL is in or out of scope, for the URL inspector and the scope preview. The verdict is
 * scope.ts's own (`findSourceForUrl`); this only finds the rule behind it, glob by glob, matching
 * as scope.ts does: without case, an include on the path as written or as a server reads it, an
 * exclude on either.
 */
export function explainScope(url: URL, sources: readonly Source[]): ScopeExplanation {
  const owner = findSourceForUrl(url, sources);
  if (owner) {
    const include = owner.crawl.include.find((glob) => includes(glob, url.pathname));
    return {
      source: owner,
      inScope: true,
      rule: `in scope of '${owner.id}': ${url.pathname} matches its include '${include ?? owner.crawl.include.join("', '")}'`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      source: undefined,
      inScope: false,
      rule: `only http and https URLs are crawled, not ${url.protocol}`,
    };
  }
  if (url.username || url.password) {
    return { source: undefined, inScope: false, rule: 'a URL with credentials (user@host) is never crawled' };
  }
  const onHost = sources.filter((source) => normalizedHost(new URL(source.url)) === normalizedHost(url));
  if (onHost.length === 0) {
    return { source: undefined, inScope: false, rule: `no source has the host ${normalizedHost(url)}` };
  }
  const onOrigin = onHost.filter((source) => {
    const origin = new URL(source.url);
    return origin.protocol === url.protocol && origin.port === url.port;
  });
  if (onOrigin.length === 0) {
    const origins = onHost.map((source) => `'${source.id}' is ${new URL(source.url).origin}`).join(', ');
    return {
      source: onHost[0],
      inScope: false,
      rule: `another scheme or port than the source's: ${origins}`,
    };
  }
  const reasons = onOrigin.map((source) => whyNot(source, url.pathname));
  return { source: onOrigin[0], inScope: false, rule: reasons.join('; ') };
}

function whyNot(source: Source, path: string): string {
  if (!source.enabled) return `the source '${source.id}' is disabled`;
  const exclude = source.crawl.exclude.find((glob) => excludes(glob, path));
  if (exclude) return `excluded by '${source.id}''s exclude '${exclude}'`;
  return `${path} matches none of '${source.id}''s includes ('${source.crawl.include.join("', '")}')`;
}

const OPTIONS = { dot: true, nocase: true };

function includes(glob: string, path: string): boolean {
  const match = picomatch(glob, OPTIONS);
  return match(path) || match(normalizedPath(path, { decodeSlashes: false }));
}

function excludes(glob: string, path: string): boolean {
  const match = picomatch(glob, OPTIONS);
  return match(path) || match(normalizedPath(path, { decodeSlashes: true }));
}

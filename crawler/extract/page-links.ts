import type { RawAnchor } from './document-scan.ts';

export interface PageLink {
  url: URL;
  /** `rel="nofollow"` on every link to this URL: the caller decides whether to follow it anyway. */
  nofollow: boolean;
}

/** The URL relative links resolve against: `<base href>` when there is a usable one, else the page. */
export function baseUrlOf(baseHref: string | undefined, pageUrl: URL): URL {
  return (baseHref !== undefined && toHttpUrl(baseHref, pageUrl)) || pageUrl;
}

/**
 * Pure: the distinct http(s) URLs the page links to, absolute, fragment dropped, in order of first
 * appearance. A URL linked several times is nofollow only if every link to it says so: one plain
 * link is an invitation to follow.
 */
export function resolveLinks(anchors: readonly RawAnchor[], baseUrl: URL): PageLink[] {
  const links = new Map<string, PageLink>();
  for (const anchor of anchors) {
    // In-page anchors and empty hrefs point back at this very page.
    if (anchor.href === '' || anchor.href.startsWith('#')) continue;
    const url = toHttpUrl(anchor.href, baseUrl);
    if (url === null) continue;
    const nofollow = /(?:^|\s)nofollow(?:\s|$)/i.test(anchor.rel);
    const known = links.get(url.href);
    if (known) known.nofollow &&= nofollow;
    else links.set(url.href, { url, nofollow });
  }
  return [...links.values()];
}

/** An absolute http(s) URL without fragment, or null for mailto:, javascript:, tel: or garbage. */
export function toHttpUrl(href: string, baseUrl: URL): URL | null {
  let url: URL;
  try {
    url = new URL(href, baseUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  return url;
}

/**
 * A URL path as a web server reads it, for matching a source's path globs (scope.ts). The WHATWG
 * parser keeps percent-escapes and repeated slashes as written, but most servers decode the one and
 * collapse the other, and many match paths without regard to case: `/actualites/%61rchives/x`,
 * `/actualites//archives/x` and `/Actualites/Archives/x` are the archives to them. Case is left to
 * the matcher (`nocase`), so the path keeps the case it was written in.
 *
 * `decodeSlashes`: whether `%2F` becomes `/` too. Some servers do and some do not, so an exclude is
 * checked with it decoded (when in doubt, leave the page out) and an include without (an encoded
 * slash does not carry a path into a narrow include).
 */
export function normalizedPath(path: string, { decodeSlashes }: { decodeSlashes: boolean }): string {
  // Nothing to decode or collapse, and the URL parser already resolved `.` and `..`.
  if (!path.includes('%') && !path.includes('//')) return path;
  const escapes = decodeSlashes ? /(?:%[0-9a-f]{2})+/gi : /(?:%(?!2f)[0-9a-f]{2})+/gi;
  const decoded = path.replace(escapes, decodeEscapes);
  return removeDotSegments(decoded.replace(/\/{2,}/g, '/'));
}

/**
 * A run of `%XX` escapes as text. Escapes that are not UTF-8 (`%E9` from a Latin-1 site) stay as
 * written, one by one, so the rest of the run is still decoded.
 */
function decodeEscapes(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    let text = '';
    let index = 0;
    while (index < run.length) {
      const decoded = longestUtf8Sequence(run, index);
      text += decoded?.text ?? run.slice(index, index + 3);
      index += decoded?.length ?? 3;
    }
    return text;
  }
}

/** The longest sequence of escapes (up to the 4 bytes of one UTF-8 character) at `start` that decodes. */
function longestUtf8Sequence(run: string, start: number): { text: string; length: number } | undefined {
  for (let bytes = 4; bytes >= 1; bytes--) {
    const candidate = run.slice(start, start + bytes * 3);
    if (candidate.length !== bytes * 3) continue;
    try {
      return { text: decodeURIComponent(candidate), length: candidate.length };
    } catch {
      // not a character at this length: try a shorter one
    }
  }
  return undefined;
}

/**
 * RFC 3986 remove_dot_segments: decoding `%2F` can make `x%2F..%2Farchives` into `x/../archives`,
 * which a server that decodes it reads as `archives`.
 */
function removeDotSegments(path: string): string {
  const kept: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') kept.pop();
      if (last) kept.push('');
    } else kept.push(segment);
  });
  return `/${kept.join('/')}`;
}

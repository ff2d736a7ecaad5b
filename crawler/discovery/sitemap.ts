import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { gunzipSync } from 'node:zlib';
import { decodeBytes, encodingForLabel } from '../content/decode-bytes.ts';
import { SitemapParseError } from './discovery-errors.ts';
import { decodeXmlEntities, normalizeLastmod } from './sitemap-fields.ts';

export interface SitemapPage {
  url: URL;
  /** ISO 8601 UTC, or null when absent or unparseable. */
  lastmod: string | null;
}

export interface SitemapEntries {
  /** Pages of a `<urlset>`, deduplicated, in file order. */
  pages: SitemapPage[];
  /** Child sitemaps of a `<sitemapindex>`, deduplicated, in file order. */
  sitemaps: URL[];
  /** True when entries past the protocol's 50,000 were dropped. */
  truncated: boolean;
}

/** sitemaps.org: at most 50,000 URLs per sitemap and 50,000 sitemaps per index. */
export const MAX_SITEMAP_ENTRIES = 50_000;

/**
 * Entity processing off: a DOCTYPE can then neither expand nor fetch entities (see
 * `sitemap-fields.ts`). Namespace prefixes dropped, so `<sm:urlset>` reads like `<urlset>`; extension
 * elements (`image:loc`, `xhtml:link`) stay nested where they are and are never mistaken for ours.
 * Tag values stay strings: `<lastmod>2024</lastmod>` must not become the number 2024.
 */
const PARSER = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  // No callback reads paths: not building them makes parsing about a quarter faster.
  jPath: false,
});

/**
 * Pure: the pages or child sitemaps a sitemap lists. Gzip is recognised by its magic bytes, not by a
 * `.xml.gz` URL: servers often send `.gz` files with `Content-Encoding: gzip`, so the fetcher may
 * already have inflated them. URLs are resolved against the sitemap URL and kept when http(s); which
 * of them are in scope is for `scope.ts` to say, not the sitemap. A sitemap that yields nothing usable
 * throws a `SitemapParseError` naming its URL.
 */
export function parseSitemap(
  body: Uint8Array,
  sitemapUrl: URL,
  { maxDecompressedBytes }: { maxDecompressedBytes: number },
): SitemapEntries {
  const xml = decodeXml(inflated(body, sitemapUrl, maxDecompressedBytes));
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new SitemapParseError(sitemapUrl.href, 'invalid-xml', `${msg} (line ${line}, column ${col})`);
  }
  const document = parsedXml(xml, sitemapUrl);
  const urlset = document.urlset;
  const index = document.sitemapindex;
  if (urlset === undefined && index === undefined) {
    const roots = Object.keys(document).join(', ') || 'none';
    throw new SitemapParseError(sitemapUrl.href, 'not-a-sitemap', `root element: ${roots}`);
  }
  const pages = entries(urlset, 'url', sitemapUrl);
  const sitemaps = entries(index, 'sitemap', sitemapUrl);
  return {
    pages: pages.kept.map(({ url, lastmod }) => ({ url, lastmod: normalizeLastmod(lastmod) })),
    sitemaps: sitemaps.kept.map(({ url }) => url),
    truncated: pages.truncated || sitemaps.truncated,
  };
}

function parsedXml(xml: string, sitemapUrl: URL): Record<string, unknown> {
  try {
    return PARSER.parse(xml) as Record<string, unknown>;
  } catch (error) {
    // Well-formed but refused by the parser, e.g. a DOCTYPE declaring an external (XXE) entity.
    throw new SitemapParseError(sitemapUrl.href, 'invalid-xml', String(error), { cause: error });
  }
}

function inflated(body: Uint8Array, sitemapUrl: URL, maxDecompressedBytes: number): Uint8Array {
  const gzipped = body[0] === 0x1f && body[1] === 0x8b;
  if (!gzipped) {
    if (body.length > maxDecompressedBytes) {
      throw new SitemapParseError(sitemapUrl.href, 'too-large', `${body.length} bytes`);
    }
    return body;
  }
  try {
    // Stops (and throws) at the limit: a bomb never gets allocated past it.
    return gunzipSync(body, { maxOutputLength: maxDecompressedBytes });
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new SitemapParseError(
      sitemapUrl.href,
      tooLarge ? 'too-large' : 'corrupt-gzip',
      tooLarge ? `inflates past ${maxDecompressedBytes} bytes` : String(error),
      { cause: error },
    );
  }
}

/** The protocol mandates UTF-8, but a sitemap declaring another encoding is read in that one. */
function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString('latin1');
  const declared = /^(?:\u00ef\u00bb\u00bf)?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1];
  return decodeBytes(bytes, (declared && encodingForLabel(declared)) || 'utf-8');
}

interface Entry {
  url: URL;
  lastmod: unknown;
}

/** The `<loc>`s (and raw `<lastmod>`s) of the `<url>` or `<sitemap>` children of a root element. */
function entries(
  root: unknown,
  child: 'url' | 'sitemap',
  sitemapUrl: URL,
): { kept: Entry[]; truncated: boolean } {
  const kept: Entry[] = [];
  const seen = new Set<string>();
  const children = isRecord(root) ? asArray(root[child]) : [];
  for (const element of children) {
    if (!isRecord(element) || typeof element.loc !== 'string') continue;
    const loc = decodeXmlEntities(element.loc).trim();
    // An empty loc would resolve to the sitemap URL itself.
    if (!loc || !URL.canParse(loc, sitemapUrl)) continue;
    const url = new URL(loc, sitemapUrl);
    url.hash = '';
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || seen.has(url.href)) continue;
    if (kept.length === MAX_SITEMAP_ENTRIES) return { kept, truncated: true };
    seen.add(url.href);
    kept.push({ url, lastmod: element.lastmod });
  }
  return { kept, truncated: false };
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

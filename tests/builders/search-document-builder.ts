import {
  contentHash,
  type DocumentTerritory,
  documentIdForUrl,
  type SearchDocument,
} from '../../core/search-document.ts';
import { stemmedText } from '../../indexer/to-search-document.ts';

export const FRONTIGNAN: DocumentTerritory = {
  code: 'commune:34108',
  level: 'commune',
  name: 'Frontignan',
  departement: { code: '34', name: 'Hérault' },
  region: { code: '76', name: 'Occitanie' },
  population: 24136,
  sizeBracket: '10000-50000',
  codes: ['commune:34108', 'epci:200066355', 'departement:34', 'region:76'],
};

/** A valid document; the id follows the URL as in production. */
export function aSearchDocument(overrides: Partial<SearchDocument> = {}): SearchDocument {
  const document = aBareDocument(overrides);
  // The stemmed shadow fields are derived as in production, from the final text fields.
  return { ...document, stemmed: stemmedText(document, document.content), ...pick(overrides, 'stemmed') };
}

function pick<K extends keyof SearchDocument>(
  overrides: Partial<SearchDocument>,
  key: K,
): Partial<SearchDocument> {
  return key in overrides ? { [key]: overrides[key] } : {};
}

function aBareDocument(overrides: Partial<SearchDocument>): SearchDocument {
  const url = overrides.url ?? 'https://www.frontignan.fr/actualites/plan-velo.html';
  const content = overrides.content ?? 'La commune déploie un plan vélo avec de nouvelles pistes cyclables.';
  return {
    id: documentIdForUrl(url),
    url,
    title: 'Plan vélo communal',
    description: 'Les nouvelles pistes cyclables de Frontignan.',
    content,
    headings: [],
    source: { id: 'frontignan', name: 'Frontignan', kind: 'collectivite' },
    territory: FRONTIGNAN,
    themes: ['mobilite'],
    type: 'actualite',
    lang: 'fr',
    publishedAt: '2026-10-01',
    updatedAt: null,
    crawledAt: '2026-11-01T10:00:00.000Z',
    dateTs: Date.parse('2026-10-01') / 1000,
    contentHash: contentHash(`${url}\n${content}`),
    trust: 2,
    freshness: 100,
    formatRank: 1,
    ...overrides,
  };
}

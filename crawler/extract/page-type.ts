export type PageType = 'actualite' | 'deliberation' | 'evenement' | 'demarche' | 'page';

/** Path segments naming a kind of page, as French public sites lay out their trees. */
const SEGMENT_TYPES: readonly [RegExp, PageType][] = [
  [/^deliberations?(?:-|$)/, 'deliberation'],
  [/^(?:agenda|evenements?|events?|manifestations)(?:-|$)/, 'evenement'],
  [/^(?:actualites?|actus?|news|a-la-une|breves)(?:-|$)/, 'actualite'],
  [/^(?:(?:vos|mes|nos|e)-)?demarches?(?:-|$)/, 'demarche'],
];
/** A council's section holds minutes, agendas and members too: only titles saying so are acts. */
const COUNCIL_SEGMENT = /^conseils?-(?:municipal|municipaux|communautaire|metropolitain|departemental)/;
const DELIBERATION_TITLE = /deliberation/;

/**
 * Pure: what kind of page this is, for filtering and ranking. schema.org types come first (the site
 * says so explicitly), then the deepest telling path segment: on /actualites/agenda/fete-de-la-musique
 * the page is an event, not news.
 */
export function classifyPage(url: URL, title: string, schemaTypes: readonly string[]): PageType {
  if (schemaTypes.some((type) => type.endsWith('Event') || type === 'Festival')) return 'evenement';
  if (schemaTypes.some((type) => type.endsWith('NewsArticle'))) return 'actualite';
  if (schemaTypes.includes('GovernmentService')) return 'demarche';
  const segments = url.pathname.split('/').map(normalizeSegment).filter(Boolean);
  const titleSaysDeliberation = DELIBERATION_TITLE.test(foldAccents(title.toLowerCase()));
  for (const segment of segments.reverse()) {
    const match = SEGMENT_TYPES.find(([pattern]) => pattern.test(segment));
    if (match) return match[1];
    if (titleSaysDeliberation && COUNCIL_SEGMENT.test(segment)) return 'deliberation';
  }
  return 'page';
}

/** "Actualit%C3%A9s.html" → "actualites": case, accents, escapes and extension do not matter. */
function normalizeSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape is kept as written: it simply matches nothing.
  }
  return foldAccents(decoded.toLowerCase()).replace(/\.[a-z0-9]+$/, '');
}

function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

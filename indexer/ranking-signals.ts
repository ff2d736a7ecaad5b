import type { PageType } from '../core/raw-page.ts';
import type { SourceKind } from '../core/source.ts';

/**
 * Meilisearch has no query-time decay or per-document boost, so what ranking needs beyond text
 * relevance is computed here, as integers used by custom ranking rules (see index-settings.ts).
 * Coarse on purpose: they break ties between equally relevant documents, they do not override
 * relevance.
 */

/** State services and national operators first, then territories, then associations. */
const TRUST_BY_KIND: Record<SourceKind, number> = { etat: 3, operateur: 3, collectivite: 2, association: 1 };

export function trustOf(kind: SourceKind): number {
  return TRUST_BY_KIND[kind];
}

const DAY_MS = 86_400_000;

/**
 * 100 for a page of the last month, then down by ~8 points a month to 0 after about a year: an
 * example from this year beats the same one from five years ago. Recomputed on every sync and by
 * `refreshFreshness`, since it changes with time, not with the page.
 */
export function freshnessOf(pageDate: Date, now: Date): number {
  const ageDays = Math.max(0, (now.getTime() - pageDate.getTime()) / DAY_MS);
  if (ageDays <= 30) return 100;
  return Math.max(0, Math.round(100 - ((ageDays - 30) / 335) * 100));
}

/** A PDF (council minutes, annexes) ranks under the HTML page that presents it. */
export function formatRankOf(type: PageType): number {
  return type === 'document' ? 0 : 1;
}

/** The page's own date when it states one, else when we crawled it. */
export function pageDateOf(page: {
  publishedAt: string | null;
  updatedAt: string | null;
  fetchedAt: string;
}): Date {
  for (const candidate of [page.publishedAt, page.updatedAt]) {
    if (candidate && !Number.isNaN(Date.parse(candidate))) return new Date(candidate);
  }
  return new Date(page.fetchedAt);
}

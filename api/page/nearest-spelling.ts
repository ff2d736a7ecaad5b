import type { Meilisearch } from 'meilisearch';
import { foldForSearch } from '../../core/territory-search.ts';

/** Words this short are left as typed: too many words are one or two letters from them. */
const MIN_LENGTH = 4;

/**
 * The query with each word unknown to the index's titles replaced by the nearest title word, for a
 * "no result" page ("Try instead: cantine"). The vocabulary is the index's own: the titles that
 * start a word with the typed word's first three letters (Meilisearch's prefix search), so a typo in
 * those three letters finds nothing. Only offered when it finds something.
 */
export async function nearestSpelling(
  client: Meilisearch,
  indexUid: string,
  q: string,
  filter: (string | string[])[],
): Promise<string | null> {
  const words = q.split(/\s+/).filter(Boolean);
  let changed = false;
  const corrected: string[] = [];
  for (const word of words) {
    const folded = foldForSearch(word);
    if (folded.length < MIN_LENGTH || /[^a-z]/.test(folded) || word.startsWith('-')) {
      corrected.push(word);
      continue;
    }
    const response = await client.index(indexUid).search(folded.slice(0, 3), {
      limit: 200,
      attributesToSearchOn: ['title'],
      attributesToRetrieve: ['title'],
    });
    const vocabulary = titleWords(response.hits.map((hit) => String(hit.title)));
    if (vocabulary.has(folded)) {
      corrected.push(word);
      continue;
    }
    const nearest = nearestWord(folded, vocabulary);
    if (nearest) {
      corrected.push(nearest);
      changed = true;
    } else corrected.push(word);
  }
  if (!changed) return null;
  const suggestion = corrected.join(' ');
  const check = await client.index(indexUid).search(suggestion, { limit: 0, filter });
  return check.estimatedTotalHits && check.estimatedTotalHits > 0 ? suggestion : null;
}

/** Folded word → the word as titles write it (with its accents), most frequent spelling kept. */
function titleWords(titles: readonly string[]): Map<string, string> {
  const words = new Map<string, string>();
  for (const title of titles) {
    for (const word of title.toLowerCase().match(/[\p{L}]+/gu) ?? []) {
      const folded = foldForSearch(word);
      if (folded.length >= MIN_LENGTH && !words.has(folded)) words.set(folded, word);
    }
  }
  return words;
}

/** The closest word within 1 edit (2 from 8 letters), the first seen of equal distance. */
function nearestWord(folded: string, vocabulary: ReadonlyMap<string, string>): string | undefined {
  const allowed = folded.length >= 8 ? 2 : 1;
  let best: { word: string; distance: number } | undefined;
  for (const [candidate, written] of vocabulary) {
    if (Math.abs(candidate.length - folded.length) > allowed) continue;
    const distance = editDistance(folded, candidate);
    if (distance <= allowed && (!best || distance < best.distance)) best = { word: written, distance };
  }
  return best?.word;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

import type { SearchParams } from 'meilisearch';
import { foldWord, frenchStem, isStopWord, splitWords } from '../indexer/french-stem.ts';

/**
 * The text sent to Meilisearch for what the user typed: the query itself, untouched (Meilisearch
 * handles "quoted phrases", -exclusions, typos and synonyms on it), followed by the stems of its
 * free words that differ from the words themselves. The stems match the `stemmed` field of the
 * index (indexer/french-stem.ts), so "écoles" also finds "école" and "déclarer" finds "déclaration".
 * Words inside a phrase or an exclusion are not stemmed: the user asked for them exactly.
 */
export function prepareQuery(q: string): string {
  const stems = queryStems(q);
  return stems.length > 0 ? `${q.trim()} ${stems.join(' ')}` : q.trim();
}

/** The stems `prepareQuery` adds, in query order, each once. */
export function queryStems(q: string): string[] {
  const seen = new Set<string>();
  const stems: string[] = [];
  const words = freeWords(q);
  for (const word of words) seen.add(foldWord(word));
  for (const word of words) {
    if (isStopWord(word)) continue;
    const stem = frenchStem(word);
    if (seen.has(stem)) continue;
    seen.add(stem);
    stems.push(stem);
  }
  return stems;
}

/** Words outside "phrases" (closed or not) and -exclusions, as Meilisearch reads the query. */
function freeWords(q: string): string[] {
  const words: string[] = [];
  // A quote opens a phrase that runs to the next quote or to the end, as Meilisearch reads it.
  const outsidePhrases = q.split('"').filter((_, index) => index % 2 === 0);
  for (const part of outsidePhrases) {
    for (const token of part.split(/\s+/)) {
      // `-word` excludes the word; a lone `-` (or `-` before a phrase) is no word of its own.
      if (token === '' || token.startsWith('-')) continue;
      words.push(...splitWords(token));
    }
  }
  return words;
}

/** The Meilisearch search parameters that go with a prepared query (merged into the API's own). */
export function searchParameters(_q: string): Pick<SearchParams, 'matchingStrategy'> {
  return {};
}

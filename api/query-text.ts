import type { SearchParams } from 'meilisearch';
import { stemText } from '../indexer/french-stem.ts';

/**
 * The text sent to Meilisearch for what the user typed. Meilisearch does no French stemming, so the
 * free words of the query are replaced by their light stems (indexer/french-stem.ts), which the index
 * holds for every text field (`stemmed.*`, searched right after the field they come from):
 * "écoles" meets "école", "déclarer" meets "déclaration", and the reviewed synonyms have stemmed keys
 * too ("cart gris" finds "certificat d'immatriculation"). Stop words are left out, as Meilisearch
 * would. "Quoted phrases" and -exclusions are kept exactly as typed: Meilisearch applies them to the
 * words of the page. A query that would come out empty is left as it is.
 */
export function prepareQuery(q: string): string {
  const parts: string[] = [];
  let negated = false;
  // A quote opens a phrase that runs to the next quote or to the end, as Meilisearch reads it.
  q.split('"').forEach((part, index) => {
    if (index % 2 === 1) {
      if (part.trim() !== '') parts.push(`${negated ? '-' : ''}"${part.trim()}"`);
      return;
    }
    let free: string[] = [];
    const flush = () => {
      const stems = stemText(free.join(' '));
      if (stems !== '') parts.push(stems);
      free = [];
    };
    for (const token of part.split(/\s+/)) {
      if (token === '' || token === '-') continue;
      if (token.startsWith('-')) {
        flush();
        parts.push(token);
      } else free.push(token);
    }
    flush();
    // `-"a phrase"` excludes the phrase.
    negated = /(^|\s)-$/.test(part);
  });
  const prepared = parts.join(' ');
  return prepared === '' ? q.trim() : prepared;
}

/**
 * The Meilisearch search parameters that go with a prepared query (merged into the API's own).
 * `frequency`: when no page has every word, Meilisearch drops the most common words first, and a
 * word that matches nothing at all; its default (`last`) drops words from the end and never the
 * first one, so "ramassage encombrants" finds nothing when no page says "ramassage".
 */
export function searchParameters(_q: string): Pick<SearchParams, 'matchingStrategy'> {
  return { matchingStrategy: 'frequency' };
}

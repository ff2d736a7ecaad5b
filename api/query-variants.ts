/**
 * Long queries are searched as several variants of themselves (api/meili-search.ts merges them).
 *
 * With `matchingStrategy: 'frequency'`, when no page has every word, Meilisearch drops the most
 * common words first and never the rarest one. In a long question the rarest word is often an
 * everyday word the answer does not use ("mon fils est harcelé par des élèves…": only five pages say
 * "fils", none of them about harassment at school; "quitter son emploi pendant un congé parental":
 * the answer says "démissionner"). So the rarest word alone decides which pages can match at all.
 * Searching the query once more without each of its words in turn lets any one word be missing, and
 * which one is not guessed from word counts (the noisy word is as often rare as common).
 *
 * A variant without one of n words is weighted (n − 1) / n: Meilisearch's `words` score is the share
 * of the query's words a page has, so a page that has every remaining word scores, after weighting,
 * what it would have scored with n − 1 of n words in the full query. The merge (by weighted ranking
 * score) then ranks it among those pages instead of below every page that has the rarest word.
 * Measured in eval/: +0.03 MRR@10 on the long questions, short queries unchanged.
 */

/**
 * Below this many words, one search: most users' queries, and every query of the API benchmark (2 or
 * 3 words of a fiche title), stay one search. Taking 3-word queries too gained nothing in eval/.
 */
export const MIN_VARIANT_WORDS = 4;
/** Above this, n + 1 searches cost too much for what one missing word changes; one search. */
export const MAX_VARIANT_WORDS = 8;

export interface QueryVariant {
  /** Prepared query text (stems), as sent to Meilisearch. */
  text: string;
  /** Federation weight: the variant's ranking scores are multiplied by it before the merge. */
  weight: number;
}

/**
 * The variants to search for a prepared query (see query-text.ts), the full query first, or
 * `undefined` when one search is enough: a short or very long query, or one with a "phrase" or an
 * -exclusion, which must hold in every result and so must not be dropped.
 */
export function queryVariants(prepared: string): QueryVariant[] | undefined {
  if (/["]|(^|\s)-/.test(prepared)) return undefined;
  const words = prepared.split(/\s+/).filter((word) => word !== '');
  // A repeated word ("reçu … sans avoir reçu") counts once, and its variant drops every occurrence.
  const distinct = [...new Set(words)];
  if (distinct.length < MIN_VARIANT_WORDS || distinct.length > MAX_VARIANT_WORDS) return undefined;
  const weight = (distinct.length - 1) / distinct.length;
  const variants: QueryVariant[] = [{ text: words.join(' '), weight: 1 }];
  for (const dropped of distinct) {
    variants.push({ text: words.filter((word) => word !== dropped).join(' '), weight });
  }
  return variants;
}

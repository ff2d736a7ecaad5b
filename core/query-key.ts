/** Longest query key kept: a pasted paragraph is not a topic. */
const MAX_KEY_LENGTH = 200;

/**
 * The form under which a query is matched (best bets) and counted (query insights): case, accents,
 * spaces and punctuation at the ends do not make two queries different to a reader, so they must
 * not to these either. "Cantine scolaire ", "cantine  scolaire" and "CANTINE SCOLAIRE" are one.
 */
export function queryKey(query: string): string {
  return query
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .slice(0, MAX_KEY_LENGTH);
}

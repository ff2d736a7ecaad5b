/**
 * Search queries for the API benchmark, made from the words of real fiche titles: what people type
 * to find those pages. Deterministic (seeded), so two runs send the same queries.
 */
import { isStopWord, splitWords } from '../indexer/french-stem.ts';

/** Every distinct 2- and 3-word combination of the content words of each title, shuffled. */
export function distinctQueries(titles: readonly string[], seed = 1): string[] {
  const queries = new Set<string>();
  for (const title of titles) {
    const words = [
      ...new Set(
        splitWords(title.toLowerCase()).filter(
          (word) => word.length >= 3 && !/^\d+$/.test(word) && !isStopWord(word),
        ),
      ),
    ].slice(0, 6);
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        queries.add(`${words[i]} ${words[j]}`);
        for (let k = j + 1; k < words.length; k++) queries.add(`${words[i]} ${words[j]} ${words[k]}`);
      }
    }
  }
  return shuffled([...queries], seed);
}

/**
 * `length` queries drawn from `pool` with Zipf frequencies (rank r weighs 1/r^exponent): the first
 * few are very frequent, most of the pool is a long tail, as with widgets repeating popular searches.
 */
export function zipfSequence(pool: readonly string[], length: number, exponent: number, seed = 2): string[] {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= pool.length; rank++) cumulative.push((total += 1 / rank ** exponent));
  const random = seededRandom(seed);
  return Array.from({ length }, () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return pool[low]!;
  });
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** mulberry32: a tiny seeded generator, so the benchmark's queries are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

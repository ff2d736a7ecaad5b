import { FRENCH_STOP_WORDS } from '../../indexer/french-stop-words.ts';

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) over short texts, in memory: the textbook baseline a search engine
 * should beat. Words are lower-cased and stripped of accents, French stop words left out; no stems,
 * no synonyms, no typos.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly lengths: number[] = [];
  private readonly ids: string[] = [];
  private totalLength = 0;

  add(id: string, text: string): void {
    const doc = this.ids.length;
    this.ids.push(id);
    const words = tokenize(text);
    this.lengths.push(words.length);
    this.totalLength += words.length;
    for (const word of words) {
      let posting = this.postings.get(word);
      if (!posting) {
        posting = new Map<number, number>();
        this.postings.set(word, posting);
      }
      posting.set(doc, (posting.get(doc) ?? 0) + 1);
    }
  }

  /** The ids of the best `limit` documents for `query` among those `keep` accepts, best first. */
  search(query: string, limit: number, keep: (id: string) => boolean = () => true): string[] {
    const count = this.ids.length;
    const averageLength = this.totalLength / Math.max(count, 1);
    const scores = new Map<number, number>();
    for (const word of new Set(tokenize(query))) {
      const posting = this.postings.get(word);
      if (!posting) continue;
      const idf = Math.log(1 + (count - posting.size + 0.5) / (posting.size + 0.5));
      for (const [doc, frequency] of posting) {
        const norm = frequency + 1.2 * (1 - 0.75 + (0.75 * this.lengths[doc]!) / averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * frequency * 2.2) / norm);
      }
    }
    return [...scores]
      .filter(([doc]) => keep(this.ids[doc]!))
      .sort((left, right) => right[1] - left[1] || left[0] - right[0])
      .slice(0, limit)
      .map(([doc]) => this.ids[doc]!);
  }
}

const STOP_WORDS = new Set(FRENCH_STOP_WORDS.map((word) => fold(word)));

function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface RepeatedBlockFilterOptions {
  /** A block seen on this many distinct pages (the current one included) is dropped. Default 3. */
  minPages?: number;
  /** Blocks shorter than this are never fingerprinted: "Contact" or "Tarifs" are not boilerplate. */
  minLength?: number;
  /** Upper bound on fingerprints kept in memory for one source. Default 20,000 (about 1 MB). */
  maxTracked?: number;
}

/**
 * Learns, for one source, which blocks of text appear on many of its pages (the town hall's opening
 * hours, a newsletter blurb, a contact box in the content area) and flags them so they are not
 * indexed with every page.
 *
 * The filter learns while the crawl goes: the first pages that carry a repeated block keep it, since
 * nothing is known yet. This is a deliberate trade-off: a two-pass crawl (learn, then extract) would
 * cost a second fetch or keeping every page in memory, for a few pages indexed with a little noise.
 *
 * Memory stays bounded: a block is a 53-bit hash (a JS number, no string kept), and when the table is
 * full the fingerprints not (yet) repeated are forgotten; the repeated ones, the valuable ones, stay.
 * Blocks are counted once per `observe` call, i.e. per page, however often they occur on it; the
 * caller submits each URL once (a page fetched twice would count twice).
 */
export class RepeatedBlockFilter {
  readonly #counts = new Map<number, number>();
  readonly #minPages: number;
  readonly #minLength: number;
  readonly #maxTracked: number;
  /** Set when even the repeated fingerprints fill the table: from then on, only known ones count. */
  #saturated = false;

  constructor(options: RepeatedBlockFilterOptions = {}) {
    this.#minPages = options.minPages ?? 3;
    this.#minLength = options.minLength ?? 20;
    this.#maxTracked = options.maxTracked ?? 20_000;
  }

  /** Records one page's blocks; returns, for each block, whether it is repeated and should be dropped. */
  observe(blockTexts: readonly string[]): boolean[] {
    const pageCounts = new Map<number, number>();
    const fingerprints = blockTexts.map((text) => {
      if (text.length < this.#minLength) return undefined;
      const fingerprint = blockFingerprint(text);
      if (!pageCounts.has(fingerprint)) pageCounts.set(fingerprint, this.#record(fingerprint));
      return fingerprint;
    });
    return fingerprints.map(
      (fingerprint) => fingerprint !== undefined && (pageCounts.get(fingerprint) ?? 0) >= this.#minPages,
    );
  }

  /** How many fingerprints are held: for tests and crawl diagnostics. */
  get trackedCount(): number {
    return this.#counts.size;
  }

  /** Counts one more page for a fingerprint and returns its page count. */
  #record(fingerprint: number): number {
    const count = (this.#counts.get(fingerprint) ?? 0) + 1;
    if (count === 1) {
      if (!this.#saturated && this.#counts.size >= this.#maxTracked) this.#forgetUnrepeated();
      if (this.#saturated) return count;
    }
    this.#counts.set(fingerprint, count);
    return count;
  }

  #forgetUnrepeated(): void {
    for (const [fingerprint, count] of this.#counts) {
      if (count < this.#minPages) this.#counts.delete(fingerprint);
    }
    // Half full of repeated blocks is already abnormal; stopping there keeps sweeps rare.
    this.#saturated = this.#counts.size >= this.#maxTracked / 2;
  }
}

/**
 * cyrb53, a fast non-cryptographic string hash with 53 bits of output: collisions between the blocks
 * of one site are negligible (a 32-bit hash would not be, at tens of thousands of blocks). Case is
 * folded so a block restyled in capitals on some pages is still the same block.
 */
export function blockFingerprint(text: string): number {
  const normalized = text.toLowerCase();
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < normalized.length; index++) {
    const code = normalized.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

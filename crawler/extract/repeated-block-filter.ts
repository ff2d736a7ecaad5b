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
  readonly #table: FingerprintCounts;
  readonly #minPages: number;
  readonly #minLength: number;
  readonly #maxTracked: number;
  /** Set when even the repeated fingerprints fill the table: from then on, only known ones count. */
  #saturated = false;

  constructor(options: RepeatedBlockFilterOptions = {}) {
    this.#minPages = options.minPages ?? 3;
    this.#minLength = options.minLength ?? 20;
    this.#maxTracked = options.maxTracked ?? 20_000;
    this.#table = new FingerprintCounts();
  }

  /** Records one page's blocks; returns, for each block, whether it is repeated and should be dropped. */
  observe(blockTexts: readonly string[]): boolean[] {
    const pageCounts = new Map<number, number>();
    const repeated = new Array<boolean>(blockTexts.length);
    for (let index = 0; index < blockTexts.length; index++) {
      const text = blockTexts[index]!;
      if (text.length < this.#minLength) {
        repeated[index] = false;
        continue;
      }
      const fingerprint = blockFingerprint(text);
      let count = pageCounts.get(fingerprint);
      if (count === undefined) {
        count = this.#record(fingerprint);
        pageCounts.set(fingerprint, count);
      }
      repeated[index] = count >= this.#minPages;
    }
    return repeated;
  }

  /** How many fingerprints are held: for tests and crawl diagnostics. */
  get trackedCount(): number {
    return this.#table.size;
  }

  /** Counts one more page for a fingerprint and returns its page count. */
  #record(fingerprint: number): number {
    const count = this.#table.get(fingerprint) + 1;
    if (count === 1) {
      if (!this.#saturated && this.#table.size >= this.#maxTracked) this.#forgetUnrepeated();
      if (this.#saturated) return count;
    }
    this.#table.set(fingerprint, count);
    return count;
  }

  #forgetUnrepeated(): void {
    this.#table.keepOnly(this.#minPages);
    // Half full of repeated blocks is already abnormal; stopping there keeps sweeps rare.
    this.#saturated = this.#table.size >= this.#maxTracked / 2;
  }
}

/**
 * Page counts by fingerprint, in an open-addressing hash table of two typed arrays. A Map keyed by
 * 53-bit numbers was half of the filter's time (bench:crawl's extraction worker): each key is a heap
 * number, each sweep a rehash. The table grows with the site (small sites stay small: a worker keeps
 * one filter per source) and its load stays under one half, so a lookup probes a slot or two.
 */
class FingerprintCounts {
  #fingerprints = new Float64Array(INITIAL_CAPACITY);
  /** 0: an empty slot (a fingerprint held has been seen at least once). */
  #counts = new Uint32Array(INITIAL_CAPACITY);
  size = 0;

  /** The page count of a fingerprint, 0 when it is not held. */
  get(fingerprint: number): number {
    return this.#counts[this.#slotOf(fingerprint)]!;
  }

  set(fingerprint: number, count: number): void {
    let slot = this.#slotOf(fingerprint);
    if (this.#counts[slot] === 0) {
      if ((this.size + 1) * 2 > this.#counts.length) {
        this.#rebuild(this.#counts.length * 2, 0);
        slot = this.#slotOf(fingerprint);
      }
      this.#fingerprints[slot] = fingerprint;
      this.size++;
    }
    this.#counts[slot] = count;
  }

  /** Forgets the fingerprints counted on fewer than `minCount` pages. */
  keepOnly(minCount: number): void {
    this.#rebuild(this.#counts.length, minCount);
  }

  /** The slot holding `fingerprint`, or the empty one where it would go (linear probing). */
  #slotOf(fingerprint: number): number {
    const mask = this.#counts.length - 1;
    // The low 32 bits are cyrb53's well-mixed first half: `&` keeps enough of them.
    let slot = fingerprint & mask;
    while (this.#counts[slot] !== 0 && this.#fingerprints[slot] !== fingerprint) slot = (slot + 1) & mask;
    return slot;
  }

  #rebuild(capacity: number, minCount: number): void {
    const fingerprints = this.#fingerprints;
    const counts = this.#counts;
    this.#fingerprints = new Float64Array(capacity);
    this.#counts = new Uint32Array(capacity);
    this.size = 0;
    for (let slot = 0; slot < counts.length; slot++) {
      const count = counts[slot]!;
      if (count === 0 || count < minCount) continue;
      const target = this.#slotOf(fingerprints[slot]!);
      this.#fingerprints[target] = fingerprints[slot]!;
      this.#counts[target] = count;
      this.size++;
    }
  }
}

const INITIAL_CAPACITY = 64;

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

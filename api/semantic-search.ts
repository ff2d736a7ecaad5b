/**
 * Semantic search (the index has an embedder, MEILI_EMBEDDER) and what to do when its embedding
 * service fails. Meilisearch then tries to reach the service for ~10 s before failing the whole
 * search: rather than make every user wait for that, a failure pauses semantic search for
 * `pauseMs`, during which searches are keyword-only, and the next search after it tries again.
 */
export class SemanticSearch {
  readonly weight: number;
  readonly #pauseMs: number;
  readonly #now: () => number;
  #pausedUntil = 0;

  /** `weight`: of the semantic results against the keyword ones (SEARCH_SEMANTIC_WEIGHT). */
  constructor(weight: number, options: { pauseMs?: number; now?: () => number } = {}) {
    this.weight = weight;
    this.#pauseMs = options.pauseMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  get available(): boolean {
    return this.#now() >= this.#pausedUntil;
  }

  pause(): void {
    this.#pausedUntil = this.#now() + this.#pauseMs;
  }
}

/**
 * Counts requests being answered right now, overall and per Host header, and remembers the highest
 * counts seen: this is how a test checks that a crawler honours its global and per-host concurrency
 * limits (a slow route keeps requests in flight long enough for them to overlap).
 */
export class InFlightGauge {
  #inFlight = 0;
  #max = 0;
  readonly #inFlightByHost = new Map<string, number>();
  readonly #maxByHost = new Map<string, number>();

  enter(host: string): void {
    this.#inFlight += 1;
    this.#max = Math.max(this.#max, this.#inFlight);
    const forHost = (this.#inFlightByHost.get(host) ?? 0) + 1;
    this.#inFlightByHost.set(host, forHost);
    this.#maxByHost.set(host, Math.max(this.#maxByHost.get(host) ?? 0, forHost));
  }

  leave(host: string): void {
    this.#inFlight -= 1;
    const forHost = (this.#inFlightByHost.get(host) ?? 1) - 1;
    if (forHost === 0) this.#inFlightByHost.delete(host);
    else this.#inFlightByHost.set(host, forHost);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get max(): number {
    return this.#max;
  }

  /** Highest number of simultaneous requests seen per Host header value (e.g. "127.0.0.1:41234"). */
  get maxByHost(): ReadonlyMap<string, number> {
    return new Map(this.#maxByHost);
  }

  /** Forgets the maxima (not the requests still in flight), e.g. between a warm-up and a measured run. */
  resetMaxima(): void {
    this.#max = this.#inFlight;
    this.#maxByHost.clear();
    for (const [host, count] of this.#inFlightByHost) this.#maxByHost.set(host, count);
  }
}

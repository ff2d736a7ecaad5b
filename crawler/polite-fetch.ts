import type { LimitFunction } from 'p-limit';
import type { FetchOutcome } from './fetch/fetch-outcome.ts';
import { type FetchPageOptions, fetchPage } from './fetch/fetch-page.ts';
import type { HostPoliteness } from './politeness/host-politeness.ts';

/** Fetches a URL as the crawl must: after the host's turn, within the crawl's global limit. */
export type PoliteFetch = <T = FetchOutcome>(
  url: URL,
  options: Omit<FetchPageOptions, 'beforeRequest'>,
  use?: (outcome: FetchOutcome) => Promise<T> | T,
) => Promise<T>;

/**
 * Every request to a host takes that host's turn (rate, Crawl-delay, Retry-After), the first and
 * each redirect hop alike; nothing that sends no request takes one. The first turn is waited for
 * before taking a slot of the global limit, so that a host asking for a slow pace never holds slots
 * other hosts could use; `use` (reading the page) runs inside the slot, which bounds the pages held
 * in memory at once. Workers also share each host's concurrency slots (`withSlot`).
 */
export function createPoliteFetch(gates: HostPoliteness, globalLimit: LimitFunction): PoliteFetch {
  return async <T>(
    url: URL,
    options: Omit<FetchPageOptions, 'beforeRequest'>,
    use?: (outcome: FetchOutcome) => Promise<T> | T,
  ): Promise<T> => {
    // The host's slot first (shared by workers), then its turn: a slot waited for after the turn
    // would let the turn's spacing pass unused.
    return gates.withSlot(url, async () => {
      await gates.turn(url);
      return globalLimit(async () => {
        const outcome = await fetchPage(url, {
          ...options,
          beforeRequest: (hop, index) => (index === 0 ? Promise.resolve() : gates.turn(hop)),
        });
        return use ? use(outcome) : (outcome as T);
      });
    });
  };
}

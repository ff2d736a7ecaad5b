import type { Partner } from '../core/partner.ts';
import { RateLimiter } from './rate-limiter.ts';

/**
 * The enabled partners by key, each with its own allowance of searches (its `rateLimitPerMinute`,
 * shared by all its visitors). Built by main.ts from partners.yaml, or by a test.
 */
export class PartnerDirectory {
  readonly #byKey: Map<string, { partner: Partner; limiter: RateLimiter }>;

  constructor(partners: readonly Partner[], options: { now?: () => number } = {}) {
    this.#byKey = new Map(
      partners
        .filter((partner) => partner.enabled)
        .map((partner) => [
          partner.key,
          {
            partner,
            // One bucket (the key's): its visitors share the partner's allowance.
            limiter: new RateLimiter({
              perMinute: partner.rateLimitPerMinute,
              maxClients: 1,
              ...(options.now ? { now: options.now } : {}),
            }),
          },
        ]),
    );
  }

  byKey(key: string): Partner | undefined {
    return this.#byKey.get(key)?.partner;
  }

  /** The allowance of the partner holding `key`. */
  limiterOf(partner: Partner): RateLimiter {
    const entry = this.#byKey.get(partner.key);
    if (!entry) throw new Error(`no partner with the key of '${partner.id}'`);
    return entry.limiter;
  }

  get size(): number {
    return this.#byKey.size;
  }
}

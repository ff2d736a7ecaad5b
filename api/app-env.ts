import type { Partner } from '../core/partner.ts';

/** What middleware hands to routes: the partner whose key a request carries (partner-access.ts). */
export interface AppEnv {
  Variables: { partner: Partner | undefined };
}

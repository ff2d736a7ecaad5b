import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** What a DNS lookup answers for a host name: the addresses, or none (ENOTFOUND). */
export type HostsFile = Record<string, string | string[] | (() => string)>;

/**
 * A DNS resolver for the crawler (`lookupHost`) that answers from a map, as /etc/hosts would: tests
 * give trusted host names any address, public or private, and see what the crawler does with it.
 * A function value answers anew at each lookup (a DNS answer that changes). `lookups` records each
 * host name asked.
 */
export function hostsFile(hosts: HostsFile): {
  lookupHost: (hostname: string) => Promise<LookupAddress[]>;
  lookups: string[];
} {
  const lookups: string[] = [];
  const lookupHost = (hostname: string): Promise<LookupAddress[]> => {
    lookups.push(hostname);
    const entry = hosts[hostname];
    const answer = typeof entry === 'function' ? entry() : entry;
    if (answer === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
      );
    }
    const addresses = Array.isArray(answer) ? answer : [answer];
    return Promise.resolve(addresses.map((address) => ({ address, family: isIP(address) })));
  };
  return { lookupHost, lookups };
}

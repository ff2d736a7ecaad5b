import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../core/errors.ts';
import { isPrivateAddress } from './private-addresses.ts';

/** Resolves a host name to its addresses, as `dns.lookup` with `all: true` does. */
export type HostLookup = (
  hostname: string,
  options: Pick<LookupOptions, 'family' | 'hints'>,
) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), which the crawl uses unless told otherwise. */
export const systemLookup: HostLookup = (hostname, options) =>
  dns.lookup(hostname, { ...options, all: true });

export interface CrawlerAgentOptions {
  connectTimeoutMs: number;
  /** Sockets per origin: a little above the per-host concurrency so keep-alive is reused. */
  connectionsPerOrigin: number;
  /**
   * Allow connections to loopback, private and other non-public addresses (private-addresses.ts).
   * Off in production: a trusted host name whose DNS is changed (or rebound) to point inside our
   * network, or a source written as such an address, must not turn the crawler into a way to read
   * internal services.
   */
  allowPrivateNetworks: boolean;
  /** Default: the system resolver. Tests give host names the addresses they need. */
  lookupHost?: HostLookup;
}

/** The code of the network error a refused connection ends in (fetch outcomes carry it). */
export const PRIVATE_ADDRESS_CODE = 'EPRIVATEADDRESS';

/** A connection refused because its only addresses are private, and private networks are not allowed. */
export class PrivateAddressError extends AppError {
  readonly code = PRIVATE_ADDRESS_CODE;
  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
  ) {
    super(
      addresses.length === 1 && addresses[0] === hostname
        ? `${hostname} is a private address`
        : `${hostname} resolves only to private addresses (${addresses.join(', ')})`,
    );
  }
}

/**
 * The one HTTP agent of a crawl: keep-alive pools per origin, a connect timeout, and the private
 * address check, made where the connection is made so that every request passes it (robots.txt,
 * sitemaps, pages, each redirect hop). A host name's DNS answer is checked and then used for the
 * connection itself (pinned: no second resolution between the check and the connect, so DNS
 * rebinding cannot slip a private address in). An IP address is never looked up, so it is checked
 * before the connector is called.
 */
export function createCrawlerAgent(options: CrawlerAgentOptions): Agent {
  const lookupHost = options.lookupHost ?? systemLookup;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    lookupHost(hostname, { family: lookupOptions.family, hints: lookupOptions.hints }).then(
      (addresses) => {
        const allowed = options.allowPrivateNetworks
          ? addresses
          : addresses.filter((entry) => !isPrivateAddress(entry.address));
        if (allowed.length === 0) {
          const refusal = new PrivateAddressError(
            hostname,
            addresses.map((entry) => entry.address),
          );
          return callback(refusal, '', 0);
        }
        if (lookupOptions.all) return callback(null, allowed);
        return callback(null, allowed[0]!.address, allowed[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
  const connector = buildConnector({ timeout: options.connectTimeoutMs, lookup });
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 10_000,
    connect: (connectOptions, callback) => {
      if (!options.allowPrivateNetworks && isPrivateAddress(connectOptions.hostname)) {
        return callback(new PrivateAddressError(connectOptions.hostname, [connectOptions.hostname]), null);
      }
      connector(connectOptions, callback);
    },
  });
}

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

export interface CrawlerAgentOptions {
  connectTimeoutMs: number;
  /** Sockets per origin: a little above the per-host concurrency so keep-alive is reused. */
  connectionsPerOrigin: number;
  /**
   * Allow host names that resolve to loopback or private addresses. Off in production: a trusted
   * host name whose DNS is changed (or rebound) to point inside our network must not turn the crawler
   * into a way to read internal services. Sources given as IP literals are not resolved, so a source
   * an admin listed as `http://127.0.0.1:8080/` is still reachable (scope already limits it to that).
   */
  allowPrivateNetworks: boolean;
}

const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['::ffff:0:0', 96],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && PRIVATE_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The one HTTP agent of a crawl: keep-alive pools per origin, a connect timeout, and a DNS lookup
 * that is checked and then used for the connection itself (pinned: no second resolution between the
 * check and the connect, so DNS rebinding cannot slip a private address in).
 */
export function createCrawlerAgent(options: CrawlerAgentOptions): Agent {
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 10_000,
    connect: {
      timeout: options.connectTimeoutMs,
      lookup: (hostname, lookupOptions, callback) => {
        dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
          if (error) return callback(error, '', 0);
          const allowed = options.allowPrivateNetworks
            ? addresses
            : addresses.filter((entry) => !isPrivateAddress(entry.address));
          if (allowed.length === 0) {
            const refused = Object.assign(new Error(`${hostname} resolves only to private addresses`), {
              code: 'EPRIVATEADDRESS',
            });
            return callback(refused, '', 0);
          }
          if (lookupOptions.all) return callback(null, allowed, 0);
          return callback(null, allowed[0]!.address, allowed[0]!.family);
        });
      },
    },
  });
}

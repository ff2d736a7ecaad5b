import { isIP } from 'node:net';

/** What the processes that fetch (the crawl, `sources:check`) accept as a source's host. */
export interface SourceHostRules {
  /** CRAWL_ALLOW_PRIVATE_NETWORKS: only for a test web on this machine (the tests, the demo). */
  allowPrivateNetworks: boolean;
}

/**
 * Why a source URL's host is refused when private networks are not allowed; undefined when it is a
 * host name. A trusted site is named, and its name is what the crawler checks: each DNS answer is
 * refused if private. An IP address is never looked up, so a whitelist of names keeps every address
 * behind that check; `localhost` and `*.localhost` (RFC 6761) are this machine whatever DNS says.
 */
export function privateHostProblem(url: string): string | undefined {
  const { hostname } = new URL(url);
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname.replace(/\.$/, '');
  const allowIt = 'set CRAWL_ALLOW_PRIVATE_NETWORKS=true only for a test web on this machine';
  if (isIP(host) !== 0) {
    return `'${host}' is an IP address: a trusted source is given by its host name (${allowIt})`;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return `'${host}' is this machine, not a public site (${allowIt})`;
  }
  return undefined;
}

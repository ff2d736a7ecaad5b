import { setTimeout as sleep } from 'node:timers/promises';
import type { CrawlSettings } from './crawl-settings.ts';
import { mayFetchForDiscovery } from './discovery-scope.ts';
import { createCrawlerAgent } from './fetch/crawler-agent.ts';
import { type FetchOutcome, requestsSent } from './fetch/fetch-outcome.ts';
import { type FetchPageOptions, fetchPage } from './fetch/fetch-page.ts';
import { HostGates } from './politeness/host-gates.ts';
import { type LoadedRobots, loadRobots } from './robots-loader.ts';

/**
 * Reads a few files of trusted sites outside a crawl, for the admin's tools (URL inspector, scope
 * preview): with the crawl's own connection rules (no private network unless allowed, the crawl's
 * User-Agent and limits) and its politeness (each request takes its host's turn). Only the caller
 * decides which URLs, and it only ever asks for URLs of sources' hosts.
 */
export interface SiteReader {
  /** The robots.txt of an origin, read once (no retry: an admin is waiting). */
  robots(origin: URL): Promise<LoadedRobots>;
  /** Fetches a URL; `mayRequest` is checked before it and before each redirect hop. */
  fetch(url: URL, mayRequest: FetchPageOptions['mayRequest']): Promise<FetchOutcome>;
  /** Requests sent so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export function createSiteReader(
  settings: Pick<
    CrawlSettings,
    'userAgent' | 'fetchLimits' | 'connectTimeoutMs' | 'allowPrivateNetworks' | 'lookupHost'
  >,
  pace: { requestsPerSecond: number },
): SiteReader {
  const agent = createCrawlerAgent({
    connectTimeoutMs: settings.connectTimeoutMs,
    connectionsPerOrigin: 2,
    allowPrivateNetworks: settings.allowPrivateNetworks,
    ...(settings.lookupHost ? { lookupHost: settings.lookupHost } : {}),
  });
  const gates = new HostGates({
    requestsPerSecond: () => pace.requestsPerSecond,
    maxCrawlDelaySeconds: 0,
    wait: sleep,
  });
  let requests = 0;
  const fetch = async (url: URL, mayRequest: FetchPageOptions['mayRequest']): Promise<FetchOutcome> => {
    const outcome = await fetchPage(url, {
      dispatcher: agent,
      userAgent: settings.userAgent,
      limits: settings.fetchLimits,
      mayRequest,
      beforeRequest: (hop) => gates.turn(hop),
    });
    requests += requestsSent(outcome);
    return outcome;
  };
  return {
    robots: (origin) =>
      loadRobots(origin, {
        userAgent: settings.userAgent,
        fetchOne: (url) => fetch(url, (hop) => mayFetchForDiscovery(hop, origin, undefined)),
        retryDelaysMs: [],
        wait: sleep,
      }),
    fetch,
    get requests() {
      return requests;
    },
    close: () => agent.close(),
  };
}

import { PRIVATE_ADDRESS_CODE } from './fetch/crawler-agent.ts';
import { type FetchOutcome, requestsSent } from './fetch/fetch-outcome.ts';
import { type RobotsPolicy, parseRobotsTxt, robotsOutcome } from './discovery/robots-policy.ts';

export type LoadedRobots =
  | { kind: 'policy'; policy: RobotsPolicy; fetched: number }
  | { kind: 'allow-all'; fetched: number }
  | {
      kind: 'unavailable';
      reason: string;
      fetched: number;
      /** An error for the crawl report, when the reason is one (not a site that is down for now). */
      error?: { kind: string; url: string; message: string };
    };

export interface RobotsLoaderOptions {
  userAgent: string;
  fetchOne: (url: URL) => Promise<FetchOutcome>;
  /** Waits between attempts while robots.txt answers 5xx or does not answer. */
  retryDelaysMs: readonly number[];
  wait: (ms: number) => Promise<unknown>;
}

/**
 * The robots.txt of one origin. A 404 means everything is allowed; an unreachable robots.txt (5xx,
 * 429, network error) means "wait and retry": after the retries the host is not crawled this run,
 * rather than crawled without knowing its rules.
 */
export async function loadRobots(origin: URL, options: RobotsLoaderOptions): Promise<LoadedRobots> {
  const robotsUrl = new URL('/robots.txt', origin);
  let fetched = 0;
  let lastProblem = '';
  for (let attempt = 0; attempt <= options.retryDelaysMs.length; attempt++) {
    if (attempt > 0) await options.wait(options.retryDelaysMs[attempt - 1]!);
    const outcome = await options.fetchOne(robotsUrl);
    fetched += requestsSent(outcome);
    const status =
      outcome.kind === 'fetched' ? outcome.status : outcome.kind === 'http-error' ? outcome.status : null;
    const verdict = outcome.kind === 'refused' ? 'allow-all' : robotsOutcome(status);
    if (verdict === 'allow-all') return { kind: 'allow-all', fetched };
    if (verdict === 'parse' && outcome.kind === 'fetched') {
      const text = new TextDecoder().decode(outcome.body);
      return { kind: 'policy', policy: parseRobotsTxt(robotsUrl, text, options.userAgent), fetched };
    }
    if (outcome.kind === 'network-error' && outcome.code === PRIVATE_ADDRESS_CODE) {
      // Our refusal, not the host's failure: waiting does not make the address public. The host is
      // skipped this run like one whose robots.txt cannot be read (its documents kept), and reported.
      const error = { kind: 'private-address', url: robotsUrl.href, message: outcome.message };
      return { kind: 'unavailable', reason: outcome.message, fetched, error };
    }
    lastProblem = outcome.kind === 'network-error' ? outcome.code : `HTTP ${status ?? '?'}`;
  }
  return { kind: 'unavailable', reason: `robots.txt unreachable (${lastProblem})`, fetched };
}

import type { Source } from '../core/source.ts';
import type { UrlInspection } from '../core/url-inspection.ts';
import type { CrawlStore, PageState } from '../store/crawl-store.ts';
import { cleanUrl } from './clean-url.ts';
import type { LoadedRobots } from './robots-loader.ts';
import { explainScope } from './scope-explanation.ts';

/** What the crawl side knows of a URL; the index side is added by workflow/url-inspector.ts. */
export type CrawlInspection = Omit<UrlInspection, 'index'> & { page: PageState | undefined };

/**
 * Why the crawl takes or leaves a URL: the source and rule that decide its scope, what robots.txt
 * says of it (read now, only on a source's host: the inspector never fetches anything else), and
 * what the last crawl found there.
 */
export async function inspectUrlForCrawl(
  url: URL,
  options: {
    /** Every source of the whitelist, disabled ones included (to say a URL's source is disabled). */
    sources: readonly Source[];
    store: CrawlStore;
    readRobots: (origin: URL) => Promise<LoadedRobots>;
  },
): Promise<CrawlInspection> {
  const checked = cleanUrl(url);
  const scope = explainScope(checked, options.sources);
  const page = options.store.pageState(checked.href);
  const canonical =
    page?.outcome === 'duplicate' && page.error?.startsWith('canonical ')
      ? page.error.slice('canonical '.length)
      : null;
  return {
    url: url.href,
    checkedUrl: checked.href,
    source: scope.source
      ? { id: scope.source.id, name: scope.source.name, enabled: scope.source.enabled }
      : null,
    scope: { inScope: scope.inScope, rule: scope.rule },
    robots: scope.source
      ? robotsVerdict(checked, await options.readRobots(new URL(checked.origin)))
      : {
          verdict: 'not-checked',
          rule: null,
          detail: 'the URL is on no source’s host: its robots.txt is not read',
        },
    lastFetch: page
      ? { at: page.fetchedAt, httpStatus: page.httpStatus, outcome: page.outcome, error: page.error }
      : null,
    canonical,
    page,
  };
}

function robotsVerdict(url: URL, robots: LoadedRobots): UrlInspection['robots'] {
  switch (robots.kind) {
    case 'allow-all':
      return {
        verdict: 'no-robots-txt',
        rule: null,
        detail: 'the site has no robots.txt (4xx): everything is allowed',
      };
    case 'unavailable':
      return {
        verdict: 'unreachable',
        rule: null,
        detail: `${robots.reason}: the crawl skips the host until it answers`,
      };
    case 'policy': {
      const allowed = robots.policy.isAllowed(url);
      const rule = robots.policy.decidingLine(url);
      return {
        verdict: allowed ? 'allowed' : 'disallowed',
        rule,
        detail: allowed
          ? rule
            ? 'robots.txt allows it'
            : 'no robots.txt rule applies to it: allowed'
          : 'robots.txt disallows it for our crawler',
      };
    }
  }
}

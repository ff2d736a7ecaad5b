import { describe, expect, it } from 'vitest';
import { Agent, Dispatcher } from 'undici';
import { type Source, SourceSchema } from '../core/source.ts';
import { createCrawlerAgent } from '../crawler/fetch/crawler-agent.ts';
import type { FetchOutcome } from '../crawler/fetch/fetch-outcome.ts';
import { fetchPage } from '../crawler/fetch/fetch-page.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import type { FixtureSite } from '../fixture-web/fixture-route.ts';
import { aTownPage } from './builders/town-page.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import { indexedUrls } from './support/crawl-results.ts';
import { hostsFile } from './support/hosts-file.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { servedPerTest } from './support/served-sites.ts';

const client = testMeiliClient();
/** AS112's anycast address: globally reachable (IANA), and no web server of ours is there. */
const PUBLIC_ADDRESS = '192.31.196.1';

const townSite = (): FixtureSite =>
  new Map([
    ['/robots.txt', textResponse('User-agent: *\nAllow: /\n')],
    ['/', htmlResponse(aTownPage({ title: 'Accueil', links: ['/page.html'] }))],
    ['/page.html', htmlResponse(aTownPage({ title: 'Une page' }))],
  ]);

const serve = servedPerTest();

function townSource(url: string): Source {
  return SourceSchema.parse({
    id: 'mairie',
    name: 'Mairie',
    kind: 'collectivite',
    url,
    territory: 'national',
  });
}

/** A crawl with private networks NOT allowed, as in production, host names resolved by `hosts`. */
async function crawlWithoutPrivateNetworks(source: Source, hosts: Parameters<typeof hostsFile>[0] = {}) {
  const indexUid = uniqueIndexUid('private');
  const { store } = await tempCrawlStore();
  const settings = testCrawlSettings({ allowPrivateNetworks: false, ...hostsFile(hosts) });
  const reports = await crawlAndIndex({ sources: [source], store, indexUid, settings });
  store.close();
  return { report: reportOf(reports, source.id), indexed: await indexedUrls(client, indexUid) };
}

describe('a crawl that may not reach private networks', () => {
  it.each(['127.0.0.1', '10.1.2.3', '169.254.169.254', '::ffff:127.0.0.1'])(
    'never requests a source whose host name resolves to %s, and reports the address',
    async (address) => {
      const web = await serve(townSite());
      const port = new URL(web.origin).port;
      const { report, indexed } = await crawlWithoutPrivateNetworks(
        townSource(`http://mairie.test:${port}/`),
        { 'mairie.test': address },
      );
      expect(web.requests).toEqual([]);
      expect(report.errors).toEqual({ 'private-address': 1 });
      expect(report.errorSamples[0]?.error).toContain(address);
      expect(report.incomplete).toContain(address);
      expect(indexed).toEqual([]);
    },
  );

  it.each(['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])(
    'never requests a source given as the private IP address %s',
    async (literal) => {
      const web = await serve(townSite());
      const port = new URL(web.origin).port;
      const { report, indexed } = await crawlWithoutPrivateNetworks(townSource(`http://${literal}:${port}/`));
      expect(web.requests).toEqual([]);
      expect(report.errors).toEqual({ 'private-address': 1 });
      expect(report.errorSamples[0]?.error).toMatch(/private address/);
      expect(indexed).toEqual([]);
    },
  );
});

describe('one fetch after another, private networks not allowed', () => {
  const limits = { totalTimeoutMs: 5_000, maxBytes: 1 << 20, maxDecompressedBytes: 1 << 20, maxRedirects: 5 };
  const fetchWith = (dispatcher: Dispatcher) => (url: string) =>
    fetchPage(new URL(url), { dispatcher, userAgent: 'pas-test', limits, mayRequest: () => true });

  it('refuses, before connecting, a host name whose DNS answer turned private since the last request', async () => {
    const web = await serve(townSite());
    const port = new URL(web.origin).port;
    const answers = [PUBLIC_ADDRESS, '127.0.0.1'];
    const dns = hostsFile({ 'mairie.test': () => answers.shift() ?? '127.0.0.1' });
    const agent = createCrawlerAgent({
      connectTimeoutMs: 1_000,
      connectionsPerOrigin: 1,
      allowPrivateNetworks: false,
      lookupHost: dns.lookupHost,
    });
    const fetchOne = fetchWith(agent);
    try {
      // The public answer passes the check: the connection is tried (and fails: no server there).
      const first = await fetchOne(`http://mairie.test:${port}/`);
      expect(first.kind).toBe('network-error');
      expect(networkCode(first)).not.toBe('EPRIVATEADDRESS');
      const second = await fetchOne(`http://mairie.test:${port}/page.html`);
      expect(second).toMatchObject({ kind: 'network-error', code: 'EPRIVATEADDRESS' });
      expect(second.kind === 'network-error' && second.message).toContain('127.0.0.1');
    } finally {
      await agent.close();
    }
    expect(dns.lookups).toEqual(['mairie.test', 'mairie.test']);
    expect(web.requests).toEqual([]);
  });

  it('refuses a redirect to a private IP address', async () => {
    const inside = await serve(townSite());
    // Stands for a public site that redirects: reached through an agent of its own, since every
    // server a test can start is on a private address.
    const redirector = await serve(
      new Map([['/sortie', redirectResponse(`${inside.origin}/page.html`, 302)]]),
    );
    const crawlerAgent = createCrawlerAgent({
      connectTimeoutMs: 1_000,
      connectionsPerOrigin: 1,
      allowPrivateNetworks: false,
    });
    const redirectorAgent = new Agent();
    const dispatcher = new ByOrigin(new Map([[redirector.origin, redirectorAgent]]), crawlerAgent);
    try {
      const outcome = await fetchWith(dispatcher)(`${redirector.origin}/sortie`);
      expect(outcome).toMatchObject({ kind: 'network-error', code: 'EPRIVATEADDRESS' });
      expect(outcome.redirects.map((url) => url.href)).toEqual([`${inside.origin}/page.html`]);
    } finally {
      await Promise.all([crawlerAgent.close(), redirectorAgent.close()]);
    }
    expect(redirector.requests.map((request) => request.path)).toEqual(['/sortie']);
    expect(inside.requests).toEqual([]);
  });
});

function networkCode(outcome: FetchOutcome): string | undefined {
  return outcome.kind === 'network-error' ? outcome.code : undefined;
}

/** Sends each request through the dispatcher of its origin, the others through `fallback`. */
class ByOrigin extends Dispatcher {
  constructor(
    private readonly routes: Map<string, Dispatcher>,
    private readonly fallback: Dispatcher,
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = new URL(String(options.origin)).origin;
    return (this.routes.get(origin) ?? this.fallback).dispatch(options, handler);
  }
}

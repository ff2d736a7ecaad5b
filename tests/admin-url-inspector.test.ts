import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import type { ServedSite } from '../fixture-web/site-server.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import type { UrlInspection } from '../core/url-inspection.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';
import { runEntryPoint } from './support/run-command.ts';

/**
 * "Why is this URL missing?" on a town site that has one page of each kind: indexed, noindex,
 * canonicalized, disallowed by robots.txt, excluded by the source's globs, and never linked.
 */
let site: ServedSite;
let world: AdminWorld;

beforeAll(async () => {
  site = await serveSite(new Map());
  const page = (title: string, head = '', links: string[] = []) =>
    htmlResponse(aTownPage({ title, paragraphs: [`Le contenu propre à la page ${title}.`], head, links }));
  site.site.set('/robots.txt', textResponse('User-agent: *\nDisallow: /prive/\n'));
  site.site.set(
    '/',
    page('Accueil', '', ['/deliberations', '/agenda-noindex', '/doublon', '/prive/rh', '/recherche/x']),
  );
  site.site.set('/deliberations', page('Délibérations du conseil'));
  site.site.set('/agenda-noindex', page('Agenda interne', '<meta name="robots" content="noindex">'));
  site.site.set(
    '/doublon',
    page('Délibérations bis', `<link rel="canonical" href="${site.origin}/deliberations">`),
  );
  site.site.set('/prive/rh', page('Ressources humaines'));
  world = await anAdminWorld(
    `sources:\n${siteEntry('ville', site.origin, "\n      exclude: ['/recherche/**']")}`,
  );
  await world.crawl();
});
afterAll(async () => {
  await world.close();
  await site.close();
});

async function inspect(path: string): Promise<UrlInspection> {
  const url = path.startsWith('http') ? path : site.url(path);
  const response = await world.asBob('GET', `/v1/admin/urls?url=${encodeURIComponent(url)}`);
  expect(response.status).toBe(200);
  return response.body as UrlInspection;
}

describe('GET /v1/admin/urls', () => {
  it('says an indexed page is in the index, in scope by which include, allowed by robots.txt, and when it was fetched', async () => {
    const answer = await inspect('/deliberations?utm_source=newsletter#vote');
    expect(answer).toMatchObject({
      checkedUrl: site.url('/deliberations'),
      source: { id: 'ville', enabled: true },
      scope: { inScope: true, rule: "in scope of 'ville': /deliberations matches its include '/**'" },
      robots: { verdict: 'allowed' },
      lastFetch: { httpStatus: 200, outcome: 'new', error: null },
      canonical: null,
      index: { indexed: true, indexedUrl: site.url('/deliberations'), reason: 'in the index' },
    });
    expect(answer.lastFetch?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('explains an out-of-scope URL by the exclude glob that refuses it, or by its host', async () => {
    expect(await inspect('/recherche/x')).toMatchObject({
      scope: { inScope: false, rule: "excluded by 'ville''s exclude '/recherche/**'" },
      index: { indexed: false, reason: "out of scope: excluded by 'ville''s exclude '/recherche/**'" },
    });
    expect(await inspect('https://ailleurs.example/page')).toMatchObject({
      source: null,
      scope: { inScope: false, rule: 'no source has the host ailleurs.example' },
      robots: { verdict: 'not-checked' },
      index: { indexed: false },
    });
  });

  it('quotes the robots.txt line that disallows a URL', async () => {
    expect(await inspect('/prive/rh')).toMatchObject({
      scope: { inScope: true },
      robots: { verdict: 'disallowed', rule: 'line 2: Disallow: /prive/' },
      index: {
        indexed: false,
        reason: 'robots.txt disallows it (line 2: Disallow: /prive/): the crawl never requests it',
      },
    });
  });

  it('says a noindex page asked not to be indexed', async () => {
    expect(await inspect('/agenda-noindex')).toMatchObject({
      lastFetch: { outcome: 'noindex', httpStatus: 200 },
      index: {
        indexed: false,
        reason: 'the page asks not to be indexed (noindex in a meta tag or an X-Robots-Tag header)',
      },
    });
  });

  it('names the canonical URL a page declared, and that it is indexed under it', async () => {
    expect(await inspect('/doublon')).toMatchObject({
      lastFetch: { outcome: 'duplicate' },
      canonical: site.url('/deliberations'),
      index: {
        indexed: true,
        indexedUrl: site.url('/deliberations'),
        reason: `in the index under ${site.url('/deliberations')}, the canonical URL the page names`,
      },
    });
  });

  it('says a page no crawl reached was never linked', async () => {
    expect(await inspect('/orpheline')).toMatchObject({
      lastFetch: null,
      index: {
        indexed: false,
        reason: expect.stringMatching(/^never reached: no crawled page or sitemap links to it/) as unknown,
      },
    });
  });

  it('refuses a value that is not an http(s) URL, naming the parameter', async () => {
    const response = await world.asBob('GET', '/v1/admin/urls?url=file%3A%2F%2F%2Fetc%2Fpasswd');
    expect(response).toMatchObject({ status: 400, body: { error: { details: [{ parameter: 'url' }] } } });
  });
});

describe('npm run url:check', () => {
  it('prints the same answer, and exits 0 for an indexed URL and 3 for a missing one', async () => {
    const indexed = await runEntryPoint(
      'workflow/url-check-main.ts',
      [site.url('/deliberations')],
      world.env,
    );
    const noindex = await runEntryPoint(
      'workflow/url-check-main.ts',
      [site.url('/agenda-noindex')],
      world.env,
    );

    expect(indexed.exitCode).toBe(0);
    expect(indexed.stdout).toContain('index:     INDEXED: in the index');
    expect(noindex.exitCode).toBe(3);
    expect(noindex.stdout).toContain('NOT INDEXED: the page asks not to be indexed');
    expect(noindex.stdout).toContain("scope:     in: in scope of 'ville'");
  });
});

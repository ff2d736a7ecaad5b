import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import type { ScopePreview } from '../core/scope-preview.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';

/** A dry run of a source's scope, before adding it or changing its globs. */
let site: ServedSite;
let world: AdminWorld;

beforeAll(async () => {
  site = await serveSite(new Map());
  site.site.set('/robots.txt', textResponse('User-agent: *\nDisallow: /prive/\n'));
  site.site.set(
    '/',
    htmlResponse(
      aTownPage({
        title: 'Accueil',
        links: [
          '/actualites/a',
          '/actualites/b',
          '/recherche/x',
          '/prive/rh',
          'https://ailleurs.example/page',
        ],
      }),
    ),
  );
  world = await anAdminWorld(`sources:\n${siteEntry('existante', 'http://127.0.0.9:9')}`);
});
afterAll(async () => {
  await world.close();
  await site.close();
});

describe('POST /v1/admin/scope-preview', () => {
  it('lists the URLs a new source would take, and why it would refuse the others, writing nothing', async () => {
    const response = await world.asAlice('POST', '/v1/admin/scope-preview?limit=10', {
      id: 'candidate',
      name: 'Candidate',
      kind: 'collectivite',
      url: `${site.origin}/`,
      territory: 'national',
      crawl: { exclude: ['/recherche/**'], requestsPerSecond: 50 },
    });

    expect(response.status).toBe(200);
    const preview = response.body as ScopePreview;
    expect(preview.taken.map((taken) => taken.url)).toEqual([
      site.url('/'),
      site.url('/actualites/a'),
      site.url('/actualites/b'),
    ]);
    expect(preview.taken[1]?.via).toBe(`linked from ${site.url('/')}`);
    expect(preview.refused).toEqual([
      {
        url: site.url('/recherche/x'),
        reason: "out of scope: excluded by 'candidate''s exclude '/recherche/**'",
      },
      { url: site.url('/prive/rh'), reason: 'robots.txt disallows it (line 2: Disallow: /prive/)' },
      {
        url: 'https://ailleurs.example/page',
        reason: 'out of scope: no source has the host ailleurs.example',
      },
    ]);
    expect(site.requests.map((request) => request.path)).not.toContain('/prive/rh');
    expect(world.store.pageState(site.url('/'))).toBeUndefined();
    expect(world.store.audit.list({ limit: 1 })).toEqual([]);
  });

  it('checks the candidate as sources.yaml would, naming the field', async () => {
    const response = await world.asAlice('POST', '/v1/admin/scope-preview', {
      id: 'candidate',
      name: 'Candidate',
      kind: 'mairie',
      url: `${site.origin}/`,
      territory: 'national',
    });
    expect(response).toMatchObject({
      status: 400,
      body: { error: { details: [{ parameter: 'candidate.kind' }] } },
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';
import { servedPerTest } from './support/served-sites.ts';

const serve = servedPerTest();
const worlds: AdminWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

/** A site whose robots.txt answers 503: the crawl cannot know its rules, so it crawls nothing of it. */
const aSiteInMaintenance = () => serve(new Map([['/robots.txt', textResponse('maintenance', 503)]]));
const aHealthySite = () => serve(new Map([['/', htmlResponse(aTownPage({ title: 'Accueil' }))]]));

async function aWorldOf(entries: string): Promise<AdminWorld> {
  const world = await anAdminWorld(`sources:\n${entries}`);
  worlds.push(world);
  return world;
}

async function statusOf(world: AdminWorld, id: string) {
  return (await world.asBob('GET', `/v1/admin/sources/${id}`)).body as Record<string, unknown>;
}

describe('a source that fails run after run', () => {
  it('is suspended at its third failing run, with the cause, and no longer requested', async () => {
    const [down, healthy] = await Promise.all([aSiteInMaintenance(), aHealthySite()]);
    const world = await aWorldOf(siteEntry('en-panne', down.origin) + siteEntry('saine', healthy.origin));

    await world.crawl();
    await world.crawl();
    expect(await statusOf(world, 'en-panne')).toMatchObject({
      status: 'failing',
      failures: { consecutive: 2 },
      suspended: null,
    });
    await world.crawl();

    expect(await statusOf(world, 'en-panne')).toMatchObject({
      status: 'suspended',
      failures: { consecutive: 3 },
      suspended: { causes: [{ cause: 'offline', detail: 'robots.txt unreachable (HTTP 503)' }] },
    });
    expect(await statusOf(world, 'saine')).toMatchObject({ status: 'ok', failures: { consecutive: 0 } });
    const requestsSoFar = down.requests.length;

    const reports = await world.crawl();

    expect(down.requests.length).toBe(requestsSoFar);
    expect(reports.map((report) => report.sourceId)).toEqual(['saine']);
  });

  it('is crawled again once an admin enables it, its count starting afresh', async () => {
    const down = await aSiteInMaintenance();
    const world = await aWorldOf(siteEntry('en-panne', down.origin));
    for (let run = 0; run < 3; run++) await world.crawl();
    down.site.set('/robots.txt', textResponse('User-agent: *\nAllow: /\n'));
    down.site.set('/', htmlResponse(aTownPage({ title: 'De retour' })));

    const enabled = await world.asAlice('POST', '/v1/admin/sources/en-panne/enable');
    await world.crawl();

    expect(enabled).toMatchObject({ status: 200, body: { liftedSuspension: true } });
    expect(await statusOf(world, 'en-panne')).toMatchObject({
      status: 'ok',
      failures: { consecutive: 0 },
      suspended: null,
    });
    expect(await world.documentsOf('en-panne')).toBe(1);
    expect(world.store.audit.list({ limit: 1 })[0]).toMatchObject({
      action: 'source.enable',
      before: expect.objectContaining({ suspendedAt: expect.any(String) as unknown }) as unknown,
    });
  });

  it('is not suspended when a run in between worked', async () => {
    const flaky = await aSiteInMaintenance();
    const world = await aWorldOf(siteEntry('instable', flaky.origin));
    await world.crawl();
    await world.crawl();
    flaky.site.set('/robots.txt', textResponse('', 404));
    flaky.site.set('/', htmlResponse(aTownPage({ title: 'Accueil' })));
    await world.crawl();
    flaky.site.set('/robots.txt', textResponse('maintenance', 503));
    await world.crawl();

    expect(await statusOf(world, 'instable')).toMatchObject({
      status: 'failing',
      failures: { consecutive: 1 },
      suspended: null,
    });
  });

  it('refuses a recrawl while suspended, saying to enable it first', async () => {
    const down = await aSiteInMaintenance();
    const world = await aWorldOf(siteEntry('en-panne', down.origin));
    for (let run = 0; run < 3; run++) await world.crawl();

    const response = await world.asAlice('POST', '/v1/admin/sources/en-panne/recrawl');

    expect(response).toMatchObject({ status: 409, body: { error: { code: 'source_suspended' } } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerSchema } from '../core/partner.ts';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';

/** Promoted results: an admin pins a page for some queries, for a while. */
let ville: ServedSite;
let autre: ServedSite;
let world: AdminWorld;
const DAY = 86_400_000;
/** A partner's widget that shows only the town's pages. */
const PARTNER_SITE = 'https://portail.example.org';
const townPortal = PartnerSchema.parse({
  id: 'portail-ville',
  name: 'Portail de la ville',
  key: 'pk_portail_ville_0123456',
  origins: [PARTNER_SITE],
  scope: { sources: ['ville'] },
});

beforeAll(async () => {
  const page = (title: string, text: string, links: string[] = []) =>
    htmlResponse(aTownPage({ title, paragraphs: [text], links }));
  ville = await serveSite(
    new Map([
      ['/', page('Accueil de la ville', 'Bienvenue sur le site de la ville.', ['/cantine', '/inscriptions'])],
      [
        '/cantine',
        page('La cantine scolaire', 'La cantine scolaire sert des repas bio. Cantine, cantine, cantine.'),
      ],
      [
        '/inscriptions',
        page('Inscriptions périscolaires', 'Le dossier unique pour la rentrée, accueil du soir compris.'),
      ],
    ]),
  );
  autre = await serveSite(
    new Map([['/', page('Portail de la région', 'La région accompagne les collèges et les lycées.')]]),
  );
  world = await anAdminWorld(
    `sources:\n${siteEntry('ville', ville.origin)}${siteEntry('region', autre.origin).replace('territory: national', 'territory: region:76')}`,
    { partners: [townPortal] },
  );
  await world.crawl();
});
afterAll(async () => {
  await world.close();
  await Promise.all([ville.close(), autre.close()]);
});

describe('a best bet', () => {
  it('shows its page first, marked promoted, for its queries however they are typed, until its end date', async () => {
    const organic = await world.search('cantine');
    expect(organic[0]?.url).toBe(ville.url('/cantine'));
    world.clock.now = new Date('2025-09-01T08:00:00Z');

    const created = await world.asAlice('POST', '/v1/admin/best-bets', {
      url: ville.url('/inscriptions'),
      queries: ['Cantine', 'inscription cantine'],
      endsAt: '2025-09-30',
    });
    expect(created).toMatchObject({
      status: 201,
      body: { queries: ['cantine', 'inscription cantine'], active: true },
    });

    const during = await world.search('  CANTINE ');
    expect(during.map((hit) => [hit.url, hit.promoted ?? false])).toEqual([
      [ville.url('/inscriptions'), true],
      [ville.url('/cantine'), false],
    ]);
    expect((await world.search('cantine scolaire')).some((hit) => hit.promoted)).toBe(false);

    world.clock.now = new Date('2025-09-30T23:59:00Z');
    expect((await world.search('cantine'))[0]).toMatchObject({
      url: ville.url('/inscriptions'),
      promoted: true,
    });

    world.clock.now = new Date(Date.parse('2025-09-30T00:00:00Z') + DAY);
    const after = await world.search('cantine');
    expect(after.map((hit) => hit.url)).toEqual([ville.url('/cantine')]);
    expect(after.some((hit) => hit.promoted)).toBe(false);
  });

  it('waits for its start date', async () => {
    world.clock.now = new Date('2025-10-01T00:00:00Z');
    await world.asAlice('POST', '/v1/admin/best-bets', {
      url: autre.url('/'),
      queries: ['lycées'],
      startsAt: new Date(world.clock.now.getTime() + DAY).toISOString(),
    });
    expect((await world.search('lycées'))[0]?.promoted).toBeUndefined();
    world.clock.now = new Date(world.clock.now.getTime() + 2 * DAY);
    expect((await world.search('lycées'))[0]).toMatchObject({ url: autre.url('/'), promoted: true });
  });

  it('is never shown outside the filters of the search (a widget scoped to a source)', async () => {
    await world.asAlice('POST', '/v1/admin/best-bets', { url: autre.url('/'), queries: ['repas bio'] });
    const { body } = await world.call('GET', '/v1/search?q=repas%20bio&source=ville');
    const hits = (body as { hits: { url: string; promoted?: boolean }[] }).hits;
    expect(hits.map((hit) => hit.url)).toEqual([ville.url('/cantine')]);
  });

  it("is never shown to a partner's widget outside the partner's scope, whatever the request asks", async () => {
    await world.asAlice('POST', '/v1/admin/best-bets', { url: autre.url('/'), queries: ['accueil'] });
    expect((await world.search('accueil'))[0]).toMatchObject({ url: autre.url('/'), promoted: true });

    const { status, body } = await world.call('GET', `/v1/search?q=accueil&key=${townPortal.key}`, {
      headers: { Origin: PARTNER_SITE },
    });
    expect(status).toBe(200);
    const hits = (body as { hits: { url: string; promoted?: boolean }[] }).hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.url.startsWith(ville.origin))).toBe(true);
    expect(hits.some((hit) => hit.promoted)).toBe(false);
  });

  it("is shown first on the search page, said in words to be the administrators' choice", async () => {
    await world.asAlice('POST', '/v1/admin/best-bets', {
      url: ville.url('/inscriptions'),
      queries: ['repas'],
    });
    const { status, text } = await world.call('GET', '/?q=repas');
    expect(status).toBe(200);
    const hits = text.split('<li class="hit').slice(1);
    expect(hits[0]).toContain(ville.url('/inscriptions'));
    expect(hits[0]).toContain('Recommandé par les administrateurs');
    expect(hits.slice(1).join('')).not.toContain('Recommandé');
  });

  it('can only promote a page that is in the index', async () => {
    const response = await world.asAlice('POST', '/v1/admin/best-bets', {
      url: ville.url('/pas-la'),
      queries: ['cantine'],
    });
    expect(response).toMatchObject({ status: 400, body: { error: { details: [{ parameter: 'url' }] } } });
  });

  it('is gone once removed, and the removal is in the audit log', async () => {
    const { body } = await world.asAlice('POST', '/v1/admin/best-bets', {
      url: ville.url('/'),
      queries: ['bienvenue'],
    });
    const id = (body as { id: number }).id;
    expect((await world.search('bienvenue'))[0]?.promoted).toBe(true);

    expect((await world.asAlice('DELETE', `/v1/admin/best-bets/${id}`)).status).toBe(200);

    expect((await world.search('bienvenue')).some((hit) => hit.promoted)).toBe(false);
    expect(world.store.audit.list({ limit: 1 })[0]).toMatchObject({
      actor: 'alice',
      action: 'best-bet.delete',
      target: String(id),
      before: expect.objectContaining({ url: ville.url('/') }) as unknown,
    });
  });
});

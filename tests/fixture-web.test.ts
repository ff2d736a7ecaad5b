import { load } from 'cheerio';
import { request as httpRequest } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ficheCatalog, fichesForSite } from '../fixture-web/fiche-catalog.ts';
import type { Fiche } from '../fixture-web/fiche-page.ts';
import { ficheText, loadFiche, renderFichePage } from '../fixture-web/fiche-page.ts';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import type { FixtureResponse, FixtureSite } from '../fixture-web/fixture-route.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import type { ServedSite } from '../fixture-web/site-server.ts';
import { serveSite } from '../fixture-web/site-server.ts';

/** Whitespace as a reader sees it: runs of spaces, newlines and no-break spaces count as one space. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function bodyOf(response: FixtureResponse | undefined): string {
  if (response === undefined) throw new Error('no such page');
  return response.body.toString();
}

/** A fiche written by hand, to put hostile text where real fiches put prose. */
function syntheticFiche(title: string, paragraph: string): Fiche {
  const text = (value: string) => ({ type: 'text' as const, text: value });
  const element = (name: string, ...children: Fiche['publication'][]) => ({
    type: 'element' as const,
    name,
    children,
  });
  return {
    id: 'F999999',
    type: 'particuliers',
    publication: {
      type: 'element',
      name: 'Publication',
      children: [
        { type: 'element', name: 'dc:title', children: [text(title)] },
        { type: 'element', name: 'dc:description', children: [text(`Résumé : ${title}`)] },
        { type: 'element', name: 'dc:date', children: [text('modified 2024-03-05')] },
        element('Texte', { type: 'element', name: 'Paragraphe', children: [text(paragraph)] }),
      ],
    },
  };
}

describe('fiche pages', () => {
  const fiche = loadFiche('particuliers', 'F1000');

  it('renders a fiche as a page whose title and text come from the fiche', () => {
    const expected = ficheText(fiche);
    const $ = load(renderFichePage(fiche));

    expect($('html').attr('lang')).toBe('fr');
    expect($('meta[charset]').attr('charset')).toBe('utf-8');
    expect($('title').text()).toBe(expected.title);
    expect($('h1').text()).toBe(expected.title);
    expect($('meta[name="description"]').attr('content')).toBe(expected.description);
    expect(expected.title).toBe('Pension alimentaire impayée : recouvrement par le Trésor public');
    const mainText = normalize($('main').text());
    for (const line of expected.body.split('\n')) expect(mainText).toContain(normalize(line));
    expect($('main h2').first().text()).toBe("De quoi s'agit-il\u00a0?");
  });

  it('wraps every page in the same header, menu and footer, outside <main>', () => {
    const other = load(renderFichePage(loadFiche('particuliers', 'F1035')));
    const $ = load(renderFichePage(fiche));
    expect($('header nav').html()).toBe(other('header nav').html());
    expect($('footer').text()).toBe(other('footer').text());
    expect($('main header, main footer')).toHaveLength(0);
    expect(normalize($('main').text())).not.toContain('Tous les thèmes');
  });

  it('dates the page from the fiche', () => {
    const $ = load(renderFichePage(fiche));
    expect(normalize($('.date-fiche').text())).toBe('Mis à jour le 1er janvier 2020');
    expect($('.date-fiche time').attr('datetime')).toBe('2020-01-01');
  });

  it('links the fiches that are on the site and leaves the others as plain text', () => {
    const $ = load(
      renderFichePage(fiche, { ficheHref: (id) => (id === 'F115' ? '/fiches/F115.html' : undefined) }),
    );
    expect($('main a[href="/fiches/F115.html"]').text()).toBe('saisie sur salaire');
    expect($('main a[href*="F1751"]')).toHaveLength(0);
    expect($('main').text()).toContain('saisie-vente');
  });

  it('keeps links to other websites as text unless asked to render them', () => {
    const withoutExternal = load(renderFichePage(loadFiche('particuliers', 'F10434')));
    expect(withoutExternal('a[href^="http"]')).toHaveLength(0);
    const withExternal = load(renderFichePage(loadFiche('particuliers', 'F10434'), { externalLinks: true }));
    expect(withExternal('a[rel="external"][href^="http"]').length).toBeGreaterThan(0);
  });

  it('escapes markup found in fiche text', () => {
    const realFiche = loadFiche('particuliers', 'F13839');
    const html = renderFichePage(realFiche);
    expect(html).toContain('Communes\u00a0&lt;\u00a0à 1\u00a0000 habitants');
    expect(normalize(load(html)('main table').text())).toContain('Communes < à 1 000 habitants');

    const hostile = syntheticFiche('<script>alert("titre")</script> & Cie', 'Voir <b>ceci</b> & "cela"');
    const $ = load(renderFichePage(hostile));
    expect($('title').text()).toBe('<script>alert("titre")</script> & Cie');
    expect($('h1').text()).toBe('<script>alert("titre")</script> & Cie');
    expect($('meta[name="description"]').attr('content')).toBe(
      'Résumé : <script>alert("titre")</script> & Cie',
    );
    expect($('main p').last().text()).toBe('Voir <b>ceci</b> & "cela"');
    expect($('main script, main b')).toHaveLength(0);
    expect(ficheText(hostile).body).toBe('Voir <b>ceci</b> & "cela"');
  });
});

describe('fiche sites', () => {
  const site = buildFicheSite({ count: 300 });

  it('links every fiche from the home page within a few hops', () => {
    const depthByPath = new Map<string, number>([['/', 0]]);
    const brokenLinks: string[] = [];
    const queue = ['/'];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const $ = load(bodyOf(site.get(path)));
      for (const anchor of $('a[href]').toArray()) {
        const target = new URL($(anchor).attr('href') ?? '', `http://fixture.test${path}`);
        if (target.origin !== 'http://fixture.test') continue;
        const targetPath = target.pathname + target.search;
        if (!site.has(targetPath)) brokenLinks.push(`${path} -> ${targetPath}`);
        else if (!depthByPath.has(targetPath)) {
          depthByPath.set(targetPath, (depthByPath.get(path) ?? 0) + 1);
          queue.push(targetPath);
        }
      }
    }
    expect(brokenLinks).toEqual([]);
    expect([...site.keys()].filter((path) => !depthByPath.has(path))).toEqual([]);
    for (const page of site.fiches) expect(depthByPath.get(page.path)).toBeLessThanOrEqual(3);
  });

  it('lays out a home page, sommaires, themes of 50 fiches and one page per fiche', () => {
    expect(site.size).toBe(1 + 1 + 6 + 300);
    expect(site.has('/sommaire/1.html')).toBe(true);
    expect([...site.keys()].filter((path) => path.startsWith('/themes/'))).toHaveLength(6);
    expect(load(bodyOf(site.get('/themes/1.html')))('main li a')).toHaveLength(50);
    expect(site.get('/fiches/F1.html')?.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('places fiches in id order and says which title is at which path', () => {
    expect(site.fiches.slice(0, 3).map((page) => page.path)).toEqual([
      '/fiches/F1.html',
      '/fiches/F2.html',
      '/fiches/F4.html',
    ]);
    expect(site.fiches.map((page) => page.path)).toEqual(
      fichesForSite({ count: 300 }).map((page) => page.path),
    );
    for (const page of site.fiches.slice(0, 20)) {
      const $ = load(bodyOf(site.get(page.path)));
      expect($('h1').text()).toBe(page.title);
    }
  });

  it('builds the same site every time', () => {
    const first = buildFicheSite({ count: 40, offset: 100 });
    const second = buildFicheSite({ count: 40, offset: 100 });
    expect([...first.keys()]).toEqual([...second.keys()]);
    for (const [path, response] of first) expect(bodyOf(second.get(path))).toBe(bodyOf(response));
  });

  it('adds distinct variant pages when asked for more pages than there are fiches', () => {
    const catalogSize = ficheCatalog('associations').length;
    const variantSite = buildFicheSite({ type: 'associations', count: catalogSize + 3 });
    const variants = variantSite.fiches.filter((page) => page.variant > 1);
    expect(variants.map((page) => page.path)).toEqual(
      variantSite.fiches.slice(0, 3).map((page) => page.path.replace('.html', '-v2.html')),
    );
    for (const variant of variants) {
      const original = variantSite.fiches.find((page) => page.id === variant.id && page.variant === 1);
      const variantPage = load(bodyOf(variantSite.get(variant.path)));
      expect(variant.title).not.toBe(original?.title);
      expect(variantPage('h1').text()).toBe(variant.title);
      expect(variantPage('.chapo').text()).not.toBe('');
      expect(bodyOf(variantSite.get(variant.path))).not.toBe(bodyOf(variantSite.get(original?.path ?? '')));
    }
  });
});

/** node:http rather than fetch, because tests need to choose the Host header. */
async function get(origin: string, path: string, headers: Record<string, string> = {}) {
  return await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = httpRequest(new URL(path, origin), { headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('site server', () => {
  const servers: ServedSite[] = [];
  async function serve(site: FixtureSite): Promise<ServedSite> {
    const served = await serveSite(site);
    servers.push(served);
    return served;
  }
  afterEach(async () => {
    for (const served of servers.splice(0)) await served.close();
  });

  it('serves pages on 127.0.0.1 and logs each request', async () => {
    const served = await serve(buildFicheSite({ count: 5 }));
    expect(served.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(served.url('/fiches/F1.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('last-modified')).not.toBeNull();
    expect(load(await response.text())('h1').text()).not.toBe('');

    expect(served.requests).toHaveLength(1);
    expect(served.requests[0]).toMatchObject({ method: 'GET', path: '/fiches/F1.html' });
    expect(served.requests[0]?.headers.host).toBe(new URL(served.origin).host);
    expect(served.requests[0]?.at).toBeLessThanOrEqual(Date.now());
  });

  it('answers unknown paths with a 404 page, or 404 JSON to clients asking for JSON', async () => {
    const served = await serve(new Map());
    const page = await fetch(served.url('/nulle-part.html'));
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page introuvable');
    const json = await fetch(served.url('/nulle-part'), { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: 'not_found', path: '/nulle-part' });
  });

  it('serves routes changed at runtime, including functions told which attempt they answer', async () => {
    const served = await serve(new Map());
    served.site.set('/ancien.html', redirectResponse('/nouveau.html'));
    served.site.set('/nouveau.html', (request) =>
      request.attempt === 1 ? textResponse('indisponible', 500) : htmlResponse('<p>Bonjour</p>'),
    );

    expect((await fetch(served.url('/nouveau.html'))).status).toBe(500);
    const redirected = await fetch(served.url('/ancien.html'));
    expect(redirected.status).toBe(200);
    expect(redirected.url).toBe(served.url('/nouveau.html'));
    expect(served.requests.map((request) => request.path)).toEqual([
      '/nouveau.html',
      '/ancien.html',
      '/nouveau.html',
    ]);
  });

  it('records the most requests in flight, overall and per Host header', async () => {
    const served = await serve(new Map());
    served.site.set('/lent.html', async () => {
      await delay(150);
      return htmlResponse('<p>Enfin</p>');
    });
    const responses = await Promise.all([
      ...Array.from({ length: 3 }, () => get(served.origin, '/lent.html', { host: 'a.test' })),
      ...Array.from({ length: 2 }, () => get(served.origin, '/lent.html', { host: 'b.test' })),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(served.maxInFlight).toBe(5);
    expect(served.maxInFlightByHost.get('a.test')).toBe(3);
    expect(served.maxInFlightByHost.get('b.test')).toBe(2);
    expect(served.inFlight).toBe(0);
  });

  it('closes even while a request is still waiting for its answer', async () => {
    const served = await serve(new Map());
    served.site.set('/jamais.html', () => new Promise<FixtureResponse>(() => {}));
    const pending = get(served.origin, '/jamais.html').then(
      () => 'answered',
      () => 'connection closed',
    );
    while (served.inFlight === 0) await delay(5);
    await served.close();
    expect(await pending).toBe('connection closed');
    await expect(fetch(served.url('/'))).rejects.toThrow();
  });
});

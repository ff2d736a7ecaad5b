import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PartnerDirectory } from '../api/partner-directory.ts';
import { PartnerSchema } from '../core/partner.ts';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { anApp } from './builders/app-builder.ts';
import {
  accessibilityViolations,
  isSeriousOrCritical,
  openBrowser,
  saveScreenshot,
  type TestBrowser,
} from './support/browser.ts';
import { serveApp } from './support/served-app.ts';
import { crawlSearchPageWeb, HOSTILE_TITLE, type SearchPageWeb } from './support/search-page-web.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const indexUid = uniqueIndexUid('browser-widget');
const NATIONAL_KEY = 'pk_portail_national_0001';
const HERAULT_KEY = 'pk_maires_herault_00001';
let web: SearchPageWeb;
let partnerSite: ServedSite;
let api: Awaited<ReturnType<typeof serveApp>>;
let browser: TestBrowser;

/** A partner's page as its webmaster writes it: the two-line snippet, and CSS aimed at everything. */
const partnerPage = (apiOrigin: string, key: string, attributes = '') => `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail des élus</title>
<style>input, button, ol, li, a { display: none !important; } body { font-family: serif; }</style>
</head><body><main><h1>Portail des élus</h1>
<script src="${apiOrigin}/widget.js" data-key="${key}"></script>
<public-action-search ${attributes}></public-action-search>
</main></body></html>`;

beforeAll(async () => {
  web = await crawlSearchPageWeb(indexUid);
  // Served on its own port: another origin than the API's, as a partner's site is.
  partnerSite = await serveSite(new Map());
  const partners = new PartnerDirectory([
    PartnerSchema.parse({
      id: 'portail',
      name: 'Portail national',
      key: NATIONAL_KEY,
      origins: [partnerSite.origin],
    }),
    PartnerSchema.parse({
      id: 'maires-herault',
      name: "Maires de l'Hérault",
      key: HERAULT_KEY,
      origins: [partnerSite.origin],
      scope: { territories: ['departement:34'] },
    }),
  ]);
  api = await serveApp(await anApp(testMeiliClient(), indexUid, { sources: web.sources, partners }));
  partnerSite.site.set(
    '/national.html',
    htmlResponse(partnerPage(api.origin, NATIONAL_KEY, 'accent="#6b1d4a"')),
  );
  partnerSite.site.set('/herault.html', htmlResponse(partnerPage(api.origin, HERAULT_KEY)));
  // The Hérault partner's key, copied into a page of another site.
  web.tarbes.site.set('/copie.html', htmlResponse(partnerPage(api.origin, HERAULT_KEY)));
  browser = await openBrowser();
}, 300_000);
afterAll(async () => {
  await Promise.all([browser?.close(), api?.close(), partnerSite?.close(), web?.close()]);
});

const hitTitles = (page: Page) =>
  page.locator('public-action-search li.hit > a, public-action-search li.hit > span').allTextContents();

describe("the widget on a partner's page", () => {
  it('searches the real API as the visitor types, and a facet narrows the results', async () => {
    const page = await browser.context.newPage();
    await page.goto(partnerSite.url('/national.html'));
    const box = page.getByRole('combobox', { name: 'Rechercher dans l’action publique' });
    await box.fill('cantine');
    await box.press('Enter');
    await expect.poll(() => page.locator('public-action-search li.hit').count()).toBeGreaterThan(3);
    expect(await hitTitles(page)).toContain('Cantine scolaire : des repas bio et locaux');
    await page.getByRole('button', { name: /^Projets financés \(\d+\)$/ }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Projets financés/ }).getAttribute('aria-pressed'))
      .toBe('true');
    const metas = await page.locator('public-action-search li.hit .meta').allTextContents();
    expect(metas.length).toBeGreaterThan(0);
    expect(metas.every((meta) => meta.includes('DETR'))).toBe(true);
    expect(await page.locator('public-action-search p.status').textContent()).toMatch(/\d+ résultats?/);
    await saveScreenshot(page, 'widget-national');
    await page.close();
  });

  it('is used with the keyboard alone: suggestions by arrows, then facets and results by Tab', async () => {
    const page = await browser.context.newPage();
    await page.goto(partnerSite.url('/national.html'));
    await page.keyboard.press('Tab');
    const box = page.getByRole('combobox', { name: 'Rechercher dans l’action publique' });
    await expect.poll(() => box.evaluate((input) => input.matches(':focus'))).toBe(true);
    await page.keyboard.type('piscin', { delay: 30 });
    await page.getByRole('option', { name: 'Piscine municipale : horaires et tarifs' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => hitTitles(page)).toContain('Piscine municipale : horaires et tarifs');
    const focusedText = () =>
      page.evaluate(
        () => document.querySelector('public-action-search')?.shadowRoot?.activeElement?.textContent ?? '',
      );
    await page.keyboard.press('Tab'); // the search button
    await page.keyboard.press('Tab'); // the first facet
    expect(await focusedText()).toMatch(/\(\d+\)$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('public-action-search [aria-pressed="true"]').count()).toBe(1);
    for (let n = 0; n < 6 && !(await focusedText()).startsWith('Piscine'); n++)
      await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('Piscine municipale : horaires et tarifs');
    await page.close();
  });

  it("opens the full page within the partner's territory, where no key goes", async () => {
    const page = await browser.context.newPage();
    await page.goto(partnerSite.url('/herault.html'));
    await page.getByRole('combobox').fill('cantine');
    await page.getByRole('combobox').press('Enter');
    await expect.poll(() => page.locator('public-action-search li.hit').count()).toBeGreaterThan(0);
    const full = page.locator('public-action-search a.full');
    const href = new URL((await full.getAttribute('href'))!);
    expect(href.origin).toBe(api.origin);
    expect(href.searchParams.get('key')).toBeNull();
    expect(href.searchParams.get('territory')).toBe('departement:34');

    await full.click();
    await page.waitForURL((url) => url.origin === api.origin);
    const places = await page.locator('.hit .provenance').allTextContents();
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((place) => place.includes('Frontignan'))).toBe(true);
    await page.close();
  });

  it("shows a hostile page's text as inert text, never as markup in the partner's page", async () => {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(partnerSite.url('/herault.html'));
    await page.getByRole('combobox').fill('cantine');
    await page.getByRole('combobox').press('Enter');
    await expect.poll(() => hitTitles(page)).toContain(HOSTILE_TITLE);
    await page.getByRole('link', { name: HOSTILE_TITLE }).hover();
    const injected = await page.evaluate(() => {
      const root = document.querySelector('public-action-search')!.shadowRoot!;
      return {
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        elements:
          root.querySelectorAll('ol img, ol script, ol iframe, ol b').length +
          document.querySelectorAll('img, iframe').length,
      };
    });
    expect(injected).toEqual({ pwned: null, elements: 0 });
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("never obtains hits outside a scoped partner's territory, whatever its request or its snippet says", async () => {
    const page = await browser.context.newPage();
    await page.goto(partnerSite.url('/herault.html'));
    await page.getByRole('combobox').fill('cantine');
    await page.getByRole('combobox').press('Enter');
    await expect.poll(() => page.locator('public-action-search li.hit').count()).toBeGreaterThan(0);
    const metas = await page.locator('public-action-search li.hit .meta').allTextContents();
    expect(metas.every((meta) => meta.includes('Frontignan'))).toBe(true);
    expect(await page.locator('public-action-search .scope').textContent()).toBe(
      "Recherche limitée par Maires de l'Hérault",
    );
    // The page's own script edits the request: another territory, none, another source.
    const edited = await page.evaluate(
      async ({ origin, key }) => {
        const places: string[] = [];
        for (const query of [
          'territory=departement:65',
          'territory=national',
          'source=tarbes',
          'type=projet',
          '',
        ]) {
          const response = await fetch(`${origin}/v1/search?q=cantine&key=${key}&hitsPerPage=50&${query}`);
          const body = (await response.json()) as { hits: { territory: { name: string } }[] };
          places.push(...body.hits.map((hit) => hit.territory.name));
        }
        return [...new Set(places)];
      },
      { origin: api.origin, key: HERAULT_KEY },
    );
    expect(edited).toEqual(['Frontignan']);
    // The snippet asks for the Hautes-Pyrénées: the scope still applies, so nothing is found.
    await page.evaluate(() =>
      document.querySelector('public-action-search')!.setAttribute('territory', 'departement:65'),
    );
    await page.getByRole('combobox').press('Enter');
    await expect
      .poll(() => page.locator('public-action-search p.status').textContent())
      .toBe('Aucun résultat');
    await page.close();
  });

  it("answers the partner's key only on the partner's own origins", async () => {
    const page = await browser.context.newPage();
    await page.goto(web.tarbes.url('/copie.html'));
    await page.getByRole('combobox').fill('cantine');
    await page.getByRole('combobox').press('Enter');
    await expect
      .poll(() => page.locator('public-action-search p.status').textContent())
      .toBe('La recherche est indisponible pour le moment.');
    expect(await page.locator('public-action-search li.hit').count()).toBe(0);
    await page.close();
  });

  it('passes an automated accessibility check (axe-core) with no serious or critical violation', async () => {
    const page = await browser.context.newPage();
    await page.goto(partnerSite.url('/national.html'));
    await page.getByRole('combobox').fill('ecole');
    await page.getByRole('combobox').press('Enter');
    await expect.poll(() => page.locator('public-action-search li.hit').count()).toBeGreaterThan(0);
    const violations = await accessibilityViolations(page);
    console.log(`axe widget: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ') || 'no violation'}`);
    await saveScreenshot(page, 'widget-results');
    expect(violations.filter(isSeriousOrCritical)).toEqual([]);
    await page.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const indexUid = uniqueIndexUid('browser-page');
let web: SearchPageWeb;
let api: Awaited<ReturnType<typeof serveApp>>;
let withScript: TestBrowser;
let withoutScript: TestBrowser;

beforeAll(async () => {
  web = await crawlSearchPageWeb(indexUid);
  api = await serveApp(await anApp(testMeiliClient(), indexUid, { sources: web.sources }));
  [withScript, withoutScript] = await Promise.all([openBrowser(), openBrowser({ javaScriptEnabled: false })]);
}, 300_000);
afterAll(async () => {
  await Promise.all([withScript?.close(), withoutScript?.close(), api?.close(), web?.close()]);
});

const searchParamsOf = (url: string) => new URL(url).searchParams;

describe('the search page in a real browser', () => {
  it('works without JavaScript: search, filter, pick a territory by name, page through', async () => {
    const page = await withoutScript.context.newPage();
    await page.goto(`${api.origin}/`);
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('cantine');
    await page.getByRole('searchbox', { name: 'Rechercher' }).press('Enter');
    await page.waitForURL(/q=cantine/);
    await expect.poll(() => page.locator('.hits > li').count()).toBeGreaterThan(3);

    await page.getByRole('checkbox', { name: /Collectivité/ }).check();
    await page.getByLabel('Commune, EPCI, département ou région').fill('Hérault');
    await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await page.waitForURL(/territory=/);
    expect(searchParamsOf(page.url()).get('territory')).toBe('departement:34');
    expect(searchParamsOf(page.url()).get('kind')).toBe('collectivite');
    const places = await page.locator('.hits .provenance').allTextContents();
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((line) => line.includes('Frontignan'))).toBe(true);

    await page.goto(`${api.origin}/?q=ecole&type=projet`);
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL(/page=2/);
    expect(await page.getByRole('heading', { level: 2, name: /résultats/ }).textContent()).toContain(
      'page 2 sur',
    );
    await saveScreenshot(page, 'search-page-without-javascript');
    await page.close();
  });

  it('suggests titles as the official types, in a combobox the keyboard drives', async () => {
    const page = await withScript.context.newPage();
    await page.goto(`${api.origin}/`);
    const box = page.getByRole('combobox', { name: 'Rechercher' });
    await box.pressSequentially('cant', { delay: 30 });
    await expect.poll(() => page.getByRole('option').count()).toBeGreaterThan(0);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await box.press('ArrowDown');
    const active = await box.getAttribute('aria-activedescendant');
    const chosen = await page.locator(`[id="${active}"]`).textContent();
    await box.press('Enter');
    await page.waitForURL(/q=/);
    expect(searchParamsOf(page.url()).get('q')).toBe(chosen);
    await page.close();
  });

  it('finds towns like my commune, and keeps my commune on this device only once I agree', async () => {
    const page = await withScript.context.newPage();
    await page.goto(`${api.origin}/?q=ecole`);
    const commune = page.getByRole('combobox', { name: /Votre commune/ });
    await commune.pressSequentially('Bettant', { delay: 30 });
    await page.getByRole('option', { name: 'Bettant (commune, 01)' }).waitFor();
    await commune.press('ArrowDown');
    await commune.press('Enter');
    await page.waitForURL(/like=/);
    expect(searchParamsOf(page.url()).get('like')).toBe('commune:01041');
    expect(await page.locator('.my-commune').textContent()).toContain('Communes comme Bettant');
    const stored = () => page.evaluate(() => localStorage.getItem('public-action-search:my-commune'));
    expect(await stored()).toBeNull();
    await page.getByRole('checkbox', { name: 'Retenir ma commune sur cet appareil' }).check();
    expect(JSON.parse((await stored()) ?? 'null')).toEqual({ code: 'commune:01041', name: 'Bettant' });
    await page.goto(`${api.origin}/?q=cantine`);
    await page.getByRole('link', { name: 'Communes comme la mienne (Bettant)' }).click();
    await page.waitForURL(/like=commune%3A01041/);
    await page.close();
  });

  it("shows a hostile page's text as inert text", async () => {
    const page = await withScript.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${api.origin}/?q=cantine&territory=commune:34108`);
    await expect.poll(() => page.getByRole('link', { name: HOSTILE_TITLE }).count()).toBe(1);
    await page.getByRole('link', { name: HOSTILE_TITLE }).hover();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main iframe, main script, main b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('can be used with the keyboard alone, the focus always visible', async () => {
    const page = await withScript.context.newPage();
    await page.goto(`${api.origin}/?q=cantine`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller aux résultats');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return {
        inResults: Boolean(element.closest('#results')),
        outline: getComputedStyle(element).outlineStyle,
      };
    });
    expect(focused).toEqual({ inResults: true, outline: 'solid' });
    await page.close();
  });

  it('passes an automated accessibility check (axe-core) with no serious or critical violation', async () => {
    const page = await withScript.context.newPage();
    // The check itself works: it sees an image without a text alternative.
    await page.setContent('<html lang="fr"><title>t</title><main><img src="data:,"></main></html>');
    expect((await accessibilityViolations(page)).map((violation) => violation.id)).toContain('image-alt');
    const found: Record<string, unknown[]> = {};
    for (const url of [
      '/',
      '/?q=cantine',
      '/?q=ecole&type=projet&like=commune:01041',
      '/?q=piscne&territory=departement:34',
      '/?q=cantine&hl=en',
    ]) {
      await page.goto(`${api.origin}${url}`);
      const violations = await accessibilityViolations(page);
      console.log(
        `axe ${url}: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ') || 'no violation'}`,
      );
      found[url] = violations.filter(isSeriousOrCritical);
    }
    await page.goto(`${api.origin}/?q=cantine`);
    await page.setViewportSize({ width: 1100, height: 760 });
    await saveScreenshot(page, 'search-page', { fullPage: false });
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((url) => [url, []])));
    await page.close();
  });
});

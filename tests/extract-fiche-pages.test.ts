import { describe, expect, it } from 'vitest';
import { extractPage } from '../crawler/extract/extract-page.ts';
import { RepeatedBlockFilter } from '../crawler/extract/repeated-block-filter.ts';
import { ficheCatalog } from '../fixture-web/fiche-catalog.ts';
import { ficheText, loadFiche, renderFichePage } from '../fixture-web/fiche-page.ts';

// Real service-public.fr text, rendered by the fixture web site the crawler benchmarks run against.
const pageUrl = (id: string) => new URL(`http://fixture.test/fiches/${id}.html`);
/** The fiches write no-break spaces ("il\u00a0?"); the extracted text, like a reader, has plain ones. */
const bodyLines = (body: string) => body.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());

describe('service-public.fr fiche pages', () => {
  const fiche = loadFiche('particuliers', 'F1000');
  const expected = ficheText(fiche);
  const page = extractPage(
    renderFichePage(fiche, { ficheHref: (id) => `/fiches/${id}.html` }),
    pageUrl('F1000'),
  );

  it('extracts the fiche title, description and update date', () => {
    expect(page).toMatchObject({
      title: 'Pension alimentaire impayée : recouvrement par le Trésor public',
      description: expected.description,
      lang: 'fr',
      publishedAt: null,
      updatedAt: '2020-01-01',
      pageType: 'page',
    });
  });

  it('keeps the whole fiche body and none of the site chrome or the breadcrumb', () => {
    for (const line of bodyLines(expected.body)) expect(page.text).toContain(line);
    expect(page.text).toMatch(
      /^Pension alimentaire impayée : recouvrement par le Trésor public Mis à jour le/,
    );
    for (const chrome of [
      'Aller au contenu',
      'Tous les thèmes',
      'Services en ligne',
      'sous licence ouverte',
    ]) {
      expect(page.text).not.toContain(chrome);
    }
  });

  it('lists the fiche headings, starting with its title', () => {
    expect(page.headings[0]).toBe(expected.title);
    expect(page.headings).toContain("De quoi s'agit-il ?");
  });

  it('keeps the links of the menu for the crawl', () => {
    expect(page.links.map((link) => link.url.href)).toContain('http://fixture.test/sommaire/1.html');
  });

  it('keeps every line of 150 real fiches, call-outs and tables included', () => {
    const missing: string[] = [];
    for (const entry of ficheCatalog('particuliers').slice(0, 150)) {
      const other = loadFiche(entry.type, entry.id);
      const text = extractPage(renderFichePage(other), pageUrl(entry.id)).text;
      for (const line of bodyLines(ficheText(other).body)) {
        if (!text.includes(line)) missing.push(`${entry.id}: ${line.slice(0, 80)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('leaves distinct fiches intact when one filter sees them all', () => {
    const repeatedBlocks = new RepeatedBlockFilter();
    const entries = ficheCatalog('particuliers').slice(0, 30);
    const lengths = entries.map((entry) => {
      const other = loadFiche(entry.type, entry.id);
      const text = extractPage(renderFichePage(other), pageUrl(entry.id), { repeatedBlocks }).text;
      return text.length / ficheText(other).body.length;
    });
    // Fiches share some stock sentences, never most of their text.
    expect(Math.min(...lengths)).toBeGreaterThan(0.5);
  });
});

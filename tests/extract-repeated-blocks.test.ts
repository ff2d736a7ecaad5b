import { describe, expect, it } from 'vitest';
import { extractPage } from '../crawler/extract/extract-page.ts';
import { RepeatedBlockFilter } from '../crawler/extract/repeated-block-filter.ts';

const OPENING_HOURS = 'Du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h, le samedi de 9 h à 12 h.';
const NEWSLETTER =
  'Inscrivez-vous à la lettre d’information pour recevoir chaque mois l’actualité de Frontignan.';

/** A page of a town site whose CMS puts the same boxes and description in the content of every page. */
function townPage(title: string, paragraph: string): string {
  return `<!DOCTYPE html><html lang="fr"><head><title>${title} - Ville de Frontignan</title>
<meta name="description" content="Site officiel de la ville de Frontignan la Peyrade, Hérault."></head>
<body><main><h1>${title}</h1><p>${paragraph}</p>
<div class="encart"><h2>Horaires de la mairie</h2><p>${OPENING_HOURS}</p></div>
<div class="encart"><p>${NEWSLETTER}</p></div></main></body></html>`;
}

const PAGES = [
  [
    'Cantine scolaire',
    'Les menus de la restauration scolaire sont élaborés avec une diététicienne et affichés chaque semaine.',
  ],
  [
    'Plan vélo communal',
    'La commune aménage douze kilomètres de pistes cyclables entre le centre-ville et les plages.',
  ],
  [
    'Marché de plein vent',
    'Le marché se tient le jeudi et le samedi matin sur la place de l’Hôtel-de-Ville et ses abords.',
  ],
  [
    'Cimetière',
    'Les concessions funéraires sont délivrées pour quinze, trente ou cinquante ans par le service état civil.',
  ],
] as const;

describe('repeated blocks across the pages of a source', () => {
  const repeatedBlocks = new RepeatedBlockFilter();
  const pages = PAGES.map(([title, paragraph], index) =>
    extractPage(townPage(title, paragraph), new URL(`https://www.frontignan.fr/page-${index}`), {
      repeatedBlocks,
    }),
  );

  it('keeps the boxes on the first pages of the crawl, before anything is known (the trade-off)', () => {
    for (const page of pages.slice(0, 2)) {
      expect(page.text).toContain(OPENING_HOURS);
      expect(page.text).toContain(NEWSLETTER);
    }
  });

  it('drops the opening hours and the newsletter blurb once seen on three pages', () => {
    for (const page of pages.slice(2)) {
      expect(page.text).not.toContain(OPENING_HOURS);
      expect(page.text).not.toContain(NEWSLETTER);
      expect(page.headings).not.toContain('Horaires de la mairie');
    }
    expect(pages[3]?.text).toBe(
      'Cimetière Les concessions funéraires sont délivrées pour quinze, trente ou cinquante ans par le service état civil.',
    );
  });

  it('replaces a meta description repeated on every page with the page’s own first paragraph', () => {
    expect(pages[0]?.description).toBe('Site officiel de la ville de Frontignan la Peyrade, Hérault.');
    expect(pages[2]?.description).toMatch(/^Le marché se tient le jeudi/);
  });

  it('never touches the title, taken from the page’s own <h1>', () => {
    expect(pages.map((page) => page.title)).toEqual(PAGES.map(([title]) => title));
  });

  it('does nothing without a filter: each call stands alone', () => {
    const [title, paragraph] = PAGES[3];
    const page = extractPage(townPage(title, paragraph), new URL('https://www.frontignan.fr/cimetiere'));
    expect(page.text).toContain(OPENING_HOURS);
  });
});

describe('RepeatedBlockFilter', () => {
  const block = (index: number) => `Un paragraphe assez long pour compter, numéro ${index}.`;

  it('counts pages, not occurrences: a block twice on one page counts once', () => {
    const filter = new RepeatedBlockFilter({ minPages: 2 });
    expect(filter.observe([block(1), block(1)])).toEqual([false, false]);
    expect(filter.observe([block(1)])).toEqual([true]);
  });

  it('never drops short blocks, which are labels rather than boilerplate', () => {
    const filter = new RepeatedBlockFilter();
    for (let page = 0; page < 5; page++)
      expect(filter.observe(['Pièces à fournir', 'Tarifs'])).toEqual([false, false]);
  });

  it('folds case: a block restyled in capitals is the same block', () => {
    const filter = new RepeatedBlockFilter({ minPages: 2 });
    filter.observe([OPENING_HOURS]);
    expect(filter.observe([OPENING_HOURS.toUpperCase()])).toEqual([true]);
  });

  it('stays within its memory bound on a long crawl and still recognises the repeated blocks', () => {
    const filter = new RepeatedBlockFilter({ maxTracked: 500 });
    let lastPage: boolean[] = [];
    for (let page = 0; page < 2_000; page++) {
      const unique = Array.from({ length: 10 }, (_, index) => block(page * 10 + index));
      lastPage = filter.observe([OPENING_HOURS, ...unique]);
      expect(filter.trackedCount).toBeLessThanOrEqual(500);
    }
    expect(lastPage).toEqual([true, ...Array<boolean>(10).fill(false)]);
  });
});

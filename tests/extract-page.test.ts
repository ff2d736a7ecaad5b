import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../crawler/extract/extract-page.ts';

function extractFixture(file: string, url: string) {
  const html = readFileSync(new URL(`./fixtures/pages/${file}`, import.meta.url), 'utf8');
  return extractPage(html, new URL(url));
}

const hrefs = (links: { url: URL }[]) => links.map((link) => link.url.href);

describe('a town news article (Tarbes)', () => {
  const page = extractFixture(
    'tarbes-actualite-travaux.html',
    'https://www.tarbes.fr/actualites/travaux-place-de-verdun',
  );

  it('takes the title from the h1, not from the <title> with its site name', () => {
    expect(page.title).toBe('Travaux place de Verdun : la circulation modifiée jusqu’au 30 avril');
  });

  it('keeps the meta description', () => {
    expect(page.description).toMatch(/^Des travaux de réfection de la chaussée/);
  });

  it('drops the cookie banner and the breadcrumb from the text', () => {
    expect(page.text).not.toContain('cookies');
    expect(page.text).not.toContain('Tout accepter');
    expect(page.text).not.toMatch(/^Accueil/);
    expect(page.text).toMatch(/^Travaux place de Verdun/);
  });

  it('drops the header, menu, search form, sidebar, share buttons, footer and "retour en haut"', () => {
    for (const chrome of [
      'Aller au contenu',
      'Ma ville',
      'Rechercher',
      'Horaires de la mairie',
      'Partager',
      'Facebook',
      'Mentions légales',
      'Place Charles de Gaulle',
      'Retour en haut',
    ]) {
      expect(page.text).not.toContain(chrome);
    }
  });

  it('keeps the article header and footer, which hold its title and dates', () => {
    expect(page.text).toContain('Publié le 12 mars 2024 dans Cadre de vie');
    expect(page.text).toMatch(/Mis à jour le 14\/03\/2024$/);
  });

  it('separates blocks so that words never run together', () => {
    expect(page.text).toContain('offerte. Livraisons Les livraisons');
    expect(page.text).toContain('rue du Maréchal-Foch. Renseignements');
    expect(page.text).toContain('lignes 1 et 3 sont déviés');
    expect(page.text).not.toMatch(/\s{2}|\u00a0/);
  });

  it('lists the headings of the content in order', () => {
    expect(page.headings).toEqual([
      'Travaux place de Verdun : la circulation modifiée jusqu’au 30 avril',
      'Ce qui change pour les automobilistes',
      'Stationnement',
      'Livraisons',
    ]);
  });

  it('dates the article from its JSON-LD and recognises it as news', () => {
    expect(page).toMatchObject({
      lang: 'fr',
      publishedAt: '2024-03-12T09:30:00+01:00',
      updatedAt: '2024-03-14T16:05:00+01:00',
      pageType: 'actualite',
      canonical: new URL('https://www.tarbes.fr/actualites/travaux-place-de-verdun'),
      robots: { noindex: false, nofollow: false },
    });
  });

  it('returns every link of the page, menus included, and flags the nofollow ones', () => {
    expect(hrefs(page.links)).toContain('https://www.tarbes.fr/vos-demarches/');
    expect(hrefs(page.links)).toContain('https://www.tarbes.fr/mentions-legales/');
    expect(page.links.filter((link) => link.nofollow).map((link) => link.url.hostname)).toEqual([
      'www.facebook.com',
      'twitter.com',
    ]);
    expect(hrefs(page.links).some((href) => href.includes('#'))).toBe(false);
  });
});

describe('a "démarches" page (Castelnaudary)', () => {
  const page = extractFixture(
    'castelnaudary-demarche-cni.html',
    'https://www.ville-castelnaudary.fr/vos-demarches/etat-civil/carte-nationale-d-identite',
  );

  it('reads the [role=main] content, without the "Vous êtes ici" trail or the side menu', () => {
    expect(page.text).toMatch(/^Carte nationale d'identité Mis à jour le 1er avril 2023 La demande/);
    expect(page.text).not.toContain('Vous êtes ici');
    expect(page.text).not.toContain('Urbanisme');
    expect(page.text).not.toContain('cookies');
    expect(page.text).toContain('Un justificatif de domicile de moins d’un an');
  });

  it('is a démarche, updated on the date written under its title', () => {
    expect(page).toMatchObject({ pageType: 'demarche', publishedAt: null, updatedAt: '2023-04-01' });
  });

  it('skips mailto: and javascript: links, and leaves the scripted "Imprimer" out of the text', () => {
    expect(hrefs(page.links).every((href) => href.startsWith('https://www.ville-castelnaudary.fr/'))).toBe(
      true,
    );
    expect(page.text).not.toContain('Imprimer');
  });
});

describe('a listing of council decisions (Muret)', () => {
  const page = extractFixture(
    'muret-deliberations.html',
    'https://www.mairie-muret.fr/vie-municipale/conseil-municipal/deliberations',
  );

  it('is a délibération page, updated per its DC metadata, not dated by its meetings', () => {
    expect(page).toMatchObject({ pageType: 'deliberation', publishedAt: null, updatedAt: '2024-02-21' });
  });

  it('keeps the table of decisions, cell by cell', () => {
    expect(page.text).toContain('2024-013 Vote des taux d’imposition des taxes directes locales PDF (98 Ko)');
    expect(page.text).not.toContain('Séances précédentes');
  });

  it('describes the page with its first substantial paragraph when it has no meta description', () => {
    expect(page.description).toMatch(/^Conformément au Code général des collectivités territoriales/);
    expect(page.description.length).toBeLessThanOrEqual(300);
  });

  it('links the PDF files, the nofollow one flagged', () => {
    const subsidy = page.links.find((link) => link.url.pathname.endsWith('2024-014-subvention.pdf'));
    expect(subsidy?.nofollow).toBe(true);
    expect(page.links.filter((link) => link.url.pathname.endsWith('.pdf'))).toHaveLength(4);
  });
});

describe('a home page with nothing but a <title> (Castelnaudary)', () => {
  const page = extractFixture('castelnaudary-accueil.html', 'https://www.ville-castelnaudary.fr/');

  it('is titled with the site name rather than "Accueil"', () => {
    expect(page.title).toBe('Ville de Castelnaudary');
  });

  it('ignores the logo <h1> of the header and the Complianz banner', () => {
    expect(page.headings).not.toContain('Ville de Castelnaudary');
    expect(page.text).not.toContain('cookies');
    expect(page.text).not.toContain('Haut de page');
    expect(page.text).toContain('Plan canicule : inscrivez-vous sur le registre');
  });

  it('falls back to the first paragraph long enough to describe the page', () => {
    expect(page.description).toMatch(/^Les inscriptions pour la restauration scolaire/);
  });
});

describe('a page its site keeps out of search engines (préfecture du Gers)', () => {
  const page = extractFixture(
    'prefecture-recherche-noindex.html',
    'https://www.gers.gouv.fr/Recherche?q=permis+de+conduire',
  );

  it('says noindex, but ignores the directive addressed to googlebot only', () => {
    expect(page.robots).toEqual({ noindex: true, nofollow: false });
  });

  it('drops the design system (DSFR) header, consent banner, breadcrumb and pagination', () => {
    expect(page.text).toMatch(/^Résultats de recherche pour « permis de conduire » 12 résultats trouvés\./);
    expect(page.text).not.toContain('cookies');
    expect(page.text).not.toContain('Préfet');
    expect(page.text).not.toContain('Auch');
  });
});

describe('a page with <base href> and a relative canonical (Muretain Agglo)', () => {
  const page = extractFixture(
    'muretain-agenda-base.html',
    'https://www.agglo-muretain.fr/site/agenda/forum-emploi-2024.html?utm_source=newsletter',
  );

  it('resolves the canonical against the base URL and drops its fragment', () => {
    expect(page.canonical?.href).toBe('https://www.agglo-muretain.fr/site/agenda/forum-emploi-2024.html');
  });

  it('resolves links against the base URL, once each, and keeps only http(s) ones', () => {
    expect(hrefs(page.links)).toEqual([
      'https://www.agglo-muretain.fr/site/',
      'https://www.agglo-muretain.fr/site/agenda/',
      'https://www.agglo-muretain.fr/site/competences/',
      'https://www.agglo-muretain.fr/site/agenda/forum-emploi-2024.html',
      'https://www.francetravail.fr/accueil/',
      'https://www.mission-locale-muret.fr/',
    ]);
    expect(page.links.find((link) => link.url.hostname === 'www.francetravail.fr')?.nofollow).toBe(true);
  });

  it('is an event per the JSON-LD @graph, dated by its web page entity rather than by the event', () => {
    expect(page).toMatchObject({
      pageType: 'evenement',
      publishedAt: '2024-08-30T08:12:44+00:00',
      updatedAt: '2024-09-02T14:03:10+00:00',
    });
  });

  it('uses og:description and ignores the robots values that are not directives for us', () => {
    expect(page.description).toMatch(/^Plus de 60 entreprises du territoire recrutent/);
    expect(page.robots).toEqual({ noindex: false, nofollow: false });
  });
});

import { describe, expect, it } from 'vitest';
import { extractPage } from '../crawler/extract/extract-page.ts';
import { readJsonLd } from '../crawler/extract/json-ld.ts';
import { truncateAtWord } from '../crawler/extract/page-description.ts';
import { stripSiteName } from '../crawler/extract/page-title.ts';
import { classifyPage } from '../crawler/extract/page-type.ts';

const page = (html: string, url = 'https://www.tarbes.fr/page') => extractPage(html, new URL(url));

describe('stripSiteName', () => {
  const tarbes = { hostname: 'www.tarbes.fr' };

  it.each([
    ['Restauration scolaire | Ville de Tarbes', 'Restauration scolaire'],
    ['Restauration scolaire - Mairie de Tarbes', 'Restauration scolaire'],
    ['Restauration scolaire – Tarbes', 'Restauration scolaire'],
    ['Conseil municipal - Séance du 12 mars 2024 | tarbes.fr', 'Conseil municipal - Séance du 12 mars 2024'],
    ['Ville de Tarbes | Restauration scolaire', 'Restauration scolaire'],
    ['Tarbes en fête - Ville de Tarbes', 'Tarbes en fête'],
    ['Accueil - Ville de Tarbes', 'Ville de Tarbes'],
    ['Conseil municipal - Séance du 12 mars 2024', 'Conseil municipal - Séance du 12 mars 2024'],
    ['Élections : la mairie vous informe', 'Élections : la mairie vous informe'],
    ['Ville de Tarbes', 'Ville de Tarbes'],
  ])('turns "%s" into "%s"', (title, expected) => {
    expect(stripSiteName(title, tarbes)).toBe(expected);
  });

  it('recognises the og:site_name and the State sites', () => {
    expect(
      stripSiteName('Fermeture de la RN21 - Tarbes Lourdes Pyrénées', {
        hostname: 'www.agglo-tlp.fr',
        siteName: 'Tarbes Lourdes Pyrénées',
      }),
    ).toBe('Fermeture de la RN21');
    expect(
      stripSiteName('Permis de conduire - Les services de l’État dans le Gers', {
        hostname: 'www.gers.gouv.fr',
      }),
    ).toBe('Permis de conduire');
  });
});

describe('title', () => {
  it('prefers the content <h1>, then og:title, then <title>', () => {
    const head = '<head><title>T | Ville de Tarbes</title><meta property="og:title" content="OG"></head>';
    expect(page(`<html>${head}<body><main><h1>H1</h1></main></body></html>`).title).toBe('H1');
    expect(page(`<html>${head}<body><main><p>x</p></main></body></html>`).title).toBe('OG');
    expect(
      page('<html><head><title>T | Ville de Tarbes</title></head><body><p>x</p></body></html>').title,
    ).toBe('T');
  });
});

describe('classifyPage', () => {
  const classify = (path: string, title = '', types: string[] = []) =>
    classifyPage(new URL(`https://www.tarbes.fr${path}`), title, types);

  it('reads the kind of page from its path', () => {
    expect(classify('/actualites/travaux-place-de-verdun')).toBe('actualite');
    expect(classify('/fr/actus/2024/03/fete.html')).toBe('actualite');
    expect(classify('/news/12')).toBe('actualite');
    expect(classify('/vie-municipale/deliberations/2024')).toBe('deliberation');
    expect(classify('/agenda/fete-de-la-musique')).toBe('evenement');
    expect(classify('/Evénements/concert')).toBe('evenement');
    expect(classify('/vos-demarches/etat-civil/passeport')).toBe('demarche');
    expect(classify('/demarches/urbanisme')).toBe('demarche');
    expect(classify('/ma-ville/histoire')).toBe('page');
    expect(classify('/newsletter')).toBe('page');
  });

  it('takes the deepest telling segment', () => {
    expect(classify('/actualites/agenda/fete-de-la-musique')).toBe('evenement');
  });

  it('only counts a council page as a délibération when its title says so', () => {
    expect(classify('/conseil-municipal/seance-du-12-mars', 'Délibération n°2024-12 : budget primitif')).toBe(
      'deliberation',
    );
    expect(classify('/conseil-municipal/les-elus', 'Les élus du conseil municipal')).toBe('page');
  });

  it('trusts schema.org types over the path', () => {
    expect(classify('/ma-ville/fete', '', ['Event'])).toBe('evenement');
    expect(classify('/ma-ville/fete', '', ['MusicEvent'])).toBe('evenement');
    expect(classify('/infos/travaux', '', ['NewsArticle'])).toBe('actualite');
  });
});

describe('readJsonLd', () => {
  it('reads types and dates, inside @graph too, and survives broken blocks', () => {
    const facts = readJsonLd([
      '{ "@type": "BreadcrumbList" ',
      '<!-- {"@graph": [{"@type": "https://schema.org/WebPage", "datePublished": "2023-01-02",\n "dateModified": "2023-02-03"}, {"@type": ["Event", "Festival"]}]} -->',
    ]);
    expect(facts).toEqual({
      types: ['WebPage', 'Event', 'Festival'],
      datePublished: '2023-01-02',
      dateModified: '2023-02-03',
    });
  });
});

describe('dates from meta tags', () => {
  it.each([
    [
      '<meta property="article:published_time" content="2024-05-06T08:00:00+02:00">',
      '2024-05-06T08:00:00+02:00',
      null,
    ],
    ['<meta name="DC.date" content="2024-05-06">', '2024-05-06', null],
    [
      '<meta name="dcterms.created" content="2024-05-06"><meta name="dcterms.modified" content="2024-06-07">',
      '2024-05-06',
      '2024-06-07',
    ],
    [
      '<meta property="og:updated_time" content="2024-06-07T10:11:12+00:00">',
      null,
      '2024-06-07T10:11:12+00:00',
    ],
    ['<meta name="date" content="06/05/2024">', '2024-05-06', null],
    ['<meta name="DC.date" content="2024-02-30">', null, null],
  ])('reads %s', (meta, publishedAt, updatedAt) => {
    expect(page(`<html><head>${meta}</head><body><p>x</p></body></html>`)).toMatchObject({
      publishedAt,
      updatedAt,
    });
  });

  it('reads microdata dates', () => {
    const html =
      '<article itemscope><h1>x</h1><meta itemprop="datePublished" content="2022-10-11"><span itemprop="dateModified">12/10/2022</span></article>';
    expect(page(html)).toMatchObject({ publishedAt: '2022-10-11', updatedAt: '2022-10-12' });
  });
});

describe('lang', () => {
  it('keeps the primary subtag, lowercase', () => {
    expect(page('<html lang="FR-fr"><p>x</p></html>').lang).toBe('fr');
    expect(page('<html><head><meta http-equiv="Content-Language" content="fr, en"></head></html>').lang).toBe(
      'fr',
    );
    expect(page('<html lang=""><p>x</p></html>').lang).toBeNull();
    expect(page('<p>x</p>').lang).toBeNull();
  });
});

describe('main content', () => {
  it('keeps a page wrapped in a single ASP.NET form, dropping only real forms', () => {
    const html = `<html><body><form id="aspnetForm" action="/Default.aspx"><div id="menu"><a href="/">Accueil</a></div>
      <div class="page"><h1>Location de salles</h1><p>Les salles municipales se louent auprès du service vie associative.</p>
      <form action="/recherche"><label>Rechercher</label><input name="q"></form></div></form></body></html>`;
    expect(page(html).text).toBe(
      'Location de salles Les salles municipales se louent auprès du service vie associative.',
    );
  });

  it('uses the target of the "Aller au contenu" link when there is no landmark', () => {
    const html = `<body><a href="#zone-contenu">Aller au contenu</a><div class="menu-gauche"><p>Menu de gauche</p></div>
      <div id="zone-contenu"><h1>Piscine municipale</h1><p>Ouverte tout l’été.</p></div></body>`;
    expect(page(html).text).toBe('Piscine municipale Ouverte tout l’été.');
  });

  it('falls back to the whole page when <main> holds no text', () => {
    const html =
      '<body><main><div class="carousel"><img src="a.jpg" alt=""></div></main><div><p>Texte de la page.</p></div></body>';
    expect(page(html).text).toBe('Texte de la page.');
  });

  it('keeps content classes that merely contain a chrome word', () => {
    const html = `<main><h1>Restauration scolaire</h1><div class="menu-cantine"><p>Lundi : carottes râpées</p></div>
      <section class="action-sociale"><p>Le CCAS aide les familles.</p></section></main>`;
    expect(page(html).text).toBe('Restauration scolaire Lundi : carottes râpées Le CCAS aide les familles.');
  });

  it('drops a "Vous êtes ici" trail and a sidebar, but keeps the article’s own call-out', () => {
    const html = `<body><div class="wrapper"><div class="chemin"><span>Vous êtes ici :</span><ol><li>Accueil</li><li>Social</li></ol></div>
      <article><h1>Aide au chauffage</h1><p>Le CCAS verse une aide aux foyers modestes.</p>
      <aside class="a-savoir"><p>À savoir : la demande se fait avant le 31 décembre.</p></aside></article>
      <aside class="colonne"><p>Agenda de la semaine</p></aside></div></body>`;
    expect(page(html).text).toBe(
      'Aide au chauffage Le CCAS verse une aide aux foyers modestes. À savoir : la demande se fait avant le 31 décembre.',
    );
  });

  it('caps the headings at 30 and drops duplicates', () => {
    const headings = Array.from({ length: 40 }, (_, index) => `<h2>Section ${index % 35}</h2>`).join('');
    const extracted = page(`<main><h1>Titre</h1>${headings}<h3>Titre</h3></main>`);
    expect(extracted.headings).toHaveLength(30);
    expect(extracted.headings.slice(0, 3)).toEqual(['Titre', 'Section 0', 'Section 1']);
  });

  it('removes control characters from the text', () => {
    expect(page('<main><p>Budget\u0007 2024\u0000</p></main>').text).toBe('Budget 2024');
  });
});

describe('truncateAtWord', () => {
  it('cuts between words and marks the cut', () => {
    expect(truncateAtWord('Le conseil municipal se réunit en séance publique', 30)).toBe(
      'Le conseil municipal se…',
    );
    expect(truncateAtWord('Court', 30)).toBe('Court');
  });
});

describe('dates from the text', () => {
  it('reads the labelled date line, not a date mentioned in the prose', () => {
    const prose =
      'Le conseil municipal a approuvé le plan local d’urbanisme ; la délibération publiée le 12 mars 2021 au recueil des actes administratifs est consultable en mairie.';
    const html = `<main><h1>PLU</h1><p>${prose}</p><p class="date">Publié le 3 avril 2024</p></main>`;
    expect(page(html).publishedAt).toBe('2024-04-03');
    expect(page(`<main><h1>PLU</h1><p>${prose}</p></main>`).publishedAt).toBeNull();
  });

  it('reads a label and a date written in two blocks', () => {
    const html = '<main><h1>Avis</h1><dl><dt>Date de publication</dt><dd>5 janv. 2021</dd></dl></main>';
    expect(page(html).publishedAt).toBe('2021-01-05');
  });
});

import { SourceSchema, type Source } from '../../core/source.ts';
import { htmlResponse } from '../../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../../fixture-web/site-server.ts';
import { aTownPage } from '../builders/town-page.ts';
import { crawlAndIndex } from './crawl-and-index.ts';
import { DGCL_DATASET, dgclLines } from './dgcl-rows.ts';
import { tempCrawlStore } from './test-crawl.ts';

/** What a hostile page puts in its text, hoping a search page will paste it as HTML. */
export const HOSTILE_TITLE =
  'Cantine <img src=x onerror="window.__pwned=1"> et <script>window.__pwned=2</script>';
export const HOSTILE_TEXT =
  'Menu de la cantine <b onmouseover="window.__pwned=3">gras</b> <iframe src="javascript:window.__pwned=4"></iframe> fin.';

export interface SearchPageWeb {
  sources: Source[];
  /** Frontignan's site (commune:34108, Hérault): the in-scope source of the scoped partner. */
  frontignan: ServedSite;
  tarbes: ServedSite;
  close(): Promise<void>;
}

/**
 * A small trusted web crawled and indexed the project's way, for the search page and the widget: a
 * town of the Hérault (one page hostile), a town of the Hautes-Pyrénées, and 300 DGCL projects of
 * 2024 (Ain, Aisne, Allier).
 */
export async function crawlSearchPageWeb(indexUid: string): Promise<SearchPageWeb> {
  const frontignan = await serveSite(
    townSite([
      [
        '/cantine-bio',
        'Cantine scolaire : des repas bio et locaux',
        [
          'La cantine des écoles sert des repas bio et locaux depuis la rentrée.',
          'Le conseil municipal a voté le nouveau marché de restauration scolaire.',
        ],
      ],
      [
        '/ecole-numerique',
        'École numérique : des tablettes pour les CM2',
        ['Chaque élève de CM2 reçoit une tablette pour la classe numérique.'],
      ],
      [
        '/cantine-tarifs',
        'Tarifs de la cantine et du périscolaire',
        ['Les tarifs de la cantine dépendent du quotient familial des familles.'],
      ],
      ['/menu', HOSTILE_TITLE, [HOSTILE_TEXT]],
      [
        '/budget-participatif',
        'Budget participatif : votez pour vos projets',
        ['Les habitants proposent et votent des projets pour la ville.'],
      ],
    ]),
  );
  const tarbes = await serveSite(
    townSite([
      [
        '/cantine',
        'Cantine : la restauration scolaire à Tarbes',
        ['La cuisine centrale de Tarbes prépare les repas de la cantine des écoles.'],
      ],
      [
        '/piscine',
        'Piscine municipale : horaires et tarifs',
        ['La piscine est ouverte tous les jours de la semaine.'],
      ],
    ]),
  );
  const { header, rows } = dgclLines(2024, 300);
  const data = await serveSite(
    new Map([
      [
        '/projets-2024.csv',
        { status: 200, headers: {}, body: Buffer.from(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`) },
      ],
    ]),
  );
  const fast = { requestsPerSecond: 50, maxConcurrency: 4 };
  const sources = [
    SourceSchema.parse({
      id: 'frontignan',
      name: 'Ville de Frontignan',
      kind: 'collectivite',
      url: `${frontignan.origin}/`,
      territory: 'commune:34108',
      crawl: fast,
    }),
    SourceSchema.parse({
      id: 'tarbes',
      name: 'Ville de Tarbes',
      kind: 'collectivite',
      url: `${tarbes.origin}/`,
      territory: 'commune:65440',
      crawl: fast,
    }),
    SourceSchema.parse({
      id: 'dgcl',
      name: 'Projets financés (DGCL)',
      kind: 'etat',
      url: `${data.origin}/`,
      territory: 'national',
      crawl: fast,
      dataset: { ...DGCL_DATASET, files: [{ url: data.url('/projets-2024.csv') }] },
    }),
  ];
  const { store } = await tempCrawlStore();
  await crawlAndIndex({ sources, store, indexUid });
  store.close();
  return {
    sources,
    frontignan,
    tarbes,
    close: async () => {
      await Promise.all([frontignan.close(), tarbes.close(), data.close()]);
    },
  };
}

function townSite(pages: [path: string, title: string, paragraphs: string[]][]) {
  const site = new Map(
    pages.map(([path, title, paragraphs]) => [path, htmlResponse(aTownPage({ title, paragraphs }))] as const),
  );
  site.set(
    '/',
    htmlResponse(
      aTownPage({
        title: 'Accueil de la mairie',
        paragraphs: ['Bienvenue sur le site officiel de la commune.'],
        links: pages.map(([path], index) => ({ href: path, text: `Rubrique numéro ${index + 1}` })),
      }),
    ),
  );
  return site;
}

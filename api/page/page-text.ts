import type { SourceKind } from '../../core/source.ts';
import type { SizeBracket } from '../../core/territory-size.ts';

export const PAGE_LANGUAGES = ['fr', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** Every word of the search page, French first. A missing English entry fails the typecheck. */
const FR = {
  title: 'Recherche action publique',
  tagline: 'Ce que les territoires ont fait, dans les sources de confiance',
  skip: 'Aller aux résultats',
  searchLabel: 'Rechercher',
  searchPlaceholder: 'cantine bio, école numérique, rénovation de la mairie…',
  searchButton: 'Rechercher',
  suggestions: 'Suggestions',
  filters: 'Filtres',
  applyFilters: 'Appliquer les filtres',
  territory: 'Territoire',
  territoryHint: 'Commune, EPCI, département ou région',
  territoryChoose: 'Quel territoire ?',
  territoryNone: 'Aucun territoire ne porte ce nom.',
  remove: 'retirer',
  size: 'Taille de la commune',
  theme: 'Thème',
  kind: 'Type de source',
  type: 'Type de contenu',
  dates: 'Date de publication',
  from: 'Du',
  to: 'Au',
  scheme: 'Dispositif de subvention',
  year: 'Année du projet',
  cost: 'Coût du projet',
  grant: 'Subvention obtenue',
  anyAmount: 'Tous montants',
  sort: 'Trier par',
  sortRelevance: 'pertinence',
  sortDate: 'date',
  sortCost: 'coût',
  sortGrant: 'subvention',
  myCommune: 'Ma commune',
  myCommuneHint: 'Votre commune, pour voir ce qu’ont fait les communes comme la vôtre',
  myCommuneButton: 'Voir les communes comme la mienne',
  myCommuneRemember: 'Retenir ma commune sur cet appareil',
  myCommuneUse: 'Communes comme la mienne',
  likeTowns: 'Communes comme',
  likeIn: 'dans',
  likeDepartement: 'son département',
  likeRegion: 'sa région',
  follow: 'Suivre cette recherche (flux Atom)',
  results: (count: number) =>
    count === 0 ? 'Aucun résultat' : count === 1 ? '1 résultat' : `${fr(count)} résultats`,
  page: (page: number, pages: number) => `page ${page} sur ${pages}`,
  previous: 'Page précédente',
  next: 'Page suivante',
  pagination: 'Pages de résultats',
  noResults: 'Aucun résultat pour cette recherche.',
  didYouMean: 'Essayez plutôt',
  withoutFilters: (count: number) =>
    `${count === 1 ? '1 résultat' : `${fr(count)} résultats`} sans les filtres`,
  removeFilter: 'Retirer un filtre :',
  removeAll: 'retirer tous les filtres',
  source: 'Source',
  published: 'publié le',
  crawled: 'lu le',
  project: 'Projet',
  beneficiary: 'porté par',
  costShort: 'coût',
  grantShort: 'subvention',
  invalid: 'Cette recherche contient un paramètre incorrect :',
  startOver: 'Nouvelle recherche',
  intro:
    'Cherchez dans les pages des services de l’État, des opérateurs, des associations d’élus et des collectivités, et dans les projets financés par l’État, ce que d’autres territoires ont fait.',
  language: 'English',
  languageCode: 'en',
  about: 'Seules les sources de la liste de confiance sont lues et indexées.',
  kinds: {
    etat: 'État',
    collectivite: 'Collectivité',
    operateur: 'Opérateur public',
    association: 'Association d’élus',
  } satisfies Record<SourceKind, string>,
  types: {
    page: 'Page',
    actualite: 'Actualité',
    deliberation: 'Délibération',
    evenement: 'Événement',
    demarche: 'Démarche',
    document: 'Document',
    projet: 'Projet financé',
  } as Record<string, string>,
  sizes: {
    'moins-de-2000': 'Moins de 2\u202f000 habitants',
    '2000-10000': '2\u202f000 à 10\u202f000 habitants',
    '10000-50000': '10\u202f000 à 50\u202f000 habitants',
    'plus-de-50000': 'Plus de 50\u202f000 habitants',
  } satisfies Record<SizeBracket, string>,
  levels: {
    commune: 'commune',
    epci: 'intercommunalité',
    departement: 'département',
    region: 'région',
    national: 'national',
  } as Record<string, string>,
  /** Theme labels come from themes.yaml, in French. */
  themes: {} as Record<string, string>,
};

export type PageText = typeof FR;

const EN: PageText = {
  ...FR,
  title: 'Public-action search',
  tagline: 'What territories have done, from trusted sources',
  skip: 'Skip to results',
  searchLabel: 'Search',
  searchPlaceholder: 'organic school meals, digital school, town hall renovation…',
  searchButton: 'Search',
  suggestions: 'Suggestions',
  filters: 'Filters',
  applyFilters: 'Apply filters',
  territory: 'Territory',
  territoryHint: 'Commune, EPCI, département or région',
  territoryChoose: 'Which territory?',
  territoryNone: 'No territory has this name.',
  remove: 'remove',
  size: 'Size of town',
  theme: 'Theme',
  kind: 'Kind of source',
  type: 'Type of content',
  dates: 'Publication date',
  from: 'From',
  to: 'To',
  scheme: 'Grant scheme',
  year: 'Project year',
  cost: 'Project cost',
  grant: 'Grant obtained',
  anyAmount: 'Any amount',
  sort: 'Sort by',
  sortRelevance: 'relevance',
  sortDate: 'date',
  sortCost: 'cost',
  sortGrant: 'grant',
  myCommune: 'My commune',
  myCommuneHint: 'Your commune, to see what towns like yours did',
  myCommuneButton: 'Show towns like mine',
  myCommuneRemember: 'Remember my commune on this device',
  myCommuneUse: 'Towns like mine',
  likeTowns: 'Towns like',
  likeIn: 'in',
  likeDepartement: 'its département',
  likeRegion: 'its région',
  follow: 'Follow this search (Atom feed)',
  results: (count: number) =>
    count === 0 ? 'No results' : count === 1 ? '1 result' : `${count.toLocaleString('en')} results`,
  page: (page: number, pages: number) => `page ${page} of ${pages}`,
  previous: 'Previous page',
  next: 'Next page',
  pagination: 'Result pages',
  noResults: 'No results for this search.',
  didYouMean: 'Try instead',
  withoutFilters: (count: number) =>
    `${count === 1 ? '1 result' : `${count.toLocaleString('en')} results`} without the filters`,
  removeFilter: 'Remove a filter:',
  removeAll: 'remove all filters',
  source: 'Source',
  published: 'published',
  crawled: 'read',
  project: 'Project',
  beneficiary: 'by',
  costShort: 'cost',
  grantShort: 'grant',
  invalid: 'This search has an invalid parameter:',
  startOver: 'New search',
  intro:
    'Search the pages of State services, public agencies, associations of elected officials and local authorities, and the projects funded by the State, for what other territories have done.',
  language: 'Français',
  languageCode: 'fr',
  about: 'Only the sources of the trusted list are read and indexed.',
  kinds: {
    etat: 'State',
    collectivite: 'Local authority',
    operateur: 'Public agency',
    association: 'Association of elected officials',
  },
  types: {
    page: 'Page',
    actualite: 'News',
    deliberation: 'Council decision',
    evenement: 'Event',
    demarche: 'Procedure',
    document: 'Document',
    projet: 'Funded project',
  },
  sizes: {
    'moins-de-2000': 'Under 2,000 inhabitants',
    '2000-10000': '2,000 to 10,000 inhabitants',
    '10000-50000': '10,000 to 50,000 inhabitants',
    'plus-de-50000': 'Over 50,000 inhabitants',
  },
  levels: {
    commune: 'commune',
    epci: 'intercommunality',
    departement: 'département',
    region: 'région',
    national: 'national',
  },
  themes: {
    numerique: 'Digital',
    education: 'Education, childhood and youth',
    mobilite: 'Mobility and transport',
    'transition-ecologique': 'Ecological transition',
    sante: 'Health',
    solidarites: 'Social action',
    'urbanisme-logement': 'Planning and housing',
    culture: 'Culture and heritage',
    sport: 'Sport',
    securite: 'Safety and prevention',
    'democratie-participative': 'Participatory democracy and open government',
    'economie-emploi': 'Economy and jobs',
    'finances-locales': 'Local finance and taxation',
    tourisme: 'Tourism',
    'agriculture-alimentation': 'Agriculture and food',
    'eau-assainissement-dechets': 'Water, sanitation and waste',
    'cohesion-territoires': 'Territorial cohesion and planning',
    'citoyennete-etat-civil': 'Citizenship, civil status and papers',
    justice: 'Justice and access to law',
    'collectivites-institutions': 'Local authorities, elected officials and civil service',
  },
};

function fr(count: number): string {
  return count.toLocaleString('fr-FR');
}

export function pageText(language: PageLanguage): PageText {
  return language === 'en' ? EN : FR;
}

/** A day as the reader says it: "12 mars 2024", "12 March 2024". */
export function formatDay(iso: string, language: PageLanguage): string {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(language === 'en' ? 'en-GB' : 'fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
}

export function formatEuros(amount: number, language: PageLanguage): string {
  return `${Math.round(amount).toLocaleString(language === 'en' ? 'en-GB' : 'fr-FR')}\u00a0€`;
}

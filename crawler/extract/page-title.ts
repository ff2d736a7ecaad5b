import { cleanText } from './clean-text.ts';

/** What the title can be compared with to recognise the site's own name. */
export interface SiteNameHints {
  /** `og:site_name`, when the page has one. */
  siteName?: string;
  hostname: string;
}

export interface TitleCandidates {
  /** The first `<h1>` of the main content that is not a repeated block. */
  h1?: string;
  ogTitle?: string;
  titleText?: string;
}

/**
 * Separators CMS put between page title and site name. A spaced hyphen or pipe, never a colon:
 * "Élections : la mairie vous informe" is one title.
 */
const SEPARATOR = /\s+[|\-–—·»•]{1,2}\s+/g;
const WORD_START = '(?<![a-zà-ÿ])';
const WORD_END = '(?![a-zà-ÿ])';
/** Words that make a title segment the name of a public body's website rather than of a page. */
const SITE_NAME = new RegExp(
  `${WORD_START}(?:ville|mairie|commune|communaut[ée]|agglo|agglom[ée]ration|m[ée]tropole|d[ée]partement|` +
    `r[ée]gion|pr[ée]fecture|minist[èe]re|site officiel|services de l['’][ée]tat|gouv|service-public|` +
    `portail|intercommunalit[ée]|syndicat)${WORD_END}|\\.fr${WORD_END}`,
  'i',
);
/** Home pages are titled "Accueil - Ville de X": the site name says more than "Accueil". */
const GENERIC_PAGE_NAME = /^(?:accueil|page d['’]accueil|home|bienvenue|index)$/i;

/** Pure: the page title: the content's `<h1>`, else og:title, else `<title>`, without the site name. */
export function chooseTitle(candidates: TitleCandidates, hints: SiteNameHints): string {
  if (candidates.h1) return candidates.h1;
  const fallback = cleanText(candidates.ogTitle || candidates.titleText || '');
  return stripSiteName(fallback, hints);
}

/**
 * Pure: a `<title>` without the site name CMS append ("Restauration scolaire | Ville de Tarbes") or,
 * failing that, prepend. One segment at most is removed: "Conseil municipal - Séance du 12 mars" is
 * kept whole. On a home page, where only "Accueil" would remain, the site name is the title.
 */
export function stripSiteName(title: string, hints: SiteNameHints): string {
  const separators = [...title.matchAll(SEPARATOR)];
  const firstSeparator = separators[0];
  const lastSeparator = separators[separators.length - 1];
  if (firstSeparator === undefined || lastSeparator === undefined) return title;
  const isSiteName = siteNameTest(hints);
  const head = title.slice(0, lastSeparator.index);
  const tail = title.slice(lastSeparator.index + lastSeparator[0].length);
  if (isSiteName(tail)) return (GENERIC_PAGE_NAME.test(head.trim()) ? tail : head).trim();
  const first = title.slice(0, firstSeparator.index);
  const rest = title.slice(firstSeparator.index + firstSeparator[0].length);
  if (isSiteName(first)) return (GENERIC_PAGE_NAME.test(rest.trim()) ? first : rest).trim();
  return title;
}

function siteNameTest(hints: SiteNameHints): (segment: string) => boolean {
  const siteName = hints.siteName?.trim().toLowerCase();
  // "ville-castelnaudary.fr" → "castelnaudary": a distinctive word of the host is the town's name.
  const hostWords = hints.hostname
    .toLowerCase()
    .replace(/^www\./, '')
    .split(/[.-]/)
    .filter((word) => word.length >= 4 && !['ville', 'mairie', 'gouv', 'commune'].includes(word));
  return (segment) => {
    const lower = segment.trim().toLowerCase();
    if (siteName && lower === siteName) return true;
    if (SITE_NAME.test(lower)) return true;
    const folded = lower.normalize('NFD').replace(/[^a-z0-9]/g, '');
    return hostWords.some((word) => folded.includes(word));
  };
}

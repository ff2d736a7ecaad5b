import { FRENCH_DATE_SOURCE, parseFrenchDate } from './french-date.ts';

export interface PageDates {
  publishedAt: string | null;
  updatedAt: string | null;
}

const PUBLISHED_LABEL =
  'date de publication|date de mise en ligne|date de cr[ée]ation|publi[ée]e?s?|publication|' +
  'mise? en ligne|post[ée]e?|cr[ée][ée]e?';
const UPDATED_LABEL =
  'derni[èe]re (?:mise [àa] jour|modification|actualisation)|date de (?:la )?(?:mise [àa] jour|modification)|' +
  'mise? [àa] jour|modifi[ée]e?|actualis[ée]e?|v[ée]rifi[ée]e?';
/** "Publié le 12 mars", "Date de publication : 5 janv.", "Mis à jour le : 03/02/2022". */
const SEPARATOR = '[\\s:]*(?:(?:le|du)[\\s:]+)?';

const LABELLED_DATE = new RegExp(
  `(?:(${PUBLISHED_LABEL})|(${UPDATED_LABEL}))${SEPARATOR}(${FRENCH_DATE_SOURCE})`,
  'gi',
);
const WORD_CHARACTER = /[a-zà-ÿ]/i;
/** The same label at the very end of the text before a `<time>` (already trimmed: "Publié le"). */
const TRAILING_LABEL = new RegExp(
  `(?<![a-zà-ÿ])(?:(${PUBLISHED_LABEL})|(${UPDATED_LABEL}))[\\s:]*(?:(?:le|du)[\\s:]*)?$`,
  'i',
);

/**
 * Pure: the first publication and update dates announced in the page text ("Publié le 12 mars
 * 2024", "Mis à jour le 1er avril 2023"). A date without such a label is never taken: on a town's
 * page it is far more often an event, a council meeting or an opening hour.
 */
export function labelledTextDates(text: string): PageDates {
  const dates: PageDates = { publishedAt: null, updatedAt: null };
  for (const match of text.matchAll(LABELLED_DATE)) {
    // A label starts a word: the "posté" ending "composté" is none. Checked here rather than with a
    // lookbehind, which would be tried at every position of a long text.
    if (WORD_CHARACTER.test(text.charAt(match.index - 1))) continue;
    const date = parseFrenchDate(match[3] ?? '');
    if (date === null) continue;
    if (match[1] !== undefined) dates.publishedAt ??= date;
    else dates.updatedAt ??= date;
    if (dates.publishedAt !== null && dates.updatedAt !== null) break;
  }
  return dates;
}

export type DateLabel = 'published' | 'updated';

/** Pure: which date the text announces with its last words ("… Publié le"), if any. */
export function trailingDateLabel(text: string): DateLabel | null {
  const label = TRAILING_LABEL.exec(text);
  if (label?.[1] !== undefined) return 'published';
  return label?.[2] !== undefined ? 'updated' : null;
}

import type { LabelledTime } from './content-blocks.ts';
import { parseFrenchDate } from './french-date.ts';
import { normalizeIsoDate } from './iso-date.ts';
import type { JsonLdFacts } from './json-ld.ts';
import type { PageDates } from './text-dates.ts';
import { labelledTextDates, trailingDateLabel } from './text-dates.ts';

export type { PageDates } from './text-dates.ts';

/** Meta names and properties (lowercase) holding the publication date, most explicit first. */
const PUBLISHED_METAS = [
  'article:published_time',
  'og:published_time',
  'dcterms.created',
  'dcterms.issued',
  'dc.date.created',
  'dc.date.issued',
  'dc.date',
  'dcterms.date',
  'publication_date',
  'pubdate',
  'date',
];
const UPDATED_METAS = [
  'article:modified_time',
  'og:updated_time',
  'dcterms.modified',
  'dc.date.modified',
  'last-modified',
  'modified',
];

/** Everything on a page that may carry its publication and update dates. */
export interface DateEvidence {
  jsonLd: JsonLdFacts;
  metas: ReadonlyMap<string, string>;
  microdata: { published?: string; modified?: string };
  times: readonly LabelledTime[];
  /** Text where labelled dates may be written; repeated blocks may stay (a date line never repeats). */
  text: string;
  /** News pages show their publication date as a bare `<time>` under the title. */
  isNews: boolean;
}

/**
 * Pure: the page's publication and update dates, each from the most explicit source that has one:
 * JSON-LD, then meta tags, then microdata, then `<time>` elements and finally labelled French text.
 * Each source only counts if its value is a real date; an invalid one gives way to the next source.
 */
export function findPageDates(evidence: DateEvidence): PageDates {
  const fromTimes = labelledTimeDates(evidence.times, evidence.isNews);
  // The text is only scanned when the structured sources said nothing: it is the costliest source.
  let fromText: PageDates | undefined;
  const textDates = () => (fromText ??= labelledTextDates(evidence.text));
  const publishedAt =
    parseDateValue(evidence.jsonLd.datePublished) ??
    firstMetaDate(evidence.metas, PUBLISHED_METAS) ??
    parseDateValue(evidence.microdata.published) ??
    fromTimes.publishedAt ??
    textDates().publishedAt;
  const updatedAt =
    parseDateValue(evidence.jsonLd.dateModified) ??
    firstMetaDate(evidence.metas, UPDATED_METAS) ??
    parseDateValue(evidence.microdata.modified) ??
    fromTimes.updatedAt ??
    textDates().updatedAt;
  return { publishedAt, updatedAt };
}

function firstMetaDate(metas: ReadonlyMap<string, string>, names: readonly string[]): string | null {
  for (const name of names) {
    const date = parseDateValue(metas.get(name));
    if (date !== null) return date;
  }
  return null;
}

/**
 * Pure: dates from `<time>` elements, classified by the words just before them. An unlabelled
 * `<time>` is only read as the publication date when the caller says the page is news, where the
 * lone date under the title is the publication date.
 */
export function labelledTimeDates(times: readonly LabelledTime[], trustUnlabelled: boolean): PageDates {
  const dates: PageDates = { publishedAt: null, updatedAt: null };
  for (const time of times) {
    const date = parseDateValue(time.value);
    if (date === null) continue;
    const label = trailingDateLabel(time.label);
    if (label === 'published') dates.publishedAt ??= date;
    else if (label === 'updated') dates.updatedAt ??= date;
    else if (trustUnlabelled && times.length === 1) dates.publishedAt ??= date;
  }
  return dates;
}

/**
 * A date found in metadata: ISO as the standards want, else the French form many CMS put in
 * `DC.date` or `<time>` anyway ("12/03/2024"). Null when it is neither or does not exist.
 */
export function parseDateValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  return normalizeIsoDate(value) ?? parseFrenchDate(value);
}

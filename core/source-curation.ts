import { z } from 'zod';

/** A source not reviewed for this long is flagged for review. */
export const REVIEW_INTERVAL_MONTHS = 12;

const Day = z.iso.date('must be a date YYYY-MM-DD');
const Who = z.string().trim().min(1).max(100);

/**
 * Who vouched for a source and why, kept with it in sources.yaml so that the review in git and the
 * admin API read the same record. All optional: the sources listed before curation had none.
 */
export const CurationSchema = z
  .object({
    addedBy: Who.optional(),
    addedOn: Day.optional(),
    /** Why the source is trusted, e.g. "label Villes Internet 2024", "préfecture". */
    reason: z.string().trim().min(1).max(500).optional(),
    reviewedBy: Who.optional(),
    /** The last time someone checked that the source still deserves its place. */
    reviewedOn: Day.optional(),
    /** Who to write to about the site: an e-mail address or a contact page. */
    contact: z.union([z.email(), z.url({ protocol: /^https?$/ })]).optional(),
  })
  .strict();
export type Curation = z.infer<typeof CurationSchema>;

export interface ReviewStatus {
  /** The last review, else the day it was added; null when the file says neither. */
  lastReviewedOn: string | null;
  /** Never reviewed, or not for REVIEW_INTERVAL_MONTHS. */
  overdue: boolean;
}

/** Pure: whether a source is due for review on `now`. */
export function reviewStatus(curation: Curation | undefined, now: Date): ReviewStatus {
  const last = curation?.reviewedOn ?? curation?.addedOn ?? null;
  if (last === null) return { lastReviewedOn: null, overdue: true };
  const due = new Date(`${last}T00:00:00Z`);
  due.setUTCMonth(due.getUTCMonth() + REVIEW_INTERVAL_MONTHS);
  return { lastReviewedOn: last, overdue: due.getTime() <= now.getTime() };
}

import type { PreviousVisit, Visit } from '../store/page-state.ts';

/** A previous visit that left a document in the index. */
export function isKept(
  previous: PreviousVisit | undefined,
): previous is PreviousVisit & { indexedUrl: string } {
  return (
    previous?.indexedUrl != null &&
    ['new', 'changed', 'unchanged', 'error', 'redirect-loop'].includes(previous.outcome ?? '')
  );
}

/**
 * Carries the previous document over: a transient failure must not drop a page from the index. Its
 * validators stay as they were; with no document to keep, they are forgotten.
 */
export function keep(
  previous: PreviousVisit | undefined,
): Pick<Visit, 'indexedUrl' | 'contentHash' | 'validators'> {
  return isKept(previous)
    ? { indexedUrl: previous.indexedUrl, contentHash: previous.contentHash }
    : { validators: null };
}

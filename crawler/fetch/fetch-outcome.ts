/**
 * Every way one fetch can end, as a type: the caller decides what each means for the index
 * (index it, keep it, delete it, retry it later) and the crawl report counts each kind.
 */
export type FetchOutcome =
  | {
      kind: 'fetched';
      /** Where the body came from, after the redirects that were followed. */
      url: URL;
      status: number;
      headers: Record<string, string>;
      body: Uint8Array;
      /** The body was cut at the size limit. */
      truncated: boolean;
      redirects: URL[];
    }
  | { kind: 'not-modified'; url: URL; redirects: URL[] }
  | { kind: 'http-error'; url: URL; status: number; retryAfterMs: number | null; redirects: URL[] }
  | {
      /** Not requested: the URL itself, or a redirect hop, failed the scope or robots check. */
      kind: 'refused';
      url: URL;
      /** The URL that was not requested (null when a Location header was unusable). */
      target: URL | null;
      reason: RedirectRefusal;
      redirects: URL[];
      /** False when the URL itself was refused: nothing at all was sent to the host. */
      requested: boolean;
    }
  | { kind: 'network-error'; url: URL; code: string; message: string; redirects: URL[] }
  | { kind: 'too-large'; url: URL; message: string; redirects: URL[] };

/** `other-origin`: the hop is in scope but on another host, which is crawled on its own terms. */
export type RedirectRefusal =
  'out-of-scope' | 'robots' | 'other-origin' | 'loop' | 'too-many' | 'bad-location';

export type FetchOutcomeKind = FetchOutcome['kind'];

/** Requests the fetch sent: one per redirect followed, plus the last unless it was refused unsent. */
export function requestsSent(outcome: FetchOutcome): number {
  return outcome.kind === 'refused' && !outcome.requested ? 0 : 1 + outcome.redirects.length;
}

/**
 * URL hygiene: the same page must not be queued (or indexed) twice because of a fragment or a
 * campaign tag. Only what never changes the page is removed; the rest is kept exactly as the site
 * wrote it (no re-ordered parameters, no added or removed trailing slash), so the indexed URL is one
 * the site really uses and opens the page.
 */
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'xtor', // AT Internet, common on French public sites
  'xts',
  'at_medium',
  'at_campaign',
  'at_platform',
  'at_creation',
  'at_variant',
  'at_send_date',
  'at_recipient_id',
  'at_recipient_list',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'ref_src',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'matomo_'];

export function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMETERS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** A copy of the URL without fragment and tracking parameters; the host is already lower-cased by URL. */
export function cleanUrl(url: URL): URL {
  const cleaned = new URL(url.href);
  cleaned.hash = '';
  if (cleaned.search) {
    const kept = [...cleaned.searchParams].filter(([name]) => !isTrackingParameter(name));
    if (kept.length !== [...cleaned.searchParams].length) {
      // Rebuild only when something was removed, so untouched queries keep their exact encoding.
      cleaned.search = kept.length > 0 ? new URLSearchParams(kept).toString() : '';
    }
  }
  if (cleaned.hostname.endsWith('.')) cleaned.hostname = cleaned.hostname.slice(0, -1);
  return cleaned;
}

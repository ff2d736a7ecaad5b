/** The values read out of sitemap elements: `<loc>` text and `<lastmod>` dates. */

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi;

/**
 * Pure: resolves the five predefined XML entities and numeric character references, and nothing else.
 * The sitemap parser runs with entity processing off, so a DOCTYPE can never define, expand or fetch
 * an entity (no billion laughs, no XXE); but sitemap URLs must escape `&` as `&amp;`, so these few
 * are resolved here. Unknown references and invalid code points stay as written.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (reference, decimal?: string, hex?: string, name?: string) => {
    if (name) return PREDEFINED[name.toLowerCase()] ?? reference;
    const codePoint = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return valid ? String.fromCodePoint(codePoint) : reference;
  });
}

/**
 * W3C Datetime (the sitemap protocol's `<lastmod>` format): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then
 * `Thh:mm`, `:ss`, fractions and a zone. Also tolerated because CMS plugins emit them: a space instead
 * of `T`, and a zone without colon (`+0100`).
 */
const W3C_DATETIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?$/i;

/** Before the web existed: a `0000-00-00`-style default, not a modification date. */
const FIRST_PLAUSIBLE_YEAR = 1991;

/**
 * Pure: a `<lastmod>` value as an ISO 8601 UTC timestamp (`YYYY-MM-DD` when it has no time), or
 * null when it is absent, malformed or implausible. Free-form dates (`12/03/2024`, `mars 2024`) are refused rather than guessed: the
 * day/month order is ambiguous and a wrong date would mis-schedule recrawls. A time without zone is
 * read as UTC (the protocol requires a zone; the error is hours at most).
 */
export function normalizeLastmod(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const match = W3C_DATETIME.exec(String(value).trim());
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y < FIRST_PLAUSIBLE_YEAR || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2024-02-30 over into March: a date that moved was not a real date.
  if (new Date(local).getUTCDate() !== d) return null;
  // A date without a time stays a date: it does not say when in that day the page changed, which
  // decides whether it vouches for a copy fetched that day (crawler/sitemap-settle.ts).
  if (match[4] === undefined) return new Date(local).toISOString().slice(0, 10);
  return new Date(local - zoneOffsetMs(zone)).toISOString();
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (digits.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

/**
 * "2020-01-01" → "1er janvier 2020", the way French administrations write dates. Done by hand rather
 * than with Intl so the output never depends on the ICU data shipped with a given Node build.
 */
const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

export function formatFrenchDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) return isoDate;
  const day = Number(match[3]);
  return `${day === 1 ? '1er' : String(day)} ${month} ${match[1]}`;
}

/** The same date as an HTTP `Last-Modified` value (midnight UTC), or undefined if unparseable. */
export function httpDate(isoDate: string): string | undefined {
  const time = Date.parse(`${isoDate}T00:00:00Z`);
  return Number.isNaN(time) ? undefined : new Date(time).toUTCString();
}

/**
 * Dates older than the web or far in the future are typos or placeholders ("0000-00-00",
 * "2999-12-31"), never a publication date worth showing.
 */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

/** 'YYYY-MM-DD' for a date that exists on the calendar (no 31 April, 29 February only in leap years). */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or date-time as published in metadata, checked and normalised: 'YYYY-MM-DD' when
 * there is no time, else 'YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]'. The offset is kept as written rather
 * than converted to UTC: a date-time without offset is a local time and has no UTC equivalent.
 */
export function normalizeIsoDate(value: string): string | null {
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hours, minutes, seconds, fraction, offset] = match;
  const date = calendarDate(Number(year), Number(month), Number(day));
  if (date === null || hours === undefined || minutes === undefined) return date;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return null;
  const zone = offset === undefined ? '' : normalizeOffset(offset);
  return `${date}T${hours}:${minutes}:${seconds ?? '00'}${fraction ?? ''}${zone}`;
}

function normalizeOffset(offset: string): string {
  if (offset.toUpperCase() === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

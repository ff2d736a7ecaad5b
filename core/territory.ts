import { z } from 'zod';

/**
 * A territory code as written in `sources.yaml`: `<level>:<official code>`, or `national`.
 * Codes follow INSEE (communes, départements, régions) and SIREN (EPCIs), so they can be resolved
 * against the official administrative split.
 */
export const TERRITORY_LEVELS = ['commune', 'epci', 'departement', 'region', 'national'] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

const CODE_PATTERNS: Record<Exclude<TerritoryLevel, 'national'>, { pattern: RegExp; expected: string }> = {
  // INSEE commune code: 5 digits, or 2A/2B + 3 digits in Corsica.
  commune: { pattern: /^(\d{5}|2[AB]\d{3})$/, expected: 'a 5-character INSEE code such as 34301 or 2A004' },
  // SIREN of the EPCI: 9 digits.
  epci: { pattern: /^\d{9}$/, expected: 'a 9-digit SIREN such as 200066355' },
  // Département: 01-95 (no 20), 2A, 2B, or overseas 971-976.
  departement: {
    pattern: /^(0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2[AB]|97[1-6])$/,
    expected: 'a département code such as 34, 2A or 974',
  },
  // Région: 2-digit INSEE code.
  region: { pattern: /^\d{2}$/, expected: 'a 2-digit INSEE région code such as 76' },
};

export interface TerritoryCode {
  level: TerritoryLevel;
  /** The official code; empty for `national`. */
  code: string;
}

export function parseTerritoryCode(raw: string): TerritoryCode | { error: string } {
  if (raw === 'national') return { level: 'national', code: '' };
  const [level, code, ...rest] = raw.split(':');
  const rule = CODE_PATTERNS[level as keyof typeof CODE_PATTERNS];
  if (!rule || code === undefined || rest.length > 0) {
    return {
      error: `expected 'national' or '<level>:<code>' with level one of commune, epci, departement, region; got '${raw}'`,
    };
  }
  if (!rule.pattern.test(code)) return { error: `${level} code must be ${rule.expected}; got '${code}'` };
  return { level: level as TerritoryLevel, code };
}

/** zod schema for a territory code string; keeps the string form (it is what filters and the API use). */
export const TerritoryCodeSchema = z.string().superRefine((raw, ctx) => {
  const parsed = parseTerritoryCode(raw);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

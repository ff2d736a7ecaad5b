import { z } from 'zod';
import type { SizeBracket } from './territory-size.ts';

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

export interface NamedCode {
  code: string;
  name: string;
}

/** A territory of the official administrative split, as documents carry it and filters match it. */
export interface Territory {
  /** As written in `sources.yaml`, e.g. `commune:34301`. */
  code: string;
  level: TerritoryLevel;
  name: string;
  /** For an EPCI spanning several départements (or régions): the one holding most of its inhabitants. */
  departement: NamedCode | null;
  region: NamedCode | null;
  /**
   * INSEE "population municipale" (each resident counted once, in one commune), so that a commune and
   * its EPCI are measured alike. Not `populationTotale`: it adds people "comptés à part" (students,
   * boarders…) who are also counted in another commune, so it double-counts across an EPCI.
   * Départements, régions and France: the sum over their communes. Null for the uninhabited TAAF.
   */
  population: number | null;
  /** Communes and EPCIs only. */
  sizeBracket: SizeBracket | null;
  /**
   * Every code a filter on a wider territory must match: itself, its EPCI (for a commune),
   * département(s), région(s); e.g. commune:34301 → commune:34301, epci:200066355, departement:34,
   * region:76. An EPCI spanning two départements lists both, its main one first.
   */
  codes: string[];
}

import { z } from 'zod';

/** Milliseconds per unit of a written duration. */
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;

/** What a duration looks like, for error messages. */
export const DURATION_HINT = 'a duration like 30m, 6h, 1d, 1d12h or 1w (units s, m, h, d, w)';

/**
 * `6h`, `1d`, `1d12h`, `90m` in milliseconds; undefined when the text is not such a duration.
 * Operators write intervals in the units they think in, and a bare number (seconds? hours?) is
 * refused rather than guessed.
 */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase();
  if (!DURATION.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/**
 * A duration as written (`6h`), checked to lie within `[min, max]`: kept as text where it is
 * written back to a file (sources.yaml), parsed with `parseDuration` where it is used.
 */
export function durationText(bounds: { min: string; max: string }) {
  const min = parseDuration(bounds.min)!;
  const max = parseDuration(bounds.max)!;
  return z.string({ error: `must be ${DURATION_HINT}` }).superRefine((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined)
      context.addIssue({ code: 'custom', message: `must be ${DURATION_HINT}; got '${text}'` });
    else if (ms < min || ms > max)
      context.addIssue({
        code: 'custom',
        message: `must be between ${bounds.min} and ${bounds.max}; got '${text}'`,
      });
  });
}

/** A duration in milliseconds, for the environment's settings. */
export function durationMs(bounds: { min: string; max: string }) {
  return durationText(bounds).transform((text) => parseDuration(text)!);
}

import { describe, expect, it } from 'vitest';
import { dueAt, type ScheduleRules } from '../core/crawl-schedule.ts';
import { type Source, SourceSchema } from '../core/source.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const rules: ScheduleRules = { defaultIntervalMs: DAY, maxBackoffMs: 7 * DAY };
const LAST_RUN = '2026-03-01T08:00:00.000Z';

function aSource(every?: string): Source {
  return SourceSchema.parse({
    id: 'tarbes',
    name: 'Tarbes',
    kind: 'collectivite',
    url: 'https://www.tarbes.fr/',
    territory: 'national',
    ...(every ? { crawl: { every } } : {}),
  });
}

const after = (ms: number) => new Date(Date.parse(LAST_RUN) + ms);
const history = (consecutiveFailures: number, more = {}) => ({
  lastRunAt: LAST_RUN,
  consecutiveFailures,
  cycleUnfinished: false,
  ...more,
});

describe('when a source is crawled next', () => {
  it('is at once for a source never crawled', () => {
    expect(dueAt(aSource(), undefined, rules).getTime()).toBe(0);
  });

  it('is a day after its last run, or after its own interval', () => {
    expect(dueAt(aSource(), history(0), rules)).toEqual(after(DAY));
    expect(dueAt(aSource('6h'), history(0), rules)).toEqual(after(6 * HOUR));
  });

  it('doubles with each failing run in a row, and a site down for weeks is still tried weekly', () => {
    const waits = [1, 2, 3, 10, 2000].map((failures) => dueAt(aSource(), history(failures), rules));
    expect(waits).toEqual([after(2 * DAY), after(4 * DAY), after(7 * DAY), after(7 * DAY), after(7 * DAY)]);
  });

  it('never makes a failing source wait less than its own interval, when that is longer than the cap', () => {
    expect(dueAt(aSource('30d'), history(2), rules)).toEqual(after(30 * DAY));
  });

  it('is at once after a crawl that was interrupted, or stopped at its time budget', () => {
    const interruptedAt = '2026-03-01T09:00:00.000Z';
    expect(dueAt(aSource(), history(1, { interruptedAt }), rules)).toEqual(new Date(interruptedAt));
    expect(dueAt(aSource(), history(0, { cycleUnfinished: true }), rules)).toEqual(after(0));
  });
});

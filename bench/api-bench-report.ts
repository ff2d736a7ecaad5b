/** The figures of `npm run bench:api`: what one run measures, its slices combined, and the table printed. */
import { combineLoads, type LoadResult } from './wrk-load.ts';

export interface CacheStats {
  hits: number;
  misses: number;
  coalesced: number;
}

export interface Measured extends LoadResult {
  /** CPU milliseconds per request used by each process during the run. */
  cpuMsPerRequest: { meilisearch: number; api: number };
}

export interface Run extends Measured {
  scenario: string;
  target: string;
  /** Distinct queries available to the run. */
  pool: number;
  cache?: CacheStats;
}

export function combineMeasured(slices: readonly Measured[]): Measured {
  const requests = slices.reduce((total, slice) => total + slice.requests, 0);
  const cpuMs = (key: keyof Measured['cpuMsPerRequest']) =>
    slices.reduce((total, slice) => total + slice.cpuMsPerRequest[key] * slice.requests, 0) / requests;
  return {
    ...combineLoads(slices),
    cpuMsPerRequest: { meilisearch: cpuMs('meilisearch'), api: cpuMs('api') },
  };
}

export function report(runs: Run[]): void {
  const ms = (value: number) => value.toFixed(2);
  console.log(
    '\n| queries | target | requests/s | p50 ms | p99 ms | errors | CPU ms/req Meilisearch | CPU ms/req API | cache hits |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const run of runs) {
    const errors = Object.values(run.errors).reduce((sum, count) => sum + count, 0);
    const hits = run.cache
      ? `${((100 * (run.cache.hits + run.cache.coalesced)) / (run.cache.hits + run.cache.coalesced + run.cache.misses)).toFixed(1)} %`
      : '';
    console.log(
      `| ${run.scenario} | ${run.target} | ${run.requestsPerSecond.toFixed(0)} | ${ms(run.p50Ms)} | ${ms(run.p99Ms)} | ` +
        `${errors} | ${ms(run.cpuMsPerRequest.meilisearch)} | ${run.target.startsWith('API') ? ms(run.cpuMsPerRequest.api) : ''} | ${hits} |`,
    );
  }
  for (let n = 0; n + 1 < runs.length; n += 2) {
    const [direct, viaApi] = [runs[n]!, runs[n + 1]!];
    const rpsRatio = viaApi.requestsPerSecond / direct.requestsPerSecond;
    const p99Ratio = viaApi.p99Ms / direct.p99Ms;
    console.log(
      `\n${direct.scenario}: API ${rpsRatio.toFixed(2)}x Meilisearch's requests/s, p99 ${p99Ratio.toFixed(2)}x` +
        (n === 0 ? ' (aim: >= 0.8x requests/s, p99 <= 1.5x)' : ' (aim: API faster than Meilisearch direct)'),
    );
    for (const run of [direct, viaApi]) {
      if (run.requests > run.pool && n === 0) {
        console.log(
          `  warning: ${run.target} sent ${run.requests} requests for ${run.pool} distinct queries: some repeated`,
        );
      }
    }
  }
  if (runs.some((run) => Object.values(run.errors).some((count) => count > 0))) {
    console.log('\nwarning: some requests failed (see the errors column): the figures are not comparable.');
    process.exitCode = 1;
  }
}

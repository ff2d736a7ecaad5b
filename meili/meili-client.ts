import { Meilisearch } from 'meilisearch';

/** Longest wait for one Meilisearch task: 20,000 documents take ~45 s to index on 2 cores. */
export const TASK_TIMEOUT_MS = 15 * 60_000;

export function createMeiliClient(url: string, apiKey: string | undefined): Meilisearch {
  return new Meilisearch({
    host: url,
    apiKey,
    // The client's default 5 s task timeout is far too short for big batches.
    defaultWaitOptions: { timeout: TASK_TIMEOUT_MS, interval: 100 },
    timeout: 30_000,
  });
}

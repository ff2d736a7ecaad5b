import { setTimeout as sleep } from 'node:timers/promises';
import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import type { Logger } from '../core/logger.ts';

export interface RetryPolicy {
  /** Waits between attempts; when they run out, the last error is thrown. */
  delaysMs: readonly number[];
  wait?: (ms: number) => Promise<unknown>;
}

/** About five minutes of patience: long enough for a Meilisearch restart or upgrade. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 60000, 60000, 60000, 60000],
};

/**
 * Meilisearch unreachable or restarting is a pause, not a failure: the work is retried with backoff.
 * A task that vanished (a restart lost it before it was persisted) is retried too: every unit of work
 * passed here must be idempotent (adding the same documents again is).
 */
export async function withMeiliRetry<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  log: Logger,
): Promise<T> {
  const wait = policy.wait ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = policy.delaysMs[attempt];
      if (!isTransient(error) || delay === undefined) throw error;
      log.warn(
        { attempt: attempt + 1, delayMs: delay, err: (error as Error).message },
        'Meilisearch unavailable, retrying',
      );
      await wait(delay);
    }
  }
}

export function isTransient(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError)
    return true;
  if (error instanceof MeilisearchTaskTimeOutError) return true;
  return error instanceof MeilisearchApiError && error.cause?.code === 'task_not_found';
}

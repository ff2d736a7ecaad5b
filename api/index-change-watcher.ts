import type { Meilisearch } from 'meilisearch';

export interface IndexChangeWatch {
  client: Meilisearch;
  indexUid: string;
  /** Time between two looks at Meilisearch's task list. */
  intervalMs: number;
  /** Called when a task on the index has succeeded since the previous look (e.g. to empty a cache). */
  onChange: () => void;
  /** A look that failed (Meilisearch restarting…): the watch goes on; default: ignored. */
  onError?: (error: unknown) => void;
}

/**
 * Tells when the index has changed, by polling the uid of the latest succeeded task on it: every
 * change to what searches return (documents added or deleted, settings, the swap that ends a
 * reindex, the index deleted) is such a task, and the question is one small request.
 * The first successful look only records where things stand. Needs a key allowed `tasks.get`.
 *
 * Returns `stop`, which resolves once no look is running any more.
 */
export function watchIndexChanges({
  client,
  indexUid,
  intervalMs,
  onChange,
  onError = () => {},
}: IndexChangeWatch): () => Promise<void> {
  /** `undefined` until a look succeeds; `null` when no task on the index has succeeded yet. */
  let latestSeen: number | null | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const look = async (): Promise<void> => {
    try {
      const { results } = await client.tasks.getTasks({
        indexUids: [indexUid],
        statuses: ['succeeded'],
        limit: 1,
      });
      const latest = results[0]?.uid ?? null;
      const changed = latestSeen !== undefined && latest !== latestSeen;
      latestSeen = latest;
      if (changed && !stopped) onChange();
    } catch (error) {
      onError(error);
    }
  };
  const lookThenSchedule = async (): Promise<void> => {
    await look();
    if (stopped) return;
    timer = setTimeout(() => {
      running = lookThenSchedule();
    }, intervalMs);
    // Watching alone never keeps a process alive (tests, one-shot commands).
    timer.unref();
  };

  let running = lookThenSchedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

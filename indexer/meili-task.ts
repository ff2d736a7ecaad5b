import type { EnqueuedTask, Meilisearch, Task } from 'meilisearch';
import { IndexTaskFailedError } from '../core/errors.ts';
import { TASK_TIMEOUT_MS } from '../meili/meili-client.ts';

/**
 * Waits for a Meilisearch task and checks its outcome: `waitTask` resolves (it does not throw) when a
 * task fails, so an unchecked wait silently loses documents.
 */
export async function awaitTask(
  client: Meilisearch,
  enqueued: EnqueuedTask | PromiseLike<EnqueuedTask>,
  timeoutMs = TASK_TIMEOUT_MS,
): Promise<Task> {
  const { taskUid } = await enqueued;
  const task = await client.tasks.waitForTask(taskUid, { timeout: timeoutMs, interval: 100 });
  if (task.status !== 'succeeded') {
    throw new IndexTaskFailedError(task.uid, task.status, task.error ?? null);
  }
  return task;
}

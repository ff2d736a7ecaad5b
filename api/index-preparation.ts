import {
  type EnqueuedTask,
  type Meilisearch,
  MeilisearchTaskTimeOutError,
  type Settings,
  type Task,
} from 'meilisearch';
import { IndexTaskFailedError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { indexExists } from '../indexer/index-settings.ts';
import { settingsDrift } from '../indexer/settings-drift.ts';

/** The command that applies the settings in code to the live index (indexer/index-settings-main.ts). */
export const APPLY_SETTINGS_COMMAND = 'npm run index:settings';

/** How long one wait for a task lasts before checking whether the API is stopping. */
const WAIT_SLICE_MS = 1_000;

export interface IndexPreparation {
  /** Stops waiting (a task already enqueued still runs in Meilisearch) and resolves when done. */
  stop(): Promise<void>;
}

/**
 * What the API does about its index at start-up, in the background so that it listens at once:
 * applying settings waits behind Meilisearch's task queue, minutes during a crawl.
 *
 * - No index: it is created, with the settings in code (searches meanwhile answer 503 or, once it
 *   exists without its settings, no results: api/unprepared-index.ts).
 * - An index: its settings are never changed here (that would re-index every document, and would
 *   wait behind the queue), only compared with the code's; a difference is logged once, naming the
 *   command that applies them (or `npm run reindex`, which rebuilds the index without downtime).
 */
export function prepareIndex(options: {
  admin: Meilisearch;
  indexUid: string;
  settings: Settings;
  log: Logger;
}): IndexPreparation {
  const { admin, indexUid, settings, log } = options;
  let stopped = false;
  const stoppedNow = () => stopped;

  const run = async (): Promise<void> => {
    if (!(await indexExists(admin, indexUid))) {
      const created = await awaitUnlessStopped(
        admin,
        admin.createIndex(indexUid, { primaryKey: 'id' }),
        stoppedNow,
      );
      // Created meanwhile by an indexing run (which applies the settings itself): nothing to do.
      if (created === undefined || alreadyExists(created)) return;
      throwIfFailed(created);
      const applied = await awaitUnlessStopped(
        admin,
        admin.index(indexUid).updateSettings(settings),
        stoppedNow,
      );
      if (applied === undefined) return;
      throwIfFailed(applied);
      log.info({ indexUid }, 'created the index with the settings in code');
      return;
    }
    const drift = await settingsDrift(admin, indexUid, settings);
    if (drift.length > 0) {
      log.warn(
        { indexUid, settings: drift },
        `the index's settings differ from the code's (${drift.join(', ')}); the API leaves them as they are: ` +
          `apply them with \`${APPLY_SETTINGS_COMMAND}\` (it may take a while), or rebuild the index with \`npm run reindex\``,
      );
    }
  };

  const done = run().catch((error: unknown) => {
    if (!stopped)
      log.warn({ err: error, indexUid }, 'could not prepare the index; /readyz tells when searches work');
  });
  return {
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/**
 * The task once Meilisearch has processed it, or `undefined` if the API began stopping first: it is
 * waited for in slices, so that stopping never waits for a queue that may be busy for minutes.
 */
async function awaitUnlessStopped(
  client: Meilisearch,
  enqueued: Promise<EnqueuedTask>,
  stopped: () => boolean,
): Promise<Task | undefined> {
  const { taskUid } = await enqueued;
  while (!stopped()) {
    try {
      return await client.tasks.waitForTask(taskUid, { timeout: WAIT_SLICE_MS, interval: 100 });
    } catch (error) {
      if (!(error instanceof MeilisearchTaskTimeOutError)) throw error;
    }
  }
  return undefined;
}

function alreadyExists(task: Task): boolean {
  return task.status === 'failed' && task.error?.code === 'index_already_exists';
}

/** As `awaitTask` (indexer/meili-task.ts) does: a task that did not succeed is an error. */
function throwIfFailed(task: Task): void {
  if (task.status !== 'succeeded') throw new IndexTaskFailedError(task.uid, task.status, task.error ?? null);
}

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Meilisearch } from 'meilisearch';
import { awaitTask } from '../../indexer/meili-task.ts';

export interface BlockedTaskQueue {
  /** The uid of the task that holds the queue. */
  taskUid: number;
  /** Lets the task go (it then fails) and closes the stand-in service. */
  release(): Promise<void>;
}

/**
 * Holds a Meilisearch's task queue, as a long indexing run does: a task that indexes one document
 * through an embedding service that never answers. Meilisearch processes tasks one batch at a time,
 * so every task enqueued after it (index settings, creations) waits until `release()`, however long
 * the test takes: no guess at how long a large task would last.
 *
 * Only for a Meilisearch of the test's own: the shared one serves every test file.
 */
export async function blockTaskQueue(client: Meilisearch, indexUid: string): Promise<BlockedTaskQueue> {
  const held: ServerResponse[] = [];
  const service = createServer((_request, response) => held.push(response));
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const { port } = service.address() as AddressInfo;
  await awaitTask(client, client.createIndex(indexUid, { primaryKey: 'id' }));
  await awaitTask(
    client,
    client.index(indexUid).updateSettings({
      embedders: {
        held: {
          source: 'rest',
          url: `http://127.0.0.1:${port}/embed`,
          // Given, so that Meilisearch does not call the service to find it out.
          dimensions: 2,
          request: { input: '{{text}}' },
          response: { embedding: '{{embedding}}' },
        },
      },
    }),
  );
  const { taskUid } = await client.index(indexUid).addDocuments([{ id: 'held', title: 'held' }]);
  // Processing, not merely enqueued: the queue is held from here on.
  for (;;) {
    const task = await client.tasks.getTask(taskUid);
    if (task.status === 'processing' && held.length > 0) break;
    if (task.status !== 'enqueued' && task.status !== 'processing') {
      throw new Error(`the blocking task ended ${task.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    taskUid,
    async release() {
      for (const response of held) response.destroy();
      service.closeAllConnections();
      await new Promise((resolve) => service.close(resolve));
    },
  };
}

/**
 * The body of a page-reader worker thread (see page-reader-pool.ts): reads the pages it is sent with
 * an in-process reader, so each source's repeated-block filter lives in the one worker its pages go to.
 */
import { parentPort } from 'node:worker_threads';
import { batchedSender } from './batched-sender.ts';
import type { PageContent } from './page-content.ts';
import { createInProcessPageReader, PageReadError, type PageReadRequest } from './page-reader.ts';

export interface PageReaderJob {
  id: number;
  request: PageReadRequest;
}

export type PageReaderAnswer =
  { id: number; ok: true; content: PageContent } | { id: number; ok: false; kind: string; message: string };

const port = parentPort;
if (!port) throw new Error('page-reader-worker.ts runs only as a worker thread');
const reader = createInProcessPageReader();
const answers = batchedSender<PageReaderAnswer>((batch) => port.postMessage(batch));

port.on('message', (jobs: PageReaderJob[]) => {
  for (const job of jobs) {
    void reader.read(job.request).then(
      (content) => answers.send({ id: job.id, ok: true, content }),
      (error: unknown) => {
        const { kind, message } = PageReadError.from(error);
        answers.send({ id: job.id, ok: false, kind, message });
      },
    );
  }
});

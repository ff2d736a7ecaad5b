/**
 * The body of a page-reader worker thread (see page-reader-pool.ts): reads the pages it is sent with
 * an in-process reader, so each source's repeated-block filter lives in the one worker its pages go to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchedSender } from './batched-sender.ts';
import type { PageContent } from './page-content.ts';
import { createInProcessPageReader, PageReadError, type PageReadRequest } from './page-reader.ts';

export interface PageReaderJob {
  id: number;
  request: PageReadRequest;
}

export type PageReaderAnswer =
  { id: number; ok: true; content: PageContent } | { id: number; ok: false; kind: string; message: string };

/** Shared with the pool: [0] is the id of the page being read (-1: none), for its watchdog. */
export interface PageReaderWorkerData {
  current: Int32Array;
}

const port = parentPort;
if (!port) throw new Error('page-reader-worker.ts runs only as a worker thread');
const { current } = workerData as PageReaderWorkerData;
const reader = createInProcessPageReader();
const answers = batchedSender<PageReaderAnswer>((batch) => port.postMessage(batch));
const queue: PageReaderJob[] = [];
let reading = false;

/** One page at a time, so that the page in hand is the one the shared memory names. */
async function readQueued(): Promise<void> {
  reading = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    Atomics.store(current, 0, job.id);
    try {
      answers.send({ id: job.id, ok: true, content: await reader.read(job.request) });
    } catch (error) {
      const { kind, message } = PageReadError.from(error);
      answers.send({ id: job.id, ok: false, kind, message });
    }
    Atomics.store(current, 0, -1);
  }
  reading = false;
}

port.on('message', (jobs: PageReaderJob[]) => {
  queue.push(...jobs);
  if (!reading) void readQueued();
});

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.ts';
import { type BatchedSender, batchedSender } from './batched-sender.ts';
import type { PageContent } from './page-content.ts';
import { type PageReader, PageReadError, type PageReadRequest } from './page-reader.ts';
import type { PageReaderAnswer, PageReaderJob, PageReaderWorkerData } from './page-reader-worker.ts';

export interface PageReaderPoolOptions {
  workers: number;
  /**
   * Heap of each worker; a page's extraction needs a few times its size (bodies stop at 10 MB). On
   * Node 20 a worker that exceeds it aborts the whole process (observed), as `--max-old-space-size`
   * does for the crawl's own thread: a limit on memory, not a sandbox.
   */
  maxHeapMb?: number;
  /**
   * Longest time a worker may hold pages without answering: past it, it is stuck on the oldest one
   * (a pathological page), which fails as `extraction-timeout`; the worker is replaced, and the other
   * pages it held fail as `extraction-interrupted`, which the crawl fetches again.
   */
  extractTimeoutMs?: number;
  log: Logger;
}

interface Pending {
  resolve: (content: PageContent) => void;
  reject: (error: PageReadError) => void;
}

/**
 * Decodes and extracts pages in worker threads. Extraction (parsing, boilerplate removal, dates,
 * PDFs) is most of the crawler's CPU; in the crawl's own thread it left every other core idle while
 * fetching and bookkeeping waited for it. A source's pages always go to the same worker, so its
 * repeated-block filter sees all of them, as it did in one thread.
 *
 * Messages stay in this process and both sides are this file's own code, compiled together: the
 * answers are not re-validated, which would cost a parse of every page's text.
 */
export function createPageReaderPool(options: PageReaderPoolOptions): PageReader {
  const slots: (ReaderWorker | undefined)[] = Array.from({ length: Math.max(1, options.workers) });
  const pending = new Map<number, Pending>();
  let nextId = 0;

  const start = (slot: number): ReaderWorker => {
    const current = new Int32Array(new SharedArrayBuffer(4)).fill(-1);
    const thread = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 192 },
      workerData: { current } satisfies PageReaderWorkerData,
    });
    const worker: ReaderWorker = {
      thread,
      inHand: new Set(),
      jobs: batchedSender<PageReaderJob>((batch, transfer) => thread.postMessage(batch, transfer)),
      current,
      watched: null,
    };
    thread.on('message', (answers: PageReaderAnswer[]) => {
      for (const answer of answers) {
        const waiting = pending.get(answer.id);
        pending.delete(answer.id);
        worker.inHand.delete(answer.id);
        if (answer.ok) waiting?.resolve(answer.content);
        else waiting?.reject(new PageReadError(answer.kind, answer.message));
      }
      // Only a worker with pages in hand keeps the process alive.
      if (worker.inHand.size === 0) thread.unref();
    });
    const fail = (error: Error) => {
      if (slots[slot] === worker) slots[slot] = undefined;
      for (const id of worker.inHand) {
        pending.get(id)?.reject(new PageReadError('worker', `page reader died: ${error.message}`));
        pending.delete(id);
      }
      worker.inHand.clear();
    };
    thread.on('error', (error) => {
      options.log.error({ err: error }, 'page reader worker failed');
      fail(error);
    });
    thread.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    slots[slot] = worker;
    return worker;
  };

  /**
   * A worker that has been reading the same page for too long is stuck on it: the page fails, the
   * worker is replaced (see extractTimeoutMs). Which page it reads is in memory both threads share.
   */
  const timeoutMs = options.extractTimeoutMs ?? 30_000;
  const watchdog = setInterval(
    () => {
      slots.forEach((worker, slot) => {
        if (!worker) return;
        const reading = Atomics.load(worker.current, 0);
        if (reading === -1) {
          worker.watched = null;
          return;
        }
        if (worker.watched?.id !== reading) {
          worker.watched = { id: reading, since: performance.now() };
          return;
        }
        if (performance.now() - worker.watched.since < timeoutMs) return;
        slots[slot] = undefined;
        const reject = (id: number, error: PageReadError) => {
          pending.get(id)?.reject(error);
          pending.delete(id);
        };
        reject(reading, new PageReadError('extraction-timeout', `no result after ${timeoutMs} ms`));
        for (const id of worker.inHand) {
          if (id !== reading)
            reject(id, new PageReadError('extraction-interrupted', 'its worker was replaced'));
        }
        worker.inHand.clear();
        options.log.warn({ timeoutMs }, 'page reader stuck on a page: worker replaced');
        void worker.thread.terminate();
      });
    },
    Math.max(10, Math.min(1000, timeoutMs / 4)),
  );
  watchdog.unref();

  return {
    read(request: PageReadRequest): Promise<PageContent> {
      const slot = slotOf(request.sourceId, slots.length);
      const worker = slots[slot] ?? start(slot);
      const id = nextId++;
      const body = ownBuffer(request.body);
      return new Promise<PageContent>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.inHand.add(id);
        worker.thread.ref();
        worker.jobs.send({ id, request: { ...request, body } }, body.buffer);
      });
    },
    async close(): Promise<void> {
      clearInterval(watchdog);
      const running = slots.filter((worker) => worker !== undefined);
      slots.fill(undefined);
      await Promise.all(running.map((worker) => worker.thread.terminate()));
    },
  };
}

interface ReaderWorker {
  thread: Worker;
  /** Ids of the pages sent to this worker and not answered yet. */
  inHand: Set<number>;
  jobs: BatchedSender<PageReaderJob>;
  /** Shared with the worker: the id of the page it is reading, -1 when none. */
  current: Int32Array;
  /** The page the watchdog saw it reading, and since when (performance.now()). */
  watched: { id: number; since: number } | null;
}

/**
 * The worker loads TypeScript through tsx's API, whoever started this process (npm scripts, vitest):
 * a worker does not inherit the loader hooks of its parent, and `--import tsx` in its execArgv does
 * not apply to the worker's own entry module on Node 20. tsx's ESM API has no CommonJS build that
 * works from an eval'd script, hence the path to its .mjs file, next to its package.json.
 */
const WORKER_BOOTSTRAP = (() => {
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./page-reader-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
})();

/** The worker of a source: a string hash, so the same source always lands on the same one. */
function slotOf(sourceId: string, count: number): number {
  let hash = 0;
  for (let index = 0; index < sourceId.length; index++)
    hash = (Math.imul(hash, 31) + sourceId.charCodeAt(index)) | 0;
  return Math.abs(hash) % count;
}

/** The body in an ArrayBuffer of its own, which can be transferred rather than copied. */
function ownBuffer(body: Uint8Array): Uint8Array<ArrayBuffer> {
  if (
    body.byteOffset === 0 &&
    body.byteLength === body.buffer.byteLength &&
    body.buffer instanceof ArrayBuffer
  )
    return body as Uint8Array<ArrayBuffer>;
  return body.slice();
}

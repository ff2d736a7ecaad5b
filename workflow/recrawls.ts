import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { RecrawlJob, Recrawler } from '../core/recrawl-job.ts';

/** What a recrawl's exit code means (workflow/crawl-main.ts's codes). */
const STATUS_BY_EXIT: Record<number, RecrawlJob['status']> = {
  0: 'done',
  3: 'needs-attention',
  4: 'refused',
};
/** The output kept per job: the summary lines a crawl ends with. */
const OUTPUT_CHARS = 4_000;
/** Finished jobs remembered, newest kept. */
const JOBS_KEPT = 50;

/**
 * Recrawls asked for through the admin API or by the scheduler, each `npm run crawl -- --source ID`
 * in a child process: the crawl then takes the store's writer lock, writes its report and counts
 * failures exactly as when an operator types it, and its memory (the crawl runs with a heap cap) and
 * CPU stay out of the API's. Jobs are remembered in memory only: the reports and the audit log are
 * the record.
 */
export class Recrawls implements Recrawler {
  private readonly list: RecrawlJob[] = [];
  private readonly children = new Map<number, ChildProcess>();
  private readonly ends = new Map<number, Promise<RecrawlJob>>();
  private nextId = 1;

  constructor(
    private readonly options: {
      /** The crawl's environment: the API's own (same DATA_DIR, Meilisearch, SOURCES_FILE). */
      env: NodeJS.ProcessEnv;
      now?: () => Date;
    },
  ) {}

  /**
   * Starts a crawl of the source, or hands back the one of it already running here (asked twice, by
   * an admin and the scheduler): one source is never crawled by two processes at once.
   */
  start(sourceId: string, requestedBy: string): RecrawlJob {
    const already = this.running().find((job) => job.sourceId === sourceId);
    if (already) return already;
    const now = this.options.now ?? (() => new Date());
    const job: RecrawlJob = {
      id: this.nextId++,
      sourceId,
      requestedBy,
      startedAt: now().toISOString(),
      finishedAt: null,
      status: 'running',
      output: '',
    };
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=256', '--import', 'tsx', CRAWL_MAIN, '--source', sourceId],
      { cwd: PROJECT_ROOT, env: this.options.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => (job.output = (job.output + chunk.toString()).slice(-OUTPUT_CHARS));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let ended: (job: RecrawlJob) => void = () => {};
    this.ends.set(job.id, new Promise((resolve) => (ended = resolve)));
    const finish = (code: number | null, error?: Error) => {
      if (job.status !== 'running') return;
      this.children.delete(job.id);
      this.ends.delete(job.id);
      job.finishedAt = now().toISOString();
      job.status = (code !== null && STATUS_BY_EXIT[code]) || 'failed';
      if (error) job.output += `\n${error.message}`;
      ended({ ...job });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
    this.children.set(job.id, child);
    this.list.unshift(job);
    this.list.splice(JOBS_KEPT);
    return job;
  }

  /** Newest first. */
  jobs(): RecrawlJob[] {
    return this.list.map((job) => ({ ...job }));
  }

  /** The crawls running now. */
  running(): RecrawlJob[] {
    return this.jobs().filter((job) => job.status === 'running');
  }

  /** The job as it ended; at once for a job already ended. */
  finished(jobId: number): Promise<RecrawlJob> {
    const running = this.ends.get(jobId);
    if (running) return running;
    const job = this.list.find((one) => one.id === jobId);
    return job ? Promise.resolve({ ...job }) : Promise.reject(new Error(`no recrawl job ${jobId}`));
  }

  /** Stops the crawls still running, as Ctrl-C would (each leaves the store and index clean). */
  async stop(): Promise<void> {
    const running = [...this.children.values()];
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once('close', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const CRAWL_MAIN = path.join('workflow', 'crawl-main.ts');

import { AppError } from '../core/errors.ts';
import { RepeatedBlockFilter } from './extract/repeated-block-filter.ts';
import { type PageContent, readPageContent } from './page-content.ts';

/** A fetched body to decode and extract, with what extraction needs to know about it. */
export interface PageReadRequest {
  /** The source the page belongs to: repeated blocks are learnt per source. */
  sourceId: string;
  /** The final URL (after redirects), as a string: it may cross a worker boundary. */
  url: string;
  headers: Record<string, string>;
  /** Handed over: the reader may transfer it to another thread, so the caller must not reuse it. */
  body: Uint8Array;
}

/**
 * The body could not be read (a damaged or encrypted PDF, an extraction bug, a worker that died).
 * `kind` is the underlying error's code (`pdf_extraction`...), for the crawl report. Fetching the
 * same bytes again would not help, so the crawl records the page as failed without retrying.
 */
export class PageReadError extends AppError {
  readonly code = 'page_read';
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }

  static from(error: unknown): PageReadError {
    if (error instanceof PageReadError) return error;
    const kind = error instanceof AppError ? error.code : 'extraction';
    return new PageReadError(kind, error instanceof Error ? error.message : String(error));
  }
}

/** Turns fetched bodies into page content: in this thread, or in worker threads (page-reader-pool.ts). */
export interface PageReader {
  read(request: PageReadRequest): Promise<PageContent>;
  close(): Promise<void>;
}

/**
 * Reads pages in the calling thread, keeping one repeated-block filter per source. The worker pool
 * runs one of these in each worker; the crawler uses it directly when it is given no worker.
 */
export function createInProcessPageReader(): PageReader {
  const filters = new Map<string, RepeatedBlockFilter>();
  const filterFor = (sourceId: string) => {
    let filter = filters.get(sourceId);
    if (!filter) {
      filter = new RepeatedBlockFilter();
      filters.set(sourceId, filter);
    }
    return filter;
  };
  return {
    read: async ({ sourceId, url, headers, body }) => {
      try {
        return await readPageContent(new URL(url), headers, body, filterFor(sourceId));
      } catch (error) {
        throw PageReadError.from(error);
      }
    },
    close: () => Promise.resolve(),
  };
}

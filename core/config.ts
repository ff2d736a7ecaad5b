import { z } from 'zod';
import { durationMs } from './duration.ts';
import { ConfigError } from './errors.ts';
import { httpUrlList } from './url-list.ts';

/** Every environment variable the project reads, parsed once in each process's `main.ts`. */
/**
 * A Meilisearch embedder (its `embedders` setting, https://www.meilisearch.com/docs/reference/api/settings),
 * for semantic search: an embedding service Meilisearch calls for each page and each query. Only
 * what this project relies on is checked; the rest goes to Meilisearch as written, which checks it.
 */
export const EmbedderSchema = z
  .looseObject({
    source: z.enum(['rest', 'ollama', 'openAi', 'huggingFace']),
    url: z.url({ protocol: /^https?$/ }).optional(),
    documentTemplate: z.string().min(1).optional(),
  })
  .refine((embedder) => embedder.source !== 'rest' || embedder.url !== undefined, {
    message: 'a rest embedder needs a url',
  });
export type EmbedderSettings = z.infer<typeof EmbedderSchema>;

const ConfigFields = z.object({
  MEILI_URL: z.url({ protocol: /^https?$/ }).optional(),
  MEILI_MASTER_KEY: z
    .string()
    .min(16, 'must be at least 16 bytes (Meilisearch refuses shorter keys)')
    .optional(),
  /**
   * Meilisearch hosts holding the same index, for the API's searches and reads (read replicas the
   * operator keeps in step): comma-separated http(s) URLs. Writes still go to MEILI_URL (or the
   * embedded one). Unset: the API searches where it writes.
   */
  MEILI_SEARCH_URLS: httpUrlList().optional(),
  /**
   * The key the API searches MEILI_SEARCH_URLS with, when the operator gives one (a key allowed only
   * `search`, `documents.get` and `tasks.get` on MEILI_INDEX, accepted by every host). Unset: the
   * API's own search-only key, derived from MEILI_MASTER_KEY and registered on each host.
   */
  MEILI_SEARCH_KEY: z.string().min(1).optional(),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a Meilisearch index uid: [A-Za-z0-9_-]')
    .default('documents'),
  DATA_DIR: z.string().min(1).default('./data'),
  SOURCES_FILE: z.string().min(1).default('sources.yaml'),
  /** The partner sites embedding the widget: keys, origins, scopes, allowances. */
  PARTNERS_FILE: z.string().min(1).default('partners.yaml'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Where the API is reached from outside (e.g. https://recherche.example.org), for the links it
   * gives to its own pages; unset: each request's own origin.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * Meilisearch searches each client (IP address) may cause a minute through the API; a long
   * question costs one per variant searched. 0: no limit.
   */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** The API is behind a reverse proxy that appends the client's address to X-Forwarded-For. */
  API_TRUST_PROXY: z.stringbool().default(false),
  /**
   * Semantic search: the Meilisearch embedder, as JSON (see EmbedderSchema). Unset: keyword search
   * only, and an embedder set earlier is removed from the index.
   */
  MEILI_EMBEDDER: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be JSON (a Meilisearch embedder object)' });
        return z.NEVER;
      }
    })
    .pipe(EmbedderSchema)
    .optional(),
  /** Weight of the semantic results against the keyword ones when MEILI_EMBEDDER is set (0-1). */
  SEARCH_SEMANTIC_WEIGHT: z.coerce.number().min(0).max(1).default(0.5),
  /**
   * Admin API tokens, `name:rights:sha256` comma-separated (rights: read or write; the SHA-256 of
   * the token, as `npm run admin:token` prints it). Unset, with ADMIN_TOKENS_FILE unset: every
   * admin request is refused.
   */
  ADMIN_TOKENS: z.string().optional(),
  /** A YAML file of admin tokens, `tokens: [{ name, rights, sha256 }]`, beside or instead of ADMIN_TOKENS. */
  ADMIN_TOKENS_FILE: z.string().min(1).optional(),
  /**
   * The bearer token Prometheus scrapes `GET /metrics` with (an admin token works too). Unset:
   * /metrics does not exist (404). A token's characters only, at least 16 of them: it is all that
   * keeps the API's traffic and sources' health from anyone who asks.
   */
  METRICS_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/=-]+$/, 'letters, digits and . _ ~ + / = - only (it goes in a Bearer header)')
    .min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)')
    .optional(),
  /**
   * On SIGTERM, how long `npm start` lets requests in flight finish (new connections are refused at
   * once) before it closes their connections and stops.
   */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(300).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CRAWL_USER_AGENT: z
    .string()
    .min(1)
    .default('public-action-search/0.1 (+https://github.com/public-action-search/public-action-search)'),
  /** Requests in flight across all hosts (each host also has its own limit, from sources.yaml). */
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * Let host names resolve to private or loopback addresses. Keep false in production (it stops a
   * trusted name re-pointed inside our network from being crawled); the demo and tests set it.
   */
  CRAWL_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
  /**
   * Worker threads that extract pages; unset: one per core beyond the first, at most 4. Set it where
   * the process has fewer cores than the machine shows (a container CPU quota); 0 extracts in the
   * crawl's own thread.
   */
  CRAWL_EXTRACT_WORKERS: z.coerce.number().int().min(0).max(16).optional(),
  /** Every page is requested again (conditionally) at least this often, whatever its sitemap says. */
  CRAWL_REVALIDATE_DAYS: z.coerce.number().min(0).max(365).default(7),
  /** The longest robots.txt Crawl-delay honoured; a site asking more is crawled at this pace. */
  CRAWL_MAX_DELAY_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** How long one source's crawl may run in one run; the next run continues it. */
  CRAWL_SOURCE_BUDGET_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
  /** A source whose crawl fails this many runs in a row is suspended until an admin enables it; 0: never. */
  CRAWL_SUSPEND_AFTER_FAILURES: z.coerce.number().int().min(0).max(1000).default(3),
  /**
   * `npm start` also runs the scheduler, which recrawls each source when it is due; `off` leaves
   * crawling to `npm run crawl` and the admin API's recrawls (another machine schedules them).
   */
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  /** How often a source is recrawled unless its sources.yaml entry says (`crawl.every`). */
  CRAWL_DEFAULT_INTERVAL: durationMs({ min: '1m', max: '365d' }).prefault('1d'),
  /**
   * The longest a failing source waits before its next try: its interval doubles with each failing
   * run in a row, up to this (or its own interval, when longer).
   */
  CRAWL_MAX_BACKOFF: durationMs({ min: '1m', max: '365d' }).prefault('7d'),
  /**
   * Past one machine: the Redis of the crawl queue. Set, `npm start`'s scheduler queues each due
   * source there (BullMQ) and `npm run worker` processes crawl them; unset (the default), the
   * scheduler crawls itself and no Redis is needed.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Sources one `npm run worker` crawls at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
});

/** What one variable cannot say alone: the search hosts' key. */
export const ConfigSchema = ConfigFields.superRefine((config, context) => {
  const problem = (variable: string, message: string) =>
    context.addIssue({ code: 'custom', path: [variable], message });
  if (config.MEILI_SEARCH_KEY !== undefined && config.MEILI_SEARCH_URLS === undefined) {
    problem(
      'MEILI_SEARCH_KEY',
      'is only used with MEILI_SEARCH_URLS (the key the API searches those hosts with)',
    );
  }
  // The point of a search key is that nothing a request makes the API do can write.
  if (config.MEILI_SEARCH_KEY !== undefined && config.MEILI_SEARCH_KEY === config.MEILI_MASTER_KEY) {
    problem(
      'MEILI_SEARCH_KEY',
      'must not be the master key: give a key allowed only search, documents.get and tasks.get on MEILI_INDEX',
    );
  }
  // The embedded Meilisearch's generated master key exists on no other host, so neither does the
  // search key derived from it.
  if (
    config.MEILI_SEARCH_URLS !== undefined &&
    config.MEILI_URL === undefined &&
    config.MEILI_MASTER_KEY === undefined &&
    config.MEILI_SEARCH_KEY === undefined
  ) {
    problem(
      'MEILI_SEARCH_URLS',
      'the hosts need a key the API can search them with: set MEILI_MASTER_KEY (the same on every host) or MEILI_SEARCH_KEY',
    );
  }
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (e.g. `FOO=` in docker-compose) means unset, so its default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ConfigSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: issue.path.join('.'), message: issue.message })),
    );
  }
  return parsed.data;
}

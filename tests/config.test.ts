import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';

describe('configuration from the environment', () => {
  it('applies defaults: embedded Meilisearch, index "documents", port 3000', () => {
    const config = loadConfig({});
    expect(config.MEILI_URL).toBeUndefined();
    expect(config).toMatchObject({
      MEILI_INDEX: 'documents',
      PORT: 3000,
      DATA_DIR: './data',
      API_RATE_LIMIT_PER_MINUTE: 600,
      API_TRUST_PROXY: false,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ MEILI_URL: '', CRAWL_USER_AGENT: '' }).MEILI_URL).toBeUndefined();
  });

  it('names every invalid variable', () => {
    const error = (() => {
      try {
        loadConfig({
          MEILI_URL: 'not a url',
          PORT: '99999',
          MEILI_MASTER_KEY: 'short',
          MEILI_INDEX: 'a b',
          CRAWL_EXTRACT_WORKERS: 'many',
          API_RATE_LIMIT_PER_MINUTE: '-1',
          API_TRUST_PROXY: 'perhaps',
          MEILI_EMBEDDER: '{"source": "rest"}',
          SEARCH_SEMANTIC_WEIGHT: '2',
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
      'API_RATE_LIMIT_PER_MINUTE',
      'API_TRUST_PROXY',
      'CRAWL_EXTRACT_WORKERS',
      'MEILI_EMBEDDER',
      'MEILI_INDEX',
      'MEILI_MASTER_KEY',
      'MEILI_URL',
      'PORT',
      'SEARCH_SEMANTIC_WEIGHT',
    ]);
  });

  it('runs the scheduler daily by default, backing off at most a week, and reads intervals in words', () => {
    expect(loadConfig({})).toMatchObject({
      SCHEDULER: 'on',
      CRAWL_DEFAULT_INTERVAL: 86_400_000,
      CRAWL_MAX_BACKOFF: 7 * 86_400_000,
    });
    expect(loadConfig({ CRAWL_DEFAULT_INTERVAL: '6h', CRAWL_MAX_BACKOFF: '2d' })).toMatchObject({
      CRAWL_DEFAULT_INTERVAL: 6 * 3_600_000,
      CRAWL_MAX_BACKOFF: 2 * 86_400_000,
    });
    expect(() => loadConfig({ CRAWL_DEFAULT_INTERVAL: '24' })).toThrow(/CRAWL_DEFAULT_INTERVAL.*duration/);
    expect(() => loadConfig({ SCHEDULER: 'no' })).toThrow(/SCHEDULER/);
  });

  it('reads a semantic search embedder as JSON, and says when it is not', () => {
    const embedder = { source: 'ollama', url: 'http://127.0.0.1:11434', model: 'bge-m3' };
    expect(loadConfig({ MEILI_EMBEDDER: JSON.stringify(embedder) }).MEILI_EMBEDDER).toEqual(embedder);
    expect(() => loadConfig({ MEILI_EMBEDDER: '{source: rest}' })).toThrow(/MEILI_EMBEDDER.*JSON/);
  });

  it('reads the search hosts as a comma-separated list of URLs, ignoring spaces and a trailing comma', () => {
    const config = loadConfig({
      MEILI_URL: 'http://writer:7700',
      MEILI_SEARCH_URLS: ' http://replica-1:7700, https://replica-2.example.org/meili ,',
    });
    expect(config.MEILI_SEARCH_URLS).toEqual([
      'http://replica-1:7700',
      'https://replica-2.example.org/meili',
    ]);
  });

  it('names MEILI_SEARCH_URLS and each bad entry, never repeating a password', () => {
    const message = (() => {
      try {
        loadConfig({
          MEILI_URL: 'http://writer:7700',
          MEILI_SEARCH_URLS:
            'http://replica-1:7700,replica-2:7700,http://replica-1:7700/,http://me:s3cret@replica-3',
        });
      } catch (caught) {
        return (caught as ConfigError).message;
      }
    })();
    expect(message).toContain("MEILI_SEARCH_URLS: entry 2, 'replica-2:7700': not an http(s) URL");
    expect(message).toContain("MEILI_SEARCH_URLS: entry 3, 'http://replica-1:7700/': listed twice");
    expect(message).toContain('MEILI_SEARCH_URLS: entry 4, (not shown): must not carry a user or password');
    expect(message).not.toContain('s3cret');
  });

  it('asks for a key the search hosts share when the writer is the embedded Meilisearch', () => {
    expect(() => loadConfig({ MEILI_SEARCH_URLS: 'http://replica-1:7700' })).toThrow(
      /MEILI_SEARCH_URLS: .*MEILI_MASTER_KEY.*MEILI_SEARCH_KEY/,
    );
    expect(
      loadConfig({
        MEILI_SEARCH_URLS: 'http://replica-1:7700',
        MEILI_MASTER_KEY: 'a-master-key-of-the-hosts',
      }).MEILI_SEARCH_URLS,
    ).toEqual(['http://replica-1:7700']);
  });

  it('refuses a search key without search hosts, or one that is the master key', () => {
    expect(() => loadConfig({ MEILI_SEARCH_KEY: 'a-search-only-key' })).toThrow(
      /MEILI_SEARCH_KEY: is only used with MEILI_SEARCH_URLS/,
    );
    expect(() =>
      loadConfig({
        MEILI_SEARCH_URLS: 'http://replica-1:7700',
        MEILI_MASTER_KEY: 'the-same-key-twice',
        MEILI_SEARCH_KEY: 'the-same-key-twice',
      }),
    ).toThrow(/MEILI_SEARCH_KEY: must not be the master key/);
  });
});

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
});

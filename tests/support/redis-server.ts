import { afterAll, beforeAll } from 'vitest';
import { startRedisServer } from '../../fixture-web/redis-server.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Redis (fixture-web/redis-server.ts) for the test file: started before its tests, stopped
 * after them. Call it at the top of the file (hooks registered inside another hook or a test are
 * not run, and the server would outlive the file).
 */
export function useTestRedis(): () => TestRedis {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return () => {
    if (!redis) throw new Error('the test Redis is not started: call useTestRedis() at the top of the file');
    return redis;
  };
}

import { afterAll } from 'vitest';
import { startRedisServer } from '../../fixture-web/redis-server.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A real Redis (fixture-web/redis-server.ts) for the test file, stopped after its tests. */
export async function startTestRedis(): Promise<TestRedis> {
  const redis = await startRedisServer();
  afterAll(() => redis.stop());
  return redis;
}

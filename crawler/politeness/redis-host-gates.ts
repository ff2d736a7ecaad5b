import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.ts';
import type { HostGateLike, HostPoliteness } from './host-politeness.ts';

/**
 * A turn: the next start is the later of now and the previous reservation plus the host's spacing,
 * and none before a Retry-After back-off has passed. Reserved in one atomic script on Redis's own
 * clock, so workers on several machines agree; the keys expire once the host has been left alone.
 * Returns {reserved (1) or blocked (0), ms to wait}.
 */
const TURN_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return {0, blocked - now} end
local spacing = tonumber(ARGV[1])
local startAt = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], startAt + spacing, 'PX', startAt - now + spacing + 600000)
return {1, startAt - now}`;

const BACK_OFF_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 600000)
end
return 1`;

/**
 * A slot: at most ARGV[1] holders at once; a holder's slot lapses after ARGV[3] ms (a worker that
 * died frees its slots). Returns 1 when taken.
 */
const SLOT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0`;

export interface RedisHostGatesOptions {
  redis: Redis;
  /** Request starts per second for an origin (the slowest of its sources in the whitelist); 0: none. */
  requestsPerSecond: (origin: string) => number;
  /** Requests in flight at once to an origin, across all workers. */
  maxConcurrency: (origin: string) => number;
  /** The longest Crawl-delay honoured, in seconds. */
  maxCrawlDelaySeconds: number;
  /** Keys are `<prefix>:<kind>:<origin>`. */
  keyPrefix?: string;
  /** How often a worker asks again for a slot another holds. */
  slotPollMs?: number;
  /** A slot not given back by then lapses (its worker died mid-request). */
  slotLeaseMs?: number;
  log: Logger;
}

/**
 * Each host's politeness held across every crawl worker (`npm run worker`) through one Redis:
 * request starts spaced by the host's rate and Crawl-delay, a Retry-After back-off seen by all, and
 * the host's concurrency counted over all workers. Hand-written Lua rather than a rate-limiter
 * library: those count requests per window (bursts at window edges), where robots.txt's
 * Crawl-delay asks for a gap between any two requests, which a reservation of the next start gives.
 */
export class RedisHostGates implements HostPoliteness {
  private readonly crawlDelays = new Map<string, number>();
  private readonly gates = new Map<string, HostGateLike>();
  private readonly prefix: string;
  /** Slots taken and not yet given back, token → key: freed at once if the worker stops. */
  private readonly held = new Map<string, string>();
  /** Set when the worker stops: no slot is taken any more, since none would be given back. */
  private stopped = false;
  /** Back-offs being written: the next turn waits for them, so none is lost or left floating. */
  private backOffs: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RedisHostGatesOptions) {
    this.prefix = options.keyPrefix ?? 'pas:host';
  }

  of(url: URL): HostGateLike {
    const origin = url.origin;
    let gate = this.gates.get(origin);
    if (!gate) {
      gate = { turn: () => this.takeTurn(origin), backOff: (ms) => this.backOff(origin, ms) };
      this.gates.set(origin, gate);
    }
    return gate;
  }

  turn(url: URL): Promise<void> {
    return this.of(url).turn();
  }

  applyCrawlDelay(origin: URL, seconds: number | null | undefined): number {
    const honoured = Math.min(seconds ?? 0, this.options.maxCrawlDelaySeconds);
    this.crawlDelays.set(origin.origin, honoured);
    return honoured;
  }

  async withSlot<T>(url: URL, request: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}:slots:${url.origin}`;
    const token = randomUUID();
    const limit = Math.max(1, this.options.maxConcurrency(url.origin));
    const leaseMs = this.options.slotLeaseMs ?? 300_000;
    for (;;) {
      if (this.stopped) throw new Error('the worker is stopping: no more requests');
      if ((await this.options.redis.eval(SLOT_SCRIPT, 1, key, limit, token, leaseMs)) === 1) break;
      await sleep(this.options.slotPollMs ?? 25);
    }
    this.held.set(token, key);
    if (this.stopped) {
      // Stopped while the slot was being taken: give it back rather than leave it to lapse.
      this.held.delete(token);
      await this.options.redis.zrem(key, token);
      throw new Error('the worker is stopping: no more requests');
    }
    try {
      return await request();
    } finally {
      this.held.delete(token);
      await this.options.redis.zrem(key, token);
    }
  }

  /**
   * Takes no more slots and gives back every one this process holds: it stops in the middle of
   * requests (SIGTERM), and the worker resuming its crawl must not wait for the slots to lapse.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const held = [...this.held];
    this.held.clear();
    await Promise.all(held.map(([token, key]) => this.options.redis.zrem(key, token)));
  }

  private spacingMs(origin: string): number {
    const rate = this.options.requestsPerSecond(origin);
    return Math.max(rate > 0 ? 1000 / rate : 0, (this.crawlDelays.get(origin) ?? 0) * 1000);
  }

  private async takeTurn(origin: string): Promise<void> {
    await this.backOffs;
    const keys = [`${this.prefix}:next:${origin}`, `${this.prefix}:blocked:${origin}`];
    for (;;) {
      const [reserved, waitMs] = (await this.options.redis.eval(
        TURN_SCRIPT,
        2,
        ...keys,
        Math.ceil(this.spacingMs(origin)),
      )) as [number, number];
      if (waitMs > 0) await sleep(waitMs);
      if (reserved === 1) return;
    }
  }

  private backOff(origin: string, delayMs: number): void {
    const key = `${this.prefix}:blocked:${origin}`;
    this.backOffs = this.backOffs
      .then(() => this.options.redis.eval(BACK_OFF_SCRIPT, 1, key, Math.ceil(delayMs)))
      .catch((error: unknown) =>
        this.options.log.warn({ err: error, origin }, 'could not share a back-off through Redis'),
      );
  }
}

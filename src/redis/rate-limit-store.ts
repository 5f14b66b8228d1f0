import { performance } from "node:perf_hooks";
import type { FastifyBaseLogger } from "fastify";
import type { Redis, Result } from "ioredis";
import type { RateLimitRule, RateLimitStore } from "../security/rate-limit.js";

declare module "ioredis" {
  interface RedisCommander<Context> {
    latchkeyRateLimitHit(
      key: string,
      now: number,
      windowMs: number,
      ttlMs: number,
    ): Result<number[], Context>;
  }
}

/**
 * The SQL store's semantics in one atomic script: the window opens at the first hit and
 * closes `windowMs` later (by the caller's clock, like the SQL store, so the two agree);
 * a hit after that opens a new window. The key expires with some slack once the window
 * is over, only to reclaim memory.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local started = tonumber(redis.call('HGET', KEYS[1], 's'))
if started == nil or started <= now - window then
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'h', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {1, now}
end
return {redis.call('HINCRBY', KEYS[1], 'h', 1), started}
`;

/** Extra key lifetime past the window, so instances with slightly skewed clocks agree. */
const EXPIRY_SLACK_MS = 60_000;
/** After a failed command, go straight to the fallback for this long instead of waiting on Redis per request. */
const PAUSE_AFTER_FAILURE_MS = 1000;

export interface RedisRateLimitStore extends RateLimitStore {
  /** `shared` while Redis answers; `fallback` while the SQL store is counting instead. */
  mode(): "shared" | "fallback";
}

/**
 * Rate-limit windows in Redis, shared by every instance. When Redis cannot be reached (or
 * is slow) each hit is counted by `fallback` — the SQL store, itself shared through the
 * database — so limits never lapse and no request fails because of Redis. Shared mode
 * comes back by itself as soon as the connection is ready again.
 */
export function createRedisRateLimitStore({
  redis,
  fallback,
  keyPrefix,
  log,
}: {
  redis: Redis;
  fallback: RateLimitStore;
  keyPrefix: string;
  log: FastifyBaseLogger;
}): RedisRateLimitStore {
  redis.defineCommand("latchkeyRateLimitHit", { numberOfKeys: 1, lua: HIT_SCRIPT });
  let mode: "shared" | "fallback" = "shared";
  let pausedUntil = 0;

  function switchTo(next: "shared" | "fallback", error?: unknown) {
    if (mode === next) return;
    mode = next;
    if (next === "fallback")
      log.warn({ err: error }, "rate limits: Redis unavailable, counting in the database instead");
    else log.info("rate limits: Redis reachable again, counting in Redis");
  }

  function isRedisUsable(): boolean {
    return redis.status === "ready" && performance.now() >= pausedUntil;
  }

  async function hitRedis({ key, windowMs, limit }: RateLimitRule, now: number) {
    const reply = await redis.latchkeyRateLimitHit(
      `${keyPrefix}rl:${key}`,
      now,
      windowMs,
      windowMs + EXPIRY_SLACK_MS,
    );
    const hits = Number(reply[0]);
    const startedAt = Number(reply[1]);
    return { isAllowed: hits <= limit, hits, retryAfterMs: Math.max(0, startedAt + windowMs - now) };
  }

  return {
    name: "redis",
    mode: () => mode,
    async hit(rule, now) {
      if (isRedisUsable()) {
        try {
          const result = await hitRedis(rule, now);
          switchTo("shared");
          return result;
        } catch (error) {
          pausedUntil = performance.now() + PAUSE_AFTER_FAILURE_MS;
          switchTo("fallback", error);
        }
      } else {
        switchTo("fallback");
      }
      return fallback.hit(rule, now);
    },
    async reset(key) {
      await fallback.reset(key);
      if (!isRedisUsable()) return;
      try {
        await redis.del(`${keyPrefix}rl:${key}`);
      } catch (error) {
        log.warn({ err: error }, "rate limits: could not reset a Redis window");
      }
    },
  };
}

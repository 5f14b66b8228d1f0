import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { loadOnFirstUse } from "../load-on-first-use.js";

export interface RedisClientOptions {
  url: string;
  /** Shows in `CLIENT LIST`, and in our logs. */
  name: string;
  commandTimeoutMs: number;
  /** A subscriber queues SUBSCRIBE until connected and re-subscribes after a reconnect. */
  isSubscriber?: boolean;
  log: FastifyBaseLogger;
}

/**
 * One ioredis connection tuned to fail fast: while Redis is down a command is refused at
 * once (no offline queue, no retries) instead of holding a request, and a command to a
 * Redis that stopped answering gives up after `commandTimeoutMs`. ioredis keeps
 * reconnecting in the background (backoff capped at 2 s), so callers see Redis come back
 * without a restart.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const isSubscriber = options.isSubscriber === true;
  const { Redis: RedisClient } = loadOnFirstUse<typeof import("ioredis")>("ioredis");
  const client = new RedisClient(options.url, {
    connectionName: options.name,
    enableOfflineQueue: isSubscriber,
    maxRetriesPerRequest: isSubscriber ? null : 0,
    ...(isSubscriber ? {} : { commandTimeout: options.commandTimeoutMs }),
    connectTimeout: Math.max(1000, options.commandTimeoutMs * 2),
    retryStrategy: (times) => Math.min(times * 100, 2000),
    keepAlive: 10_000,
  });
  // ioredis emits an error on every failed reconnect; log the first of a run only.
  let isFailing = false;
  client.on("error", (error: Error) => {
    if (isFailing) return;
    isFailing = true;
    options.log.warn({ err: error, redis: options.name }, "redis unavailable; retrying in the background");
  });
  client.on("ready", () => {
    if (!isFailing) return;
    isFailing = false;
    options.log.info({ redis: options.name }, "redis reachable again");
  });
  return client;
}

/** Closes at once: nothing waits on these connections at shutdown. */
export function closeRedisClient(client: Redis): void {
  client.disconnect(false);
}

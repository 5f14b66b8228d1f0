import type { FastifyBaseLogger } from "fastify";
import type { RateLimitStore } from "../security/rate-limit.js";
import type { RevocationBus } from "../sessions/index.js";
import { closeRedisClient, createRedisClient } from "./client.js";
import { createRedisRateLimitStore, type RedisRateLimitStore } from "./rate-limit-store.js";
import { createRedisRevocationBus } from "./revocation-bus.js";

export { createRedisClient } from "./client.js";
export { createRedisRateLimitStore, type RedisRateLimitStore } from "./rate-limit-store.js";
export { createRedisRevocationBus } from "./revocation-bus.js";

export interface RedisServices {
  limits: RedisRateLimitStore;
  revocations: RevocationBus;
  close(): Promise<void>;
}

/**
 * What Latchkey keeps in Redis when REDIS_URL is set: shared rate-limit windows (with the
 * SQL store as the fallback) and the revocation channel. Two connections: commands and
 * publishing share one, a subscribed connection can do nothing else.
 */
export function createRedisServices({
  url,
  keyPrefix,
  commandTimeoutMs,
  fallbackLimits,
  log,
}: {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  fallbackLimits: RateLimitStore;
  log: FastifyBaseLogger;
}): RedisServices {
  const commands = createRedisClient({ url, name: "latchkey", commandTimeoutMs, log });
  const subscriber = createRedisClient({
    url,
    name: "latchkey-revocations",
    commandTimeoutMs,
    isSubscriber: true,
    log,
  });
  return {
    limits: createRedisRateLimitStore({ redis: commands, fallback: fallbackLimits, keyPrefix, log }),
    revocations: createRedisRevocationBus({
      publisher: commands,
      subscriber,
      channel: `${keyPrefix}revocations`,
      log,
    }),
    async close() {
      closeRedisClient(subscriber);
      closeRedisClient(commands);
    },
  };
}

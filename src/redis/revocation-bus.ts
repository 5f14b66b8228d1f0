import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import type { RevocationBus } from "../sessions/index.js";

const MAX_IDS_PER_MESSAGE = 10_000;
const SESSION_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

function parseMessage(message: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed) || parsed.length > MAX_IDS_PER_MESSAGE) return undefined;
    return parsed.filter((id): id is string => typeof id === "string" && SESSION_ID_SHAPE.test(id));
  } catch {
    return undefined;
  }
}

/**
 * Revocations announced to every instance over Redis pub/sub, so a session ended on one
 * instance is refused on all of them at once rather than when their cached entry expires.
 * Pub/sub is best effort: a message lost while Redis is down only means the other
 * instances notice at the end of the session cache TTL (1 s by default), so publishing
 * never fails a request.
 */
export function createRedisRevocationBus({
  publisher,
  subscriber,
  channel,
  log,
}: {
  publisher: Redis;
  subscriber: Redis;
  channel: string;
  log: FastifyBaseLogger;
}): RevocationBus {
  const listeners = new Set<(sessionIds: string[]) => void>();
  const deliver = (sessionIds: string[]) => {
    for (const listener of listeners) listener(sessionIds);
  };

  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const sessionIds = parseMessage(message);
    if (sessionIds && sessionIds.length > 0) deliver(sessionIds);
  });
  subscriber.subscribe(channel).catch((error: unknown) => {
    log.warn(
      { err: error },
      "revocations: could not subscribe; other instances' revocations wait for the cache TTL",
    );
  });

  return {
    async publish(sessionIds) {
      deliver(sessionIds);
      if (sessionIds.length === 0) return;
      try {
        await publisher.publish(channel, JSON.stringify(sessionIds));
      } catch (error) {
        log.warn(
          { err: error },
          "revocations: Redis unavailable; other instances notice within the cache TTL",
        );
      }
    },
    subscribe(listener) {
      listeners.add(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

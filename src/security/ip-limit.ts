import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Clock } from "../clock.js";
import { clientKeyOf } from "./client-ip.js";
import { enforceRateLimits, type RateLimitStore } from "./rate-limit.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A per-client-IP window limit for this route. */
    ipLimit?: IpLimitRule;
  }
}

export interface IpLimitRule {
  name: string;
  perMinute: number;
}

/**
 * Per-IP limits, counted in the shared store so they hold across instances. A route asks
 * for one in its own `config.ipLimit`, so renaming or moving it keeps its limit.
 */
export const ipLimitPlugin = fp(
  async (
    app: FastifyInstance,
    { store, clock, isEnabled }: { store: RateLimitStore; clock: Clock; isEnabled: boolean },
  ) => {
    if (!isEnabled) return;
    app.addHook("preHandler", async (request) => {
      const rule = request.routeOptions.config?.ipLimit;
      if (!rule) return;
      await enforceRateLimits(
        store,
        [{ key: `${rule.name}-ip:${clientKeyOf(request.ip)}`, windowMs: 60_000, limit: rule.perMinute }],
        clock.now(),
      );
    });
  },
  { name: "ip-limit" },
);

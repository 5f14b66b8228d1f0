import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import { countInFixedWindow } from "./fixed-window.js";

export interface RateLimitRule {
  /** e.g. `send:email:<hash>`; never a raw email or IP-free secret. */
  key: string;
  windowMs: number;
  limit: number;
}

export interface RateLimitResult {
  isAllowed: boolean;
  hits: number;
  retryAfterMs: number;
}

/**
 * Counts hits in a window that opens at the first hit, so `limit: 1, windowMs: 30_000` is
 * a true 30 s cooldown. Shared by every instance: SQL by default, Redis when configured.
 */
export interface RateLimitStore {
  readonly name: string;
  hit(rule: RateLimitRule, now: number): Promise<RateLimitResult>;
  reset(key: string): Promise<void>;
}

export function createSqlRateLimitStore(db: Db): RateLimitStore {
  return {
    name: "sql",
    async hit({ key, windowMs, limit }, now) {
      const row = await db
        .insertInto("rate_limits")
        .values({ key, window_started_at: now, hits: 1 })
        .onConflict((conflict) =>
          conflict.column("key").doUpdateSet((update) => {
            const window = countInFixedWindow({
              count: update.ref("rate_limits.hits"),
              windowStartedAt: update.ref("rate_limits.window_started_at"),
              closedIfStartedBy: now - windowMs,
              now,
            });
            return { hits: window.count, window_started_at: window.windowStartedAt };
          }),
        )
        .returning(["hits", "window_started_at"])
        .executeTakeFirstOrThrow();
      const hits = Number(row.hits);
      return {
        isAllowed: hits <= limit,
        hits,
        retryAfterMs: Math.max(0, Number(row.window_started_at) + windowMs - now),
      };
    },
    async reset(key) {
      await db.deleteFrom("rate_limits").where("key", "=", key).execute();
    },
  };
}

/** Applies the rules in order; throws `rate_limited` with `Retry-After` at the first refusal. */
export async function enforceRateLimits(
  store: RateLimitStore,
  rules: RateLimitRule[],
  now: number,
  onRefused?: (rule: RateLimitRule) => void,
): Promise<void> {
  for (const rule of rules) {
    const result = await store.hit(rule, now);
    if (!result.isAllowed) {
      onRefused?.(rule);
      throw new AppError("rate_limited", { retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) });
    }
  }
}

/** Deletes windows that closed long ago. */
export async function pruneRateLimits(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom("rate_limits").where("window_started_at", "<", olderThan).execute();
}

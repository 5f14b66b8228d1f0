import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";

/**
 * The two columns of a fixed-window counter, as the `do update set` of an upsert whose
 * insert wrote a count of 1 and a window started at `now`. A window opens at its first
 * hit and closes a window's length later: a hit once it has closed (a window started at
 * or before `closedIfStartedBy`, i.e. now − the length, or when `restartsWhen` holds)
 * opens a new window at `now` with a count of 1; any other adds one to the count.
 *
 * Both values read the row as it was before this write, so the whole hit stays one
 * atomic statement on SQLite and PostgreSQL however many hits race. `now` and
 * `closedIfStartedBy` are parameters, not literals, so the statement's text (and its
 * prepared plan) is reused, and it can be precompiled (src/db/precompiled.ts).
 * The Redis rate-limit store's script (src/redis/rate-limit-store.ts) counts the same way.
 */
export function countInFixedWindow({
  count,
  windowStartedAt,
  closedIfStartedBy,
  now,
  restartsWhen,
}: {
  /** The stored count, e.g. `update.ref("rate_limits.hits")`. */
  count: Expression<number>;
  /** The stored start of the window. */
  windowStartedAt: Expression<number>;
  /** now − the window's length: a window started at or before it has closed. */
  closedIfStartedBy: number;
  now: number;
  /** Another reason to start again, e.g. the whole record has gone idle. */
  restartsWhen?: Expression<SqlBool>;
}): { count: RawBuilder<number>; windowStartedAt: RawBuilder<number> } {
  const hasClosed = sql<SqlBool>`${windowStartedAt} <= ${closedIfStartedBy}`;
  const startsAgain = restartsWhen ? sql<SqlBool>`(${restartsWhen} or ${hasClosed})` : hasClosed;
  return {
    count: sql<number>`case when ${startsAgain} then ${sql.lit(1)} else ${count} + ${1} end`,
    windowStartedAt: sql<number>`case when ${startsAgain} then ${now} else ${windowStartedAt} end`,
  };
}

import { type Expression, sql } from "kysely";
import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { CodeFailuresTable } from "../db/tables.js";
import { AppError } from "../errors.js";
import { countInFixedWindow } from "./fixed-window.js";

const HOUR_MS = 3_600_000;
/** A hard stop ends this long after the last counted attempt; a count idle this long starts again. */
export const HARD_STOP_MS = 24 * HOUR_MS;
/** Wrong codes allowed before delays start rising. */
const FREE_FAILURES = 4;
const MAX_DELAY_SECONDS = 60;
/** Past the hard-stop count in OTP-only mode the delay keeps doubling, up to this. */
const MAX_ESCALATED_DELAY_SECONDS = 3600;

export interface DelayPolicy {
  hardStop: number;
  /** OTP-only: no link can lift a stop, so the stop becomes an ever longer delay. */
  isOtpOnly: boolean;
}

/**
 * Seconds to wait after the `consecutiveFailures`-th counted attempt: 0 for the first few,
 * then 2, 4, 8 … capped at 60 s. In OTP-only mode, from the hard-stop count on, 60 s
 * doubling up to an hour instead of a stop.
 */
export function delaySecondsAfter(
  consecutiveFailures: number,
  { hardStop, isOtpOnly }: DelayPolicy = { hardStop: Number.POSITIVE_INFINITY, isOtpOnly: false },
): number {
  if (isOtpOnly && consecutiveFailures >= hardStop) {
    return Math.min(MAX_ESCALATED_DELAY_SECONDS, MAX_DELAY_SECONDS * 2 ** (consecutiveFailures - hardStop));
  }
  if (consecutiveFailures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** (consecutiveFailures - FREE_FAILURES));
}

/** `delaySecondsAfter(count)` as SQL: one CASE branch wherever the delay changes (it only rises). */
function delaySecondsSql(count: Expression<number>, policy: DelayPolicy) {
  const branches: [number, number][] = [];
  let previous = -1;
  for (let n = 1; ; n++) {
    const delay = delaySecondsAfter(n, policy);
    if (delay !== previous) branches.push([n, delay]);
    previous = delay;
    const isFinal = delay >= MAX_ESCALATED_DELAY_SECONDS || (!policy.isOtpOnly && delay >= MAX_DELAY_SECONDS);
    if (isFinal || n > 10_000) break;
  }
  // Branch k covers counts from its n up to the next branch's n − 1; the last one the rest.
  const cases = branches
    .slice(1)
    .map(([n], index) => sql`when ${count} < ${sql.lit(n)} then ${sql.lit(branches[index]?.[1] ?? 0)}`);
  return sql<number>`case ${sql.join(cases, sql` `)} else ${sql.lit(branches.at(-1)?.[1] ?? 0)} end`;
}

/**
 * The failure budget per email across all its challenges and every IP (SECURITY.md 7, 36).
 * A fresh challenge gives an attacker a fresh per-challenge counter, but not a fresh
 * budget: after `perHour` code attempts without a sign-in in an hour, or `hardStop` in a
 * row, code entry for that email stops. The hard stop ends 24 h after the last attempt; in
 * OTP-only mode (no link to fall back on) it is never a stop but a delay that doubles up
 * to an hour. Links keep working (their token is unguessable), a successful sign-in
 * clears the count, and a count idle for 24 h starts again (and is pruned). Unknown
 * emails are counted the same way, so a lock reveals nothing.
 *
 * An attempt is charged before its code is compared, in one conditional upsert that also
 * holds the rising delay, so parallel guesses can never get more comparisons, or come
 * sooner, than the rules allow.
 */
const selectFailures = precompiled<{ emailHash: string }, CodeFailuresTable>((db, param) =>
  db.selectFrom("code_failures").selectAll().where("email_hash", "=", param("emailHash")),
);

const deleteFailures = precompiled<{ emailHash: string }, never>((db, param) =>
  db.deleteFrom("code_failures").where("email_hash", "=", param("emailHash")),
);

export function createCodeFailureBudget({
  db,
  perHour,
  hardStop,
  isOtpOnly = false,
}: {
  db: Db;
  perHour: number;
  hardStop: number;
  isOtpOnly?: boolean;
}) {
  const policy: DelayPolicy = { hardStop, isOtpOnly };

  /** The charge as one statement, compiled once with this budget's caps as constants. */
  const chargeIfAllowed = precompiled<
    {
      emailHash: string;
      now: number;
      firstNextAttemptAt: number;
      idleBefore: number;
      windowOpenedBefore: number;
    },
    { email_hash: string }
  >((db, param) =>
    db
      .insertInto("code_failures")
      .values({
        email_hash: param("emailHash"),
        consecutive: 1,
        window_started_at: param("now"),
        window_failures: 1,
        last_failure_at: param("now"),
        next_attempt_at: param("firstNextAttemptAt"),
      })
      .onConflict((conflict) =>
        conflict
          .column("email_hash")
          .doUpdateSet((update) => {
            const isIdle = update("code_failures.last_failure_at", "<=", param("idleBefore"));
            const window = countInFixedWindow({
              count: update.ref("code_failures.window_failures"),
              windowStartedAt: update.ref("code_failures.window_started_at"),
              closedIfStartedBy: param("windowOpenedBefore"),
              now: param("now"),
              restartsWhen: isIdle,
            });
            const count = update
              .case()
              .when(isIdle)
              .then(1)
              .else(update("code_failures.consecutive", "+", 1))
              .end();
            return {
              consecutive: count,
              last_failure_at: param("now"),
              next_attempt_at: sql<number>`cast(${param("now")} as bigint) + 1000 * ${delaySecondsSql(count, policy)}`,
              window_failures: window.count,
              window_started_at: window.windowStartedAt,
            };
          })
          .where((where) =>
            where.or([
              where("code_failures.last_failure_at", "<=", param("idleBefore")),
              where.and([
                where("code_failures.next_attempt_at", "<=", param("now")),
                ...(isOtpOnly ? [] : [where("code_failures.consecutive", "<", hardStop)]),
                where.or([
                  where("code_failures.window_started_at", "<=", param("windowOpenedBefore")),
                  where("code_failures.window_failures", "<", perHour),
                ]),
              ]),
            ]),
          ),
      )
      .returning("email_hash"),
  );

  /**
   * Throws `code_entry_locked` (with Retry-After) when codes are not accepted for this
   * email now, or `rate_limited` while the rising delay after the last attempt runs.
   */
  async function assertCodeEntryAllowed(emailHash: string, now: number): Promise<void> {
    const row = await selectFailures.takeFirst(db, { emailHash });
    if (!row || Number(row.last_failure_at) <= now - HARD_STOP_MS) return;
    if (!isOtpOnly && row.consecutive >= hardStop) {
      const endsAt = Number(row.last_failure_at) + HARD_STOP_MS;
      const retryAfterSeconds = Math.ceil((endsAt - now) / 1000);
      throw new AppError("code_entry_locked", { retryAfterSeconds, extra: { reason: "hard_stop" } });
    }
    const windowEndsAt = Number(row.window_started_at) + HOUR_MS;
    if (now < windowEndsAt && row.window_failures >= perHour) {
      throw new AppError("code_entry_locked", { retryAfterSeconds: Math.ceil((windowEndsAt - now) / 1000) });
    }
    const nextAttemptAt = Number(row.next_attempt_at);
    if (now < nextAttemptAt) {
      throw new AppError("rate_limited", { retryAfterSeconds: Math.ceil((nextAttemptAt - now) / 1000) });
    }
  }

  /**
   * Counts one code attempt before the comparison; a success then `reset`s the count.
   * One conditional upsert, incremented in SQL: when a cap is reached or the delay still
   * runs nothing is written and this throws as `assertCodeEntryAllowed`, however many
   * attempts race.
   */
  async function chargeAttempt(emailHash: string, now: number): Promise<void> {
    const charged = await chargeIfAllowed.takeFirst(db, {
      emailHash,
      now,
      firstNextAttemptAt: now + delaySecondsAfter(1, policy) * 1000,
      idleBefore: now - HARD_STOP_MS,
      windowOpenedBefore: now - HOUR_MS,
    });
    if (charged) return;
    await assertCodeEntryAllowed(emailHash, now);
    // Another attempt won the race for this moment; the caller may try again at once.
    throw new AppError("rate_limited", { retryAfterSeconds: 1 });
  }

  async function reset(emailHash: string, executor: Db = db): Promise<void> {
    await deleteFailures.execute(executor, { emailHash });
  }

  return { assertCodeEntryAllowed, chargeAttempt, reset };
}

/** Deletes counts idle for longer than the hard stop lasts: they no longer limit anything. */
export async function pruneCodeFailures(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("code_failures")
    .where("last_failure_at", "<=", now - HARD_STOP_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type CodeFailureBudget = ReturnType<typeof createCodeFailureBudget>;

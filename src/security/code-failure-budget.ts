import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";

const HOUR_MS = 3_600_000;
/** Wrong codes allowed before delays start rising. */
const FREE_FAILURES = 4;
const MAX_DELAY_SECONDS = 60;

/** 0 s for the first few failures, then 2, 4, 8 … capped at 60 s between attempts. */
export function delaySecondsAfter(consecutiveFailures: number): number {
  if (consecutiveFailures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** (consecutiveFailures - FREE_FAILURES));
}

/**
 * The failure budget per email across all its challenges and every IP (SECURITY.md 7, 36).
 * A fresh challenge gives an attacker a fresh per-challenge counter, but not a fresh
 * budget: after `perHour` code attempts without a sign-in in an hour, or `hardStop` in a
 * row, code entry for that email stops. Links keep working (their token is unguessable),
 * so the owner can always sign in, and a successful sign-in clears the count. Unknown
 * emails are counted the same way, so a lock reveals nothing.
 *
 * An attempt is charged before its code is compared, in one conditional upsert, so
 * parallel guesses can never get more comparisons than the caps allow; the rising delays
 * between attempts are checked first and are advisory spacing on top of the exact caps.
 */
export function createCodeFailureBudget({
  db,
  perHour,
  hardStop,
}: {
  db: Db;
  perHour: number;
  hardStop: number;
}) {
  /**
   * Throws `code_entry_locked` (with Retry-After) when codes are not accepted for this
   * email now, or `rate_limited` while the rising delay after the last failure runs.
   */
  async function assertCodeEntryAllowed(emailHash: string, now: number): Promise<void> {
    const row = await db
      .selectFrom("code_failures")
      .selectAll()
      .where("email_hash", "=", emailHash)
      .executeTakeFirst();
    if (!row) return;
    if (row.consecutive >= hardStop) {
      throw new AppError("code_entry_locked", { retryAfterSeconds: 3600, extra: { reason: "hard_stop" } });
    }
    const windowEndsAt = Number(row.window_started_at) + HOUR_MS;
    if (now < windowEndsAt && row.window_failures >= perHour) {
      throw new AppError("code_entry_locked", { retryAfterSeconds: Math.ceil((windowEndsAt - now) / 1000) });
    }
    const nextAllowedAt = Number(row.last_failure_at) + delaySecondsAfter(row.consecutive) * 1000;
    if (now < nextAllowedAt) {
      throw new AppError("rate_limited", { retryAfterSeconds: Math.ceil((nextAllowedAt - now) / 1000) });
    }
  }

  /**
   * Counts one code attempt before the comparison; a success then `reset`s the count.
   * One conditional upsert, incremented in SQL: when the caps are already reached nothing
   * is written and this throws `code_entry_locked`, however many attempts race.
   */
  async function chargeAttempt(emailHash: string, now: number): Promise<void> {
    const windowOpenedBefore = now - HOUR_MS;
    const charged = await db
      .insertInto("code_failures")
      .values({
        email_hash: emailHash,
        consecutive: 1,
        window_started_at: now,
        window_failures: 1,
        last_failure_at: now,
      })
      .onConflict((conflict) =>
        conflict
          .column("email_hash")
          .doUpdateSet((update) => ({
            consecutive: update("code_failures.consecutive", "+", 1),
            last_failure_at: now,
            window_failures: update
              .case()
              .when("code_failures.window_started_at", "<=", windowOpenedBefore)
              .then(1)
              .else(update("code_failures.window_failures", "+", 1))
              .end(),
            window_started_at: update
              .case()
              .when("code_failures.window_started_at", "<=", windowOpenedBefore)
              .then(now)
              .else(update.ref("code_failures.window_started_at"))
              .end(),
          }))
          .where("code_failures.consecutive", "<", hardStop)
          .where((where) =>
            where.or([
              where("code_failures.window_started_at", "<=", windowOpenedBefore),
              where("code_failures.window_failures", "<", perHour),
            ]),
          ),
      )
      .returning("email_hash")
      .executeTakeFirst();
    if (!charged) throw new AppError("code_entry_locked", { retryAfterSeconds: 3600 });
  }

  async function reset(emailHash: string, executor: Db = db): Promise<void> {
    await executor.deleteFrom("code_failures").where("email_hash", "=", emailHash).execute();
  }

  return { assertCodeEntryAllowed, chargeAttempt, reset };
}

export type CodeFailureBudget = ReturnType<typeof createCodeFailureBudget>;

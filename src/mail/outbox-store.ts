import type { Db } from "../db/database.js";

export interface OutboxEntry {
  id: string;
  recipient: string;
  sealedMessage: string;
  attempts: number;
  authRequestId: string | null;
}

export async function insertOutboxEntry(
  db: Db,
  entry: { id: string; authRequestId: string | null; recipient: string; sealedMessage: string; now: number },
): Promise<void> {
  await db
    .insertInto("mail_outbox")
    .values({
      id: entry.id,
      auth_request_id: entry.authRequestId,
      recipient: entry.recipient,
      sealed_message: entry.sealedMessage,
      next_attempt_at: entry.now,
      locked_until: null,
      created_at: entry.now,
      sent_at: null,
      failed_at: null,
      error: null,
    })
    .execute();
}

/**
 * Claims up to `limit` due messages for this worker for `leaseMs`. The lease is one
 * conditional UPDATE, so two workers (or two instances) never claim the same row; a
 * worker that dies leaves rows that become due again when the lease runs out.
 */
export async function claimDueEntries(
  db: Db,
  {
    now,
    leaseMs,
    limit,
    dialect,
  }: { now: number; leaseMs: number; limit: number; dialect: "sqlite" | "postgres" },
): Promise<OutboxEntry[]> {
  function dueQuery() {
    return db
      .selectFrom("mail_outbox")
      .select("id")
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .where("next_attempt_at", "<=", now)
      .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
      .orderBy("next_attempt_at")
      .limit(limit);
  }
  const candidates = dialect === "postgres" ? dueQuery().forUpdate().skipLocked() : dueQuery();
  const rows = await db
    .updateTable("mail_outbox")
    .set((set) => ({ locked_until: now + leaseMs, attempts: set("attempts", "+", 1) }))
    .where("id", "in", candidates)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
    .returning(["id", "recipient", "sealed_message", "attempts", "auth_request_id"])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    recipient: row.recipient,
    sealedMessage: row.sealed_message ?? "",
    attempts: row.attempts,
    authRequestId: row.auth_request_id,
  }));
}

/**
 * Makes every message waiting out a retry back-off due now; returns how many. Called when a
 * delivery succeeds after failures: the mail server is back, so the queue need not wait.
 */
export async function releaseRetries(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable("mail_outbox")
    .set({ next_attempt_at: now })
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("attempts", ">", 0)
    .where("next_attempt_at", ">", now)
    .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Extends this worker's leases on messages still being sent (not yet sent, failed or rescheduled). */
export async function renewLeases(db: Db, ids: string[], lockedUntil: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("mail_outbox")
    .set({ locked_until: lockedUntil })
    .where("id", "in", ids)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("locked_until", "is not", null)
    .execute();
}

/** Marks a message delivered and wipes its sealed body: the secrets inside are no longer needed. */
export async function markSent(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({ sent_at: now, sealed_message: null, locked_until: null, error: null })
    .where("id", "=", id)
    .execute();
}

export async function scheduleRetry(db: Db, id: string, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({ next_attempt_at: nextAttemptAt, locked_until: null, error })
    .where("id", "=", id)
    .execute();
}

/** Keeps the sealed body so an operator can retry; `wipeStaleMessages` clears it later. */
export async function markFailed(db: Db, id: string, now: number, error: string): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({ failed_at: now, locked_until: null, error })
    .where("id", "=", id)
    .execute();
}

export interface OutboxStatus {
  pending: number;
  failed: number;
  sent: number;
  oldestPendingAt: number | null;
}

export async function readOutboxStatus(db: Db): Promise<OutboxStatus> {
  const pending = await db
    .selectFrom("mail_outbox")
    .select((select) => [
      select.fn.countAll<number>().as("count"),
      select.fn.min<number>("created_at").as("oldest"),
    ])
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .executeTakeFirst();
  const countWhere = async (column: "sent_at" | "failed_at") => {
    const row = await db
      .selectFrom("mail_outbox")
      .select((select) => select.fn.countAll<number>().as("count"))
      .where(column, "is not", null)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  };
  return {
    pending: Number(pending?.count ?? 0),
    failed: await countWhere("failed_at"),
    sent: await countWhere("sent_at"),
    oldestPendingAt: pending?.oldest == null ? null : Number(pending.oldest),
  };
}

export async function countPending(db: Db): Promise<number> {
  const row = await db
    .selectFrom("mail_outbox")
    .select((select) => select.fn.countAll<number>().as("count"))
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Puts failed messages back in line (`latchkey outbox retry`); returns how many. */
export async function retryFailed(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable("mail_outbox")
    .set({ failed_at: null, next_attempt_at: now, attempts: 0, error: null })
    .where("failed_at", "is not", null)
    .where("sealed_message", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Clears the sealed bodies of failed messages older than `maxAgeMs`: their challenges are long dead. */
export async function wipeStaleMessages(db: Db, olderThan: number): Promise<number> {
  const result = await db
    .updateTable("mail_outbox")
    .set({ sealed_message: null })
    .where("created_at", "<", olderThan)
    .where("sealed_message", "is not", null)
    .where((where) => where.or([where("failed_at", "is not", null), where("sent_at", "is not", null)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import type { Db } from "../db/database.js";
import {
  claimDueRows,
  markRowFailed,
  releaseRowRetries,
  renewRowLeases,
  scheduleRowRetry,
} from "../db/leased-queue.js";
import { precompiled } from "../db/precompiled.js";

export interface OutboxEntry {
  id: string;
  recipient: string;
  sealedMessage: string;
  attempts: number;
  authRequestId: string | null;
}

/** A new message; `lockedUntil` and `attempts: 1` when the instance that writes it sends it at once (outbox.ts). */
export interface NewOutboxEntry extends OutboxEntry {
  lockedUntil: number | null;
  now: number;
}

export async function insertOutboxEntry(db: Db, entry: NewOutboxEntry): Promise<void> {
  await insertEntry.execute(db, entry);
}

const insertEntry = precompiled<NewOutboxEntry, never>((db, param) =>
  db.insertInto("mail_outbox").values({
    id: param("id"),
    auth_request_id: param("authRequestId"),
    recipient: param("recipient"),
    sealed_message: param("sealedMessage"),
    attempts: param("attempts"),
    next_attempt_at: param("now"),
    locked_until: param("lockedUntil"),
    created_at: param("now"),
    sent_at: null,
    failed_at: null,
    error: null,
  }),
);

/** Claims up to `limit` due messages for this worker for `leaseMs` (see src/db/leased-queue.ts). */
export async function claimDueEntries(
  db: Db,
  options: { now: number; leaseMs: number; limit: number; dialect: "sqlite" | "postgres" },
): Promise<OutboxEntry[]> {
  const rows = await claimDueRows(db, "mail_outbox", options);
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
export const releaseRetries = (db: Db, now: number) => releaseRowRetries(db, "mail_outbox", now);

/** Extends this worker's leases on messages still being sent (not yet sent, failed or rescheduled). */
export const renewLeases = (db: Db, ids: string[], lockedUntil: number) =>
  renewRowLeases(db, "mail_outbox", ids, lockedUntil);

/** Marks a message delivered and wipes its sealed body: the secrets inside are no longer needed. */
export async function markSent(db: Db, id: string, now: number, providerMessageId?: string): Promise<void> {
  await markEntrySent.execute(db, { id, now, providerMessageId: providerMessageId ?? null });
}

const markEntrySent = precompiled<{ id: string; now: number; providerMessageId: string | null }, never>(
  (db, param) =>
    db
      .updateTable("mail_outbox")
      .set({
        sent_at: param("now"),
        sealed_message: null,
        locked_until: null,
        error: null,
        provider_message_id: param("providerMessageId"),
      })
      .where("id", "=", param("id")),
);

export const scheduleRetry = (db: Db, id: string, nextAttemptAt: number, error: string) =>
  scheduleRowRetry(db, "mail_outbox", id, nextAttemptAt, error);

/** Keeps the sealed body so an operator can retry; `wipeStaleMessages` clears it later. */
export const markFailed = (db: Db, id: string, now: number, error: string) =>
  markRowFailed(db, "mail_outbox", id, now, error);

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

// Every send asks (the outbox's backlog limit).
const countPendingEntries = precompiled<Record<string, never>, { count: number | string | bigint }>((db) =>
  db
    .selectFrom("mail_outbox")
    .select((select) => select.fn.countAll<number>().as("count"))
    .where("sent_at", "is", null)
    .where("failed_at", "is", null),
);

export async function countPending(db: Db): Promise<number> {
  const row = await countPendingEntries.takeFirst(db, {});
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

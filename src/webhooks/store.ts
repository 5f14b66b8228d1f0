import type { Selectable } from "kysely";
import type { Db } from "../db/database.js";
import { claimDueRows, markRowFailed, renewRowLeases, scheduleRowRetry } from "../db/leased-queue.js";
import { precompiled } from "../db/precompiled.js";
import type { WebhookEndpointsTable } from "../db/tables.js";

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Subscribed event types; undefined: every event. */
  events: string[] | undefined;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: number | null;
  consecutiveFailures: number;
  failingSince: number | null;
  createdAt: number;
  disabledAt: number | null;
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events === null ? undefined : (JSON.parse(row.events) as string[]),
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    consecutiveFailures: Number(row.consecutive_failures),
    failingSince: row.failing_since,
    createdAt: Number(row.created_at),
    disabledAt: row.disabled_at,
  };
}

export async function insertEndpoint(
  db: Db,
  endpoint: { id: string; url: string; events: string[] | undefined; secretSealed: string; now: number },
): Promise<void> {
  await db
    .insertInto("webhook_endpoints")
    .values({
      id: endpoint.id,
      url: endpoint.url,
      events: endpoint.events ? JSON.stringify(endpoint.events) : null,
      secret_sealed: endpoint.secretSealed,
      previous_secret_sealed: null,
      previous_secret_expires_at: null,
      failing_since: null,
      created_at: endpoint.now,
      disabled_at: null,
      removed_at: null,
    })
    .execute();
}

/** Endpoints not removed (disabled ones included), oldest first. */
export async function listEndpoints(db: Db): Promise<WebhookEndpoint[]> {
  const rows = await db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("removed_at", "is", null)
    .orderBy("created_at")
    .execute();
  return rows.map(toEndpoint);
}

export async function findEndpoint(db: Db, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", id)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return row && toEndpoint(row);
}

/** Endpoints that receive new events. */
export async function listActiveEndpoints(db: Db): Promise<WebhookEndpoint[]> {
  const { rows } = await selectActiveEndpoints.execute(db, {});
  return rows.map(toEndpoint);
}

// Every sign-in asks (its events may have subscribers).
const selectActiveEndpoints = precompiled<Record<string, never>, Selectable<WebhookEndpointsTable>>((db) =>
  db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("removed_at", "is", null)
    .where("disabled_at", "is", null),
);

/** Removes an endpoint and drops what it had not received yet; false when it did not exist. */
export async function removeEndpoint(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("webhook_endpoints")
    .set({ removed_at: now, secret_sealed: "", previous_secret_sealed: null })
    .where("id", "=", id)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await db
    .deleteFrom("webhook_deliveries")
    .where("endpoint_id", "=", id)
    .where("sent_at", "is", null)
    .execute();
  return true;
}

export async function replaceSecret(
  db: Db,
  {
    id,
    secretSealed,
    previousSecretSealed,
    previousExpiresAt,
  }: {
    id: string;
    secretSealed: string;
    previousSecretSealed: string | null;
    previousExpiresAt: number | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("webhook_endpoints")
    .set({
      secret_sealed: secretSealed,
      previous_secret_sealed: previousSecretSealed,
      previous_secret_expires_at: previousExpiresAt,
    })
    .where("id", "=", id)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface WebhookDelivery {
  id: string;
  messageId: string;
  endpointId: string;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: number;
}

export async function insertDeliveries(
  db: Db,
  deliveries: {
    id: string;
    messageId: string;
    endpointId: string;
    eventType: string;
    payload: string;
    now: number;
  }[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await db
    .insertInto("webhook_deliveries")
    .values(
      deliveries.map((delivery) => ({
        id: delivery.id,
        message_id: delivery.messageId,
        endpoint_id: delivery.endpointId,
        event_type: delivery.eventType,
        payload: delivery.payload,
        next_attempt_at: delivery.now,
        locked_until: null,
        created_at: delivery.now,
        sent_at: null,
        failed_at: null,
        error: null,
      })),
    )
    .execute();
}

export async function claimDueDeliveries(
  db: Db,
  options: { now: number; leaseMs: number; limit: number; dialect: "sqlite" | "postgres" },
): Promise<WebhookDelivery[]> {
  const rows = await claimDueRows(db, "webhook_deliveries", options);
  return rows.map((row) => ({
    id: row.id,
    messageId: row.message_id,
    endpointId: row.endpoint_id,
    eventType: row.event_type,
    payload: row.payload,
    attempts: row.attempts,
    createdAt: Number(row.created_at),
  }));
}

export const renewDeliveryLeases = (db: Db, ids: string[], lockedUntil: number) =>
  renewRowLeases(db, "webhook_deliveries", ids, lockedUntil);

export const scheduleDeliveryRetry = (db: Db, id: string, nextAttemptAt: number, error: string) =>
  scheduleRowRetry(db, "webhook_deliveries", id, nextAttemptAt, error);

export const markDeliveryFailed = (db: Db, id: string, now: number, error: string) =>
  markRowFailed(db, "webhook_deliveries", id, now, error);

export async function markDeliverySent(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable("webhook_deliveries")
    .set({ sent_at: now, locked_until: null, error: null })
    .where("id", "=", id)
    .execute();
}

/** A success ends the endpoint's run of failures; returns whether there was one. */
export async function recordEndpointSuccess(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable("webhook_endpoints")
    .set({ consecutive_failures: 0, failing_since: null })
    .where("id", "=", id)
    .where("consecutive_failures", ">", 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts a failure in SQL (several workers may fail at once); returns the run so far. */
export async function recordEndpointFailure(
  db: Db,
  id: string,
  now: number,
): Promise<{ consecutiveFailures: number; failingSince: number } | undefined> {
  const row = await db
    .updateTable("webhook_endpoints")
    .set((set) => ({
      consecutive_failures: set("consecutive_failures", "+", 1),
      failing_since: set.fn.coalesce("failing_since", set.val(now)),
    }))
    .where("id", "=", id)
    .returning(["consecutive_failures", "failing_since"])
    .executeTakeFirst();
  return (
    row && { consecutiveFailures: Number(row.consecutive_failures), failingSince: Number(row.failing_since) }
  );
}

/** Disables an endpoint once; true for the call that did it (it alone audits). */
export async function disableEndpoint(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("webhook_endpoints")
    .set({ disabled_at: now })
    .where("id", "=", id)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The endpoint is reachable again: what waits out a back-off for it goes now. */
export async function releaseEndpointRetries(db: Db, endpointId: string, now: number): Promise<number> {
  const result = await db
    .updateTable("webhook_deliveries")
    .set({ next_attempt_at: now })
    .where("endpoint_id", "=", endpointId)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("next_attempt_at", ">", now)
    .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes the delivery history naming a user (erasure); pending rows still go out. */
export async function deleteDeliveredForUser(db: Db, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("webhook_deliveries")
    .where("payload", "like", `%"user_id":${JSON.stringify(userId)}%`)
    .where((where) => where.or([where("sent_at", "is not", null), where("failed_at", "is not", null)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

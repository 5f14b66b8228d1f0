import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { AuditEventsTable } from "../db/tables.js";
import { clientKeyOf } from "./client-ip.js";
import { randomId } from "./crypto.js";

/** The closed list of audit events. Adding one is fine; renaming one breaks consumers. */
export const auditEventTypes = [
  "challenge_started",
  "challenge_resent",
  "mail_sent",
  "mail_failed",
  "code_failed",
  "code_locked",
  "link_confirmation_required",
  "link_approved",
  "approval_number_mismatch",
  "approval_refused",
  "signed_in",
  "signed_up",
  "signed_out",
  "session_refreshed",
  "session_revoked",
  "sessions_revoked_all",
  "refresh_token_reuse",
  "rate_limited",
  "csrf_rejected",
  "passkey_added",
  "passkey_used",
  "passkey_removed",
  "passkey_counter_regressed",
  "admin_request",
  "admin_key_rejected",
  "user_created",
  "user_blocked",
  "user_unblocked",
  "user_deleted",
  "support_link_created",
  "webhook_endpoint_disabled",
  "oidc_authorized",
  "oidc_refused",
  "oidc_signed_out",
  "oidc_app_disconnected",
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

/** Who and where, taken from the request; never a secret. */
export interface AuditContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

export interface AuditEvent extends AuditContext {
  type: AuditEventType;
  userId?: string | undefined;
  /** A keyed hash of the canonical email, never the address itself. */
  emailHash?: string | undefined;
  /**
   * The address an event is about when it has no user id yet (a code requested or
   * mistyped): the row gets the id of that address's account, if any, in the same INSERT,
   * so the owner sees it in their events and the request does no extra work. Not stored.
   */
  accountEmail?: string | undefined;
  /** Non-secret facts, e.g. `{reason: "expired"}`. */
  detail?: Record<string, string | number | boolean> | undefined;
}

export interface AuditRecord {
  id: string;
  at: Date;
  type: AuditEventType;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

const MAX_USER_AGENT = 256;

/** Events anyone can cause on an account by typing its address. */
export const EVENTS_STRANGERS_CAUSE: readonly AuditEventType[] = [
  "challenge_started",
  "challenge_resent",
  "code_failed",
  "code_locked",
];
/** A refused request is recorded at most once per type, client and window. */
const REFUSAL_WINDOW_MS = 60_000;
const MAX_TRACKED_REFUSERS = 10_000;

/** Sees the events it wants inside the transaction that records them (the webhook outbox). */
export interface AuditSubscriber {
  /** Cheap, synchronous: other events are written without a wrapping transaction. */
  wants(event: AuditEvent): boolean;
  onEvent(event: AuditEvent, executor: Db): Promise<void>;
}

type AuditRow = Omit<AuditEventsTable, "user_id">;

const auditColumns = (param: <Name extends keyof AuditRow & string>(name: Name) => AuditRow[Name]) => ({
  id: param("id"),
  at: param("at"),
  type: param("type"),
  email_hash: param("email_hash"),
  ip: param("ip"),
  user_agent: param("user_agent"),
  request_id: param("request_id"),
  detail: param("detail"),
});

const insertEventRow = precompiled<AuditRow & { user_id: string | null }, never>((db, param) =>
  db.insertInto("audit_events").values({ ...auditColumns(param), user_id: param("user_id") }),
);

/** The row gets the id of `account_email`'s account, if any, in the same statement. */
const insertEventOfAccount = precompiled<AuditRow & { account_email: string }, never>((db, param) =>
  db.insertInto("audit_events").values({
    ...auditColumns(param),
    user_id: db.selectFrom("users").select("id").where("email", "=", param("account_email")),
  }),
);

/**
 * The audit log. What a failed audit write does (docs/hardening.md):
 * - An event that records a change of state (refresh, revoke, logout, sign-in) is written
 *   with `executor` = the transaction making that change, so the two commit or roll back
 *   together: the request fails (500, or 503 when the database is down) and nothing
 *   happened. No session moves without its row.
 * - An event about a request that changed nothing (a refused CSRF or rate-limited request,
 *   a delivered mail) is best effort (`recordRefusal`, or the caller catches): refusing a
 *   request must not depend on the audit store.
 * `record` itself always throws; the choice is the caller's.
 */
export function createAuditLog({ db, clock }: { db: Db; clock: Clock }) {
  let subscriber: AuditSubscriber | undefined;

  /**
   * Writes one event, inside `executor` when it is a transaction, and what the subscriber
   * derives from it in the same transaction. Throws when the write fails.
   */
  async function record(event: AuditEvent, executor: Db = db): Promise<void> {
    const notify = subscriber;
    if (!notify?.wants(event)) return insertEvent(event, executor);
    const writeBoth = async (tx: Db) => {
      await insertEvent(event, tx);
      await notify.onEvent(event, tx);
    };
    await (executor.isTransaction ? writeBoth(executor) : executor.transaction().execute(writeBoth));
  }

  async function insertEvent(event: AuditEvent, executor: Db): Promise<void> {
    const row: AuditRow = {
      id: randomId(),
      at: clock.now(),
      type: event.type,
      email_hash: event.emailHash ?? null,
      ip: event.ip ?? null,
      user_agent: event.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      request_id: event.requestId ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
    };
    if (event.userId === undefined && event.accountEmail !== undefined) {
      await insertEventOfAccount.execute(executor, { ...row, account_email: event.accountEmail });
    } else {
      await insertEventRow.execute(executor, { ...row, user_id: event.userId ?? null });
    }
  }

  const lastRefusalAt = new Map<string, number>();

  /** True when this client's refusal of this type was not recorded within the window; remembers it. */
  function isFirstRefusalInWindow(event: AuditEvent, now: number): boolean {
    const key = `${event.type}:${clientKeyOf(event.ip ?? "")}`;
    const last = lastRefusalAt.get(key);
    if (last !== undefined && now - last < REFUSAL_WINDOW_MS) return false;
    if (lastRefusalAt.size >= MAX_TRACKED_REFUSERS) lastRefusalAt.clear();
    lastRefusalAt.set(key, now);
    return true;
  }

  /**
   * Records a refused request (CSRF, rate limit) on this instance at most once per type
   * and client a minute, so a flood of refusals cannot fill the table. Best effort: when
   * the write fails the request is refused all the same.
   */
  async function recordRefusal(event: AuditEvent): Promise<void> {
    if (!isFirstRefusalInWindow(event, clock.now())) return;
    await record(event).catch(() => {});
  }

  /**
   * The account's newest events. Anyone who types the address can add code requests and
   * wrong codes, so the newest `limit` of the owner's own events (sign-ins, revocations,
   * passkeys) are listed too, however many of those came after: a stranger cannot push
   * them out of view.
   */
  async function listForUser(userId: string, limit = 50): Promise<AuditRecord[]> {
    const newest = (ownOnly: boolean) =>
      db
        .selectFrom("audit_events")
        .selectAll()
        .where("user_id", "=", userId)
        .$if(ownOnly, (query) => query.where("type", "not in", [...EVENTS_STRANGERS_CAUSE]))
        .orderBy("at", "desc")
        .limit(limit)
        .execute();
    const [all, own] = await Promise.all([newest(false), newest(true)]);
    const rows = [...new Map([...all, ...own].map((row) => [row.id, row])).values()].sort(
      (a, b) => Number(b.at) - Number(a.at),
    );
    return rows.map((row) => ({
      id: row.id,
      at: new Date(row.at),
      type: row.type as AuditEventType,
      ip: row.ip,
      userAgent: row.user_agent,
      requestId: row.request_id,
      detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
    }));
  }

  /** Deletes events older than the retention window; returns how many. */
  async function prune(retentionDays: number): Promise<number> {
    const cutoff = clock.now() - retentionDays * 86_400_000;
    const result = await db.deleteFrom("audit_events").where("at", "<", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  function subscribe(next: AuditSubscriber) {
    subscriber = next;
  }

  return { record, recordRefusal, listForUser, prune, subscribe };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

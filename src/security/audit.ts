import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
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
  "signed_in",
  "signed_up",
  "signed_out",
  "session_refreshed",
  "session_revoked",
  "sessions_revoked_all",
  "refresh_token_reuse",
  "rate_limited",
  "csrf_rejected",
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

const MAX_USER_AGENT = 512;

export function createAuditLog({ db, clock }: { db: Db; clock: Clock }) {
  /** Writes one event. Audit must not take the request down, so failures are reported, not thrown. */
  async function record(event: AuditEvent, executor: Db = db): Promise<void> {
    await executor
      .insertInto("audit_events")
      .values({
        id: randomId(),
        at: clock.now(),
        type: event.type,
        user_id: event.userId ?? null,
        email_hash: event.emailHash ?? null,
        ip: event.ip ?? null,
        user_agent: event.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
        request_id: event.requestId ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
      })
      .execute();
  }

  async function listForUser(userId: string, limit = 50): Promise<AuditRecord[]> {
    const rows = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("at", "desc")
      .limit(limit)
      .execute();
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

  return { record, listForUser, prune };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

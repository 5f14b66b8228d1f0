import type { AuditEvent } from "../security/audit.js";

/** Every event type an endpoint can subscribe to. Adding one is fine; renaming one breaks receivers. */
export const webhookEventTypes = [
  "user.created",
  "user.deleted",
  "user.blocked",
  "session.created",
  "session.revoked",
  "sign_in.failed",
  "passkey.added",
  "passkey.removed",
  "oidc.grant.created",
  "oidc.grant.revoked",
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/** Which payload fields an event carries besides `user_id`. Never a secret, code, link or token. */
interface WebhookMapping {
  type: WebhookEventType;
  /** Adds the user's current email (looked up in the same transaction). */
  withEmail?: boolean;
  /** Copies these audit detail fields into `data`. */
  details?: readonly string[];
  /** Adds the client IP and user agent. */
  withClient?: boolean;
  /** Only for audit events this accepts. */
  when?: (event: AuditEvent) => boolean;
}

const userCreated: WebhookMapping = { type: "user.created", withEmail: true };
const sessionCreated: WebhookMapping = { type: "session.created", details: ["amr"], withClient: true };
const sessionRevoked: WebhookMapping = { type: "session.revoked", details: ["count"] };

/**
 * Audit event → webhook events. The webhook outbox is fed from the audit log, so every
 * webhook is written in the transaction of the event it reports. A feature that adds an
 * audit event makes it a webhook with one line here (e.g. `passkey_added: [{ type:
 * "passkey.added", details: ["passkey_id"] }]`).
 */
export const webhooksForAuditEvent: Readonly<Record<string, readonly WebhookMapping[]>> = {
  signed_up: [userCreated, sessionCreated],
  user_created: [userCreated],
  signed_in: [sessionCreated],
  user_deleted: [{ type: "user.deleted" }],
  user_blocked: [{ type: "user.blocked", withEmail: true }],
  signed_out: [sessionRevoked],
  session_revoked: [sessionRevoked],
  sessions_revoked_all: [sessionRevoked],
  refresh_token_reuse: [sessionRevoked],
  code_locked: [{ type: "sign_in.failed", details: ["rule"], withClient: true }],
  passkey_added: [{ type: "passkey.added", details: ["passkey_id", "name"], withClient: true }],
  passkey_removed: [{ type: "passkey.removed", details: ["passkey_id", "name"] }],
  oidc_authorized: [{ type: "oidc.grant.created", details: ["client_id", "client_name"] }],
  oidc_app_disconnected: [{ type: "oidc.grant.revoked", details: ["client_id", "client_name"] }],
  rate_limited: [
    {
      type: "sign_in.failed",
      details: ["rule"],
      withClient: true,
      when: (event) => event.detail?.rule === "code-budget",
    },
  ],
};

/** Why a session ended, when the audit event does not say. */
const revokeReasons: Record<string, string> = {
  signed_out: "logout",
  session_revoked: "revoked",
  sessions_revoked_all: "revoked_all",
  refresh_token_reuse: "refresh_token_reuse",
};

/** The `data` object of one webhook; `email` is filled in by the caller when `withEmail`. */
export function payloadData(mapping: WebhookMapping, event: AuditEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (event.userId) data.user_id = event.userId;
  for (const field of mapping.details ?? []) {
    const value = event.detail?.[field];
    if (value !== undefined) data[field] = field === "amr" ? String(value).split(",") : value;
  }
  if (mapping.type === "session.revoked") data.reason = revokeReasons[event.type] ?? "revoked";
  if (mapping.type === "sign_in.failed") data.reason = event.type === "code_locked" ? "locked" : "budget";
  if (mapping.withClient) {
    data.ip = event.ip ?? null;
    data.user_agent = event.userAgent ?? null;
  }
  return data;
}

export type { WebhookMapping };

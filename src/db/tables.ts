import type { Generated } from "kysely";

/**
 * Table types: snake_case, exactly as stored. Times are milliseconds since the epoch
 * (INTEGER in SQLite, BIGINT in PostgreSQL) so every query stays portable.
 */

export interface UsersTable {
  id: string;
  email: string;
  created_at: number;
  last_login_at: number | null;
  disabled_at: number | null;
}

export interface AuthRequestsTable {
  id: string;
  email: string;
  email_hash: string;
  provider: string;
  provider_request_id: string | null;
  passwordless_type: string;
  template: string;
  state: string | null;
  code_hash: string | null;
  link_hash: string | null;
  browser_hash: string | null;
  redirect_uri: string | null;
  created_at: number;
  expires_at: number;
  attempts: Generated<number>;
  sends: Generated<number>;
  last_sent_at: number;
  consumed_at: number | null;
  approved_at: number | null;
  superseded_at: number | null;
  created_ip: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  refresh_hash: string;
  previous_refresh_hash: string | null;
  rotated_at: number | null;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface MailOutboxTable {
  id: string;
  auth_request_id: string | null;
  recipient: string;
  /** The message, AES-GCM encrypted: it holds the code and the link until delivered. */
  sealed_message: string | null;
  attempts: Generated<number>;
  next_attempt_at: number;
  locked_until: number | null;
  created_at: number;
  sent_at: number | null;
  failed_at: number | null;
  error: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: number;
  type: string;
  user_id: string | null;
  email_hash: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_started_at: number;
  hits: number;
}

export interface CodeFailuresTable {
  email_hash: string;
  consecutive: number;
  window_started_at: number;
  window_failures: number;
  last_failure_at: number;
}

export interface Database {
  users: UsersTable;
  auth_requests: AuthRequestsTable;
  sessions: SessionsTable;
  signing_keys: SigningKeysTable;
  mail_outbox: MailOutboxTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  code_failures: CodeFailuresTable;
}

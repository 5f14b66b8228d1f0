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
  /** The account's language (`de`); null: the browser's Accept-Language decides. */
  locale: string | null;
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
  approval_number: number | null;
  approval_misses: Generated<number>;
  refused_at: number | null;
  user_agent: string | null;
  place: string | null;
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
  amr: string | null;
  authenticated_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
  /** 1, 2, … per `alg`; unique with it, so only one instance's new key wins a race. */
  generation: number | null;
  revoked_at: number | null;
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
  /** The mail provider's id for the accepted message, for support questions. */
  provider_message_id: Generated<string | null>;
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
  next_attempt_at: Generated<number>;
}

export interface AdminKeysTable {
  id: string;
  name: string;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  /** JSON array of event types; null: every event. */
  events: string | null;
  /** The signing secret, AES-GCM sealed with the keyring. */
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: number | null;
  consecutive_failures: Generated<number>;
  /** When the current run of failed deliveries began; null after a success. */
  failing_since: number | null;
  created_at: number;
  disabled_at: number | null;
  removed_at: number | null;
}

/** Outbox rows: the same lease and retry columns as mail_outbox. */
export interface WebhookDeliveriesTable {
  id: string;
  /** The `webhook-id`, the same on every retry so receivers can de-duplicate. */
  message_id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  locked_until: number | null;
  created_at: number;
  sent_at: number | null;
  failed_at: number | null;
  error: string | null;
}

export interface OidcClientsTable {
  id: string;
  name: string;
  /** HMAC of the client secret; null for public clients. */
  secret_hash: string | null;
  /** JSON arrays of strings. */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  public: number;
  first_party: number;
  id_token_signed_response_alg: Generated<string>;
  created_at: number;
}

export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  client_id: string | null;
  created_at: number;
  expires_at: number | null;
  consumed_at: number | null;
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
  passkey_user_handles: PasskeyUserHandlesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  admin_keys: AdminKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  oidc_clients: OidcClientsTable;
  oidc_payloads: OidcPayloadsTable;
}

export interface PasskeyUserHandlesTable {
  user_id: string;
  user_handle: string;
  created_at: number;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  sign_count: number;
  /** Space-separated transports. */
  transports: string;
  backup_eligible: number;
  backed_up: number;
  aaguid: string | null;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  id: string;
  purpose: string;
  challenge_hash: string;
  binding_hash: string;
  user_id: string | null;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

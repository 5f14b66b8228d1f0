/** Response shapes of the Latchkey HTTP API (README.md, "API"). Times are ISO 8601 unless noted. */

export type PasswordlessType = "OTP" | "LINK" | "LINK_OTP";
export type Template = "SIGNIN" | "SIGNUP";

export interface SendResult {
  auth_request_id: string;
  /** Unix seconds. */
  expires_at: number;
  expires_in: number;
  passwordless_type: PasswordlessType;
  /** From the `X-Resend-After` header: seconds until the server accepts another send. */
  resendAfterSeconds?: number;
}

export interface SendOptions {
  magiclinkAuthUri?: string;
  template?: Template;
  state?: string;
  /** 60..600 seconds. */
  expiresIn?: number;
}

export interface SignInResult {
  email: string;
  state: string | null;
  template: Template;
  passwordless_type: PasswordlessType;
  is_new_user?: boolean;
}

export interface ApprovalResult {
  approved: true;
  email: string;
}

export type AuthRequestStatus = "pending" | "approved" | "consumed" | "expired";

export interface SignedInSession {
  email: string;
  user_id: string;
  session_id: string;
  user_created_at: string;
  signed_in_at: string;
}

export type SessionInfo = SignedInSession | { email: null };

export interface ProtectedResult {
  email: string;
  message: string;
}

export interface SessionSummary {
  id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}

export interface AuditEvent {
  id: string | number;
  at: string;
  type: string;
  ip: string | null;
  user_agent: string | null;
}

export interface DevMailboxMessage {
  id: string | number;
  to: string;
  subject: string;
  text: string;
  code: string | null;
  link: string | null;
  created_at: string;
}

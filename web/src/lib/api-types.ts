import type { components } from "./api-schema.js";

/**
 * Shapes of the Latchkey HTTP API, taken from the types generated from its OpenAPI
 * document (api-schema.d.ts, `npm run generate:api-types`), never copied by hand.
 * Times are ISO 8601 unless noted.
 */
type Schemas = components["schemas"];

export type PasswordlessType = Schemas["PasswordlessChallenge"]["passwordless_type"];
export type Template = Schemas["SignInResult"]["template"];

export type SendResult = Schemas["PasswordlessChallenge"] & {
  /** From the `X-Resend-After` header: seconds until the server accepts another send. */
  resendAfterSeconds?: number;
};

/** The optional send fields, in the camelCase the client takes (it sends the snake_case names). */
export interface SendOptions {
  magiclinkAuthUri?: Schemas["SendPasswordlessRequest"]["magiclink_auth_uri"];
  template?: Template;
  state?: string;
  /** 60..600 seconds. */
  expiresIn?: Schemas["SendPasswordlessRequest"]["expires_in"];
}

/** Name, look, language and code shape of this server (GET /api/auth/config). */
export type PublicConfig = Schemas["PublicConfig"];
export type SignInResult = Schemas["SignInResult"];
export type ApprovalResult = Schemas["Approval"];
/** What the approving page shows about the sign-in it is asked to approve. */
export type ApprovalDetails = Schemas["ApprovalDetails"];
export type AuthRequestStatus = Schemas["ChallengeStatus"]["status"];
export type SessionInfo = Schemas["CurrentSession"];
export type SignedInSession = Extract<SessionInfo, { user_id: string }>;
export type ProtectedResult = Schemas["ProtectedContent"];
export type SessionSummary = Schemas["SessionList"]["sessions"][number];
export type AuditEvent = Schemas["AuditEvents"]["events"][number];
export type DevMailboxMessage = Schemas["DevMailbox"]["messages"][number];
/** Every error body: `{detail, code}`; `code` is one of the catalogue's. */
export type ApiError = Schemas[`Error${400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503}`];

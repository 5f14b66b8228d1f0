import { ApiError, toApiError } from "./api-error.js";
import type {
  ApprovalDetails,
  ApprovalResult,
  AuditEvent,
  AuthRequestStatus,
  DevMailboxMessage,
  ProtectedResult,
  PublicConfig,
  SendOptions,
  SendResult,
  SessionInfo,
  SessionSummary,
  SignInResult,
} from "./api-types.js";

export { ApiError, isApiError } from "./api-error.js";
export type * from "./api-types.js";
export { describeError, messageFor } from "./messages.js";

/**
 * The typed Latchkey client. Session tokens live only in HttpOnly cookies: this module
 * never sees them and never stores anything in localStorage or sessionStorage.
 */

const base = "/api/auth";
const refreshPath = `${base}/refresh`;

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
}

export async function rawFetch(path: string, { method = "GET", body }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (cause) {
    const error = new ApiError({ status: 0, code: "network_error", detail: "The request did not complete." });
    error.cause = cause;
    throw error;
  }
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({ status: response.status, code: "unexpected_response", detail: "Not JSON." });
  }
}

// Refresh tokens rotate and a replayed one revokes the whole family, so parallel
// requests that all meet an expired access token must share a single refresh.
let refreshInFlight: Promise<{ expires_in: number }> | undefined;
let refreshCount = 0;

function refreshOnce(): Promise<{ expires_in: number }> {
  refreshInFlight ??= (async () => {
    try {
      const response = await rawFetch(refreshPath, { method: "POST", body: {} });
      if (!response.ok) throw await toApiError(response);
      refreshCount += 1;
      return readBody<{ expires_in: number }>(response);
    } finally {
      refreshInFlight = undefined;
    }
  })();
  return refreshInFlight;
}

/** Sends a request; on 401 `token_expired` refreshes the session once and retries. */
async function fetchOk(path: string, options: RequestOptions = {}): Promise<Response> {
  const refreshesBefore = refreshCount;
  const response = await rawFetch(path, options);
  if (response.ok) return response;
  const error = await toApiError(response);
  if (error.status !== 401 || error.code !== "token_expired") throw error;
  // A refresh that finished while this request was in flight already gave us new cookies.
  if (refreshCount === refreshesBefore) await refreshOnce();
  const retry = await rawFetch(path, options);
  if (retry.ok) return retry;
  throw await toApiError(retry);
}

/** A JSON request with the shared refresh-and-retry handling; feature clients (passkeys) build on it. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return readBody<T>(await fetchOk(path, options));
}

/** Send and resend also say, in `X-Resend-After`, how many seconds until the next send is allowed. */
async function postChallenge(path: string, body: unknown): Promise<SendResult> {
  const response = await fetchOk(`${base}${path}`, { method: "POST", body });
  const result = await readBody<SendResult>(response);
  const resendAfter = Number(response.headers.get("x-resend-after"));
  return Number.isFinite(resendAfter) && resendAfter >= 0 && response.headers.has("x-resend-after")
    ? { ...result, resendAfterSeconds: resendAfter }
    : result;
}

const post = <T>(path: string, body: unknown = {}) => request<T>(`${base}${path}`, { method: "POST", body });
const get = <T>(path: string) => request<T>(`${base}${path}`);
const id = (value: string) => encodeURIComponent(value);

/** Emails a code and/or link. Throws validation_error, already_authenticated, invalid_redirect_uri, rate_limited. */
export function send(email: string, options: SendOptions = {}): Promise<SendResult> {
  return postChallenge("/send-passwordless", {
    email,
    magiclink_auth_uri: options.magiclinkAuthUri,
    template: options.template,
    state: options.state,
    expires_in: options.expiresIn,
  });
}

/** Sends the same challenge again. Throws challenge_*, rate_limited (with Retry-After), too_many_attempts. */
export function resend(authRequestId: string): Promise<SendResult> {
  return postChallenge("/resend-passwordless", { auth_request_id: authRequestId });
}

/** Signs in with the emailed code. Throws invalid_code (attempts_remaining), too_many_attempts, challenge_*, code_entry_locked. */
export function verifyOtp(authRequestId: string, code: string): Promise<SignInResult> {
  return post("/verify-otp", { auth_request_id: authRequestId, code });
}

/** Signs in with a link token. Throws confirmation_required (extra.email) in a browser that did not ask, unless `confirm`. */
export function verifyMagicLink(
  linkToken: string,
  options: { confirm?: boolean; authRequestId?: string } = {},
): Promise<SignInResult> {
  return post("/verify-magic-link", {
    link_token: linkToken,
    auth_request_id: options.authRequestId,
    confirm: options.confirm,
  });
}

/**
 * Lets the browser that started the sign-in complete it, when `approvalNumber` is the number
 * that browser shows; this browser stays signed out. Throws approval_number_mismatch (the
 * sign-in is then stopped), challenge_*.
 */
export function approveMagicLink(
  linkToken: string,
  options: { authRequestId?: string; approvalNumber: number },
): Promise<ApprovalResult> {
  return post("/approve-magic-link", {
    link_token: linkToken,
    auth_request_id: options.authRequestId,
    approval_number: options.approvalNumber,
  });
}

/** The waiting browser's device, place and time, and the numbers to pick from. Consumes nothing. */
export function approvalDetails(
  linkToken: string,
  options: { authRequestId?: string } = {},
): Promise<ApprovalDetails> {
  return post("/approval-details", { link_token: linkToken, auth_request_id: options.authRequestId });
}

/** "This wasn't me": the sign-in is stopped and recorded. */
export function refuseMagicLink(
  linkToken: string,
  options: { authRequestId?: string } = {},
): Promise<{ refused: true }> {
  return post("/refuse-magic-link", { link_token: linkToken, auth_request_id: options.authRequestId });
}

/** Status of a sign-in started in this browser, and the number it shows. Throws challenge_not_found. */
export function authRequestStatus(
  authRequestId: string,
): Promise<{ status: AuthRequestStatus; approval_number: number | null }> {
  return get(`/auth-requests/${id(authRequestId)}`);
}

/** Signs this browser in after the link was approved elsewhere. Throws approval_pending, challenge_*. */
export function completeApproval(authRequestId: string): Promise<SignInResult> {
  return post("/complete-approval", { auth_request_id: authRequestId });
}

export function session(): Promise<SessionInfo> {
  return get("/session");
}

function getProtected(): Promise<ProtectedResult> {
  return get("/protected");
}

export { getProtected as protected };

/** Rotates the session cookies. Concurrent calls share one request. Throws invalid_refresh_token. */
export function refresh(): Promise<{ expires_in: number }> {
  return refreshOnce();
}

export function logout(): Promise<{ message: string }> {
  return post("/logout");
}

export function logoutAll(options: { keepCurrent?: boolean } = {}): Promise<{ revoked: number }> {
  return post("/logout-all", { keep_current: options.keepCurrent });
}

export function listSessions(): Promise<{ sessions: SessionSummary[] }> {
  return get("/sessions");
}

export function revokeSession(sessionId: string): Promise<{ revoked: true }> {
  return request(`${base}/sessions/${id(sessionId)}`, { method: "DELETE" });
}

/** Stores the signed-in account's language, for its pages and mail. */
export function setLocale(locale: string): Promise<unknown> {
  return request(`${base}/locale`, { method: "PUT", body: { locale } });
}

/** Name, look, language and code shape of this server; public. */
export function config(): Promise<PublicConfig> {
  return get("/config");
}

export function audit(): Promise<{ events: AuditEvent[] }> {
  return get("/audit");
}

/** The development mailbox (absent in production: 404). */
export function devMailbox(): Promise<{ messages: DevMailboxMessage[] }> {
  return request("/dev/mailbox");
}

/** Every route as one object, which is also what tests replace. */
export const api = {
  send,
  resend,
  verifyOtp,
  verifyMagicLink,
  approveMagicLink,
  approvalDetails,
  refuseMagicLink,
  authRequestStatus,
  completeApproval,
  session,
  protected: getProtected,
  refresh,
  logout,
  logoutAll,
  listSessions,
  revokeSession,
  audit,
  devMailbox,
  setLocale,
  config,
};

import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { isDatabaseUnavailable } from "./db/errors.js";

/**
 * The catalogue of stable error codes. Clients switch on `code`; renaming one is a
 * breaking change. `detail` is the public message; the internal cause never leaves the
 * server.
 */
export const errorCatalogue = {
  validation_error: { status: 422, detail: "The request is invalid." },
  invalid_json: { status: 400, detail: "The request body is not valid JSON." },
  unsupported_media_type: { status: 415, detail: "Send the request body as application/json." },
  payload_too_large: { status: 413, detail: "The request body is too large." },
  not_found: { status: 404, detail: "Not found." },
  unsupported_locale: { status: 400, detail: "This language is not available." },
  method_not_allowed: { status: 405, detail: "Method not allowed." },
  invalid_code: { status: 400, detail: "The code is incorrect." },
  challenge_expired: { status: 400, detail: "The sign-in request has expired. Please start again." },
  challenge_not_found: { status: 404, detail: "The sign-in request was not found." },
  challenge_used: { status: 400, detail: "The sign-in request has already been used." },
  too_many_attempts: { status: 429, detail: "Too many wrong codes. Please start a new sign-in." },
  code_entry_locked: {
    status: 429,
    detail: "Too many wrong codes for this address. Use the link in the email, or try again later.",
  },
  invalid_link_token: { status: 400, detail: "invalid link token" },
  confirmation_required: {
    status: 409,
    detail: "This link was opened in another browser. Confirm to sign in on this device.",
  },
  approval_pending: { status: 409, detail: "The sign-in has not been approved yet." },
  approval_number_mismatch: {
    status: 400,
    detail:
      "That is not the number shown on the other device. The sign-in was stopped; start again if it was you.",
  },
  invalid_redirect_uri: { status: 400, detail: "magiclink_auth_uri is not an allowed redirect URI." },
  already_authenticated: {
    status: 409,
    detail: "Already authenticated. Please log out before starting a new sign-in.",
  },
  signup_disabled: { status: 403, detail: "Sign-up is disabled on this server." },
  rate_limited: { status: 429, detail: "Too many requests. Please try again later." },
  not_authenticated: { status: 401, detail: "Not authenticated" },
  token_expired: { status: 401, detail: "The access token has expired." },
  session_revoked: { status: 401, detail: "The session has ended. Please sign in again." },
  invalid_refresh_token: { status: 401, detail: "The refresh token is invalid or has expired." },
  session_not_found: { status: 404, detail: "Session not found." },
  csrf_rejected: { status: 403, detail: "Cross-site request refused." },
  https_required: { status: 403, detail: "Use https." },
  mail_unavailable: { status: 503, detail: "Mail cannot be queued right now. Please try again shortly." },
  database_unavailable: { status: 503, detail: "The database is unavailable. Please try again shortly." },
  provider_unavailable: {
    status: 503,
    detail: "The sign-in provider is unavailable. Please try again shortly.",
  },
  interaction_not_found: {
    status: 404,
    detail:
      "This sign-in request has expired or was opened in another browser. Go back to the app and start again.",
  },
  interaction_mismatch: { status: 409, detail: "This step does not belong to this sign-in request." },
  fresh_sign_in_required: { status: 409, detail: "The app asks you to sign in again." },
  app_not_connected: { status: 404, detail: "This app has no access to your account." },
  metrics_forbidden: { status: 403, detail: "Metrics require a valid token." },
  step_up_required: {
    status: 403,
    detail: "Confirm it is you: sign in again with a passkey or an email code, then retry.",
  },
  passkey_challenge_invalid: {
    status: 400,
    detail: "The passkey request has expired or was already used. Please try again.",
  },
  passkey_verification_failed: { status: 400, detail: "The passkey could not be verified." },
  passkey_unknown: { status: 400, detail: "This passkey was removed from your account; sign in with email" },
  passkey_already_registered: { status: 409, detail: "This passkey is already registered." },
  passkey_not_found: { status: 404, detail: "Passkey not found." },
  admin_key_required: {
    status: 401,
    detail: "This route needs an admin API key (Authorization: Bearer lk_admin_…).",
  },
  admin_key_invalid: { status: 401, detail: "The admin API key is invalid or revoked." },
  user_not_found: { status: 404, detail: "User not found." },
  user_exists: { status: 409, detail: "A user with this email already exists." },
  webhook_not_found: { status: 404, detail: "Webhook endpoint not found." },
  invalid_webhook_url: {
    status: 400,
    detail: "The webhook URL must be http(s) (https in production) without credentials.",
  },
  invalid_webhook_event: { status: 400, detail: "Unknown webhook event type." },
  sign_in_links_disabled: {
    status: 403,
    detail: "Support sign-in links are off on this server (ADMIN_SIGN_IN_LINKS).",
  },
  internal_error: { status: 500, detail: "Something went wrong on our side." },
  bad_request: { status: 400, detail: "The request cannot be processed." },
  duplicate_authorization: { status: 400, detail: "The request carried two Authorization headers." },
  duplicate_cookie: {
    status: 400,
    detail: "The request carried two sign-in cookies of one name. They were cleared; please sign in again.",
  },
} as const satisfies Record<string, { status: number; detail: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface AppErrorOptions {
  /** Overrides the catalogue's public detail. Never put upstream or internal text here. */
  detail?: string;
  /** Internal cause, logged but never sent. */
  cause?: unknown;
  /** Seconds, sent as an integer `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Extra public fields for the body, e.g. `attempts_remaining`. */
  extra?: Record<string, unknown>;
  /** Overrides the catalogue's status; only for `bad_request`, which keeps the framework's own 4xx. */
  status?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const entry = errorCatalogue[code];
    super(options.detail ?? entry.detail, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? entry.status;
    this.detail = options.detail ?? entry.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra;
  }
}

/** The database could not be reached (see db/errors.ts): 503 with a short Retry-After. */
export function databaseUnavailable(cause: unknown): AppError {
  return new AppError("database_unavailable", { cause, retryAfterSeconds: 5 });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The body of every error response. */
export function errorBody(error: AppError): Record<string, unknown> {
  return { detail: error.detail, code: error.code, ...error.extra };
}

function validationBody(issues: ValidationIssue[]) {
  return { detail: issues, code: "validation_error" as const };
}

function fastifyErrorToAppError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("unsupported_media_type", { cause: error });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("payload_too_large", { cause: error });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("invalid_json", { cause: error });
    default:
      break;
  }
  if (error instanceof SyntaxError) return new AppError("invalid_json", { cause: error });
  // Any other 4xx the framework raised (405 for a method it does not route, 414, 431…)
  // keeps its own status; it is no validation failure of ours.
  const status = error.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError("bad_request", { cause: error, status });
  }
  return undefined;
}

/**
 * Maps a validation issue to the seed's `loc`: `["body", field, …]`. Aliased fields are
 * reported under the name the seed's clients use (the schema chooses the path).
 */
function toValidationIssues(
  context: string,
  issues: { instancePath?: string; message?: string; params?: Record<string, unknown>; keyword?: string }[],
): ValidationIssue[] {
  return issues.map((issue) => {
    const path = (issue.instancePath ?? "")
      .split("/")
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    return {
      loc: [context, ...path],
      msg: issue.message ?? "Invalid value",
      type: issue.keyword ?? "invalid",
    };
  });
}

type Logger = FastifyRequest["log"];

function logUnexpected(log: Logger, error: unknown) {
  log.error({ err: error }, "unexpected error");
}

/** The one error handler: every failure becomes `{detail, code}` JSON, never a stack. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? "body";
    const issues = toValidationIssues(
      context,
      error.validation as unknown as Parameters<typeof toValidationIssues>[1],
    );
    return reply.status(422).send(validationBody(issues));
  }
  if (typeof error === "object" && error !== null && isResponseSerializationError(error as never)) {
    logUnexpected(request.log, error);
    return sendAppError(reply, new AppError("internal_error", { cause: error }));
  }
  if (isAppError(error)) {
    if (error.status >= 500) request.log.warn({ code: error.code, err: error.cause ?? error }, error.detail);
    return sendAppError(reply, error);
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ code: "database_unavailable", err: error }, "database unavailable");
    return sendAppError(reply, databaseUnavailable(error));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) {
    const issues = toValidationIssues(
      fastifyError.validationContext ?? "body",
      fastifyError.validation as unknown as Parameters<typeof toValidationIssues>[1],
    );
    return reply.status(422).send(validationBody(issues));
  }
  const mapped = fastifyError ? fastifyErrorToAppError(fastifyError) : undefined;
  if (mapped) return sendAppError(reply, mapped);
  logUnexpected(request.log, error);
  return sendAppError(reply, new AppError("internal_error", { cause: error }));
}

export function sendAppError(reply: FastifyReply, error: AppError) {
  if (error.retryAfterSeconds !== undefined) {
    reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  return reply.status(error.status).send(errorBody(error));
}

/**
 * The one error type the client throws. `code` is the server's stable snake_case code
 * (switch on it, never on `detail`), or a client-side code when no usable answer came
 * back: `network_error` (the request never completed) or `unexpected_response`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;
  /** Every other field of the error body, e.g. `attempts_remaining` or `email`. */
  readonly extra: Record<string, unknown>;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    retryAfterSeconds?: number | undefined;
    extra?: Record<string, unknown>;
  }) {
    super(init.detail);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.extra = init.extra ?? {};
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Reads `Retry-After` as whole seconds: an integer, or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function codeForStatus(status: number): string {
  if (status === 401) return "not_authenticated";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "internal_error";
  return "unexpected_response";
}

function detailText(detail: unknown): string {
  if (typeof detail === "string") return detail;
  // Validation errors carry a list of {loc, msg, type}.
  if (Array.isArray(detail)) {
    return detail
      .map((issue) => (typeof issue?.msg === "string" ? issue.msg : ""))
      .filter(Boolean)
      .join("; ");
  }
  return "";
}

/** Turns a non-2xx response into an ApiError, whatever its body looks like. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const { code, detail, ...extra } = body as Record<string, unknown>;
    return new ApiError({
      status: response.status,
      code: typeof code === "string" && code !== "" ? code : codeForStatus(response.status),
      detail: detailText(detail),
      retryAfterSeconds,
      extra,
    });
  }
  return new ApiError({
    status: response.status,
    code: codeForStatus(response.status),
    detail: "",
    retryAfterSeconds,
  });
}

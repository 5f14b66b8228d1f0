// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, describeError, messageFor } from "./api.js";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function mockFetch(...responses: (Response | Error)[]) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    const next = responses.shift();
    if (!next) throw new Error("unexpected fetch");
    if (next instanceof Error) throw next;
    return next;
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

const expired = () => json(401, { detail: "The access token has expired.", code: "token_expired" });
const refreshed = () => json(200, { expires_in: 900 });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("api client requests", () => {
  it("posts JSON with same-origin cookies to the contract path", async () => {
    const fetch = mockFetch(
      json(200, { auth_request_id: "ar_1", expires_at: 1, expires_in: 300, passwordless_type: "LINK_OTP" }),
    );
    await api.send("ada@example.com");
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/api/auth/send-passwordless");
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toEqual({ email: "ada@example.com" });
  });

  it("sends the code with the auth request id in snake_case", async () => {
    const fetch = mockFetch(json(200, { email: "ada@example.com" }));
    await api.verifyOtp("ar_1", "012345");
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({
      auth_request_id: "ar_1",
      code: "012345",
    });
  });

  it("asks the dev mailbox for JSON rather than its HTML page", async () => {
    const fetch = mockFetch(json(200, { messages: [] }));
    await api.devMailbox();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/dev/mailbox");
    expect(new Headers(init?.headers).get("accept")).toBe("application/json");
  });

  it("escapes ids placed in the path", async () => {
    const fetch = mockFetch(json(200, { revoked: true }));
    await api.revokeSession("a/b?c");
    expect(fetch.mock.calls[0]![0]).toBe("/api/auth/sessions/a%2Fb%3Fc");
    expect(fetch.mock.calls[0]![1]?.method).toBe("DELETE");
  });
});

describe("api client errors", () => {
  it("throws an ApiError carrying the server's code, detail and extra fields", async () => {
    mockFetch(json(400, { detail: "The code is incorrect.", code: "invalid_code", attempts_remaining: 3 }));
    const error = await caught(api.verifyOtp("ar_1", "000000"));
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_code");
    expect(error.detail).toBe("The code is incorrect.");
    expect(error.extra).toEqual({ attempts_remaining: 3 });
  });

  it("tells how long to wait from the Retry-After header", async () => {
    mockFetch(json(429, { detail: "Too many requests.", code: "rate_limited" }, { "retry-after": "42" }));
    const error = await caught(api.resend("ar_1"));
    expect(error.retryAfterSeconds).toBe(42);
    expect(describeError(error)).toBe("Too many attempts. Please wait 42 seconds and try again.");
  });

  it("joins validation messages into a readable detail", async () => {
    mockFetch(
      json(422, {
        detail: [{ loc: ["body", "email"], msg: "Invalid email", type: "value_error" }],
        code: "validation_error",
      }),
    );
    const error = await caught(api.send("nope"));
    expect(error.code).toBe("validation_error");
    expect(error.detail).toBe("Invalid email");
  });

  it("gives a code to an error page that is not JSON", async () => {
    mockFetch(
      new Response("<h1>Bad gateway</h1>", { status: 502, headers: { "content-type": "text/html" } }),
    );
    const error = await caught(api.session());
    expect(error.code).toBe("internal_error");
  });

  it("reports a dropped connection as network_error", async () => {
    mockFetch(new TypeError("Failed to fetch"));
    const error = await caught(api.session());
    expect(error.status).toBe(0);
    expect(error.code).toBe("network_error");
    expect(describeError(error)).toBe(messageFor("network_error"));
  });

  it("says how many attempts are left after a wrong code", () => {
    const error = new ApiError({
      status: 400,
      code: "invalid_code",
      detail: "",
      extra: { attempts_remaining: 1 },
    });
    expect(describeError(error)).toBe("That code is not right. 1 attempt left.");
  });

  it("has a sentence for every error code in the contract", () => {
    const codes = [
      "validation_error",
      "already_authenticated",
      "invalid_redirect_uri",
      "rate_limited",
      "challenge_not_found",
      "challenge_expired",
      "challenge_used",
      "too_many_attempts",
      "invalid_code",
      "code_entry_locked",
      "signup_disabled",
      "confirmation_required",
      "invalid_link_token",
      "approval_pending",
      "not_authenticated",
      "token_expired",
      "session_revoked",
      "invalid_refresh_token",
      "session_not_found",
      "csrf_rejected",
      "database_unavailable",
    ];
    for (const code of codes) expect(messageFor(code), code).not.toBe(messageFor("no_such_code"));
  });
});

describe("api client session refresh", () => {
  it("refreshes once and retries when the access token has expired", async () => {
    const fetch = mockFetch(expired(), refreshed(), json(200, { sessions: [] }));
    await expect(api.listSessions()).resolves.toEqual({ sessions: [] });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      "/api/auth/sessions",
      "/api/auth/refresh",
      "/api/auth/sessions",
    ]);
  });

  it("does not loop when the retried request is still refused", async () => {
    const fetch = mockFetch(expired(), refreshed(), expired());
    const error = await caught(api.audit());
    expect(error.code).toBe("token_expired");
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("reports a failed refresh as signed out without retrying", async () => {
    const fetch = mockFetch(expired(), json(401, { detail: "…", code: "invalid_refresh_token" }));
    const error = await caught(api.protected());
    expect(error.code).toBe("invalid_refresh_token");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("does not refresh for other 401 answers", async () => {
    const fetch = mockFetch(json(401, { detail: "Not authenticated", code: "not_authenticated" }));
    const error = await caught(api.protected());
    expect(error.code).toBe("not_authenticated");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("shares one refresh between parallel requests, so the rotated token is never replayed", async () => {
    const fetch = vi.fn(async (url: string) => {
      if (url === "/api/auth/refresh") return refreshed();
      const refreshes = fetch.mock.calls.filter(([called]) => called === "/api/auth/refresh").length;
      return refreshes === 0 ? expired() : json(200, { ok: url });
    });
    vi.stubGlobal("fetch", fetch);
    await Promise.all([api.listSessions(), api.audit(), api.protected()]);
    expect(fetch.mock.calls.filter(([url]) => url === "/api/auth/refresh")).toHaveLength(1);
  });

  it("keeps no token in web storage", async () => {
    mockFetch(expired(), refreshed(), json(200, { email: "ada@example.com", message: "Protected content" }));
    await api.protected();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });
});

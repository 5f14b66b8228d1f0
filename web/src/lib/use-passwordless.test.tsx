// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api.js";
import { ApiError } from "./api-error.js";
import type { SendResult, SignInResult } from "./api-types.js";
import { type UsePasswordlessOptions, usePasswordless } from "./use-passwordless.js";

vi.mock("./api.js", () => ({
  api: {
    send: vi.fn(),
    resend: vi.fn(),
    verifyOtp: vi.fn(),
    authRequestStatus: vi.fn(),
    completeApproval: vi.fn(),
    session: vi.fn(),
  },
}));

const mocked = vi.mocked(api);

const sent: SendResult = {
  auth_request_id: "ar_1",
  expires_at: Math.floor(Date.now() / 1000) + 300,
  expires_in: 300,
  passwordless_type: "LINK_OTP",
};
const signedIn: SignInResult = {
  email: "ada@example.com",
  state: null,
  template: "SIGNIN",
  passwordless_type: "LINK_OTP",
  is_new_user: false,
};

function apiError(
  status: number,
  code: string,
  more: Partial<ConstructorParameters<typeof ApiError>[0]> = {},
) {
  return new ApiError({ status, code, detail: code, ...more });
}

async function onCodeScreen(options: UsePasswordlessOptions = {}) {
  const hook = renderHook(() => usePasswordless({ pollIntervalMs: 5, ...options }));
  await act(() => hook.result.current.sendCode(" ada@example.com "));
  return hook;
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
  mocked.send.mockResolvedValue(sent);
  mocked.authRequestStatus.mockResolvedValue({ status: "pending", approval_number: 42 });
});

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("usePasswordless", () => {
  it("starts by asking for an email address", () => {
    const { result } = renderHook(() => usePasswordless());
    expect(result.current.step).toBe("email");
  });

  it("moves to code entry for the trimmed address once the email is sent", async () => {
    const { result } = await onCodeScreen();
    expect(mocked.send).toHaveBeenCalledWith("ada@example.com", undefined);
    expect(result.current.step).toBe("code");
    expect(result.current.email).toBe("ada@example.com");
    expect(result.current.authRequestId).toBe("ar_1");
  });

  it("locks the resend button for 30 seconds after a send", async () => {
    const { result } = await onCodeScreen();
    expect(result.current.resendSecondsLeft).toBe(30);
  });

  it("stays on the email step with the error when sending is refused", async () => {
    mocked.send.mockRejectedValue(apiError(429, "rate_limited", { retryAfterSeconds: 20 }));
    const { result } = await onCodeScreen();
    expect(result.current.step).toBe("email");
    expect(result.current.error?.code).toBe("rate_limited");
  });

  it("treats an already signed-in visitor as signed in", async () => {
    mocked.send.mockRejectedValue(apiError(409, "already_authenticated"));
    const { result } = await onCodeScreen();
    expect(result.current.step).toBe("signed-in");
  });

  it("signs in with the right code", async () => {
    mocked.verifyOtp.mockResolvedValue(signedIn);
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("123456"));
    expect(mocked.verifyOtp).toHaveBeenCalledWith("ar_1", "123456");
    expect(result.current.step).toBe("signed-in");
    expect(result.current.result).toEqual(signedIn);
  });

  it("keeps code entry open after a wrong code and says how many attempts are left", async () => {
    mocked.verifyOtp.mockRejectedValue(apiError(400, "invalid_code", { extra: { attempts_remaining: 4 } }));
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("000000"));
    expect(result.current.step).toBe("code");
    expect(result.current.mustStartOver).toBe(false);
    expect(result.current.error?.extra.attempts_remaining).toBe(4);
  });

  it("asks to start over after too many wrong codes when the email held only a code", async () => {
    mocked.send.mockResolvedValue({ ...sent, passwordless_type: "OTP" });
    mocked.verifyOtp.mockRejectedValue(apiError(429, "too_many_attempts"));
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("000000"));
    expect(result.current.mustStartOver).toBe(true);
  });

  it("keeps waiting for the emailed link after too many wrong codes, since the link still works", async () => {
    mocked.verifyOtp.mockRejectedValue(apiError(429, "too_many_attempts"));
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("000000"));
    expect(result.current.codeEntryLocked).toBe(true);
    expect(result.current.mustStartOver).toBe(false);
  });

  it("asks to start over when the code has expired", async () => {
    mocked.verifyOtp.mockRejectedValue(apiError(400, "challenge_expired"));
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("123456"));
    expect(result.current.mustStartOver).toBe(true);
  });

  it("refuses further codes but keeps waiting for the link when code entry is locked", async () => {
    mocked.verifyOtp.mockRejectedValue(apiError(429, "code_entry_locked"));
    const { result } = await onCodeScreen();
    await act(() => result.current.verifyCode("123456"));
    expect(result.current.codeEntryLocked).toBe(true);
    expect(result.current.mustStartOver).toBe(false);
    await act(() => result.current.verifyCode("654321"));
    expect(mocked.verifyOtp).toHaveBeenCalledTimes(1);
  });

  it("sends a new email and restarts the countdown on resend", async () => {
    mocked.resend.mockResolvedValue({ ...sent });
    const { result } = await onCodeScreen({ resendCooldownSeconds: 0 });
    await act(() => result.current.resendCode());
    expect(mocked.resend).toHaveBeenCalledWith("ar_1");
    expect(result.current.notice).toBe("resent");
  });

  it("follows the server's Retry-After when a resend is refused", async () => {
    mocked.resend.mockRejectedValue(apiError(429, "rate_limited", { retryAfterSeconds: 45 }));
    const { result } = await onCodeScreen({ resendCooldownSeconds: 0 });
    await act(() => result.current.resendCode());
    expect(result.current.resendSecondsLeft).toBe(45);
    expect(result.current.step).toBe("code");
  });

  it("does not resend while the countdown runs", async () => {
    const { result } = await onCodeScreen();
    await act(() => result.current.resendCode());
    expect(mocked.resend).not.toHaveBeenCalled();
  });

  it("signs in by itself when the link is approved on another device", async () => {
    mocked.authRequestStatus
      .mockResolvedValueOnce({ status: "pending", approval_number: 42 })
      .mockResolvedValue({ status: "approved", approval_number: 42 });
    mocked.completeApproval.mockResolvedValue(signedIn);
    const { result } = await onCodeScreen();
    await waitFor(() => expect(result.current.step).toBe("signed-in"));
    expect(mocked.completeApproval).toHaveBeenCalledWith("ar_1");
  });

  it("signs in by itself when the link was opened in another tab of this browser", async () => {
    mocked.authRequestStatus.mockResolvedValue({ status: "consumed", approval_number: 42 });
    mocked.session.mockResolvedValue({
      email: "ada@example.com",
      user_id: "u",
      session_id: "s",
      user_created_at: "",
      amr: ["otp"],
      signed_in_at: "",
    });
    const { result } = await onCodeScreen();
    await waitFor(() => expect(result.current.step).toBe("signed-in"));
  });

  it("does not wait for an approval when the email holds only a code", async () => {
    mocked.send.mockResolvedValue({ ...sent, passwordless_type: "OTP" });
    const { result } = await onCodeScreen();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(result.current.step).toBe("code");
    expect(mocked.authRequestStatus).not.toHaveBeenCalled();
  });

  it("asks to start over when the request expires while waiting", async () => {
    mocked.authRequestStatus.mockResolvedValue({ status: "expired", approval_number: 42 });
    const { result } = await onCodeScreen();
    await waitFor(() => expect(result.current.mustStartOver).toBe(true));
    expect(result.current.error?.code).toBe("challenge_expired");
  });

  it("goes back to the email step with the address kept when starting over", async () => {
    const { result } = await onCodeScreen();
    act(() => result.current.startOver());
    expect(result.current.step).toBe("email");
    expect(result.current.email).toBe("ada@example.com");
    expect(result.current.authRequestId).toBeNull();
  });

  it("checks a code only once when auto-submit and Enter race", async () => {
    mocked.verifyOtp.mockResolvedValue(signedIn);
    const { result } = await onCodeScreen();
    await act(() => Promise.all([result.current.verifyCode("123456"), result.current.verifyCode("123456")]));
    expect(mocked.verifyOtp).toHaveBeenCalledTimes(1);
  });
});

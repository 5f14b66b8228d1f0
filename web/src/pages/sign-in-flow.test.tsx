// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { ApiError } from "../lib/api-error.js";
import { AppConfigProvider, defaultAppConfig } from "../lib/app-config.js";
import { SignInPage } from "./sign-in-page.js";

vi.mock("../lib/api.js", () => ({
  api: {
    session: vi.fn(),
    refresh: vi.fn(),
    send: vi.fn(),
    resend: vi.fn(),
    verifyOtp: vi.fn(),
    authRequestStatus: vi.fn(),
    completeApproval: vi.fn(),
  },
}));
const mocked = vi.mocked(api);

const sent = () => ({
  auth_request_id: "ar_1",
  expires_at: Math.floor(Date.now() / 1000) + 300,
  expires_in: 300,
  passwordless_type: "LINK_OTP" as const,
});

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
  mocked.session.mockResolvedValue({ email: null });
  mocked.authRequestStatus.mockResolvedValue({ status: "pending", approval_number: 42 });
  mocked.send.mockResolvedValue(sent());
});
afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

function page(config: Partial<typeof defaultAppConfig> = {}) {
  return render(
    <AppConfigProvider config={{ ...defaultAppConfig, ...config }}>
      <SignInPage />
    </AppConfigProvider>,
  );
}

async function submitEmail(email: string) {
  fireEvent.change(await screen.findByLabelText("Email address"), { target: { value: email } });
  fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in code" }));
  await screen.findByRole("heading", { name: "Check your email" });
}

/** What the browser does on Back or Forward: the entry's state is restored, then popstate. */
function travelTo(state: unknown) {
  act(() => {
    window.history.replaceState(state, "", "/");
    window.dispatchEvent(new PopStateEvent("popstate", { state }));
  });
}

describe("a sign-in that survives", () => {
  it("comes back to the code step after a reload, for the same address", async () => {
    page();
    await submitEmail("ada@example.com");
    cleanup(); // the reload: the page is gone, the tab's history entry and sessionStorage stay
    page();
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeTruthy();
    expect(screen.getByText("ada@example.com")).toBeTruthy();
    expect(mocked.send).toHaveBeenCalledTimes(1);
  });

  it("signs in with the code entered after the reload", async () => {
    mocked.verifyOtp.mockResolvedValue({
      email: "ada@example.com",
      state: null,
      template: "SIGNIN",
      passwordless_type: "LINK_OTP",
      is_new_user: false,
    });
    page();
    await submitEmail("ada@example.com");
    cleanup();
    page();
    fireEvent.change(await screen.findByLabelText("6-digit code"), { target: { value: "123456" } });
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
    expect(mocked.verifyOtp).toHaveBeenCalledWith("ar_1", "123456");
  });

  it("keeps the request id and address in this tab's storage, never the code", async () => {
    mocked.verifyOtp.mockRejectedValue(new ApiError({ status: 400, code: "invalid_code", detail: "" }));
    page();
    await submitEmail("ada@example.com");
    fireEvent.change(screen.getByLabelText("6-digit code"), { target: { value: "654321" } });
    await screen.findByText(/That code is not right/);
    const stored = JSON.stringify({ ...window.sessionStorage });
    expect(stored).toContain("ar_1");
    expect(stored).toContain("ada@example.com");
    expect(stored).not.toContain("654321");
  });

  it("shows the email step on Back and the code step again on Forward", async () => {
    page();
    await submitEmail("ada@example.com");
    const codeStepEntry: unknown = window.history.state;
    travelTo(null);
    expect(await screen.findByLabelText("Email address")).toBeTruthy();
    travelTo(codeStepEntry);
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeTruthy();
  });

  it("does not come back to the code step after 'Use a different email' and a reload", async () => {
    page();
    await submitEmail("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Use a different email" }));
    cleanup();
    page();
    expect(await screen.findByLabelText("Email address")).toBeTruthy();
  });

  it("says a code was just sent, with the wait, instead of an error when the address is sent again too soon", async () => {
    page({ resend_cooldown_seconds: 30 });
    await submitEmail("ada@example.com");
    travelTo(null);
    await submitEmail("ada@example.com");
    expect(screen.getByRole("status").textContent).toMatch(
      /^We just sent a code — enter it, or resend in 0:(30|29)\.$/,
    );
    expect(screen.queryByRole("alert")?.textContent ?? "").toBe("");
    expect(mocked.send).toHaveBeenCalledTimes(1);
  });

  it("says a code was just sent when the server refuses a resend for its cooldown", async () => {
    mocked.resend.mockRejectedValue(
      new ApiError({ status: 429, code: "rate_limited", detail: "", retryAfterSeconds: 28 }),
    );
    page({ resend_cooldown_seconds: 0 });
    await submitEmail("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Resend email" }));
    expect(await screen.findByText("We just sent a code — enter it, or resend in 0:28.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Resend in 0:28" })).toBeTruthy();
  });
});

describe("the code's shape comes from the server", () => {
  it("asks for an 8-digit code when the server's codes have 8 digits, and submits at the eighth", async () => {
    mocked.verifyOtp.mockRejectedValue(new ApiError({ status: 400, code: "invalid_code", detail: "" }));
    page({ code_length: 8 });
    await submitEmail("ada@example.com");
    expect(screen.getByText(/We sent a 8-digit code/)).toBeTruthy();
    const box = screen.getByLabelText<HTMLInputElement>("8-digit code");
    expect(box.pattern).toBe("[0-9]{8}");
    fireEvent.change(box, { target: { value: "123456" } });
    expect(mocked.verifyOtp).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: "12345678" } });
    await vi.waitFor(() => expect(mocked.verifyOtp).toHaveBeenCalledWith("ar_1", "12345678"));
  });

  it("offers a link only, and no code box, when the server sends links only", async () => {
    mocked.send.mockResolvedValue({ ...sent(), passwordless_type: "LINK" });
    page({ passwordless_type: "LINK" });
    fireEvent.change(await screen.findByLabelText("Email address"), { target: { value: "ada@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in link" }));
    expect(await screen.findByText(/We sent a sign-in link to/)).toBeTruthy();
    expect(screen.queryByLabelText(/digit code/)).toBeNull();
  });
});

describe("small things", () => {
  it("focuses the email field and fills in the remembered address", async () => {
    window.localStorage.setItem("latchkey.email", "ada@example.com");
    page();
    const field = await screen.findByLabelText<HTMLInputElement>("Email address");
    expect(field.value).toBe("ada@example.com");
    expect(document.activeElement).toBe(field);
  });

  it("forgets the address on a shared device when 'Remember my email' is unticked", async () => {
    window.localStorage.setItem("latchkey.email", "old@example.com");
    page();
    fireEvent.click(await screen.findByLabelText("Remember my email on this device"));
    await submitEmail("ada@example.com");
    expect(window.localStorage.getItem("latchkey.email")).toBeNull();
  });

  it("offers 'Open Gmail' for a Gmail address, and no shortcut for others", async () => {
    page();
    await submitEmail("ada@gmail.com");
    expect(screen.getByRole("link", { name: "Open Gmail" }).getAttribute("href")).toMatch(
      /^https:\/\/mail\.google\.com\//,
    );
    expect(screen.getByText(/spam or junk folder/)).toBeTruthy();
    cleanup();
    window.sessionStorage.clear();
    window.history.replaceState(null, "", "/");
    page();
    await submitEmail("ada@example.com");
    expect(screen.queryByRole("link", { name: /Open (Gmail|Outlook)/ })).toBeNull();
  });

  it("does not ask /refresh on a signed-out load when the browser holds no session", async () => {
    page();
    await screen.findByLabelText("Email address");
    expect(mocked.refresh).not.toHaveBeenCalled();
  });

  it("says so when the session was ended from another device", async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: happy-dom has no Cookie Store; this plants the server's hint
    document.cookie = "lk_signed_in=1; path=/";
    mocked.refresh.mockRejectedValue(
      new ApiError({ status: 401, code: "invalid_refresh_token", detail: "" }),
    );
    page();
    expect(
      await screen.findByText("You were signed out from another device. Sign in again to continue."),
    ).toBeTruthy();
    // biome-ignore lint/suspicious/noDocumentCookie: removes the planted hint
    document.cookie = "lk_signed_in=; path=/; max-age=0";
  });
});

// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { ApiError } from "../lib/api-error.js";
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

const signedOut = new ApiError({ status: 401, code: "invalid_refresh_token", detail: "" });

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
  window.history.replaceState(null, "", "/");
  mocked.session.mockResolvedValue({ email: null });
  mocked.refresh.mockRejectedValue(signedOut);
  mocked.authRequestStatus.mockResolvedValue({ status: "pending", approval_number: 42 });
  mocked.send.mockResolvedValue({
    auth_request_id: "ar_1",
    expires_at: Math.floor(Date.now() / 1000) + 300,
    expires_in: 300,
    passwordless_type: "LINK_OTP",
  });
});
afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

async function submitEmail(email: string) {
  fireEvent.change(await screen.findByLabelText("Email address"), { target: { value: email } });
  fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in code" }));
}

async function enterCode(code: string) {
  fireEvent.change(await screen.findByLabelText("6-digit code"), { target: { value: code } });
}

describe("sign-in page", () => {
  it("sends a visitor who is already signed in straight to the dashboard", async () => {
    mocked.session.mockResolvedValue({
      email: "ada@example.com",
      user_id: "u",
      session_id: "s",
      user_created_at: "",
      amr: ["otp"],
      signed_in_at: "",
    });
    render(<SignInPage />);
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
  });

  it("points out a mistyped address without asking the server", async () => {
    render(<SignInPage />);
    await submitEmail("ada@example");
    expect(screen.getByRole("alert").textContent).toBe("Enter a valid email address, like name@example.com.");
    expect(mocked.send).not.toHaveBeenCalled();
  });

  it("shows the address the email went to and asks for the code", async () => {
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeTruthy();
    expect(screen.getByText("ada@example.com")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Resend in 0:30" })).toBeTruthy();
  });

  it("says how many attempts are left after a wrong code, and clears the box", async () => {
    mocked.verifyOtp.mockRejectedValue(
      new ApiError({ status: 400, code: "invalid_code", detail: "", extra: { attempts_remaining: 2 } }),
    );
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await enterCode("111111");
    await vi.waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe("That code is not right. 2 attempts left."),
    );
    expect(screen.getByLabelText<HTMLInputElement>("6-digit code").value).toBe("");
  });

  it("offers to start again after too many wrong codes when the email held only a code", async () => {
    mocked.send.mockResolvedValue({
      auth_request_id: "ar_1",
      expires_at: Math.floor(Date.now() / 1000) + 300,
      expires_in: 300,
      passwordless_type: "OTP",
    });
    mocked.verifyOtp.mockRejectedValue(new ApiError({ status: 429, code: "too_many_attempts", detail: "" }));
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await enterCode("111111");
    fireEvent.click(await screen.findByRole("button", { name: "Start again" }));
    expect(await screen.findByLabelText("Email address")).toBeTruthy();
  });

  it("tells the user to use the link when code entry is locked", async () => {
    mocked.verifyOtp.mockRejectedValue(new ApiError({ status: 429, code: "code_entry_locked", detail: "" }));
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await enterCode("111111");
    await vi.waitFor(() =>
      expect(screen.getByRole("alert").textContent).toContain("the link in the email still does"),
    );
    expect(screen.getByLabelText<HTMLInputElement>("6-digit code").disabled).toBe(true);
  });

  it("says the emailed link still works after the last wrong code, and moves focus to that message", async () => {
    mocked.verifyOtp.mockRejectedValue(new ApiError({ status: 429, code: "too_many_attempts", detail: "" }));
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await enterCode("111111");
    await vi.waitFor(() =>
      expect(screen.getByRole("alert").textContent).toContain("the link in the email still does"),
    );
    expect(screen.queryByRole("button", { name: "Start again" })).toBeNull();
    expect(document.activeElement?.contains(screen.getByRole("alert"))).toBe(true);
  });

  it("goes to the dashboard after the right code", async () => {
    mocked.verifyOtp.mockResolvedValue({
      email: "ada@example.com",
      state: null,
      template: "SIGNIN",
      passwordless_type: "LINK_OTP",
      is_new_user: false,
    });
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await enterCode("123456");
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
  });

  it("lets the user go back and use a different email", async () => {
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    fireEvent.click(await screen.findByRole("button", { name: "Use a different email" }));
    expect(screen.getByLabelText<HTMLInputElement>("Email address").value).toBe("ada@example.com");
  });
  it("shows the number to pick when approving on another device", async () => {
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    const shown = await screen.findByText("42", {}, { timeout: 4000 });
    expect(shown.closest("p")?.textContent).toContain("pick this number");
  });

  it("says in an alert when the sign-in was refused on the other device", async () => {
    mocked.authRequestStatus.mockResolvedValue({ status: "refused", approval_number: 42 });
    render(<SignInPage />);
    await submitEmail("ada@example.com");
    await vi.waitFor(() => expect(screen.getByRole("alert").textContent).toContain("refused"), {
      timeout: 4000,
    });
    expect(screen.getByRole("button", { name: "Start again" })).toBeTruthy();
  });
});

// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { ApiError } from "../lib/api-error.js";
import type { SessionSummary } from "../lib/api-types.js";
import { DashboardPage } from "./dashboard-page.js";

vi.mock("../lib/api.js", () => ({
  api: {
    session: vi.fn(),
    refresh: vi.fn(),
    listSessions: vi.fn(),
    revokeSession: vi.fn(),
    audit: vi.fn(),
    logout: vi.fn(),
    logoutAll: vi.fn(),
  },
}));
// The passkey section has its own tests (passkey-list.test.tsx).
vi.mock("../lib/passkeys.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/passkeys.js")>()),
  passkeyApi: { list: vi.fn(async () => ({ passkeys: [] })), rename: vi.fn(), remove: vi.fn() },
}));
const mocked = vi.mocked(api);

const now = new Date().toISOString();
const session = (id: string, userAgent: string, current: boolean): SessionSummary => ({
  id,
  created_at: now,
  last_used_at: now,
  expires_at: now,
  ip: "203.0.113.7",
  user_agent: userAgent,
  current,
});
const laptop = session(
  "s1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/126.0 Safari/537.36",
  true,
);
const phone = session(
  "s2",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile Safari/604.1",
  false,
);

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
  window.history.replaceState(null, "", "/dashboard");
  mocked.session.mockResolvedValue({
    email: "ada@example.com",
    user_id: "u1",
    session_id: "s1",
    user_created_at: "2024-03-05T10:00:00Z",
    amr: ["otp"],
    signed_in_at: now,
  });
  mocked.listSessions.mockResolvedValue({ sessions: [phone, laptop] });
  mocked.audit.mockResolvedValue({
    events: [{ id: "1", at: now, type: "sign_in", ip: "203.0.113.7", user_agent: laptop.user_agent }],
  });
});
afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("dashboard", () => {
  it("shows who is signed in and since when", async () => {
    render(<DashboardPage />);
    expect(await screen.findByText("ada@example.com")).toBeTruthy();
    expect(screen.getByText(/^Member since .*2024/)).toBeTruthy();
  });

  it("lists this device first, with a badge and no revoke button", async () => {
    render(<DashboardPage />);
    const items = await screen.findAllByRole("listitem");
    expect(items[0]!.textContent).toContain("Chrome on macOS");
    expect(within(items[0]!).getByText("This device")).toBeTruthy();
    expect(within(items[0]!).queryByRole("button")).toBeNull();
    expect(within(items[1]!).getByRole("button", { name: "Revoke Safari on iOS" })).toBeTruthy();
  });

  it("asks before revoking a session, and revokes nothing when told to keep it", async () => {
    render(<DashboardPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Revoke Safari on iOS" }));
    expect(screen.getByText("Sign out Safari on iOS?")).toBeTruthy();
    expect(document.activeElement?.textContent).toBe("Yes, sign it out");
    fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    expect(mocked.revokeSession).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Revoke Safari on iOS" })).toBeTruthy();
  });

  it("removes a session from the list once it is revoked, and moves focus to the list's heading", async () => {
    mocked.revokeSession.mockResolvedValue({ revoked: true });
    render(<DashboardPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Revoke Safari on iOS" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, sign it out" }));
    await vi.waitFor(() => expect(screen.queryByText("Safari on iOS")).toBeNull());
    expect(mocked.revokeSession).toHaveBeenCalledWith("s2");
    expect(screen.getByText("Signed out Safari on iOS.")).toBeTruthy();
    expect(document.activeElement?.textContent).toBe("Where you are signed in");
  });

  it("shows recent security events", async () => {
    render(<DashboardPage />);
    expect(await screen.findByText("Sign in")).toBeTruthy();
  });

  it("notes quietly when the server keeps no security log", async () => {
    mocked.audit.mockRejectedValue(new ApiError({ status: 404, code: "not_found", detail: "" }));
    render(<DashboardPage />);
    expect(await screen.findByText("This server does not keep a security log.")).toBeTruthy();
  });

  it("sends a visitor who is not signed in to the sign-in page", async () => {
    mocked.session.mockResolvedValue({ email: null });
    mocked.refresh.mockRejectedValue(
      new ApiError({ status: 401, code: "invalid_refresh_token", detail: "" }),
    );
    render(<DashboardPage />);
    await vi.waitFor(() => expect(window.location.pathname).toBe("/"));
  });

  it("signs out everywhere and says so on the sign-in page", async () => {
    mocked.logoutAll.mockResolvedValue({ revoked: 2 });
    render(<DashboardPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    expect(mocked.logoutAll).not.toHaveBeenCalled();
    expect(screen.getByText("Sign out on every device, including this one?")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Yes, sign out everywhere" }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/"));
    expect(window.history.state).toEqual({ notice: "You are signed out on every device." });
  });
});

// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { ApiError } from "../lib/api-error.js";
import { VerifyMagicLinkPage } from "./verify-magic-link-page.js";

vi.mock("../lib/api.js", () => ({
  api: {
    verifyMagicLink: vi.fn(),
    approveMagicLink: vi.fn(),
    approvalDetails: vi.fn(),
    refuseMagicLink: vi.fn(),
  },
}));
const mocked = vi.mocked(api);

const signedIn = {
  email: "ada@example.com",
  state: null,
  template: "SIGNIN",
  passwordless_type: "LINK_OTP",
  is_new_user: false,
} as const;
const confirmationRequired = new ApiError({
  status: 409,
  code: "confirmation_required",
  detail: "Confirm",
  extra: { email: "ada@example.com" },
});

const details = {
  choices: [17, 42, 86],
  user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  place: "Berlin, DE",
  requested_at: "2026-11-29T18:00:00.000Z",
};

/** Opens the link in a browser that did not ask, and chooses to approve the other device. */
async function openApproval() {
  mocked.verifyMagicLink.mockRejectedValue(confirmationRequired);
  mocked.approvalDetails.mockResolvedValue(details);
  render(<VerifyMagicLinkPage linkToken="tok" />);
  clickSignIn();
  fireEvent.click(await screen.findByRole("button", { name: "Approve sign-in on my other device" }));
  await screen.findByRole("heading", { name: "Is this you signing in?" });
}

function clickSignIn() {
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

beforeEach(() => window.history.replaceState(null, "", "/verify-magic-link"));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.resetAllMocks();
});

describe("verify magic link page", () => {
  it("shows one focused Sign in button and sends nothing on load or later", () => {
    vi.useFakeTimers();
    render(<VerifyMagicLinkPage linkToken="tok" />);
    const button = screen.getByRole("button", { name: "Sign in" });
    expect(document.activeElement).toBe(button);
    expect(screen.getAllByRole("button")).toHaveLength(1);
    act(() => vi.advanceTimersByTime(60_000));
    expect(mocked.verifyMagicLink).not.toHaveBeenCalled();
    expect(mocked.approveMagicLink).not.toHaveBeenCalled();
  });

  it("signs in and opens the dashboard after one click in the browser that asked for the link", async () => {
    mocked.verifyMagicLink.mockResolvedValue(signedIn);
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
    expect(mocked.verifyMagicLink).toHaveBeenCalledTimes(1);
    expect(mocked.verifyMagicLink).toHaveBeenCalledWith("tok", { authRequestId: undefined });
  });

  it("shows that it is signing in while the click is being answered, and ignores a second click", () => {
    mocked.verifyMagicLink.mockReturnValue(new Promise(() => {}));
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    const busy = screen.getByRole("button", { name: "Signing in…" });
    expect(busy.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(busy);
    expect(mocked.verifyMagicLink).toHaveBeenCalledTimes(1);
  });

  it("in another browser, the click shows whose link it is and the two choices", async () => {
    mocked.verifyMagicLink.mockRejectedValue(confirmationRequired);
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    expect(await screen.findByText("ada@example.com")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign in on this device" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Approve sign-in on my other device" })).toBeTruthy();
    // Focus moves in an effect after the text is drawn; a loaded machine can see the text first.
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Finish signing in" })),
    );
    expect(mocked.verifyMagicLink).toHaveBeenCalledTimes(1);
    expect(mocked.verifyMagicLink).toHaveBeenCalledWith("tok", { authRequestId: undefined });
    expect(mocked.approveMagicLink).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe("/verify-magic-link");
  });

  it("signs in on this device after the user confirms", async () => {
    mocked.verifyMagicLink.mockRejectedValueOnce(confirmationRequired).mockResolvedValueOnce(signedIn);
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    fireEvent.click(await screen.findByRole("button", { name: "Sign in on this device" }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
    expect(mocked.verifyMagicLink).toHaveBeenLastCalledWith("tok", { confirm: true });
  });

  it("shows the waiting browser's device, place and time before anything is approved", async () => {
    await openApproval();
    expect(screen.getByText("Firefox on Linux")).toBeTruthy();
    expect(screen.getByText("Berlin, DE (approximate)")).toBeTruthy();
    expect(mocked.approveMagicLink).not.toHaveBeenCalled();
  });

  it("asks to pick the number among three, and approves with the one picked", async () => {
    mocked.approveMagicLink.mockResolvedValue({ approved: true, email: "ada@example.com" });
    await openApproval();
    for (const number of ["17", "42", "86"])
      expect(screen.getByRole("button", { name: number })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "42" }));
    expect((await screen.findByRole("status")).textContent).toContain(
      "Approved — return to your other device",
    );
    expect(screen.getByRole("status").textContent).toContain("This device stays signed out.");
    expect(mocked.approveMagicLink).toHaveBeenCalledWith("tok", {
      authRequestId: undefined,
      approvalNumber: 42,
    });
    expect(window.location.pathname).toBe("/verify-magic-link");
  });

  it("says in an alert that a wrong number stopped the sign-in", async () => {
    mocked.approveMagicLink.mockRejectedValue(
      new ApiError({ status: 400, code: "approval_number_mismatch", detail: "" }),
    );
    await openApproval();
    fireEvent.click(screen.getByRole("button", { name: "17" }));
    expect(await screen.findByRole("heading", { name: "Sign-in stopped" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain("not the number shown on the other device");
  });

  it("refuses with This wasn't me and says nobody was signed in", async () => {
    mocked.refuseMagicLink.mockResolvedValue({ refused: true });
    await openApproval();
    fireEvent.click(screen.getByRole("button", { name: "This wasn't me" }));
    expect((await screen.findByRole("status")).textContent).toContain("Nobody was signed in");
    expect(mocked.refuseMagicLink).toHaveBeenCalledWith("tok", { authRequestId: undefined });
    expect(mocked.approveMagicLink).not.toHaveBeenCalled();
  });

  it("opens the dashboard when the visitor is already signed in", async () => {
    mocked.verifyMagicLink.mockRejectedValue(
      new ApiError({ status: 409, code: "already_authenticated", detail: "" }),
    );
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
  });

  it("explains an expired link and offers a way back to sign in", async () => {
    mocked.verifyMagicLink.mockRejectedValue(
      new ApiError({ status: 400, code: "challenge_expired", detail: "" }),
    );
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    expect(await screen.findByRole("heading", { name: "This link has expired" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Back to sign in" }));
    expect(window.location.pathname).toBe("/");
  });

  it("explains a link that was already used", async () => {
    mocked.verifyMagicLink.mockRejectedValue(
      new ApiError({ status: 400, code: "challenge_used", detail: "" }),
    );
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    expect(await screen.findByRole("heading", { name: "This link was already used" })).toBeTruthy();
  });

  it("offers to try again after a network failure, and tries only when clicked", async () => {
    mocked.verifyMagicLink
      .mockRejectedValueOnce(new ApiError({ status: 0, code: "network_error", detail: "" }))
      .mockResolvedValueOnce(signedIn);
    render(<VerifyMagicLinkPage linkToken="tok" />);
    clickSignIn();
    fireEvent.click(await screen.findByRole("button", { name: "Try again" }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/dashboard"));
    expect(mocked.verifyMagicLink).toHaveBeenCalledTimes(2);
  });

  it("asks for the link from the email when the page has no token, without calling the server", () => {
    render(<VerifyMagicLinkPage linkToken={null} />);
    expect(screen.getByRole("heading", { name: "Open the link from your email" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
    expect(mocked.verifyMagicLink).not.toHaveBeenCalled();
  });
});

// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../lib/api-error.js";
import { type PasskeySummary, passkeyApi, signInWithPasskey } from "../lib/passkeys.js";
import { PasskeyList } from "./passkey-list.js";

vi.mock("../lib/passkeys.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/passkeys.js")>()),
  supportsPasskeys: () => true,
  signInWithPasskey: vi.fn(),
  passkeyApi: { list: vi.fn(), rename: vi.fn(), remove: vi.fn() },
}));
const api = vi.mocked(passkeyApi);

const passkey: PasskeySummary = {
  id: "pk1",
  name: "iCloud Keychain",
  created_at: "2026-11-01T10:00:00Z",
  last_used_at: null,
  synced: true,
  backed_up: true,
  aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
  transports: ["internal"],
};

beforeEach(() => {
  api.list.mockResolvedValue({ passkeys: [passkey] });
});
afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("the passkey list", () => {
  it("shows each passkey with its name, whether it is synced, and an Add a passkey button", async () => {
    render(<PasskeyList onSessionEnded={() => {}} />);
    expect(await screen.findByText("iCloud Keychain")).toBeTruthy();
    expect(screen.getByText("Synced")).toBeTruthy();
    expect(screen.getByText(/Never used/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add a passkey" })).toBeTruthy();
  });

  it("asks for confirmation before removing, and removes only after it", async () => {
    api.remove.mockResolvedValue({ removed: true });
    render(<PasskeyList onSessionEnded={() => {}} />);
    fireEvent.click(await screen.findByRole("button", { name: "Remove" }));
    expect(api.remove).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Yes, remove it" }));
    expect(await screen.findByText("Removed iCloud Keychain.")).toBeTruthy();
    expect(api.remove).toHaveBeenCalledWith("pk1");
  });

  it("asks the person to confirm it is them when the sign-in is old, then removes", async () => {
    api.remove
      .mockRejectedValueOnce(new ApiError({ status: 403, code: "step_up_required", detail: "" }))
      .mockResolvedValueOnce({ removed: true });
    vi.mocked(signInWithPasskey).mockResolvedValue({
      email: "a@x",
      user_id: "u",
      amr: ["hwk"],
      step_up: true,
    });
    render(<PasskeyList onSessionEnded={() => {}} />);
    fireEvent.click(await screen.findByRole("button", { name: "Remove" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, remove it" }));
    fireEvent.click(await screen.findByRole("button", { name: "Confirm with a passkey" }));
    expect(await screen.findByText("Removed iCloud Keychain.")).toBeTruthy();
    expect(signInWithPasskey).toHaveBeenCalledWith({ stepUp: true });
    expect(api.remove).toHaveBeenCalledTimes(2);
  });
});

// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { ApiError } from "../lib/api-error.js";
import { DevMailboxPage, MAILBOX_POLL_MS } from "./dev-mailbox-page.js";

vi.mock("../lib/api.js", () => ({ api: { devMailbox: vi.fn() } }));
const mocked = vi.mocked(api);

const message = (id: number, code: string, createdAt: string) => ({
  id,
  to: "ada@example.com",
  subject: `Your sign-in code ${code}`,
  text: `Code ${code}`,
  code,
  link: `http://localhost:8000/verify-magic-link?link_token=t${id}`,
  created_at: createdAt,
  html: "",
});

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("dev mailbox page", () => {
  it("shows each message newest first, with its code and a link to open", async () => {
    mocked.devMailbox.mockResolvedValue({
      messages: [message(1, "111111", "2025-01-01T10:00:00Z"), message(2, "222222", "2025-01-01T11:00:00Z")],
    });
    render(<DevMailboxPage />);
    const codes = await screen.findAllByText(/^\d{6}$/);
    expect(codes.map((node) => node.textContent)).toEqual(["Code: 222222", "Code: 111111"]);
    const links = screen.getAllByRole<HTMLAnchorElement>("link", { name: "Open the sign-in link" });
    expect(links[0]!.href).toBe("http://localhost:8000/verify-magic-link?link_token=t2");
  });

  it("does not turn a non-web link into a clickable one", async () => {
    mocked.devMailbox.mockResolvedValue({
      messages: [{ ...message(1, "111111", "2025-01-01T10:00:00Z"), link: "javascript:alert(1)" }],
    });
    render(<DevMailboxPage />);
    await screen.findByText("111111");
    expect(screen.queryByRole("link", { name: "Open the sign-in link" })).toBeNull();
  });

  it("says the dev mailbox is off when the server does not have one", async () => {
    mocked.devMailbox.mockRejectedValue(new ApiError({ status: 404, code: "not_found", detail: "" }));
    render(<DevMailboxPage />);
    expect(await screen.findByText(/The dev mailbox is off/)).toBeTruthy();
  });
});

describe("dev mailbox page, the HTML part and new mail", () => {
  it("shows the HTML part in a sandboxed frame that runs no script", async () => {
    mocked.devMailbox.mockResolvedValue({
      messages: [{ ...message(7, "777777", "2025-01-01T10:00:00Z"), html: "<!DOCTYPE html><p>Hi</p>" }],
    });
    render(<DevMailboxPage />);
    const frame = await screen.findByTitle<HTMLIFrameElement>(/^The email as it looks/);
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("src")).toBe("/dev/mailbox/7/html");
  });

  it("shows new mail by itself, without a click on Refresh", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      mocked.devMailbox.mockResolvedValue({ messages: [message(1, "111111", "2025-01-01T10:00:00Z")] });
      render(<DevMailboxPage />);
      await screen.findByText("1 message");
      mocked.devMailbox.mockResolvedValue({
        messages: [
          message(1, "111111", "2025-01-01T10:00:00Z"),
          message(2, "222222", "2025-01-01T11:00:00Z"),
        ],
      });
      await vi.advanceTimersByTimeAsync(MAILBOX_POLL_MS + 10);
      expect(await screen.findByText("2 messages")).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});

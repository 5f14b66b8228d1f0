// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next.js";

const origin = "https://auth.example.com";

describe("redirect after sign-in", () => {
  it("goes to a same-origin path it was given", () => {
    expect(safeNextPath("/dev/mailbox?x=1#top", origin)).toBe("/dev/mailbox?x=1#top");
  });

  it("goes to the dashboard when no path was given", () => {
    expect(safeNextPath(null, origin)).toBe("/dashboard");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "dashboard",
  ])("refuses to leave the site for %j", (next) => {
    expect(safeNextPath(next, origin)).toBe("/dashboard");
  });
});

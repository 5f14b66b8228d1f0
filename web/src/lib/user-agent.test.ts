// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { describeUserAgent, parseUserAgent } from "./user-agent.js";

describe("device names from user agents", () => {
  it.each([
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
      "Chrome on macOS",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
      "Edge on Windows",
    ],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iOS",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
      "Chrome on Android",
    ],
    ["curl/8.5.0", "curl"],
    [null, "Unknown browser"],
  ])("names %s as %s", (ua, name) => {
    expect(describeUserAgent(ua)).toBe(name);
  });

  it.each(["URGENT: approve this, it is IT support", "https://evil.example/ go", "<img src=x>"])(
    "never echoes a user agent it does not know (%s): a stranger chose that text",
    (ua) => {
      expect(describeUserAgent(ua)).toBe("Unknown browser");
    },
  );

  it("tells a phone from a computer", () => {
    expect(parseUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile Safari").kind).toBe(
      "mobile",
    );
    expect(parseUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36").kind).toBe(
      "desktop",
    );
  });
});

import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { constantTimeEqual } from "../../src/security/crypto.js";
import { bearer, getWith, signInForTokens } from "../sessions/helpers.js";
import { createTestApp, type TestApp } from "../support/harness.js";

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

describe("SECURITY 33: constant-time comparison", () => {
  it("constantTimeEqual compares with crypto.timingSafeEqual, whether or not the values match", () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    timingSafeEqual.mockClear();
    expect(constantTimeEqual("a-tag-value", "a-tag-value")).toBe(true);
    expect(constantTimeEqual("a-tag-value", "a-tag-valuf")).toBe(false);
    expect(constantTimeEqual("a-tag-value", "short")).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
  });
});

describe("SECURITY 22: the verified-token cache", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  it("never answers for an access token after it expired, even one it verified before", async () => {
    testApp = await createTestApp();
    const tokens = await signInForTokens(testApp, "alice@example.com");
    expect((await getWith(testApp, "/api/auth/protected", bearer(tokens.access_token))).statusCode).toBe(200);
    const { accessTokenTtlSeconds, clockSkewSeconds } = testApp.config.tokens;
    testApp.clock.advanceSeconds(accessTokenTtlSeconds + clockSkewSeconds + 1);
    const late = await getWith(testApp, "/api/auth/protected", bearer(tokens.access_token));
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe("token_expired");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { clientAddressOf, clientKeyOf } from "../../src/security/client-ip.js";
import { createTestApp, type TestApp } from "../support/harness.js";

/** Behind a proxy (TRUST_PROXY=1), the forwarded value must not let one client pose as many. */
describe("SECURITY 35: forwarded client addresses", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  function refreshFrom(forwardedFor: string) {
    return testApp.app.inject({
      method: "POST",
      url: "/api/auth/refresh",
      headers: { "x-forwarded-for": forwardedFor, "content-type": "application/json" },
      payload: "{}",
    });
  }

  it("an address with a changing port is one client for the per-IP limit", async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: "1", REFRESHES_PER_IP_PER_MINUTE: "2" } });
    expect((await refreshFrom("203.0.113.9:1001")).statusCode).toBe(401);
    expect((await refreshFrom("203.0.113.9:1002")).statusCode).toBe(401);
    expect((await refreshFrom("203.0.113.9:1003")).statusCode).toBe(429);
  });

  it("values that are no IP address all count as one client", async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: "1", REFRESHES_PER_IP_PER_MINUTE: "2" } });
    expect((await refreshFrom("not-an-ip-1")).statusCode).toBe(401);
    expect((await refreshFrom("not-an-ip-2")).statusCode).toBe(401);
    expect((await refreshFrom("not-an-ip-3")).statusCode).toBe(429);
  });

  it("normalizes ports and brackets, and keeps plain addresses as they are", () => {
    expect(clientAddressOf("203.0.113.9:5123")).toBe("203.0.113.9");
    expect(clientAddressOf("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(clientAddressOf("2001:db8::1")).toBe("2001:db8::1");
    expect(clientAddressOf("evil.example")).toBe("unknown");
    expect(clientKeyOf("[2001:db8:1:2::7]:80")).toBe("2001:db8:1:2::/64");
  });
});

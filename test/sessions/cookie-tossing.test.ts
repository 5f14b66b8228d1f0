import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";
import { auditTypes, setCookie, signedInBrowser } from "./helpers.js";

/** A sibling subdomain can set a cookie of our name; with two, the server must not pick one. */
describe("SECURITY 15: a tossed duplicate auth cookie", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  async function tossedRefresh() {
    const victim = await signedInBrowser(testApp, "victim@example.com");
    const attacker = await signedInBrowser(testApp, "attacker@example.com");
    const cookie = `refresh_token=${attacker.jar.refresh_token}; refresh_token=${victim.jar.refresh_token}`;
    const response = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/refresh",
      headers: { cookie, origin: "http://localhost:8000", "content-type": "application/json" },
      payload: "{}",
    });
    return { response, victim, attacker };
  }

  it("a refresh with two refresh cookies is refused with duplicate_cookie, and the cookies are cleared", async () => {
    const { response } = await tossedRefresh();
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("duplicate_cookie");
    expect(setCookie(response, "refresh_token")?.maxAge).toBe(0);
    expect(setCookie(response, "access_token")?.maxAge).toBe(0);
  });

  it("neither session is rotated or ended by the refused refresh", async () => {
    const { victim, attacker } = await tossedRefresh();
    expect(await auditTypes(testApp, "session_refreshed")).toEqual([]);
    expect((await victim.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect((await attacker.post("/api/auth/refresh", {})).statusCode).toBe(200);
  });

  it.each([
    ["POST", "/interaction/some-interaction/login"],
    ["GET", "/oidc/auth?client_id=app&response_type=code"],
    ["GET", "/oidc/session/end"],
  ] as const)(
    "%s %s with two access cookies is refused with duplicate_cookie before the OpenID Provider reads either",
    async (method, url) => {
      const response = await testApp.app.inject({
        method,
        url,
        headers: {
          cookie: "access_token=first; access_token=second",
          origin: "http://localhost:8000",
          "content-type": "application/json",
        },
        ...(method === "POST" ? { payload: "{}" } : {}),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("duplicate_cookie");
      expect(setCookie(response, "access_token")?.maxAge).toBe(0);
    },
  );

  it("a single refresh cookie still refreshes", async () => {
    const browser = await signedInBrowser(testApp);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
  });
});

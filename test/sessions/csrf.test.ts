import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Browser,
  createBrowser,
  createTestApp,
  signIn,
  startSignIn,
  type TestApp,
} from "../support/harness.js";
import { auditTypes, bearer, postWith, signInForTokens } from "./helpers.js";

const CROSS_SITE = { "sec-fetch-site": "cross-site" };
const FOREIGN_ORIGIN = { origin: "https://evil.example" };

describe("CSRF on cookie-authenticated writes", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  async function signedIn(): Promise<Browser> {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    return browser;
  }

  function expectRejected(response: { statusCode: number; json(): { code: string } }) {
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("csrf_rejected");
  }

  for (const [label, headers] of [
    ["Sec-Fetch-Site: cross-site", CROSS_SITE],
    ["a foreign Origin", FOREIGN_ORIGIN],
  ] as const) {
    it(`SECURITY 28: logout with ${label} is refused 403 and the session lives on`, async () => {
      const browser = await signedIn();
      expectRejected(await browser.post("/api/auth/logout", {}, headers));
      expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    });

    it(`SECURITY 28: refresh with ${label} is refused 403 and the refresh token is not consumed`, async () => {
      const browser = await signedIn();
      const before = browser.jar.refresh_token;
      expectRejected(await browser.post("/api/auth/refresh", {}, headers));
      expect(browser.jar.refresh_token).toBe(before);
      testApp.clock.advanceSeconds(60); // past the grace window: a consumed token would now be reuse
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
      expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
    });

    it(`SECURITY 28: logout-all with ${label} is refused 403 and no session ends`, async () => {
      const browser = await signedIn();
      expectRejected(await browser.post("/api/auth/logout-all", {}, headers));
      expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    });

    it(`SECURITY 28: DELETE of a session with ${label} is refused 403 and the session lives on`, async () => {
      const browser = await signedIn();
      const sessionId = (await browser.get("/api/auth/session")).json().session_id;
      expectRejected(await browser.delete(`/api/auth/sessions/${sessionId}`, headers));
      expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    });

    it(`SECURITY 10: verify-otp with ${label} is refused 403 and the code still works from the right origin`, async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      const body = { code: mail.code, auth_request_id: authRequestId };
      expectRejected(await browser.post("/api/auth/verify-otp", body, headers));
      expect(browser.jar.access_token).toBeUndefined();
      const honest = await browser.post("/api/auth/verify-otp", body);
      expect(honest.statusCode).toBe(200);
    });

    it(`SECURITY 10: verify-magic-link with ${label} is refused 403 and the link still works`, async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "alice@example.com");
      const linkToken = new URL(mail.link!).searchParams.get("link_token");
      expectRejected(await browser.post("/api/auth/verify-magic-link", { link_token: linkToken }, headers));
      expect((await browser.post("/api/auth/verify-magic-link", { link_token: linkToken })).statusCode).toBe(
        200,
      );
    });

    it(`SECURITY 10: send-passwordless with ${label} is refused 403 and sends no mail`, async () => {
      const browser = createBrowser(testApp);
      expectRejected(
        await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" }, headers),
      );
      expect(await testApp.database.db.selectFrom("mail_outbox").selectAll().execute()).toEqual([]);
      expect(await testApp.database.db.selectFrom("auth_requests").selectAll().execute()).toEqual([]);
      expect(
        (await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" })).statusCode,
      ).toBe(200);
    });
  }

  it("SECURITY 28: a foreign Referer without Origin is refused", async () => {
    const browser = await signedIn();
    const response = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: `access_token=${browser.jar.access_token}`, referer: "https://evil.example/page" },
    });
    expectRejected(response);
  });

  it("SECURITY 28: Origin: null (a sandboxed frame) is refused", async () => {
    const browser = await signedIn();
    expectRejected(await browser.post("/api/auth/logout", {}, { origin: "null" }));
  });

  it("SECURITY 28: a same-site sibling origin is refused", async () => {
    const browser = await signedIn();
    expectRejected(
      await browser.post(
        "/api/auth/logout",
        {},
        { origin: "http://evil.localhost:8000", "sec-fetch-site": "same-site" },
      ),
    );
  });

  it("SECURITY 28: Sec-Fetch-Site cross-site is refused even when the Origin looks right", async () => {
    const browser = await signedIn();
    expectRejected(
      await browser.post("/api/auth/logout", {}, { ...CROSS_SITE, origin: "http://localhost:8000" }),
    );
  });

  it("same-origin writes with Fetch Metadata pass", async () => {
    const browser = await signedIn();
    const response = await browser.post("/api/auth/refresh", {}, { "sec-fetch-site": "same-origin" });
    expect(response.statusCode).toBe(200);
  });

  it("a CORS_ORIGINS origin may write", async () => {
    const withCors = await createTestApp({ env: { CORS_ORIGINS: "https://app.example.com" } });
    try {
      const browser = createBrowser(withCors, { origin: "https://app.example.com" });
      await signIn(withCors, browser, "alice@example.com");
      const response = await browser.post("/api/auth/refresh", {}, { "sec-fetch-site": "same-site" });
      expect(response.statusCode).toBe(200);
    } finally {
      await withCors.close();
    }
  });

  it("a refused cross-site write is audited as csrf_rejected", async () => {
    const browser = await signedIn();
    await browser.post("/api/auth/logout", {}, FOREIGN_ORIGIN);
    expect(await auditTypes(testApp, "csrf_rejected")).toHaveLength(1);
  });

  it("SECURITY 28: Bearer-only requests without cookies are unaffected by Origin", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await postWith(
      testApp,
      "/api/auth/logout-all",
      { keep_current: true },
      { ...bearer(tokens.access_token), ...FOREIGN_ORIGIN },
    );
    expect(response.statusCode).toBe(200);
  });

  it("SECURITY 28: a Bearer header does not excuse a cross-site request that also carries cookies", async () => {
    const browser = await signedIn();
    const response = await browser.post("/api/auth/logout", {}, { ...bearer("anything"), ...FOREIGN_ORIGIN });
    expectRejected(response);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("SECURITY 28: GET requests change nothing and are not refused", async () => {
    const browser = await signedIn();
    const response = await browser.get("/api/auth/session", CROSS_SITE);
    expect(response.statusCode).toBe(200);
  });
});

describe("form content types", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  for (const [contentType, payload] of [
    ["text/plain", '{"keep_current":false}'],
    ["application/x-www-form-urlencoded", "keep_current=false"],
    [
      "multipart/form-data; boundary=x",
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
    ],
  ] as const) {
    for (const url of [
      "/api/auth/logout",
      "/api/auth/refresh",
      "/api/auth/logout-all",
      "/api/auth/verify-otp",
    ]) {
      it(`SECURITY 28: ${contentType} to ${url} is refused 415 even from the right origin`, async () => {
        const browser = createBrowser(testApp);
        await signIn(testApp, browser, "alice@example.com");
        const response = await testApp.app.inject({
          method: "POST",
          url,
          headers: {
            "content-type": contentType,
            origin: "http://localhost:8000",
            cookie: `access_token=${browser.jar.access_token}; refresh_token=${browser.jar.refresh_token}`,
          },
          payload,
        });
        expect(response.statusCode).toBe(415);
        expect(response.json().code).toBe("unsupported_media_type");
        expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
      });
    }
  }
});

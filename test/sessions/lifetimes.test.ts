import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { setCookie } from "./helpers.js";

const MINUTE = 60;
const DAY = 86_400;

describe("session lifetimes", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it("SECURITY 18: the access token lives 15 minutes", async () => {
    const browser = createBrowser(testApp);
    const response = await signIn(testApp, browser, "alice@example.com");
    const claims = decodeJwt(setCookie(response, "access_token")!.value);
    expect(claims.exp! - claims.iat!).toBe(15 * MINUTE);
  });

  it("SECURITY 18: an access token past its 15 minutes is refused 401 token_expired", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(15 * MINUTE + 31);
    const response = await browser.get("/api/auth/protected");
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("token_expired");
  });

  it("an access token is honoured within the 30 s clock skew after its expiry", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(15 * MINUTE + 20);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("after the access token expires, a refresh signs the browser back in", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(20 * MINUTE);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("a browser that dropped its expired access cookie is told token_expired, so it refreshes", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(16 * MINUTE);
    delete browser.jar.access_token; // Max-Age ran out: the browser no longer sends it
    const response = await browser.get("/api/auth/protected");
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("token_expired");
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("SECURITY 18: a session idle for 7 days cannot refresh", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(7 * DAY + 1);
    const response = await browser.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_refresh_token");
  });

  it("a session used just inside 7 days stays alive", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(7 * DAY - 60);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
  });

  it("an idle-expired session leaves the session list", async () => {
    const laptop = createBrowser(testApp);
    await signIn(testApp, laptop, "alice@example.com");
    testApp.clock.advanceSeconds(7 * DAY + 1);
    const phone = createBrowser(testApp);
    await signIn(testApp, phone, "alice@example.com");
    const { sessions } = (await phone.get("/api/auth/sessions")).json();
    expect(sessions).toHaveLength(1);
    expect(sessions[0].current).toBe(true);
  });

  it("SECURITY 18: a browser in daily use stays signed in until the 30-day absolute limit, then is refused", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    for (let day = 1; day < 30; day++) {
      testApp.clock.advanceSeconds(DAY);
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
      expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    }
    testApp.clock.advanceSeconds(DAY);
    const refresh = await browser.post("/api/auth/refresh", {});
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 18: the last access token ends with the session, not 15 minutes later", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    for (let round = 0; round < 4; round++) {
      testApp.clock.advanceSeconds(6 * DAY);
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
    }
    testApp.clock.advanceSeconds(6 * DAY - 5 * MINUTE); // the session has 5 minutes left
    const last = await browser.post("/api/auth/refresh", {});
    expect(last.statusCode).toBe(200);
    expect(last.json().expires_in).toBeLessThanOrEqual(5 * MINUTE);
    expect(setCookie(last, "access_token")!.maxAge).toBeLessThanOrEqual(5 * MINUTE);
    expect(setCookie(last, "refresh_token")!.maxAge).toBeLessThanOrEqual(5 * MINUTE);
    testApp.clock.advanceSeconds(5 * MINUTE + 1);
    const after = await browser.get("/api/auth/protected");
    expect(after.statusCode).toBe(401);
  });

  it("SECURITY 18: an access token for a session past its absolute limit is refused even inside its own life", async () => {
    const shortLived = await createTestApp({
      env: { SESSION_ABSOLUTE_LIFETIME: "3600", SESSION_IDLE_TIMEOUT: "3600" },
    });
    try {
      const browser = createBrowser(shortLived);
      await signIn(shortLived, browser, "alice@example.com");
      shortLived.clock.advanceSeconds(55 * MINUTE);
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
      shortLived.clock.advanceSeconds(5 * MINUTE + 1);
      const response = await browser.get("/api/auth/protected");
      expect(response.statusCode).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it("the absolute lifetime cannot be configured above 30 days", async () => {
    await expect(createTestApp({ env: { SESSION_ABSOLUTE_LIFETIME: String(31 * DAY) } })).rejects.toThrow(
      /SESSION_ABSOLUTE_LIFETIME/,
    );
  });
});

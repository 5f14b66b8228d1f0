import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { auditTypes, browserWith, postWith, setCookie, signedInBrowser, stealCookies } from "./helpers.js";

describe("refresh token rotation", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it("SECURITY 19: a refresh returns a new refresh token and a new access token (R1 → R2)", async () => {
    const browser = await signedInBrowser(testApp);
    const before = stealCookies(browser);
    testApp.clock.advanceSeconds(60);
    const response = await browser.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ expires_in: 900 });
    expect(browser.jar.refresh_token).toBeDefined();
    expect(browser.jar.refresh_token).not.toBe(before.refresh_token);
    expect(browser.jar.access_token).not.toBe(before.access_token);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("a refresh is recorded in the audit log", async () => {
    const browser = await signedInBrowser(testApp);
    await browser.post("/api/auth/refresh", {});
    expect(await auditTypes(testApp, "session_refreshed")).toHaveLength(1);
  });

  it("the rotated token keeps rotating: R2 → R3 → R4", async () => {
    const browser = await signedInBrowser(testApp);
    const seen = new Set([browser.jar.refresh_token]);
    for (let round = 0; round < 3; round++) {
      testApp.clock.advanceSeconds(30);
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
      seen.add(browser.jar.refresh_token);
    }
    expect(seen.size).toBe(4);
  });

  it("reusing R1 inside the grace window gives an access token only and keeps the session", async () => {
    const browser = await signedInBrowser(testApp);
    const tab = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(10);
    const late = await tab.post("/api/auth/refresh", {});
    expect(late.statusCode).toBe(200);
    expect(setCookie(late, "access_token")).toBeDefined();
    expect(setCookie(late, "refresh_token")).toBeUndefined();
    expect((await tab.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
  });

  it("an access token handed out inside the grace window is on record too", async () => {
    const browser = await signedInBrowser(testApp);
    const tab = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(10);
    expect((await tab.post("/api/auth/refresh", {})).statusCode).toBe(200);
    const { user_id: userId } = (await browser.get("/api/auth/session")).json();
    const refreshes = (await testApp.services.audit.listForUser(userId)).filter(
      (event) => event.type === "session_refreshed",
    );
    expect(refreshes.map((event) => event.detail?.grace ?? false).sort()).toEqual([false, true]);
  });

  it("SECURITY 19: reusing a rotated refresh token after the grace window ends the session", async () => {
    const browser = await signedInBrowser(testApp);
    const stolen = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(21);
    const replay = await stolen.post("/api/auth/refresh", {});
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("invalid_refresh_token");
    const protectedResponse = await browser.get("/api/auth/protected");
    expect(protectedResponse.statusCode).toBe(401);
    expect(protectedResponse.json().code).toBe("session_revoked");
    const r2 = await browser.post("/api/auth/refresh", {});
    expect(r2.statusCode).toBe(401);
    expect(r2.json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 19: reuse after the grace window is audited as refresh_token_reuse", async () => {
    const browser = await signedInBrowser(testApp);
    const stolen = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(21);
    await stolen.post("/api/auth/refresh", {});
    const rows = await testApp.database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("type", "=", "refresh_token_reuse")
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.user_id).toEqual(expect.any(String));
    const session = await testApp.database.db.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
    expect(session.revoke_reason).toBe("refresh_token_reuse");
  });

  it("SECURITY 19: a thief who refreshes first loses everything when the victim's R1 comes back", async () => {
    const victim = createBrowser(testApp);
    await signIn(testApp, victim, "alice@example.com");
    const thief = browserWith(testApp, stealCookies(victim));
    expect((await thief.post("/api/auth/refresh", {})).statusCode).toBe(200);
    testApp.clock.advanceSeconds(60);
    expect((await victim.post("/api/auth/refresh", {})).statusCode).toBe(401);
    const thiefRequest = await thief.get("/api/auth/protected");
    expect(thiefRequest.statusCode).toBe(401);
    expect(thiefRequest.json().code).toBe("session_revoked");
    expect((await thief.post("/api/auth/refresh", {})).statusCode).toBe(401);
  });

  it("SECURITY 19: a token two rotations old also ends the session", async () => {
    const browser = await signedInBrowser(testApp);
    const r1 = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(30);
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(30);
    expect((await r1.post("/api/auth/refresh", {})).statusCode).toBe(401);
    expect((await browser.get("/api/auth/protected")).json().code).toBe("session_revoked");
    expect(await auditTypes(testApp, "refresh_token_reuse")).toHaveLength(1);
  });

  it("a forged refresh token naming a real session is refused without ending that session", async () => {
    const browser = await signedInBrowser(testApp);
    const sessionId = (await browser.get("/api/auth/session")).json().session_id as string;
    // The session id is no secret: it is the `sid` of every access token.
    for (const forged of [
      `${sessionId}.${"A".repeat(43)}`,
      `${sessionId}.${"A".repeat(43)}.${"B".repeat(43)}`,
    ]) {
      const response = await postWith(testApp, "/api/auth/refresh", { refresh_token: forged });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("invalid_refresh_token");
    }
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
  });

  it("SECURITY 19: parallel refreshes from two tabs rotate once and keep the user signed in", async () => {
    const browser = await signedInBrowser(testApp);
    const cookies = stealCookies(browser);
    const tabs = Array.from({ length: 8 }, () => browserWith(testApp, cookies));
    const responses = await Promise.all(tabs.map((tab) => tab.post("/api/auth/refresh", {})));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    const newRefreshTokens = responses
      .map((response) => setCookie(response, "refresh_token")?.value)
      .filter((value) => value !== undefined);
    expect(newRefreshTokens).toHaveLength(1);
    // One rotation; the seven tabs that lost the race got access tokens in the grace window.
    expect(await auditTypes(testApp, "session_refreshed")).toHaveLength(8);
    const sessions = await testApp.database.db.selectFrom("sessions").selectAll().execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.revoked_at).toBeNull();
    for (const tab of tabs) expect((await tab.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("after parallel refreshes every tab keeps working past the grace window", async () => {
    const browser = await signedInBrowser(testApp);
    const cookies = stealCookies(browser);
    // One cookie jar shared by two tabs, as in a real browser.
    const responses = await Promise.all([
      browserWith(testApp, cookies).post("/api/auth/refresh", {}),
      browserWith(testApp, cookies).post("/api/auth/refresh", {}),
    ]);
    const jar = { ...cookies };
    for (const response of responses) {
      for (const cookie of response.cookies) jar[cookie.name] = cookie.value;
    }
    testApp.clock.advanceSeconds(16 * 60);
    const shared = browserWith(testApp, jar);
    expect((await shared.post("/api/auth/refresh", {})).statusCode).toBe(200);
    expect((await shared.get("/api/auth/protected")).statusCode).toBe(200);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
  });

  it("a refresh without any refresh token is refused 401 invalid_refresh_token", async () => {
    const response = await createBrowser(testApp).post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_refresh_token");
  });

  it("a refused cookie refresh clears the session cookies", async () => {
    const stale = browserWith(testApp, { access_token: "stale", refresh_token: "garbage.token" });
    const response = await stale.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(401);
    expect(setCookie(response, "refresh_token")?.value).toBe("");
    expect(setCookie(response, "access_token")?.value).toBe("");
  });

  it("refreshing a revoked session is refused", async () => {
    const browser = await signedInBrowser(testApp);
    const kept = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/logout");
    const response = await kept.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 19: reusing R1 after the session was revoked records no second reuse event", async () => {
    const browser = await signedInBrowser(testApp);
    const r1 = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    await browser.post("/api/auth/logout");
    testApp.clock.advanceSeconds(60);
    expect((await r1.post("/api/auth/refresh", {})).statusCode).toBe(401);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
  });
});

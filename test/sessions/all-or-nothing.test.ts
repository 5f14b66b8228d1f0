import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failAuditWrites } from "../support/failing-audit.js";
import { createTestApp, type TestApp } from "../support/harness.js";
import { auditTypes, browserWith, signedInBrowser, stealCookies } from "./helpers.js";

/**
 * Each session change and its audit row commit together: when the audit row cannot be
 * written the request fails and nothing changed, so a retry behaves like the first try.
 */
describe("session changes are all-or-nothing with their audit row", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it("a refresh whose audit row fails answers an error and leaves the presented token current", async () => {
    const browser = await signedInBrowser(testApp);
    const before = stealCookies(browser);
    const restore = await failAuditWrites(testApp, "session_refreshed");
    const failed = await browser.post("/api/auth/refresh", {});
    expect(failed.statusCode).toBe(500);
    expect(failed.json().code).toBe("internal_error");
    await restore();
    // Well after the reuse grace window: a rotated token would now count as stolen.
    testApp.clock.advanceSeconds(120);
    const retry = await browserWith(testApp, before).post("/api/auth/refresh", {});
    expect(retry.statusCode).toBe(200);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toEqual([]);
    expect(await auditTypes(testApp, "session_refreshed")).toHaveLength(1);
  });

  it("a logout whose audit row fails answers an error and the session stays usable", async () => {
    const browser = await signedInBrowser(testApp);
    const restore = await failAuditWrites(testApp, "signed_out");
    expect((await browser.post("/api/auth/logout", {})).statusCode).toBe(500);
    await restore();
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await browser.post("/api/auth/logout", {})).statusCode).toBe(200);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
  });

  it("revoking one session whose audit row fails revokes nothing", async () => {
    const phone = await signedInBrowser(testApp);
    testApp.clock.advanceSeconds(60); // past the resend cooldown
    const laptop = await signedInBrowser(testApp);
    const phoneSession = (await phone.get("/api/auth/sessions"))
      .json()
      .sessions.find((session: { current: boolean }) => session.current).id as string;
    const restore = await failAuditWrites(testApp, "session_revoked");
    expect((await laptop.delete(`/api/auth/sessions/${phoneSession}`)).statusCode).toBe(500);
    await restore();
    expect((await phone.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("logout everywhere whose audit row fails ends no session", async () => {
    const phone = await signedInBrowser(testApp);
    testApp.clock.advanceSeconds(60); // past the resend cooldown
    const laptop = await signedInBrowser(testApp);
    const restore = await failAuditWrites(testApp, "sessions_revoked_all");
    expect((await laptop.post("/api/auth/logout-all", {})).statusCode).toBe(500);
    await restore();
    expect((await phone.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await laptop.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("reuse of a stolen token whose audit row fails leaves the thief refused and a later reuse still ends the session", async () => {
    const browser = await signedInBrowser(testApp);
    const stolen = browserWith(testApp, stealCookies(browser));
    await browser.post("/api/auth/refresh", {});
    testApp.clock.advanceSeconds(21);
    const restore = await failAuditWrites(testApp, "refresh_token_reuse");
    expect((await stolen.post("/api/auth/refresh", {})).statusCode).toBe(500);
    await restore();
    expect((await stolen.post("/api/auth/refresh", {})).statusCode).toBe(401);
    expect(await auditTypes(testApp, "refresh_token_reuse")).toHaveLength(1);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
  });
});

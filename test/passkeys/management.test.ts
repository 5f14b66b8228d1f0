import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Browser, createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import {
  accessClaims,
  addPasskey,
  auditEvents,
  createAuthenticator,
  expectError,
  PASSKEYS,
  signInWithPasskey,
} from "./helpers.js";

const STEP_UP_MS = 600_000;

describe("managing passkeys", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ clockStart: Date.now() });
  });
  afterEach(async () => {
    await testApp.close();
  });

  async function withPasskey(email: string) {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, email);
    const authenticator = createAuthenticator();
    const added = await addPasskey(browser, authenticator);
    expect(added.statusCode).toBe(200);
    return { browser, authenticator, passkeyId: added.json().id as string };
  }

  const patch = (browser: Browser, url: string, body: unknown): Promise<LightMyRequestResponse> =>
    testApp.app.inject({
      method: "PATCH",
      url,
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:8000",
        cookie: Object.entries(browser.jar)
          .map(([name, value]) => `${name}=${value}`)
          .join("; "),
      },
      payload: JSON.stringify(body),
    });

  it("lists a user's passkeys with created and last-used times", async () => {
    const { browser, authenticator } = await withPasskey("list@example.com");
    await signInWithPasskey(createBrowser(testApp), authenticator);
    const [passkey] = (await browser.get(PASSKEYS)).json().passkeys;
    expect(passkey).toMatchObject({ name: "Chrome on Linux", synced: false, transports: ["internal"] });
    expect(Date.parse(passkey.created_at)).toBeGreaterThan(0);
    expect(Date.parse(passkey.last_used_at)).toBeGreaterThan(0);
  });

  it("renames a passkey", async () => {
    const { browser, passkeyId } = await withPasskey("rename@example.com");
    const response = await patch(browser, `${PASSKEYS}/${passkeyId}`, { name: "  Work laptop " });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().name).toBe("Work laptop");
  });

  it("refuses a name with control characters", async () => {
    const { browser, passkeyId } = await withPasskey("rename-bad@example.com");
    const response = await patch(browser, `${PASSKEYS}/${passkeyId}`, { name: "a\u0000b" });
    expect(response.statusCode).toBe(422);
  });

  it("does not let one user see, rename or remove another user's passkey", async () => {
    const { passkeyId } = await withPasskey("owner@example.com");
    const other = createBrowser(testApp);
    await signIn(testApp, other, "other@example.com");
    expect((await other.get(PASSKEYS)).json().passkeys).toEqual([]);
    expectError(await patch(other, `${PASSKEYS}/${passkeyId}`, { name: "mine" }), 404, "passkey_not_found");
    expectError(await other.delete(`${PASSKEYS}/${passkeyId}`), 404, "passkey_not_found");
  });

  it("removes a passkey right after sign-in and records passkey_removed", async () => {
    const { browser, authenticator, passkeyId } = await withPasskey("remove@example.com");
    const response = await browser.delete(`${PASSKEYS}/${passkeyId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect((await browser.get(PASSKEYS)).json().passkeys).toEqual([]);
    expect(await auditEvents(testApp, "passkey_removed")).toHaveLength(1);
    expectError(await signInWithPasskey(createBrowser(testApp), authenticator), 400, "passkey_unknown");
  });

  it("shows passkey events in the account's security events", async () => {
    const { browser, authenticator, passkeyId } = await withPasskey("events@example.com");
    await signInWithPasskey(createBrowser(testApp), authenticator);
    await browser.delete(`${PASSKEYS}/${passkeyId}`);
    const events = await browser.get("/api/auth/audit");
    const types = (events.json().events as { type: string }[]).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["passkey_added", "passkey_used", "passkey_removed"]));
  });

  describe("step-up", () => {
    it("needs a recent sign-in to remove a passkey", async () => {
      const { browser, passkeyId } = await withPasskey("stale@example.com");
      testApp.clock.advance(STEP_UP_MS + 1000);
      expectError(await browser.delete(`${PASSKEYS}/${passkeyId}`), 403, "step_up_required");
      expect((await browser.get(PASSKEYS)).json().passkeys).toHaveLength(1);
    });

    it("needs a recent sign-in to sign out everywhere", async () => {
      const { browser } = await withPasskey("stale-all@example.com");
      testApp.clock.advance(STEP_UP_MS + 1000);
      expectError(await browser.post("/api/auth/logout-all", {}), 403, "step_up_required");
      expect((await browser.get("/api/auth/session")).json().email).toBe("stale-all@example.com");
    });

    it("a passkey step-up refreshes the session's sign-in time and amr, and the removal then works", async () => {
      const { browser, authenticator, passkeyId } = await withPasskey("stepup@example.com");
      testApp.clock.advance(STEP_UP_MS + 1000);
      const sessionBefore = (await browser.get("/api/auth/session")).json().session_id;
      const stepUp = await signInWithPasskey(browser, authenticator, {}, { step_up: true });
      expect(stepUp.statusCode, stepUp.body).toBe(200);
      expect(stepUp.json()).toMatchObject({ step_up: true, amr: ["hwk", "user"] });
      expect(accessClaims(browser).sid).toBe(sessionBefore);
      expect(accessClaims(browser).amr).toEqual(["hwk", "user"]);
      expect((await browser.delete(`${PASSKEYS}/${passkeyId}`)).statusCode).toBe(200);
    });

    it("the step-up lists only the signed-in user's passkeys", async () => {
      const { browser, authenticator } = await withPasskey("allow@example.com");
      const options = await browser.post(`${PASSKEYS}/authentication/options`, { step_up: true });
      expect(options.json().options.allowCredentials).toEqual([
        { id: authenticator.credentials[0]?.id, type: "public-key", transports: ["internal"] },
      ]);
    });

    it("refuses a step-up with another user's passkey", async () => {
      const { browser } = await withPasskey("victim@example.com");
      const attacker = await withPasskey("attacker@example.com");
      testApp.clock.advance(STEP_UP_MS + 1000);
      const options = await browser.post(`${PASSKEYS}/authentication/options`, { step_up: true });
      const response = await browser.post(`${PASSKEYS}/authentication/verify`, {
        response: attacker.authenticator.authenticate({ ...options.json().options, allowCredentials: [] }),
      });
      expectError(response, 400, "passkey_verification_failed");
      expectError(await browser.post("/api/auth/logout-all", {}), 403, "step_up_required");
    });

    it("a step-up needs a session", async () => {
      const response = await createBrowser(testApp).post(`${PASSKEYS}/authentication/options`, {
        step_up: true,
      });
      expectError(response, 401, "not_authenticated");
    });

    it("a fresh email sign-in also counts as recent", async () => {
      const { browser, passkeyId } = await withPasskey("fresh-email@example.com");
      testApp.clock.advance(STEP_UP_MS + 1000);
      await browser.post("/api/auth/logout", {});
      await signIn(testApp, browser, "fresh-email@example.com");
      expect((await browser.delete(`${PASSKEYS}/${passkeyId}`)).statusCode).toBe(200);
    });
  });
});

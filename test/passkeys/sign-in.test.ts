import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/errors.js";
import { failAuditWrites } from "../support/failing-audit.js";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import {
  accessClaims,
  addPasskey,
  auditEvents,
  authenticationOptions,
  createAuthenticator,
  expectError,
  PASSKEYS,
  signInWithPasskey,
  verifyAuthentication,
} from "./helpers.js";

describe("signing in with a passkey", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ clockStart: Date.now() });
  });
  afterEach(async () => {
    await testApp.close();
  });

  async function userWithPasskey(email: string, options: Parameters<typeof createAuthenticator>[0] = {}) {
    const laptop = createBrowser(testApp);
    await signIn(testApp, laptop, email);
    const authenticator = createAuthenticator(options);
    const added = await addPasskey(laptop, authenticator);
    expect(added.statusCode, added.body).toBe(200);
    return { laptop, authenticator };
  }

  it("signs a person in without an email, with amr hwk + user for a device-bound passkey", async () => {
    const { authenticator } = await userWithPasskey("alice@example.com");
    const browser = createBrowser(testApp);
    const response = await signInWithPasskey(browser, authenticator);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      email: "alice@example.com",
      amr: ["hwk", "user"],
      step_up: false,
    });
    expect(accessClaims(browser).amr).toEqual(["hwk", "user"]);
    const session = await browser.get("/api/auth/session");
    expect(session.json()).toMatchObject({ email: "alice@example.com", amr: ["hwk", "user"] });
  });

  it("marks a synced passkey swk", async () => {
    const { authenticator } = await userWithPasskey("sync@example.com", { isSynced: true });
    const response = await signInWithPasskey(createBrowser(testApp), authenticator);
    expect(response.json().amr).toEqual(["swk", "user"]);
  });

  it("an email sign-in carries amr otp", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "otp@example.com");
    expect(accessClaims(browser).amr).toEqual(["otp"]);
  });

  it("records passkey_used and signed_in for the account", async () => {
    const { authenticator } = await userWithPasskey("audit@example.com");
    await signInWithPasskey(createBrowser(testApp), authenticator);
    expect(await auditEvents(testApp, "passkey_used")).toHaveLength(1);
    const signedIn = await auditEvents(testApp, "signed_in");
    expect(signedIn.at(-1)?.detail).toContain("passkey");
  });

  it("a sign-in whose audit row cannot be written starts no session and leaves the counter as it was", async () => {
    const { authenticator } = await userWithPasskey("atomic@example.com");
    const sessionsBefore = await testApp.database.db.selectFrom("sessions").select("id").execute();
    const passkeyBefore = await testApp.database.db
      .selectFrom("passkeys")
      .selectAll()
      .executeTakeFirstOrThrow();
    const restore = await failAuditWrites(testApp, "signed_in");
    const browser = createBrowser(testApp);
    const failed = await signInWithPasskey(browser, authenticator);
    await restore();
    expectError(failed, 500, "internal_error");
    expect(await testApp.database.db.selectFrom("sessions").select("id").execute()).toEqual(sessionsBefore);
    expect(await auditEvents(testApp, "passkey_used")).toEqual([]);
    const passkeyAfter = await testApp.database.db
      .selectFrom("passkeys")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(passkeyAfter).toEqual(passkeyBefore);
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
  });

  it("refuses a replayed assertion: the challenge is single-use", async () => {
    const { authenticator } = await userWithPasskey("replay@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const assertion = authenticator.authenticate(options);
    const ceremonyCookie = browser.jar.lk_passkey ?? "";
    const first = await browser.post(`${PASSKEYS}/authentication/verify`, { response: assertion });
    expect(first.statusCode).toBe(200);
    // An attacker who kept the cookie and the assertion replays both.
    browser.jar.lk_passkey = ceremonyCookie;
    const again = await browser.post(`${PASSKEYS}/authentication/verify`, { response: assertion });
    expectError(again, 400, "passkey_challenge_invalid");
  });

  it("refuses a replayed challenge even with the ceremony token sent again", async () => {
    const { authenticator } = await userWithPasskey("token-replay@example.com");
    const options = await testApp.app.inject({
      method: "POST",
      url: `${PASSKEYS}/authentication/options`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ token_delivery: "body" }),
    });
    const { ceremony_token } = options.json();
    const assertion = authenticator.authenticate(options.json().options);
    const verify = () =>
      testApp.app.inject({
        method: "POST",
        url: `${PASSKEYS}/authentication/verify`,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ response: assertion, ceremony_token, token_delivery: "body" }),
      });
    const [first, second] = await Promise.all([verify(), verify()]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 400]);
    expectError(await verify(), 400, "passkey_challenge_invalid");
  });

  it("refuses an expired challenge", async () => {
    const { authenticator } = await userWithPasskey("expired@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    testApp.clock.advance(5 * 60_000 + 1);
    const response = await verifyAuthentication(browser, authenticator, options);
    expectError(response, 400, "passkey_challenge_invalid");
  });

  it("refuses a challenge that another browser asked for", async () => {
    const { authenticator } = await userWithPasskey("other-browser@example.com");
    const victim = createBrowser(testApp);
    const options = await authenticationOptions(victim);
    const attacker = createBrowser(testApp);
    await authenticationOptions(attacker);
    const response = await verifyAuthentication(attacker, authenticator, options);
    expectError(response, 400, "passkey_challenge_invalid");
  });

  it("refuses an assertion made for another origin", async () => {
    const { authenticator } = await userWithPasskey("origin@example.com");
    const response = await signInWithPasskey(createBrowser(testApp), authenticator, {
      origin: "https://evil.example",
    });
    expectError(response, 400, "passkey_verification_failed");
  });

  it("refuses an assertion made for another RP id", async () => {
    const { authenticator } = await userWithPasskey("rpid@example.com");
    const response = await signInWithPasskey(createBrowser(testApp), authenticator, { rpId: "evil.example" });
    expectError(response, 400, "passkey_verification_failed");
  });

  it("refuses a passkey the server does not know, with the clear message", async () => {
    const stranger = createAuthenticator();
    stranger.register({ rp: { id: "localhost" }, user: { id: "AAAA" }, challenge: "x" });
    const response = await signInWithPasskey(createBrowser(testApp), stranger);
    expectError(response, 400, "passkey_unknown");
    expect(response.json().detail).toBe("This passkey was removed from your account; sign in with email");
  });

  it("refuses a forged signature", async () => {
    const { authenticator } = await userWithPasskey("forged@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const assertion = authenticator.authenticate(options) as { response: { signature: string } };
    assertion.response.signature = Buffer.from("not a signature").toString("base64url");
    const response = await browser.post(`${PASSKEYS}/authentication/verify`, { response: assertion });
    expectError(response, 400, "passkey_verification_failed");
  });

  it("a verify that fails ends its ceremony: the genuine assertion is refused after it", async () => {
    const { authenticator } = await userWithPasskey("burned@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const ceremonyCookie = browser.jar.lk_passkey ?? "";
    const forged = authenticator.authenticate(options) as { response: { signature: string } };
    forged.response.signature = Buffer.from("not a signature").toString("base64url");
    expectError(
      await browser.post(`${PASSKEYS}/authentication/verify`, { response: forged }),
      400,
      "passkey_verification_failed",
    );
    browser.jar.lk_passkey = ceremonyCookie;
    const genuine = await verifyAuthentication(browser, authenticator, options);
    expectError(genuine, 400, "passkey_challenge_invalid");
  });

  it("refuses a used challenge before looking at anything else, whatever passkey answers it", async () => {
    const { authenticator } = await userWithPasskey("used-first@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const ceremonyCookie = browser.jar.lk_passkey ?? "";
    expect((await verifyAuthentication(browser, authenticator, options)).statusCode).toBe(200);
    browser.jar.lk_passkey = ceremonyCookie;
    const stranger = createAuthenticator();
    stranger.register({ rp: { id: "localhost" }, user: { id: "AAAA" }, challenge: "x" });
    const replay = await verifyAuthentication(browser, stranger, options);
    expectError(replay, 400, "passkey_challenge_invalid");
  });

  it("a refused verify of an older ceremony leaves the browser's newer ceremony usable (two tabs)", async () => {
    const { authenticator } = await userWithPasskey("two-tabs@example.com");
    const browser = createBrowser(testApp);
    const olderTab = await authenticationOptions(browser);
    const newerTab = await authenticationOptions(browser);
    const stale = await verifyAuthentication(browser, authenticator, olderTab);
    expectError(stale, 400, "passkey_challenge_invalid");
    const fresh = await verifyAuthentication(browser, authenticator, newerTab);
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(browser.jar.lk_passkey).toBeUndefined();
  });

  it("a passkey sign-in in a browser signed in to another account ends that account's session there", async () => {
    const { authenticator } = await userWithPasskey("switch-to@example.com");
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "switch-from@example.com");
    const previous = { ...browser.jar };
    const response = await signInWithPasskey(browser, authenticator);
    expect(response.json().email).toBe("switch-to@example.com");
    const oldCookies = createBrowser(testApp);
    Object.assign(oldCookies.jar, previous);
    expect((await oldCookies.get("/api/auth/protected")).statusCode).toBe(401);
    expect((await oldCookies.post("/api/auth/refresh", {})).statusCode).toBe(401);
    expect((await browser.get("/api/auth/session")).json().email).toBe("switch-to@example.com");
  });

  it("asking for options stores nothing: only a challenge that is used is written down", async () => {
    const countChallenges = async () =>
      (
        await testApp.database.db
          .selectFrom("webauthn_challenges")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .executeTakeFirstOrThrow()
      ).count;
    const before = Number(await countChallenges());
    for (let call = 0; call < 5; call++) await authenticationOptions(createBrowser(testApp));
    expect(Number(await countChallenges())).toBe(before);
  });

  it("refuses a sign-in assertion without its user handle: nothing named the user beforehand", async () => {
    const { authenticator } = await userWithPasskey("handle@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const assertion = authenticator.authenticate(options) as { response: { userHandle?: string } };
    delete assertion.response.userHandle;
    const response = await browser.post(`${PASSKEYS}/authentication/verify`, { response: assertion });
    expectError(response, 400, "passkey_verification_failed");
    expect(response.headers["set-cookie"] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^access_token=[^;]/)]),
    );
  });

  it("refuses two passkey ceremony cookies of one name (a tossed one) with duplicate_cookie", async () => {
    const { authenticator } = await userWithPasskey("tossed@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const ceremony = browser.jar.lk_passkey;
    const response = await testApp.app.inject({
      method: "POST",
      url: `${PASSKEYS}/authentication/verify`,
      headers: {
        cookie: `lk_passkey=${ceremony}; lk_passkey=tossed-by-a-sibling`,
        origin: "http://localhost:8000",
        "content-type": "application/json",
      },
      payload: JSON.stringify({ response: authenticator.authenticate(options) }),
    });
    expectError(response, 400, "duplicate_cookie");
  });

  it("accepts a passkey whose counter always stays 0", async () => {
    const { authenticator } = await userWithPasskey("zero@example.com", { counter: "zero" });
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await signInWithPasskey(createBrowser(testApp), authenticator);
      expect(response.statusCode, response.body).toBe(200);
    }
    expect(await auditEvents(testApp, "passkey_counter_regressed")).toHaveLength(0);
  });

  it("signs in but records a warning when the counter goes backwards", async () => {
    const { authenticator } = await userWithPasskey("clone@example.com");
    expect((await signInWithPasskey(createBrowser(testApp), authenticator)).statusCode).toBe(200);
    expect((await signInWithPasskey(createBrowser(testApp), authenticator)).statusCode).toBe(200);
    const cloned = await signInWithPasskey(createBrowser(testApp), authenticator, { signCount: 1 });
    expect(cloned.statusCode, cloned.body).toBe(200);
    const warnings = await auditEvents(testApp, "passkey_counter_regressed");
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]?.detail ?? "{}")).toMatchObject({ stored: 2, presented: 1 });
  });

  it("gives a Bearer client its tokens in the body", async () => {
    const { authenticator } = await userWithPasskey("mobile@example.com");
    const post = (url: string, body: unknown) =>
      testApp.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(body),
      });
    const options = await post(`${PASSKEYS}/authentication/options`, { token_delivery: "body" });
    expect(options.cookies).toHaveLength(0);
    const response = await post(`${PASSKEYS}/authentication/verify`, {
      response: authenticator.authenticate(options.json().options),
      ceremony_token: options.json().ceremony_token,
      token_delivery: "body",
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ token_type: "Bearer", amr: ["hwk", "user"] });
    expect(response.cookies).toHaveLength(0);
    const session = await testApp.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { authorization: `Bearer ${response.json().access_token}` },
    });
    expect(session.json().email).toBe("mobile@example.com");
  });

  it("refuses a cross-site verify before touching the challenge", async () => {
    const { authenticator } = await userWithPasskey("csrf@example.com");
    const browser = createBrowser(testApp);
    const options = await authenticationOptions(browser);
    const assertion = authenticator.authenticate(options);
    const forged = await browser.post(
      `${PASSKEYS}/authentication/verify`,
      { response: assertion },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    );
    expectError(forged, 403, "csrf_rejected");
    const genuine = await browser.post(`${PASSKEYS}/authentication/verify`, { response: assertion });
    expect(genuine.statusCode).toBe(200);
  });
});

describe("passkey sign-in from one IP", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ clockStart: Date.now(), env: { VERIFIES_PER_IP_PER_MINUTE: "3" } });
  });
  afterEach(async () => {
    await testApp.close();
  });

  function expectRateLimited(response: LightMyRequestResponse) {
    expect(response.statusCode, response.body).toBe(429);
    expect(response.json()).toEqual({ detail: errorCatalogue.rate_limited.detail, code: "rate_limited" });
    const retryAfter = Number(response.headers["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  }

  it("answers 429 rate_limited with Retry-After past VERIFIES_PER_IP_PER_MINUTE calls a minute, even to a genuine passkey, and lets calls through again a minute later", async () => {
    const laptop = createBrowser(testApp);
    await signIn(testApp, laptop, "alice@example.com");
    const authenticator = createAuthenticator();
    // Calls 1 and 2 of the minute: adding the passkey (the passkey routes share one limit).
    const added = await addPasskey(laptop, authenticator);
    // Call 3, from a fresh browser: the limit is the client IP's, not a cookie's.
    const browser = createBrowser(testApp);
    const options = await browser.post(`${PASSKEYS}/authentication/options`, {});

    const moreOptions = await createBrowser(testApp).post(`${PASSKEYS}/authentication/options`, {});
    const verify = await browser.post(`${PASSKEYS}/authentication/verify`, {
      response: authenticator.authenticate(options.json().options),
    });
    testApp.clock.advanceSeconds(61);
    const aMinuteLater = await createBrowser(testApp).post(`${PASSKEYS}/authentication/options`, {});

    expect(added.statusCode, added.body).toBe(200);
    expect(options.statusCode, options.body).toBe(200);
    expectRateLimited(moreOptions);
    expectRateLimited(verify);
    expect(browser.jar.access_token).toBeUndefined();
    expect(aMinuteLater.statusCode).toBe(200);
  });
});

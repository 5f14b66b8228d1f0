import { afterEach, describe, expect, it } from "vitest";
import { createKeyring, keyedHash } from "../../src/security/crypto.js";
import { approvalNumberOf, rowCount } from "../security/support.js";
import {
  type Browser,
  createBrowser,
  createTestApp,
  linkTokenOf,
  signIn,
  startSignIn,
  TEST_SECRET_KEY,
  type TestApp,
  type TestAppOptions,
} from "../support/harness.js";

/**
 * A stranger cannot stop a person from signing in, nor trick them into approving the
 * stranger's sign-in (SECURITY.md 10, 14). Each behaviour is tried as the attack first.
 */

const SEND = "/api/auth/send-passwordless";
const VERIFY_OTP = "/api/auth/verify-otp";
const DETAILS = "/api/auth/approval-details";
const APPROVE = "/api/auth/approve-magic-link";
const REFUSE = "/api/auth/refuse-magic-link";
const FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

let testApp: TestApp;
afterEach(async () => testApp?.close());

async function appWith(options: TestAppOptions = {}) {
  testApp = await createTestApp(options);
  return testApp;
}

async function consumedAtOf(authRequestId: string) {
  const row = await testApp.database.db
    .selectFrom("auth_requests")
    .select("consumed_at")
    .where("id", "=", authRequestId)
    .executeTakeFirstOrThrow();
  return row.consumed_at;
}

/** A sign-in by code, then a logout: the browser keeps only its device cookie. */
async function signInAndOut(browser: Browser, email: string) {
  await signIn(testApp, browser, email);
  expect((await browser.post("/api/auth/logout", {})).statusCode).toBe(200);
}

/** Sends for `email` from `count` fresh browsers (a stranger with no cookies and many addresses). */
async function floodFromStrangers(email: string, count: number) {
  for (let index = 0; index < count; index++) await createBrowser(testApp).post(SEND, { email });
}

describe("a stranger's sends", () => {
  it("never kill the code another browser is waiting to enter", async () => {
    await appWith();
    const person = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, person, "alice@example.com");
    await floodFromStrangers("alice@example.com", 3);
    const response = await person.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(response.statusCode).toBe(200);
  });

  it("never put another browser into the cooldown", async () => {
    await appWith();
    await floodFromStrangers("alice@example.com", 1);
    const response = await createBrowser(testApp).post(SEND, { email: "alice@example.com" });
    expect(response.statusCode).toBe(200);
  });

  it("stop at the flood cap, but a browser that signed in before still gets its mail", async () => {
    await appWith({ env: { SEND_FLOOD_PER_EMAIL_PER_HOUR: "3" } });
    const person = createBrowser(testApp);
    await signInAndOut(person, "alice@example.com");
    await floodFromStrangers("alice@example.com", 3);
    const stranger = await createBrowser(testApp).post(SEND, { email: "alice@example.com" });
    expect(stranger.statusCode).toBe(429);
    const response = await person.post(SEND, { email: "alice@example.com" });
    expect(response.statusCode).toBe(200);
  });

  it("still hold a known device to its own cooldown", async () => {
    await appWith({ env: { SEND_FLOOD_PER_EMAIL_PER_HOUR: "3" } });
    const person = createBrowser(testApp);
    await signInAndOut(person, "alice@example.com");
    testApp.clock.advanceSeconds(31);
    expect((await person.post(SEND, { email: "alice@example.com" })).statusCode).toBe(200);
    expect((await person.post(SEND, { email: "alice@example.com" })).statusCode).toBe(429);
  });
});

describe("the device cookie", () => {
  it("is set at sign-in: HttpOnly, SameSite=Lax, scoped to the auth API, long-lived", async () => {
    await appWith();
    const { authRequestId, mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");
    const response = await createBrowser(testApp).post(VERIFY_OTP, {
      code: mail.code,
      auth_request_id: authRequestId,
    });
    const device = response.cookies.find((cookie) => cookie.name === "lk_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/api/auth" });
    expect(device?.maxAge).toBeGreaterThanOrEqual(180 * 86_400);
    expect(device?.value).not.toContain("alice");
  });

  it("is Secure whenever the session cookies are", async () => {
    await appWith({ env: { PUBLIC_URL: "https://auth.example.com", CORS_ORIGINS: "http://localhost:8000" } });
    const { authRequestId, mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");
    const response = await createBrowser(testApp).post(VERIFY_OTP, {
      code: mail.code,
      auth_request_id: authRequestId,
    });
    expect(response.cookies.find((cookie) => cookie.name === "lk_device")?.secure).toBe(true);
  });

  it("for another account buys no reserved quota", async () => {
    await appWith({ env: { SEND_FLOOD_PER_EMAIL_PER_HOUR: "3" } });
    const person = createBrowser(testApp);
    await signInAndOut(person, "alice@example.com");
    await floodFromStrangers("bob@example.com", 3);
    expect((await person.post(SEND, { email: "bob@example.com" })).statusCode).toBe(429);
  });

  it("that the server did not sign buys nothing", async () => {
    await appWith({ env: { SEND_FLOOD_PER_EMAIL_PER_HOUR: "3" } });
    await floodFromStrangers("alice@example.com", 3);
    const forger = createBrowser(testApp);
    forger.jar.lk_device = `${"A".repeat(22)}.${"B".repeat(43)}`;
    expect((await forger.post(SEND, { email: "alice@example.com" })).statusCode).toBe(429);
  });
});

describe("the binding value", () => {
  it("is never adopted from the browser: a planted value is replaced by a server-issued one", async () => {
    await appWith();
    const victim = createBrowser(testApp);
    const planted = `${"a".repeat(43)}.${"b".repeat(43)}`;
    victim.jar.lk_binding = planted;
    const { authRequestId } = await startSignIn(testApp, victim, "alice@example.com");
    expect(victim.jar.lk_binding).not.toBe(planted);
    const row = await testApp.database.db
      .selectFrom("auth_requests")
      .select("browser_hash")
      .where("id", "=", authRequestId)
      .executeTakeFirstOrThrow();
    expect(row.browser_hash).not.toBe(keyedHash(createKeyring(TEST_SECRET_KEY).bindingKey, planted));
  });

  it("is kept across sends, rotated at sign-in and cleared at logout", async () => {
    await appWith();
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const issued = browser.jar.lk_binding;
    testApp.clock.advanceSeconds(31);
    await startSignIn(testApp, browser, "bob@example.com");
    expect(browser.jar.lk_binding).toBe(issued);
    await browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(browser.jar.lk_binding).toBeDefined();
    expect(browser.jar.lk_binding).not.toBe(issued);
    await browser.post("/api/auth/logout", {});
    expect(browser.jar.lk_binding).toBeUndefined();
  });
});

describe("cross-device approval", () => {
  async function waitingSignIn(options: TestAppOptions = {}, headers: Record<string, string> = {}) {
    await appWith(options);
    const laptop = createBrowser(testApp);
    const before = testApp.mailbox.lastFor("alice@example.com")?.id ?? 0;
    const sent = await laptop.post(
      SEND,
      { email: "alice@example.com" },
      { "user-agent": FIREFOX_ON_LINUX, ...headers },
    );
    expect(sent.statusCode).toBe(200);
    const mail = await testApp.mailbox.waitFor("alice@example.com", { afterId: before });
    const authRequestId: string = sent.json().auth_request_id;
    const shown: number = (await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json()
      .approval_number;
    return { laptop, authRequestId, shown, link: { link_token: linkTokenOf(mail) } };
  }

  it("the waiting browser shows a two-digit number", async () => {
    const { shown, authRequestId } = await waitingSignIn();
    expect(shown).toBeGreaterThanOrEqual(10);
    expect(shown).toBeLessThanOrEqual(99);
    expect(shown).toBe(await approvalNumberOf(testApp, authRequestId));
  });

  it("the approving page gets three numbers, the waiting browser's device and time, and no address", async () => {
    const { shown, link } = await waitingSignIn();
    const response = await createBrowser(testApp).post(DETAILS, link);
    expect(response.statusCode).toBe(200);
    const details = response.json();
    expect(details.choices).toHaveLength(3);
    expect(new Set(details.choices).size).toBe(3);
    expect(details.choices).toContain(shown);
    expect(details.choices).toEqual([...details.choices].sort((a: number, b: number) => a - b));
    expect(details.user_agent).toBe(FIREFOX_ON_LINUX);
    expect(details.requested_at).toBe(new Date(testApp.clock.now()).toISOString());
    expect(details.place).toBeNull();
    expect(JSON.stringify(details)).not.toContain("alice");
  });

  it("the approving page offers the same three numbers on every load", async () => {
    const { link } = await waitingSignIn();
    const first = (await createBrowser(testApp).post(DETAILS, link)).json().choices;
    const second = (await createBrowser(testApp).post(DETAILS, link)).json().choices;
    expect(second).toEqual(first);
  });

  it("refuses an approval without the number", async () => {
    const { link } = await waitingSignIn();
    const response = await createBrowser(testApp).post(APPROVE, link);
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0].loc).toEqual(["body", "approvalNumber"]);
  });

  it("a wrong pick refuses the approval and kills the sign-in, so a second pick cannot win", async () => {
    const { laptop, shown, link, authRequestId } = await waitingSignIn();
    const phone = createBrowser(testApp);
    const wrong = await phone.post(APPROVE, { ...link, approval_number: shown === 99 ? 98 : shown + 1 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe("approval_number_mismatch");
    const right = await phone.post(APPROVE, { ...link, approval_number: shown });
    expect(right.json().code).toBe("challenge_used");
    expect((await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json().status).toBe("refused");
    const complete = await laptop.post("/api/auth/complete-approval", { auth_request_id: authRequestId });
    expect(complete.json().code).toBe("challenge_used");
    expect(await rowCount(testApp, "sessions")).toBe(0);
  });

  it('"This wasn\'t me" refuses the sign-in and records it for the account', async () => {
    const { laptop, link, authRequestId, shown } = await waitingSignIn();
    const phone = createBrowser(testApp);
    const refused = await phone.post(REFUSE, link);
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({ refused: true });
    expect((await phone.post(APPROVE, { ...link, approval_number: shown })).json().code).toBe(
      "challenge_used",
    );
    expect((await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json().status).toBe("refused");
    const events = await testApp.database.db
      .selectFrom("audit_events")
      .select("type")
      .where("type", "=", "approval_refused")
      .execute();
    expect(events).toHaveLength(1);
  });

  it("a refused request can still not be signed in by its code", async () => {
    await appWith();
    const laptop = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, laptop, "alice@example.com");
    await createBrowser(testApp).post(REFUSE, { link_token: linkTokenOf(mail) });
    const byCode = await laptop.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(byCode.statusCode).toBe(400);
    expect(byCode.json().code).toBe("challenge_used");
  });

  it("shows the place a trusted proxy gives, never finer", async () => {
    const { link } = await waitingSignIn(
      { env: { TRUST_PROXY: "1", PLACE_COUNTRY_HEADER: "X-Country", PLACE_CITY_HEADER: "X-City" } },
      { "x-country": "DE", "x-city": "Berlin", "x-forwarded-for": "198.51.100.7" },
    );
    const details = (await createBrowser(testApp).post(DETAILS, link)).json();
    expect(details.place).toBe("Berlin, DE");
  });

  it("ignores place headers without a trusted proxy", async () => {
    const { link } = await waitingSignIn(
      { env: { PLACE_COUNTRY_HEADER: "X-Country", PLACE_CITY_HEADER: "X-City" } },
      { "x-country": "DE", "x-city": "Berlin" },
    );
    expect((await createBrowser(testApp).post(DETAILS, link)).json().place).toBeNull();
  });

  it("ignores place headers from a client that connects directly, not through the trusted proxy", async () => {
    const { link } = await waitingSignIn(
      { env: { TRUST_PROXY: "10.0.0.1", PLACE_COUNTRY_HEADER: "X-Country", PLACE_CITY_HEADER: "X-City" } },
      { "x-country": "DE", "x-city": "Your own laptop", "x-forwarded-for": "198.51.100.7" },
    );
    expect((await createBrowser(testApp).post(DETAILS, link)).json().place).toBeNull();
  });

  it("drops a place header that is not a plain name", async () => {
    const { link } = await waitingSignIn(
      { env: { TRUST_PROXY: "1", PLACE_COUNTRY_HEADER: "X-Country", PLACE_CITY_HEADER: "X-City" } },
      { "x-country": "DE", "x-city": "<script>alert(1)</script>", "x-forwarded-for": "198.51.100.7" },
    );
    expect((await createBrowser(testApp).post(DETAILS, link)).json().place).toBe("DE");
  });
});

describe("input the database must never see", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["escape", "a\u001bb"],
    ["newline", "a\nb"],
  ])("a %s in state answers 422", async (_kind, state) => {
    await appWith();
    const response = await createBrowser(testApp).post(SEND, { email: "alice@example.com", state });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_error");
    expect(await rowCount(testApp, "auth_requests")).toBe(0);
  });
});

describe("signing in is all or nothing", () => {
  it("a disabled account's correct code consumes nothing and starts no session", async () => {
    await appWith();
    await signInAndOut(createBrowser(testApp), "alice@example.com");
    await testApp.database.db.updateTable("users").set({ disabled_at: testApp.clock.now() }).execute();
    testApp.clock.advanceSeconds(31);
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const response = await browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(response.statusCode).toBe(401);
    expect(await consumedAtOf(authRequestId)).toBeNull();
    expect(await rowCount(testApp, "sessions")).toBe(1); // the first sign-in's, ended by logout
  });

  it("when the audit write fails, no user, session or consumption is kept", async () => {
    await appWith();
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "new@example.com");
    await testApp.database.db.schema.dropTable("audit_events").execute();
    const response = await browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    expect(await rowCount(testApp, "users")).toBe(0);
    expect(await rowCount(testApp, "sessions")).toBe(0);
    expect(await consumedAtOf(authRequestId)).toBeNull();
  });
});

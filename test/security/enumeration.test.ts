import { performance } from "node:perf_hooks";
import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { randomId } from "../../src/security/crypto.js";
import { createBrowser, createTestApp, type TestApp } from "../support/harness.js";
import { createHeldTransport, createSecurityApp } from "./support.js";

/** Whether an address has an account must not show in any answer or its timing (SECURITY.md 32, 33). */

const SEND = "/api/auth/send-passwordless";

async function createUser(testApp: TestApp, email: string, { isDisabled = false } = {}) {
  await testApp.database.db
    .insertInto("users")
    .values({
      id: randomId(),
      email,
      created_at: testApp.clock.now(),
      last_login_at: null,
      disabled_at: isDisabled ? testApp.clock.now() : null,
    })
    .execute();
}

const VARYING_HEADERS = new Set(["date", "x-request-id", "set-cookie"]);

/** Everything a client can observe of a response, minus values that differ on every request. */
function observable(response: LightMyRequestResponse) {
  const body = response.json() as Record<string, unknown>;
  return {
    status: response.statusCode,
    body: Object.fromEntries(
      Object.keys(body)
        .sort()
        .map((key) => [key, key === "auth_request_id" ? typeof body[key] : body[key]]),
    ),
    idLength: typeof body.auth_request_id === "string" ? body.auth_request_id.length : undefined,
    headers: Object.fromEntries(
      Object.entries(response.headers)
        .filter(([name]) => !VARYING_HEADERS.has(name))
        .sort(([left], [right]) => left.localeCompare(right)),
    ),
    cookies: response.cookies
      .map(({ value: _value, ...attributes }) => attributes)
      .sort((left, right) => left.name.localeCompare(right.name)),
  };
}

function sendFromFreshBrowser(testApp: TestApp, body: Record<string, unknown>) {
  return createBrowser(testApp).post(SEND, body);
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[middle]!;
}

describe("enumeration", () => {
  let testApp: TestApp;
  let closedApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    await closedApp?.close();
    closedApp = undefined;
  });

  it("SECURITY 32: send answers field by field the same for every kind of address", async () => {
    testApp = await createTestApp();
    closedApp = await createTestApp({ env: { ALLOW_SIGNUP: "false" } });
    await createUser(testApp, "existing@example.com");
    await createUser(testApp, "signup-again@example.com");
    await createUser(testApp, "disabled@example.com", { isDisabled: true });
    const answers = {
      newEmail: await sendFromFreshBrowser(testApp, { email: "new@example.com" }),
      existingUser: await sendFromFreshBrowser(testApp, { email: "existing@example.com" }),
      signupTemplateForExistingUser: await sendFromFreshBrowser(testApp, {
        email: "signup-again@example.com",
        template: "SIGNUP",
      }),
      disabledUser: await sendFromFreshBrowser(testApp, { email: "disabled@example.com" }),
      newEmailWithSignupClosed: await sendFromFreshBrowser(closedApp, { email: "new@example.com" }),
    };
    const baseline = observable(answers.newEmail);
    expect(baseline.status).toBe(200);
    expect(baseline.cookies.map((cookie) => cookie.name)).toEqual(["lk_binding"]);
    for (const [kind, response] of Object.entries(answers)) {
      expect({ kind, ...observable(response) }).toEqual({ kind, ...baseline });
    }
  });

  it("SECURITY 32: the cooldown answers the same for known and unknown addresses", async () => {
    testApp = await createTestApp();
    await createUser(testApp, "existing@example.com");
    const [knownBrowser, unknownBrowser] = [createBrowser(testApp), createBrowser(testApp)];
    await knownBrowser.post(SEND, { email: "existing@example.com" });
    await unknownBrowser.post(SEND, { email: "unknown@example.com" });
    const known = await knownBrowser.post(SEND, { email: "existing@example.com" });
    const unknown = await unknownBrowser.post(SEND, { email: "unknown@example.com" });
    expect(known.statusCode).toBe(429);
    expect(observable(unknown)).toEqual(observable(known));
  });

  it("SECURITY 32: the flood cap answers the same for known and unknown addresses", async () => {
    testApp = await createTestApp({ env: { SEND_FLOOD_PER_EMAIL_PER_HOUR: "3" } });
    await createUser(testApp, "existing@example.com");
    for (let index = 0; index < 3; index++) {
      await sendFromFreshBrowser(testApp, { email: "existing@example.com" });
      await sendFromFreshBrowser(testApp, { email: "unknown@example.com" });
    }
    const known = await sendFromFreshBrowser(testApp, { email: "existing@example.com" });
    const unknown = await sendFromFreshBrowser(testApp, { email: "unknown@example.com" });
    expect(known.statusCode).toBe(429);
    expect(observable(unknown)).toEqual(observable(known));
  });

  it("SECURITY 32: with sign-up closed, an unknown address is mailed a note with no code or link", async () => {
    testApp = await createTestApp({ env: { ALLOW_SIGNUP: "false" } });
    await createUser(testApp, "existing@example.com");
    const unknownAnswer = await sendFromFreshBrowser(testApp, { email: "unknown@example.com" });
    const knownAnswer = await sendFromFreshBrowser(testApp, { email: "existing@example.com" });
    expect(observable(unknownAnswer)).toEqual(observable(knownAnswer));
    const note = await testApp.mailbox.waitFor("unknown@example.com");
    expect(note.code).toBeUndefined();
    expect(note.link).toBeUndefined();
    expect(note.text).toMatch(/no account/);
    expect(note.text).not.toMatch(/[0-9]{6}|link_token/);
    const signIn = await testApp.mailbox.waitFor("existing@example.com");
    expect(signIn.code).toMatch(/^[0-9]{6}$/);
  });

  it("SECURITY 32: with sign-up closed, a guessed code answers invalid_code as for any address", async () => {
    testApp = await createTestApp({ env: { ALLOW_SIGNUP: "false" } });
    const browser = createBrowser(testApp);
    const sent = await browser.post(SEND, { email: "unknown@example.com" });
    const guess = await browser.post("/api/auth/verify-otp", {
      code: "123456",
      auth_request_id: sent.json().auth_request_id,
    });
    expect(guess.statusCode).toBe(400);
    expect(guess.json().code).toBe("invalid_code");
  });

  it("SECURITY 33: send returns before the mail is delivered (the outbox carries it)", async () => {
    const held = createHeldTransport();
    testApp = await createSecurityApp({ mailTransport: held.transport });
    const response = await sendFromFreshBrowser(testApp, { email: "alice@example.com" });
    expect(response.statusCode).toBe(200);
    expect(held.mailbox.messages()).toHaveLength(0);
    const queued = await testApp.database.db.selectFrom("mail_outbox").select("sent_at").execute();
    expect(queued).toEqual([{ sent_at: null }]);
    held.release();
    await held.mailbox.waitFor("alice@example.com");
  });

  it("SECURITY 33: send timing does not reveal whether an account exists", async () => {
    testApp = await createTestApp({ env: { RATE_LIMITS: "off" } });
    const rounds = 200;
    for (let index = 0; index < rounds; index++) await createUser(testApp, `known${index}@example.com`);
    const timeSend = async (email: string) => {
      const started = performance.now();
      const response = await sendFromFreshBrowser(testApp, { email });
      const elapsed = performance.now() - started;
      expect(response.statusCode).toBe(200);
      return elapsed;
    };
    for (let index = 0; index < 20; index++) await timeSend(`warmup${index}@example.com`);
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, alternating which goes first, so load on a shared machine hits both alike.
    for (let index = 0; index < rounds; index++) {
      if (index % 2 === 0) {
        known.push(await timeSend(`known${index}@example.com`));
        unknown.push(await timeSend(`unknown${index}@example.com`));
      } else {
        unknown.push(await timeSend(`unknown${index}@example.com`));
        known.push(await timeSend(`known${index}@example.com`));
      }
    }
    const knownMedian = median(known);
    const unknownMedian = median(unknown);
    const bound = Math.max(2, 0.25 * Math.max(knownMedian, unknownMedian));
    expect(
      Math.abs(knownMedian - unknownMedian),
      `medians known ${knownMedian.toFixed(2)} ms, unknown ${unknownMedian.toFixed(2)} ms`,
    ).toBeLessThan(bound);
  }, 60_000);
});

import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { cleanUp } from "../../src/maintenance.js";
import { clientKeyOf } from "../../src/security/client-ip.js";
import {
  createCodeFailureBudget,
  delaySecondsAfter,
  pruneCodeFailures,
} from "../../src/security/code-failure-budget.js";
import {
  type Browser,
  createBrowser,
  createTestApp,
  linkTokenOf,
  signIn,
  startSignIn,
  type TestApp,
} from "../support/harness.js";
import {
  createSecurityApp,
  emailHashOf,
  failingTransport,
  outboxMismatches,
  retryAfterOf,
} from "./support.js";

/** Mail bombing, brute force across challenges, spoofed client IPs and lockout (SECURITY.md 7, 14, 34-36). */

const SEND = "/api/auth/send-passwordless";
const VERIFY_OTP = "/api/auth/verify-otp";
const VERIFY_LINK = "/api/auth/verify-magic-link";

/** The forged client-address headers an attacker rotates. */
function forgedHeaders(index: number): Record<string, string> {
  const ip = `203.0.113.${index % 250}`;
  return { "x-forwarded-for": ip, "x-real-ip": ip, forwarded: `for=${ip}` };
}

function expectRateLimited(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual({ detail: expect.any(String), code: "rate_limited" });
  expect(retryAfterOf(response)).toMatch(/^[1-9][0-9]*$/);
}

async function auditIps(testApp: TestApp, type: string): Promise<(string | null)[]> {
  const rows = await testApp.database.db
    .selectFrom("audit_events")
    .select("ip")
    .where("type", "=", type)
    .orderBy("at")
    .execute();
  return rows.map((row) => row.ip);
}

async function mailCount(testApp: TestApp, email: string): Promise<number> {
  const rows = await testApp.database.db
    .selectFrom("mail_outbox")
    .select("id")
    .where("recipient", "=", email)
    .execute();
  return rows.length;
}

/** Thirty attempts, each as soon as the delay allows, across two hourly windows; returns the last one's time. */
async function reachHardStop(budget: ReturnType<typeof createCodeFailureBudget>, start: number) {
  let now = start;
  for (let count = 1; count <= 30; count++) {
    if (count === 21) now += 3_600_000;
    await budget.chargeAttempt("victim-hash", now);
    if (count < 30) now += delaySecondsAfter(count) * 1000;
  }
  return now;
}

function wrongCodeFor(code: string | undefined): string {
  return code === "000000" ? "111111" : "000000";
}

/** Moves the clock just past the rising delay the email's failures impose now. */
async function waitOutDelay(testApp: TestApp, email: string) {
  const row = await testApp.database.db
    .selectFrom("code_failures")
    .selectAll()
    .where("email_hash", "=", emailHashOf(email))
    .executeTakeFirst();
  testApp.clock.advanceSeconds(row ? delaySecondsAfter(row.consecutive) + 1 : 1);
}

/** Starts a fresh challenge (after the cooldown) and burns all five of its attempts. */
async function burnChallenge(
  testApp: TestApp,
  attacker: Browser,
  email: string,
): Promise<LightMyRequestResponse[]> {
  testApp.clock.advanceSeconds(31);
  const { authRequestId, mail } = await startSignIn(testApp, attacker, email, { expires_in: 600 });
  const responses: LightMyRequestResponse[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    await waitOutDelay(testApp, email);
    responses.push(
      await attacker.post(VERIFY_OTP, { code: wrongCodeFor(mail.code), auth_request_id: authRequestId }),
    );
  }
  return responses;
}

describe("limits", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  describe("SECURITY 14: mail bombing one address", () => {
    it("SECURITY 14: a flood from rotating forged IPs and fresh browsers stops at the flood cap of 20", async () => {
      testApp = await createTestApp({ env: { TRUST_PROXY: "1" } });
      const statuses: number[] = [];
      for (let index = 0; index < 24; index++) {
        const browser = createBrowser(testApp);
        const response = await browser.post(SEND, { email: "victim@example.com" }, forgedHeaders(index));
        statuses.push(response.statusCode);
        if (response.statusCode === 429) expectRateLimited(response);
      }
      expect(statuses).toEqual([...new Array(20).fill(200), 429, 429, 429, 429]);
      expect(await mailCount(testApp, "victim@example.com")).toBe(20);
    });

    it("SECURITY 14: one browser gets one mail per cooldown, whatever IP it forges", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const responses: LightMyRequestResponse[] = [];
      for (let index = 0; index < 5; index++) {
        responses.push(await browser.post(SEND, { email: "victim@example.com" }, forgedHeaders(index)));
      }
      expect(responses[0]?.statusCode).toBe(200);
      for (const response of responses.slice(1)) expectRateLimited(response);
      expect(Number(retryAfterOf(responses[1]!))).toBeLessThanOrEqual(30);
      expect(await mailCount(testApp, "victim@example.com")).toBe(1);
    });

    it("SECURITY 14: the hourly cap of 5 per browser holds across cooldowns and rotating proxy hops", async () => {
      testApp = await createTestApp({ env: { TRUST_PROXY: "1" } });
      const browser = createBrowser(testApp);
      const statuses: number[] = [];
      for (let index = 0; index < 8; index++) {
        const response = await browser.post(SEND, { email: "victim@example.com" }, forgedHeaders(index));
        statuses.push(response.statusCode);
        if (response.statusCode === 429) expectRateLimited(response);
        testApp.clock.advanceSeconds(31);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      expect(await mailCount(testApp, "victim@example.com")).toBe(5);
      testApp.clock.advanceSeconds(3600);
      const nextHour = await browser.post(SEND, { email: "victim@example.com" });
      expect(nextHour.statusCode).toBe(200);
    });

    it("SECURITY 14: a resend counts against the same cooldown and cap", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const { authRequestId } = await startSignIn(testApp, browser, "victim@example.com");
      expectRateLimited(
        await browser.post("/api/auth/resend-passwordless", { auth_request_id: authRequestId }),
      );
      testApp.clock.advanceSeconds(31);
      expect(
        (await browser.post("/api/auth/resend-passwordless", { auth_request_id: authRequestId })).statusCode,
      ).toBe(200);
    });

    it("SECURITY 14: a full outbox answers 429 with Retry-After and stores nothing", async () => {
      testApp = await createSecurityApp({
        env: { OUTBOX_MAX_PENDING: "10" },
        mailTransport: failingTransport,
        runBackgroundJobs: false,
      });
      for (let index = 0; index < 10; index++) {
        const response = await createBrowser(testApp).post(SEND, { email: `user${index}@example.com` });
        expect(response.statusCode).toBe(200);
      }
      const full = await createBrowser(testApp).post(SEND, { email: "one-more@example.com" });
      expectRateLimited(full);
      const stored = await testApp.database.db.selectFrom("auth_requests").select("email").execute();
      expect(stored.map((row) => row.email)).not.toContain("one-more@example.com");
      expect(await outboxMismatches(testApp)).toEqual([]);
    });
  });

  describe("SECURITY 35: the client IP cannot be forged", () => {
    it("SECURITY 35: without TRUST_PROXY, forwarded headers are ignored for limits and audit", async () => {
      testApp = await createTestApp();
      const responses: LightMyRequestResponse[] = [];
      for (let index = 0; index < 21; index++) {
        const browser = createBrowser(testApp);
        responses.push(await browser.post(SEND, { email: `user${index}@example.com` }, forgedHeaders(index)));
      }
      expect(responses.slice(0, 20).every((response) => response.statusCode === 200)).toBe(true);
      expectRateLimited(responses[20]!);
      const ips = await auditIps(testApp, "challenge_started");
      expect(new Set(ips)).toEqual(new Set(["127.0.0.1"]));
    });

    it("SECURITY 35: with TRUST_PROXY=1 the right-most hop is the client, for limits and audit", async () => {
      testApp = await createTestApp({ env: { TRUST_PROXY: "1" } });
      const responses: LightMyRequestResponse[] = [];
      for (let index = 0; index < 21; index++) {
        const browser = createBrowser(testApp);
        // The attacker controls everything left of the hop our proxy appended.
        const headers = { "x-forwarded-for": `10.9.9.${index}, 198.51.100.7` };
        responses.push(await browser.post(SEND, { email: `user${index}@example.com` }, headers));
      }
      expect(responses.slice(0, 20).every((response) => response.statusCode === 200)).toBe(true);
      expectRateLimited(responses[20]!);
      expect(new Set(await auditIps(testApp, "challenge_started"))).toEqual(new Set(["198.51.100.7"]));
    });

    it("SECURITY 35: with TRUST_PROXY=1 distinct right-most hops are distinct clients", async () => {
      testApp = await createTestApp({ env: { TRUST_PROXY: "1" } });
      for (let index = 0; index < 25; index++) {
        const response = await createBrowser(testApp).post(
          SEND,
          { email: `user${index}@example.com` },
          { "x-forwarded-for": `198.51.100.${index}` },
        );
        expect(response.statusCode).toBe(200);
      }
    });

    it("SECURITY 35: IPv6 clients are counted per /64, IPv4-mapped as IPv4", () => {
      expect(clientKeyOf("203.0.113.9")).toBe("203.0.113.9");
      expect(clientKeyOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
      expect(clientKeyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
      expect(clientKeyOf("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
      expect(clientKeyOf("2001:DB8:1:2::FFFF")).toBe("2001:db8:1:2::/64");
      expect(clientKeyOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
      expect(clientKeyOf("::1")).toBe("0:0:0:0::/64");
      expect(clientKeyOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    });

    it("SECURITY 35: rotating IPv6 addresses inside one /64 does not dodge the per-IP limit", async () => {
      testApp = await createTestApp();
      const statuses: number[] = [];
      for (let index = 0; index < 21; index++) {
        const response = await testApp.app.inject({
          method: "POST",
          url: SEND,
          remoteAddress: `2001:db8:1:2::${(index + 1).toString(16)}`,
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({ email: `user${index}@example.com` }),
        });
        statuses.push(response.statusCode);
      }
      expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
      expect(statuses[20]).toBe(429);
    });
  });

  describe("SECURITY 34: per-IP limits answer 429 with an integer Retry-After", () => {
    it("SECURITY 34: verify-otp and verify-magic-link allow 60 tries per IP per minute", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const responses: LightMyRequestResponse[] = [];
      for (let index = 0; index < 61; index++) {
        const url = index % 2 === 0 ? VERIFY_LINK : VERIFY_OTP;
        const body =
          url === VERIFY_LINK
            ? { link_token: `${"A".repeat(42)}${index % 10}` }
            : { code: "123456", auth_request_id: `missing${index}` };
        responses.push(await browser.post(url, body));
      }
      expect(responses.slice(0, 60).every((response) => response.statusCode !== 429)).toBe(true);
      expectRateLimited(responses[60]!);
      testApp.clock.advanceSeconds(61);
      expect(
        (await browser.post(VERIFY_OTP, { code: "123456", auth_request_id: "missing-again" })).statusCode,
      ).toBe(404);
    });

    it("SECURITY 34: refresh allows REFRESHES_PER_IP_PER_MINUTE per IP", async () => {
      testApp = await createTestApp({ env: { REFRESHES_PER_IP_PER_MINUTE: "3" } });
      const statuses: number[] = [];
      for (let index = 0; index < 4; index++) {
        const response = await createBrowser(testApp).post("/api/auth/refresh", { refresh_token: "nope" });
        statuses.push(response.statusCode);
        if (index === 3) expectRateLimited(response);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    });

    it("SECURITY 34: rate_limited refusals are audited with the rule name", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      await browser.post(SEND, { email: "victim@example.com" });
      await browser.post(SEND, { email: "victim@example.com" });
      const rows = await testApp.database.db
        .selectFrom("audit_events")
        .select(["detail", "email_hash"])
        .where("type", "=", "rate_limited")
        .execute();
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]!.detail ?? "{}")).toEqual({ rule: "send-cooldown" });
      expect(rows[0]!.email_hash).toBe(emailHashOf("victim@example.com"));
    });
  });

  describe("SECURITY 7: a failure budget per email across challenges", () => {
    it("SECURITY 7: five wrong codes on each of many fresh challenges stop code entry at 20", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const attacker = createBrowser(testApp);
      for (let round = 0; round < 4; round++) {
        const responses = await burnChallenge(testApp, attacker, "victim@example.com");
        expect(responses.map((response) => response.json().code)).toEqual([
          "invalid_code",
          "invalid_code",
          "invalid_code",
          "invalid_code",
          "too_many_attempts",
        ]);
      }
      testApp.clock.advanceSeconds(61);
      const { authRequestId, mail } = await startSignIn(testApp, attacker, "victim@example.com");
      const locked = await attacker.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe("code_entry_locked");
      expect(retryAfterOf(locked)).toMatch(/^[1-9][0-9]*$/);
      expect(Number(retryAfterOf(locked))).toBeLessThanOrEqual(3600);
      // The owner's link still works, and signing in clears the budget.
      const owner = createBrowser(testApp);
      const byLink = await owner.post(VERIFY_LINK, { link_token: linkTokenOf(mail), confirm: true });
      expect(byLink.statusCode).toBe(200);
      const budget = await testApp.database.db
        .selectFrom("code_failures")
        .selectAll()
        .where("email_hash", "=", emailHashOf("victim@example.com"))
        .executeTakeFirst();
      expect(budget).toBeUndefined();
    });

    it("SECURITY 7: after a link sign-in resets the budget, codes work again", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const attacker = createBrowser(testApp);
      for (let round = 0; round < 4; round++) await burnChallenge(testApp, attacker, "victim@example.com");
      testApp.clock.advanceSeconds(61);
      const owner = createBrowser(testApp);
      const first = await startSignIn(testApp, owner, "victim@example.com");
      expect((await owner.post(VERIFY_LINK, { link_token: linkTokenOf(first.mail) })).statusCode).toBe(200);
      await owner.post("/api/auth/logout");
      testApp.clock.advanceSeconds(31);
      const second = await startSignIn(testApp, owner, "victim@example.com");
      const byCode = await owner.post(VERIFY_OTP, {
        code: second.mail.code,
        auth_request_id: second.authRequestId,
      });
      expect(byCode.statusCode).toBe(200);
    });

    it("SECURITY 7: an unknown email gets exactly the same budget", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const known = createBrowser(testApp);
      await signIn(testApp, known, "known@example.com");
      await known.post("/api/auth/logout");
      const outcomes: Record<string, string[]> = {};
      for (const email of ["known@example.com", "nobody@example.com"]) {
        const attacker = createBrowser(testApp);
        const codes: string[] = [];
        for (let round = 0; round < 4; round++) {
          for (const response of await burnChallenge(testApp, attacker, email))
            codes.push(response.json().code);
        }
        testApp.clock.advanceSeconds(61);
        const { authRequestId, mail } = await startSignIn(testApp, attacker, email);
        const locked = await attacker.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
        codes.push(`${locked.statusCode} ${locked.json().code}`);
        outcomes[email] = codes;
      }
      expect(outcomes["nobody@example.com"]).toEqual(outcomes["known@example.com"]);
      expect(outcomes["nobody@example.com"]?.at(-1)).toBe("429 code_entry_locked");
    });

    it("SECURITY 7: rising delays answer rate_limited with Retry-After, then let the next try in", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const attacker = createBrowser(testApp);
      await burnChallenge(testApp, attacker, "victim@example.com");
      testApp.clock.advanceSeconds(31);
      const { authRequestId, mail } = await startSignIn(testApp, attacker, "victim@example.com");
      // Five failures so far: the sixth attempt must wait 2 s after the fifth.
      const rows = await testApp.database.db.selectFrom("code_failures").select("last_failure_at").execute();
      const lastFailure = Number(rows[0]?.last_failure_at);
      testApp.clock.advance(lastFailure + 1000 - testApp.clock.now());
      const tooSoon = await attacker.post(VERIFY_OTP, {
        code: wrongCodeFor(mail.code),
        auth_request_id: authRequestId,
      });
      expectRateLimited(tooSoon);
      testApp.clock.advanceSeconds(2);
      const later = await attacker.post(VERIFY_OTP, {
        code: wrongCodeFor(mail.code),
        auth_request_id: authRequestId,
      });
      expect(later.json().code).toBe("invalid_code");
    });

    it("SECURITY 7: parallel guesses across the budget's edge get no extra comparisons", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20", CODE_FAILURES_PER_HOUR: "7" } });
      const attacker = createBrowser(testApp);
      await burnChallenge(testApp, attacker, "victim@example.com");
      testApp.clock.advanceSeconds(61);
      const { authRequestId, mail } = await startSignIn(testApp, attacker, "victim@example.com");
      testApp.clock.advanceSeconds(61);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          createBrowser(testApp).post(VERIFY_OTP, {
            code: wrongCodeFor(mail.code),
            auth_request_id: authRequestId,
          }),
        ),
      );
      const row = await testApp.database.db.selectFrom("code_failures").selectAll().executeTakeFirstOrThrow();
      expect(row.window_failures).toBeLessThanOrEqual(7);
      expect(
        responses.filter((response) => response.json().code === "invalid_code").length,
      ).toBeLessThanOrEqual(2);
    });

    it("SECURITY 7: forty racing charges at one instant get only the free attempts before the delay", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 100 });
      const now = testApp.clock.now();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, () => budget.chargeAttempt("victim-hash", now)),
      );
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(5);
      const refusals = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(new Set(refusals.map((outcome) => (outcome as PromiseRejectedResult).reason.code))).toEqual(
        new Set(["rate_limited"]),
      );
      await budget.reset("victim-hash");
      await expect(budget.chargeAttempt("victim-hash", now)).resolves.toBeUndefined();
    });

    it("SECURITY 7: racing charges spaced past each delay admit exactly the hourly cap", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 100 });
      let now = testApp.clock.now();
      let admitted = 0;
      for (let round = 0; round < 30; round++) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 3 }, () => budget.chargeAttempt("victim-hash", now)),
        );
        admitted += outcomes.filter((outcome) => outcome.status === "fulfilled").length;
        now += 61_000;
      }
      expect(admitted).toBe(20);
    });

    it("SECURITY 7: parallel wrong guesses cannot skip the rising delay", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 100 });
      let now = testApp.clock.now();
      for (let index = 0; index < 5; index++) {
        await budget.chargeAttempt("victim-hash", now);
        now += delaySecondsAfter(index + 1) * 1000;
      }
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => budget.chargeAttempt("victim-hash", now)),
      );
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    });

    it("SECURITY 7: the hard stop holds across hours until a sign-in", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 30 });
      let now = await reachHardStop(budget, testApp.clock.now());
      now += 10 * 3_600_000;
      await expect(budget.assertCodeEntryAllowed("victim-hash", now)).rejects.toMatchObject({
        code: "code_entry_locked",
      });
      await expect(budget.chargeAttempt("victim-hash", now)).rejects.toMatchObject({
        code: "code_entry_locked",
      });
      await budget.reset("victim-hash");
      await expect(budget.assertCodeEntryAllowed("victim-hash", now)).resolves.toBeUndefined();
    });

    it("SECURITY 7: the hard stop ends 24 hours after the last attempt", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 30 });
      let now = await reachHardStop(budget, testApp.clock.now());
      const lastAttemptAt = now;
      const locked = await budget.assertCodeEntryAllowed("victim-hash", now).catch((error) => error);
      expect(locked.code).toBe("code_entry_locked");
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
      now = lastAttemptAt + 24 * 3_600_000;
      await expect(budget.chargeAttempt("victim-hash", now)).resolves.toBeUndefined();
    });

    it("SECURITY 7: in OTP-only mode the hard stop becomes a delay that doubles up to an hour", async () => {
      testApp = await createTestApp();
      const policy = { hardStop: 30, isOtpOnly: true };
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 100, ...policy });
      let now = testApp.clock.now();
      for (let index = 1; index <= 30; index++) {
        await budget.chargeAttempt("victim-hash", now);
        if (index < 30) now += delaySecondsAfter(index, policy) * 1000;
      }
      const waits: number[] = [];
      for (let index = 0; index < 8; index++) {
        const refusal = await budget.chargeAttempt("victim-hash", now).catch((error) => error);
        expect(refusal.code).toBe("rate_limited");
        waits.push(refusal.retryAfterSeconds);
        now += refusal.retryAfterSeconds * 1000;
        await expect(budget.chargeAttempt("victim-hash", now)).resolves.toBeUndefined();
      }
      expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    });

    it("SECURITY 7: the maintenance job prunes counts idle for a day", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 30 });
      await budget.chargeAttempt("stale-hash", testApp.clock.now());
      testApp.clock.advanceSeconds(24 * 3600 + 1);
      const { keys, outbox, audit } = testApp.services;
      const { config, clock } = testApp;
      await cleanUp({ keys, outbox, audit, db: testApp.database.db, clock, config });
      expect(await testApp.database.db.selectFrom("code_failures").select("email_hash").execute()).toEqual(
        [],
      );
    });

    it("SECURITY 7: counts idle for a day are pruned", async () => {
      testApp = await createTestApp();
      const budget = createCodeFailureBudget({ db: testApp.database.db, perHour: 20, hardStop: 30 });
      const now = testApp.clock.now();
      await budget.chargeAttempt("stale-hash", now);
      await budget.chargeAttempt("fresh-hash", now + 3_600_000);
      expect(await pruneCodeFailures(testApp.database.db, now + 24 * 3_600_000 + 1)).toBe(1);
      const left = await testApp.database.db.selectFrom("code_failures").select("email_hash").execute();
      expect(left.map((row) => row.email_hash)).toEqual(["fresh-hash"]);
    });
  });

  describe("SECURITY 36: no long lockout", () => {
    it("SECURITY 36: the hourly code lock lifts within an hour", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const attacker = createBrowser(testApp);
      for (let round = 0; round < 4; round++) await burnChallenge(testApp, attacker, "victim@example.com");
      testApp.clock.advanceSeconds(31);
      const owner = createBrowser(testApp);
      const locked = await startSignIn(testApp, owner, "victim@example.com");
      const refused = await owner.post(VERIFY_OTP, {
        code: locked.mail.code,
        auth_request_id: locked.authRequestId,
      });
      expect(refused.json().code).toBe("code_entry_locked");
      testApp.clock.advanceSeconds(Number(retryAfterOf(refused)));
      const { authRequestId, mail } = await startSignIn(testApp, owner, "victim@example.com");
      const response = await owner.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
      expect(response.statusCode).toBe(200);
    });

    it("SECURITY 36: an attack on the email leaves existing sessions alone", async () => {
      testApp = await createTestApp({ env: { SENDS_PER_EMAIL_PER_HOUR: "20" } });
      const owner = createBrowser(testApp);
      await signIn(testApp, owner, "victim@example.com");
      const attacker = createBrowser(testApp);
      for (let round = 0; round < 4; round++) {
        testApp.clock.advanceSeconds(31);
        const { authRequestId, mail } = await startSignIn(testApp, attacker, "victim@example.com");
        for (let attempt = 0; attempt < 5; attempt++) {
          testApp.clock.advanceSeconds(1);
          await attacker.post(VERIFY_OTP, { code: wrongCodeFor(mail.code), auth_request_id: authRequestId });
        }
      }
      const protectedResponse = await owner.get("/api/auth/protected");
      expect(protectedResponse.statusCode).toBe(200);
    });

    it("SECURITY 36: a successful code sign-in resets the failure count", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      for (let attempt = 0; attempt < 3; attempt++) {
        await browser.post(VERIFY_OTP, { code: wrongCodeFor(mail.code), auth_request_id: authRequestId });
      }
      expect(
        (await browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId })).statusCode,
      ).toBe(200);
      const rows = await testApp.database.db.selectFrom("code_failures").selectAll().execute();
      expect(rows).toEqual([]);
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createBuiltinProvider, type PasswordlessProvider } from "../../src/passwordless/index.js";
import { createKeyring, randomDigits } from "../../src/security/crypto.js";
import {
  createBrowser,
  linkTokenOf,
  PUBLIC_URL,
  startSignIn,
  TEST_SECRET_KEY,
  type TestApp,
} from "../support/harness.js";
import { approveFrom, createSecurityApp, rowCount, useAppAndBrowser } from "./support.js";

/** Attacks on the one-time code and the magic link themselves (SECURITY.md 1-6). */

const SEND = "/api/auth/send-passwordless";
const RESEND = "/api/auth/resend-passwordless";
const VERIFY_OTP = "/api/auth/verify-otp";
const VERIFY_LINK = "/api/auth/verify-magic-link";

/** A code guaranteed to differ from `code`. */
function wrongCodeFor(code: string | undefined): string {
  return code === "000000" ? "111111" : "000000";
}

describe("codes and links", () => {
  const setup = useAppAndBrowser();

  describe("SECURITY 1: unguessable secrets", () => {
    it("SECURITY 1: codes are uniform decimal digits and may start with zero", () => {
      const samples = Array.from({ length: 20_000 }, () => randomDigits(6));
      expect(samples.every((code) => /^[0-9]{6}$/.test(code))).toBe(true);
      const leadingZeros = samples.filter((code) => code.startsWith("0")).length;
      expect(leadingZeros).toBeGreaterThan(1_500);
      expect(leadingZeros).toBeLessThan(2_500);
      // Chi-squared over every digit position: 9 degrees of freedom, 60 is far beyond p = 1e-8.
      const counts = new Array(10).fill(0);
      for (const code of samples) for (const digit of code) counts[Number(digit)]++;
      const expected = (samples.length * 6) / 10;
      const chiSquared = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
      expect(chiSquared).toBeLessThan(60);
    });

    it("SECURITY 1: mailed codes, link tokens and request ids are random and carry nothing", async () => {
      const seen = new Set<string>();
      for (let index = 0; index < 8; index++) {
        const email = `user${index}@example.com`;
        const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, email);
        const linkToken = linkTokenOf(mail);
        expect(mail.code).toMatch(/^[0-9]{6}$/);
        expect(linkToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(linkToken, "base64url")).toHaveLength(32);
        expect(authRequestId).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(Buffer.from(linkToken, "base64url").toString("latin1")).not.toContain("user");
        expect(linkToken).not.toContain(String(Math.floor(setup.testApp.clock.now() / 1000)));
        for (const value of [linkToken, authRequestId]) {
          expect(seen.has(value)).toBe(false);
          seen.add(value);
        }
      }
      const ids = [...seen].filter((value) => value.length === 22).sort();
      // Not sequential: sorted ids share no long common prefix.
      for (let index = 1; index < ids.length; index++) {
        expect(ids[index]!.slice(0, 6)).not.toBe(ids[index - 1]!.slice(0, 6));
      }
    });

    it("SECURITY 1: OTP_LENGTH stays within 6..8 digits", () => {
      const base = { SECRET_KEY: TEST_SECRET_KEY, DATABASE_URL: "sqlite::memory:" };
      expect(() => loadConfig({ ...base, OTP_LENGTH: "5" })).toThrow(/OTP_LENGTH/);
      expect(() => loadConfig({ ...base, OTP_LENGTH: "9" })).toThrow(/OTP_LENGTH/);
      expect(loadConfig({ ...base, OTP_LENGTH: "8" }).passwordless.otpLength).toBe(8);
    });
  });

  describe("SECURITY 2: server-enforced expiry", () => {
    it.each([[601], [0], [-1], [59], [86_400], [300.5], ["300"]])(
      "SECURITY 2: expires_in %j is refused with 422 and no mail",
      async (expiresIn) => {
        const response = await setup.browser.post(SEND, {
          email: "alice@example.com",
          expires_in: expiresIn,
        });
        expect(response.statusCode).toBe(422);
        expect(response.json().code).toBe("validation_error");
        const challenges = await setup.testApp.database.db.selectFrom("auth_requests").select("id").execute();
        expect(challenges).toHaveLength(0);
      },
    );

    it("SECURITY 2: a client-sent expires_at is ignored; the server computes expiry", async () => {
      const farFuture = Math.floor(setup.testApp.clock.now() / 1000) + 86_400 * 365;
      const response = await setup.browser.post(SEND, {
        email: "alice@example.com",
        expires_at: farFuture,
        expiresAt: farFuture,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().expires_at).toBe(Math.floor(setup.testApp.clock.now() / 1000) + 300);
      expect(response.json().expires_in).toBe(300);
    });

    it("SECURITY 2: an expired code and link are refused with challenge_expired", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com", {
        expires_in: 60,
      });
      setup.testApp.clock.advanceSeconds(61);
      const byCode = await setup.browser.post(VERIFY_OTP, {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(byCode.statusCode).toBe(400);
      expect(byCode.json().code).toBe("challenge_expired");
      const byLink = await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) });
      expect(byLink.statusCode).toBe(400);
      expect(byLink.json().code).toBe("challenge_expired");
      expect(await rowCount(setup.testApp, "sessions")).toBe(0);
    });

    it("SECURITY 2: the challenge still works one second before it expires", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      setup.testApp.clock.advanceSeconds(299);
      const response = await setup.browser.post(VERIFY_OTP, {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(response.statusCode).toBe(200);
    });

    it("SECURITY 2: CHALLENGE_TTL above 600 s is a configuration error", () => {
      const base = { SECRET_KEY: TEST_SECRET_KEY, DATABASE_URL: "sqlite::memory:" };
      expect(() => loadConfig({ ...base, CHALLENGE_TTL: "601" })).toThrow(/CHALLENGE_TTL/);
    });
  });

  describe("SECURITY 3: single use, code and link together", () => {
    it("SECURITY 3: a replayed code is refused with challenge_used", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const body = { code: mail.code, auth_request_id: authRequestId };
      expect((await setup.browser.post(VERIFY_OTP, body)).statusCode).toBe(200);
      const replay = await createBrowser(setup.testApp).post(VERIFY_OTP, body);
      expect(replay.statusCode).toBe(400);
      expect(replay.json().code).toBe("challenge_used");
    });

    it("SECURITY 3: a replayed link is refused with challenge_used", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const body = { link_token: linkTokenOf(mail) };
      expect((await setup.browser.post(VERIFY_LINK, body)).statusCode).toBe(200);
      const replay = await createBrowser(setup.testApp).post(VERIFY_LINK, { ...body, confirm: true });
      expect(replay.statusCode).toBe(400);
      expect(replay.json().code).toBe("challenge_used");
    });

    it("SECURITY 3: signing in by code kills the same email's link", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      expect(
        (await setup.browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId }))
          .statusCode,
      ).toBe(200);
      const response = await createBrowser(setup.testApp).post(VERIFY_LINK, {
        link_token: linkTokenOf(mail),
        confirm: true,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_used");
    });

    it("SECURITY 3: signing in by link kills the same email's code", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      expect((await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) })).statusCode).toBe(200);
      const response = await createBrowser(setup.testApp).post(VERIFY_OTP, {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_used");
    });
  });

  describe("SECURITY 4: atomic consumption", () => {
    it("SECURITY 4: twenty parallel verifies of one code sign in exactly once", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          createBrowser(setup.testApp).post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId }),
        ),
      );
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      // A loser finds the challenge used or its attempts spent. Every attempt is charged to the
      // email's failure budget before the comparison (SECURITY 7); when PostgreSQL interleaves
      // enough of them before the winner's reset, the budget's rising delay answers the rest.
      for (const response of responses.filter((each) => each.statusCode !== 200)) {
        expect(["challenge_used", "too_many_attempts", "rate_limited"]).toContain(response.json().code);
      }
      expect(await rowCount(setup.testApp, "sessions")).toBe(1);
    });

    it("SECURITY 4: twenty parallel confirmations of one link sign in exactly once", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          createBrowser(setup.testApp).post(VERIFY_LINK, { link_token: linkTokenOf(mail), confirm: true }),
        ),
      );
      expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(1);
      expect(await rowCount(setup.testApp, "sessions")).toBe(1);
    });

    it("SECURITY 4: a code and its link racing each other sign in exactly once", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          index % 2 === 0
            ? createBrowser(setup.testApp).post(VERIFY_OTP, {
                code: mail.code,
                auth_request_id: authRequestId,
              })
            : createBrowser(setup.testApp).post(VERIFY_LINK, {
                link_token: linkTokenOf(mail),
                confirm: true,
              }),
        ),
      );
      expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(1);
      expect(await rowCount(setup.testApp, "sessions")).toBe(1);
    });
  });

  describe("SECURITY 5: a secret works only for its own request", () => {
    it("SECURITY 5: a code does not verify against another request id", async () => {
      const alice = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const mallory = await startSignIn(setup.testApp, createBrowser(setup.testApp), "mallory@example.com");
      const response = await setup.browser.post(VERIFY_OTP, {
        code: mallory.mail.code,
        auth_request_id: alice.authRequestId,
      });
      if (mallory.mail.code === alice.mail.code) return; // one chance in a million
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invalid_code");
    });

    it("SECURITY 5: a link with someone else's request id is refused and not consumed", async () => {
      const alice = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const other = await startSignIn(setup.testApp, createBrowser(setup.testApp), "bob@example.com");
      const mismatched = await setup.browser.post(VERIFY_LINK, {
        link_token: linkTokenOf(alice.mail),
        auth_request_id: other.authRequestId,
      });
      expect(mismatched.statusCode).toBe(400);
      expect(mismatched.json().code).toBe("invalid_link_token");
      const own = await setup.browser.post(VERIFY_LINK, {
        link_token: linkTokenOf(alice.mail),
        auth_request_id: alice.authRequestId,
      });
      expect(own.statusCode).toBe(200);
    });

    it("SECURITY 5: a newer challenge from the same browser kills its older code and link", async () => {
      const first = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      setup.testApp.clock.advanceSeconds(31);
      const second = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const oldCode = await setup.browser.post(VERIFY_OTP, {
        code: first.mail.code,
        auth_request_id: first.authRequestId,
      });
      expect(oldCode.statusCode).toBe(400);
      expect(oldCode.json().code).toBe("challenge_used");
      const oldLink = await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(first.mail) });
      expect(oldLink.statusCode).toBe(400);
      expect(oldLink.json().code).toBe("challenge_used");
      const newCode = await setup.browser.post(VERIFY_OTP, {
        code: second.mail.code,
        auth_request_id: second.authRequestId,
      });
      expect(newCode.statusCode).toBe(200);
    });

    it("SECURITY 5: an approved but unfinished challenge dies when the same browser starts a newer one", async () => {
      const first = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const phone = createBrowser(setup.testApp);
      const link = { authRequestId: first.authRequestId, linkToken: linkTokenOf(first.mail) };
      expect((await approveFrom(setup.testApp, phone, link)).statusCode).toBe(200);
      setup.testApp.clock.advanceSeconds(31);
      await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const response = await setup.browser.post("/api/auth/complete-approval", {
        auth_request_id: first.authRequestId,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_expired");
      expect(await rowCount(setup.testApp, "sessions")).toBe(0);
    });

    it("SECURITY 5: a resend kills the old code and link, keeping expiry and attempts", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const sent = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select("expires_at")
        .where("id", "=", authRequestId)
        .executeTakeFirstOrThrow();
      for (let index = 0; index < 3; index++) {
        const wrong = await setup.browser.post(VERIFY_OTP, {
          code: wrongCodeFor(mail.code),
          auth_request_id: authRequestId,
        });
        expect(wrong.json().code).toBe("invalid_code");
      }
      setup.testApp.clock.advanceSeconds(31);
      const resent = await setup.browser.post(RESEND, { auth_request_id: authRequestId });
      expect(resent.statusCode).toBe(200);
      expect(resent.json().expires_at).toBe(Math.floor(Number(sent.expires_at) / 1000));
      expect(resent.json().expires_in).toBe(300 - 31);
      const newMail = await setup.testApp.mailbox.waitFor("alice@example.com", { afterId: mail.id });

      const oldLink = await createBrowser(setup.testApp).post(VERIFY_LINK, {
        link_token: linkTokenOf(mail),
        confirm: true,
      });
      expect(oldLink.statusCode).toBe(400);
      expect(oldLink.json().code).toBe("invalid_link_token");
      if (mail.code !== newMail.code) {
        const oldCode = await setup.browser.post(VERIFY_OTP, {
          code: mail.code,
          auth_request_id: authRequestId,
        });
        expect(oldCode.json()).toMatchObject({ code: "invalid_code", attempts_remaining: 1 });
      }
      const row = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select(["expires_at", "attempts"])
        .where("id", "=", authRequestId)
        .executeTakeFirstOrThrow();
      expect(Number(row.expires_at)).toBe(Number(sent.expires_at));
      expect(row.attempts).toBe(mail.code !== newMail.code ? 4 : 3);
    });

    it("SECURITY 5: a resend after expiry is refused; it never extends the life", async () => {
      const { authRequestId } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      setup.testApp.clock.advanceSeconds(301);
      const response = await setup.browser.post(RESEND, { auth_request_id: authRequestId });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_expired");
    });
  });

  describe("SECURITY 6: a few wrong attempts per challenge", () => {
    it("SECURITY 6: five wrong codes kill the challenge and the right code then fails", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const wrong = wrongCodeFor(mail.code);
      for (const remaining of [4, 3, 2, 1]) {
        const response = await setup.browser.post(VERIFY_OTP, {
          code: wrong,
          auth_request_id: authRequestId,
        });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ code: "invalid_code", attempts_remaining: remaining });
      }
      const fifth = await setup.browser.post(VERIFY_OTP, { code: wrong, auth_request_id: authRequestId });
      expect(fifth.statusCode).toBe(429);
      expect(fifth.json().code).toBe("too_many_attempts");
      const right = await setup.browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
      expect(right.statusCode).toBe(429);
      expect(right.json().code).toBe("too_many_attempts");
      expect(await rowCount(setup.testApp, "sessions")).toBe(0);
    });

    it("SECURITY 6: a resend does not reset the attempt counter", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      for (let index = 0; index < 4; index++) {
        await setup.browser.post(VERIFY_OTP, {
          code: wrongCodeFor(mail.code),
          auth_request_id: authRequestId,
        });
      }
      setup.testApp.clock.advanceSeconds(31);
      expect((await setup.browser.post(RESEND, { auth_request_id: authRequestId })).statusCode).toBe(200);
      const newMail = await setup.testApp.mailbox.waitFor("alice@example.com", { afterId: mail.id });
      const last = await setup.browser.post(VERIFY_OTP, {
        code: wrongCodeFor(newMail.code),
        auth_request_id: authRequestId,
      });
      expect(last.json().code).toBe("too_many_attempts");
      setup.testApp.clock.advanceSeconds(60);
      const right = await setup.browser.post(VERIFY_OTP, {
        code: newMail.code,
        auth_request_id: authRequestId,
      });
      expect(right.json().code).toBe("too_many_attempts");
    });

    it("SECURITY 6: MAX_ATTEMPTS above 10 is a configuration error", () => {
      const base = { SECRET_KEY: TEST_SECRET_KEY, DATABASE_URL: "sqlite::memory:" };
      expect(() => loadConfig({ ...base, MAX_ATTEMPTS: "11" })).toThrow(/MAX_ATTEMPTS/);
    });
  });
});

describe("parallel guessing", () => {
  let testApp: TestApp;
  let comparisons = 0;
  beforeEach(async () => {
    comparisons = 0;
    testApp = await createSecurityApp({
      provider: (config) => {
        const keys = createKeyring(TEST_SECRET_KEY);
        const builtin = createBuiltinProvider({
          codeKey: keys.codeKey,
          linkKey: keys.linkKey,
          otpLength: config.passwordless.otpLength,
        });
        const counting: PasswordlessProvider = {
          ...builtin,
          async checkCode(challenge, code) {
            comparisons++;
            return builtin.checkCode(challenge, code);
          },
        };
        return counting;
      },
    });
  });
  afterEach(async () => testApp.close());

  it("SECURITY 6: forty parallel wrong guesses get at most MAX_ATTEMPTS comparisons", async () => {
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const guesses = Array.from({ length: 40 }, (_, index) => String(index).padStart(6, "0")).filter(
      (guess) => guess !== mail.code,
    );
    const responses = await Promise.all(
      guesses.map((code) =>
        createBrowser(testApp).post(VERIFY_OTP, { code, auth_request_id: authRequestId }),
      ),
    );
    expect(comparisons).toBeLessThanOrEqual(5);
    expect(responses.every((response) => response.statusCode !== 200)).toBe(true);
    const right = await browser.post(VERIFY_OTP, { code: mail.code, auth_request_id: authRequestId });
    expect(right.json().code).toBe("too_many_attempts");
    expect(PUBLIC_URL).toBe(testApp.config.server.publicUrl.origin);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, PUBLIC_URL, startSignIn } from "../support/harness.js";
import {
  createProviderTestApp,
  linkParamsOf,
  type ProviderTestApp,
  providerNames,
} from "../support/provider-harness.js";

/**
 * The sign-in API as a client sees it, run once per provider: the HTTP answers must be
 * identical whether Latchkey's own engine or Scalekit (the offline fake, through the real
 * SDK) sends and checks the secrets.
 */
describe.each(providerNames)("signing in with the %s provider", (provider) => {
  let testApp: ProviderTestApp;
  beforeEach(async () => {
    testApp = await createProviderTestApp(provider);
  });
  afterEach(async () => testApp.close());

  function wrongCodeFor(code: string | undefined): string {
    return code === "000000" ? "111111" : "000000";
  }

  describe("starting", () => {
    it("answers the request id, expiry and type, and sets the binding cookie", async () => {
      const browser = createBrowser(testApp);

      const response = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        auth_request_id: expect.stringMatching(/^[A-Za-z0-9_-]{8,128}$/),
        expires_at: Math.floor(testApp.clock.now() / 1000) + 300,
        expires_in: 300,
        passwordless_type: "LINK_OTP",
      });
      expect(browser.jar.lk_binding).toBeDefined();
    });

    it("mails a 6-digit code and a link to the allowed page", async () => {
      const { mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");

      expect(mail.code).toMatch(/^\d{6}$/);
      expect(mail.link?.startsWith(`${PUBLIC_URL}/verify-magic-link?`)).toBe(true);
    });

    it("refuses a magic link base outside the allow-list with invalid_redirect_uri", async () => {
      const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
        email: "alice@example.com",
        magiclink_auth_uri: "https://evil.example/verify",
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invalid_redirect_uri");
    });

    it("refuses a second mail within the cooldown with rate_limited and an integer Retry-After", async () => {
      const browser = createBrowser(testApp);
      await startSignIn(testApp, browser, "alice@example.com");

      const response = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" });

      expect(response.statusCode).toBe(429);
      expect(response.json().code).toBe("rate_limited");
      expect(response.headers["retry-after"]).toMatch(/^\d+$/);
    });
  });

  describe("with the emailed code", () => {
    it("signs in, and the session names the email", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "Alice@Example.com");

      const response = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: mail.code,
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        email: "alice@example.com",
        state: null,
        template: "SIGNIN",
        passwordless_type: "LINK_OTP",
        is_new_user: true,
      });
      expect((await browser.get("/api/auth/session")).json().email).toBe("alice@example.com");
    });

    it("gives back the state and template the sign-in started with", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com", {
        state: "return-to-42",
        template: "SIGNUP",
      });

      const response = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: mail.code,
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ state: "return-to-42", template: "SIGNUP" });
    });

    it("refuses a wrong code with invalid_code and the attempts remaining", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");

      const response = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: wrongCodeFor(mail.code),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "invalid_code", attempts_remaining: 4 });
    });

    it("locks the sign-in after five wrong codes: too_many_attempts, even for the right code", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      const guess = () =>
        browser.post("/api/auth/verify-otp", {
          auth_request_id: authRequestId,
          code: wrongCodeFor(mail.code),
        });
      for (const remaining of [4, 3, 2, 1]) {
        const response = await guess();
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ code: "invalid_code", attempts_remaining: remaining });
      }

      const fifth = await guess();
      const right = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: mail.code,
      });

      expect(fifth.statusCode).toBe(429);
      expect(fifth.json().code).toBe("too_many_attempts");
      expect(right.statusCode).toBe(429);
      expect(right.json().code).toBe("too_many_attempts");
    });

    it("refuses a code that already signed in with challenge_used", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      await browser.post("/api/auth/verify-otp", { auth_request_id: authRequestId, code: mail.code });

      const replay = await createBrowser(testApp).post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: mail.code,
      });

      expect(replay.statusCode).toBe(400);
      expect(replay.json().code).toBe("challenge_used");
    });

    it("signs in once when the same code is sent twice in parallel", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      const body = { auth_request_id: authRequestId, code: mail.code };

      const responses = await Promise.all([
        createBrowser(testApp).post("/api/auth/verify-otp", body),
        createBrowser(testApp).post("/api/auth/verify-otp", body),
      ]);

      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 400]);
      expect(responses.find((response) => response.statusCode === 400)?.json().code).toBe("challenge_used");
    });

    it("refuses an expired code with challenge_expired", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      testApp.clock.advanceSeconds(301);

      const response = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: mail.code,
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_expired");
    });
  });

  describe("with the magic link", () => {
    it("signs in at once in the browser that asked", async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "bob@example.com");

      const response = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      expect(response.statusCode).toBe(200);
      expect(response.json().email).toBe("bob@example.com");
      expect((await browser.get("/api/auth/session")).json().email).toBe("bob@example.com");
    });

    it("answers confirmation_required in another browser and uses nothing up", async () => {
      const { mail } = await startSignIn(testApp, createBrowser(testApp), "bob@example.com");
      const otherBrowser = createBrowser(testApp);

      const response = await otherBrowser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe("confirmation_required");
      // Only a provider that proved the token by finding it may name the address (Scalekit cannot).
      expect(response.json().email).toBe(provider === "builtin" ? "bob@example.com" : undefined);
      expect(otherBrowser.jar.access_token).toBeUndefined();
    });

    it("still works in the browser that asked after another browser was asked to confirm", async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "bob@example.com");
      await createBrowser(testApp).post("/api/auth/verify-magic-link", linkParamsOf(mail));

      const response = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      expect(response.statusCode).toBe(200);
    });

    it("signs in another browser once the person confirms there", async () => {
      const { mail } = await startSignIn(testApp, createBrowser(testApp), "bob@example.com");
      const otherBrowser = createBrowser(testApp);
      await otherBrowser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      const response = await otherBrowser.post("/api/auth/verify-magic-link", {
        ...linkParamsOf(mail),
        confirm: true,
      });

      expect(response.statusCode).toBe(200);
      expect((await otherBrowser.get("/api/auth/session")).json().email).toBe("bob@example.com");
    });

    it("lets another device approve, after which the browser that asked completes the sign-in", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "bob@example.com");

      const shown = (await browser.get(`/api/auth/auth-requests/${authRequestId}`)).json().approval_number;
      const approval = await createBrowser(testApp).post("/api/auth/approve-magic-link", {
        ...linkParamsOf(mail),
        approval_number: shown,
      });
      const status = await browser.get(`/api/auth/auth-requests/${authRequestId}`);
      const completed = await browser.post("/api/auth/complete-approval", { auth_request_id: authRequestId });

      expect(approval.statusCode).toBe(200);
      expect(approval.json()).toEqual({ approved: true, email: "bob@example.com" });
      expect(status.json()).toEqual({ status: "approved", approval_number: shown });
      expect(completed.statusCode).toBe(200);
      expect(completed.json().email).toBe("bob@example.com");
    });

    it("refuses a link that already signed in with challenge_used", async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "bob@example.com");
      await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      const replay = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
        ...linkParamsOf(mail),
        confirm: true,
      });

      expect(replay.statusCode).toBe(400);
      expect(replay.json().code).toBe("challenge_used");
    });

    it("refuses an unknown link token with 400 invalid link token", async () => {
      const response = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
        link_token: "A".repeat(43),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: "invalid link token", code: "invalid_link_token" });
    });

    it("refuses a forged token for a real sign-in with invalid_link_token, and the real link still works", async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "bob@example.com");

      const forged = await browser.post("/api/auth/verify-magic-link", {
        ...linkParamsOf(mail),
        link_token: "B".repeat(43),
      });
      const real = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      expect(forged.statusCode).toBe(400);
      expect(forged.json().code).toBe("invalid_link_token");
      expect(real.statusCode).toBe(200);
    });

    it("refuses an expired link with challenge_expired", async () => {
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "bob@example.com");
      testApp.clock.advanceSeconds(301);

      const response = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_expired");
    });
  });

  describe("resending", () => {
    it("mails a new code under the same request id; the old code is refused with invalid_code", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail: first } = await startSignIn(testApp, browser, "carol@example.com");
      testApp.clock.advanceSeconds(31);

      const resent = await browser.post("/api/auth/resend-passwordless", { auth_request_id: authRequestId });
      const second = await testApp.mailbox.waitFor("carol@example.com", { afterId: first.id });
      const oldCode = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: first.code,
      });
      const newCode = await browser.post("/api/auth/verify-otp", {
        auth_request_id: authRequestId,
        code: second.code,
      });

      expect(resent.statusCode).toBe(200);
      expect(resent.json().auth_request_id).toBe(authRequestId);
      expect(oldCode.statusCode).toBe(400);
      expect(oldCode.json().code).toBe("invalid_code");
      expect(newCode.statusCode).toBe(200);
    });

    it("kills the old link: refused with invalid_link_token while the new one signs in", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail: first } = await startSignIn(testApp, browser, "carol@example.com");
      testApp.clock.advanceSeconds(31);
      await browser.post("/api/auth/resend-passwordless", { auth_request_id: authRequestId });
      const second = await testApp.mailbox.waitFor("carol@example.com", { afterId: first.id });

      const oldLink = await browser.post("/api/auth/verify-magic-link", linkParamsOf(first));
      const newLink = await browser.post("/api/auth/verify-magic-link", linkParamsOf(second));

      expect(oldLink.statusCode).toBe(400);
      expect(oldLink.json().code).toBe("invalid_link_token");
      expect(newLink.statusCode).toBe(200);
    });
  });

  describe("signing out", () => {
    it("ends the session: cookies cleared, the old access token refused with session_revoked", async () => {
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "dave@example.com");
      await browser.post("/api/auth/verify-otp", { auth_request_id: authRequestId, code: mail.code });
      const accessToken = browser.jar.access_token;

      const response = await browser.post("/api/auth/logout");
      const replay = await testApp.app.inject({
        method: "GET",
        url: "/api/auth/protected",
        headers: { cookie: `access_token=${accessToken}` },
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: "Logged out" });
      expect(browser.jar.access_token).toBeUndefined();
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe("session_revoked");
    });
  });
});

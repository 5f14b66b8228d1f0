import { describe, expect, it } from "vitest";
import { createBrowser, linkTokenOf, startSignIn, type TestApp } from "../support/harness.js";
import { approvalNumberOf, approveFrom, rowCount, useAppAndBrowser } from "./support.js";

/**
 * Mail scanners that fetch every link, links forwarded to (or planted in) another browser,
 * and the cross-device approval flow (SECURITY.md 9, 10).
 */

const VERIFY_LINK = "/api/auth/verify-magic-link";

/** The parts of a challenge an attack must not move. */
async function challengeState(testApp: TestApp, id: string) {
  return testApp.database.db
    .selectFrom("auth_requests")
    .select(["consumed_at", "approved_at", "superseded_at", "attempts", "code_hash", "link_hash"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

function setsSession(response: { cookies: { name: string }[] }): boolean {
  return response.cookies.some((cookie) => cookie.name === "access_token" || cookie.name === "refresh_token");
}

describe("binding and scanners", () => {
  const setup = useAppAndBrowser();

  describe("SECURITY 9: opening a link is harmless", () => {
    it.each(["GET", "HEAD"] as const)(
      "SECURITY 9: a scanner's %s of the emailed link changes nothing, and the link still works",
      async (method) => {
        const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
        const before = await challengeState(setup.testApp, authRequestId);
        const link = new URL(mail.link!);
        for (const scanner of [createBrowser(setup.testApp), setup.browser]) {
          const response = await setup.testApp.app.inject({
            method,
            url: `${link.pathname}${link.search}`,
            headers:
              scanner === setup.browser ? { cookie: `lk_binding=${setup.browser.jar.lk_binding}` } : {},
          });
          expect(response.statusCode).toBeLessThan(500);
          expect(response.headers["set-cookie"]).toBeUndefined();
        }
        expect(await challengeState(setup.testApp, authRequestId)).toEqual(before);
        expect(await rowCount(setup.testApp, "sessions")).toBe(0);
        const response = await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) });
        expect(response.statusCode).toBe(200);
      },
    );

    it("SECURITY 9: the link page never submits by itself: no form, no inline script, no refresh", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const link = new URL(mail.link!);
      const response = await setup.testApp.app.inject({
        method: "GET",
        url: `${link.pathname}${link.search}`,
      });
      if (response.statusCode === 404) return; // the UI is not built: no page at all, nothing to submit
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).not.toMatch(/<form/i);
      expect(html).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
      for (const script of html.match(/<script[^>]*>/gi) ?? []) expect(script).toMatch(/\ssrc=/);
      expect(response.headers["content-security-policy"]).toMatch(/script-src 'self'(;|$)/);
    });

    it.each([
      "/api/auth/verify-otp",
      "/api/auth/verify-magic-link",
      "/api/auth/approve-magic-link",
      "/api/auth/approval-details",
      "/api/auth/refuse-magic-link",
      "/api/auth/complete-approval",
      "/api/auth/send-passwordless",
      "/api/auth/resend-passwordless",
    ])("SECURITY 9: there is no GET or HEAD variant of %s", async (url) => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const query = `?link_token=${linkTokenOf(mail)}&code=${mail.code}&auth_request_id=${authRequestId}&confirm=true`;
      for (const method of ["GET", "HEAD"] as const) {
        const response = await setup.testApp.app.inject({ method, url: `${url}${query}` });
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe("POST");
        expect(response.headers["set-cookie"]).toBeUndefined();
      }
      expect((await challengeState(setup.testApp, authRequestId)).consumed_at).toBeNull();
    });
  });

  describe("SECURITY 10: another browser cannot silently sign in", () => {
    it("SECURITY 10: in the browser that asked, the link signs in at once", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const response = await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) });
      expect(response.statusCode).toBe(200);
      expect(setsSession(response)).toBe(true);
    });

    it("SECURITY 10: without the binding cookie the link answers confirmation_required and consumes nothing", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const before = await challengeState(setup.testApp, authRequestId);
      const elsewhere = createBrowser(setup.testApp);
      const response = await elsewhere.post(VERIFY_LINK, { link_token: linkTokenOf(mail) });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: "confirmation_required", email: "alice@example.com" });
      expect(setsSession(response)).toBe(false);
      expect(await challengeState(setup.testApp, authRequestId)).toEqual(before);
      // The owner can still use it where they asked.
      expect((await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) })).statusCode).toBe(200);
    });

    it("SECURITY 10: after confirmation_required, an explicit confirm signs that browser in", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const elsewhere = createBrowser(setup.testApp);
      expect((await elsewhere.post(VERIFY_LINK, { link_token: linkTokenOf(mail) })).statusCode).toBe(409);
      const confirmed = await elsewhere.post(VERIFY_LINK, { link_token: linkTokenOf(mail), confirm: true });
      expect(confirmed.statusCode).toBe(200);
      expect(setsSession(confirmed)).toBe(true);
      expect((await elsewhere.get("/api/auth/session")).json().email).toBe("alice@example.com");
    });

    it("SECURITY 10: a forged or foreign binding cookie counts as another browser", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const other = createBrowser(setup.testApp);
      await startSignIn(setup.testApp, other, "mallory@example.com");
      for (const binding of [
        other.jar.lk_binding!,
        "A".repeat(43),
        "short",
        `${setup.browser.jar.lk_binding}x`,
      ]) {
        const response = await setup.testApp.app.inject({
          method: "POST",
          url: VERIFY_LINK,
          headers: { "content-type": "application/json", cookie: `lk_binding=${binding}` },
          payload: JSON.stringify({ link_token: linkTokenOf(mail) }),
        });
        expect(response.statusCode).toBe(409);
        expect(response.json().code).toBe("confirmation_required");
      }
    });

    it("SECURITY 10: the binding cookie is HttpOnly, SameSite and scoped to the auth API", async () => {
      const response = await setup.browser.post("/api/auth/send-passwordless", {
        email: "alice@example.com",
      });
      const binding = response.cookies.find((cookie) => cookie.name === "lk_binding");
      expect(binding).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/api/auth" });
      expect(binding?.value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
      expect(binding?.maxAge).toBeLessThanOrEqual(30 * 60);
    });

    it.each([
      ["origin", { origin: "https://evil.example" }],
      ["sec-fetch-site", { "sec-fetch-site": "cross-site" }],
    ])(
      "SECURITY 10: cross-site sign-in requests (%s) are refused before anything is consumed",
      async (_kind, headers) => {
        const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
        const before = await challengeState(setup.testApp, authRequestId);
        const attempts = [
          ["/api/auth/verify-otp", { code: mail.code, auth_request_id: authRequestId }],
          ["/api/auth/verify-magic-link", { link_token: linkTokenOf(mail), confirm: true }],
          ["/api/auth/approve-magic-link", { link_token: linkTokenOf(mail), approval_number: 42 }],
          ["/api/auth/refuse-magic-link", { link_token: linkTokenOf(mail) }],
          ["/api/auth/send-passwordless", { email: "alice@example.com" }],
        ] as const;
        for (const [url, body] of attempts) {
          const response = await setup.browser.post(url, body, headers);
          expect(response.statusCode).toBe(403);
          expect(response.json().code).toBe("csrf_rejected");
        }
        expect(await challengeState(setup.testApp, authRequestId)).toEqual(before);
        expect(await rowCount(setup.testApp, "sessions")).toBe(0);
      },
    );
  });

  describe("SECURITY 10: cross-device approval", () => {
    it("SECURITY 10: approving on a phone signs in the waiting browser, never the phone", async () => {
      const laptop = setup.browser;
      const { authRequestId, mail } = await startSignIn(setup.testApp, laptop, "alice@example.com");
      const phone = createBrowser(setup.testApp);
      const number = await approvalNumberOf(setup.testApp, authRequestId);
      expect((await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json()).toEqual({
        status: "pending",
        approval_number: number,
      });

      const approval = await approveFrom(setup.testApp, phone, {
        authRequestId,
        linkToken: linkTokenOf(mail),
      });
      expect(approval.statusCode).toBe(200);
      expect(approval.json()).toEqual({ approved: true, email: "alice@example.com" });
      expect(setsSession(approval)).toBe(false);
      expect((await phone.get("/api/auth/session")).json()).toEqual({ email: null });

      expect((await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json()).toEqual({
        status: "approved",
        approval_number: number,
      });
      const completed = await laptop.post("/api/auth/complete-approval", { auth_request_id: authRequestId });
      expect(completed.statusCode).toBe(200);
      expect(setsSession(completed)).toBe(true);
      expect((await laptop.get("/api/auth/session")).json().email).toBe("alice@example.com");
      // Signing in rotated the laptop's binding value, so the finished request is no longer its to read.
      expect((await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).statusCode).toBe(404);
      expect(await rowCount(setup.testApp, "sessions")).toBe(1);
    });

    it("SECURITY 10: a third browser can neither read the status nor complete the approval", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      await approveFrom(setup.testApp, createBrowser(setup.testApp), {
        authRequestId,
        linkToken: linkTokenOf(mail),
      });
      const intruder = createBrowser(setup.testApp);
      await startSignIn(setup.testApp, intruder, "mallory@example.com"); // holds a binding cookie of its own
      const status = await intruder.get(`/api/auth/auth-requests/${authRequestId}`);
      expect(status.statusCode).toBe(404);
      expect(status.json().code).toBe("challenge_not_found");
      const complete = await intruder.post("/api/auth/complete-approval", { auth_request_id: authRequestId });
      expect(complete.statusCode).toBe(404);
      expect(complete.json().code).toBe("challenge_not_found");
      expect(setsSession(complete)).toBe(false);
      expect(
        (await setup.browser.post("/api/auth/complete-approval", { auth_request_id: authRequestId }))
          .statusCode,
      ).toBe(200);
    });

    it("SECURITY 10: completing before approval answers approval_pending and consumes nothing", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const response = await setup.browser.post("/api/auth/complete-approval", {
        auth_request_id: authRequestId,
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe("approval_pending");
      expect((await setup.browser.post(VERIFY_LINK, { link_token: linkTokenOf(mail) })).statusCode).toBe(200);
    });

    it("SECURITY 10: an approved link can be used neither again nor by code", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      await approveFrom(setup.testApp, createBrowser(setup.testApp), {
        authRequestId,
        linkToken: linkTokenOf(mail),
      });
      const again = await createBrowser(setup.testApp).post(VERIFY_LINK, {
        link_token: linkTokenOf(mail),
        confirm: true,
      });
      expect(again.json().code).toBe("challenge_used");
      const byCode = await createBrowser(setup.testApp).post("/api/auth/verify-otp", {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(byCode.json().code).toBe("challenge_used");
    });

    it("SECURITY 10: an approval expires with its challenge", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      await approveFrom(setup.testApp, createBrowser(setup.testApp), {
        authRequestId,
        linkToken: linkTokenOf(mail),
      });
      setup.testApp.clock.advanceSeconds(301);
      const response = await setup.browser.post("/api/auth/complete-approval", {
        auth_request_id: authRequestId,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("challenge_expired");
    });
  });
});

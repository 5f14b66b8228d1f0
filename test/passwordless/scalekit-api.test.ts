import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/errors.js";
import type { FakeScalekit } from "../support/fake-scalekit.js";
import { createBrowser, PUBLIC_URL, startSignIn } from "../support/harness.js";
import {
  createProviderTestApp,
  linkParamsOf,
  type ProviderTestApp,
  type ProviderTestAppOptions,
} from "../support/provider-harness.js";

/**
 * What only the Scalekit provider can do: fail upstream, and be asked (or not) by
 * Latchkey. The shared sign-in suite (sign-in-api.test.ts) covers the happy paths.
 */

/** What the fake puts in its failures; none of it may reach a client. */
const UPSTREAM_TEXT = [
  "rate limit exceeded",
  "service unavailable",
  "client authentication failed",
  "invalid_client",
  "access token",
  "auth request",
  "Scalekit",
  "grpc",
  "[unavailable]",
  "[resource_exhausted]",
];

let testApp: ProviderTestApp | undefined;
afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

async function start(options: ProviderTestAppOptions = {}) {
  testApp = await createProviderTestApp("scalekit", options);
  return { testApp, scalekit: testApp.scalekit as FakeScalekit };
}

function callsTo(scalekit: FakeScalekit, method: "SendPasswordlessEmail" | "VerifyPasswordlessEmail") {
  return scalekit.calls.filter((call) => call.method === method && call.outcome !== "Unauthenticated");
}

/** The exact catalogue body: nothing from the SDK or Scalekit rides along. */
function expectCatalogueError(
  response: LightMyRequestResponse,
  status: number,
  code: keyof typeof errorCatalogue,
) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toEqual({ detail: errorCatalogue[code].detail, code });
  for (const text of UPSTREAM_TEXT) expect(response.body.toLowerCase()).not.toContain(text.toLowerCase());
}

function sendTo(browser: ReturnType<typeof createBrowser>, email = "alice@example.com") {
  return browser.post("/api/auth/send-passwordless", { email });
}

describe("when Scalekit fails", () => {
  it("answers 503 provider_unavailable when Scalekit refuses the client credentials", async () => {
    const { testApp, scalekit } = await start();
    scalekit.failWith("unauthenticated-credentials");

    const response = await sendTo(createBrowser(testApp));

    expectCatalogueError(response, 503, "provider_unavailable");
    expect(scalekit.calls.at(-1)).toMatchObject({ method: "token", outcome: "401" });
  });

  it("answers 503 provider_unavailable on verify when the credentials stop working, and the code works afterwards", async () => {
    const { testApp, scalekit } = await start();
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    scalekit.failWith("unauthenticated-credentials", { times: 1 });
    const body = { auth_request_id: authRequestId, code: mail.code };

    const during = await browser.post("/api/auth/verify-otp", body);
    const after = await browser.post("/api/auth/verify-otp", body);

    expectCatalogueError(during, 503, "provider_unavailable");
    expect(after.statusCode).toBe(200);
  });

  it("answers 429 rate_limited with an integer Retry-After when Scalekit rate-limits a send", async () => {
    const { testApp, scalekit } = await start();
    scalekit.failWith("rate-limited");

    const response = await sendTo(createBrowser(testApp));

    expectCatalogueError(response, 429, "rate_limited");
    expect(response.headers["retry-after"]).toBe("60");
  });

  it("answers 429 rate_limited with an integer Retry-After when Scalekit rate-limits a resend", async () => {
    const { testApp, scalekit } = await start();
    const browser = createBrowser(testApp);
    const { authRequestId } = await startSignIn(testApp, browser, "alice@example.com");
    testApp.clock.advanceSeconds(31);
    scalekit.failWith("rate-limited");

    const response = await browser.post("/api/auth/resend-passwordless", { auth_request_id: authRequestId });

    expectCatalogueError(response, 429, "rate_limited");
    expect(response.headers["retry-after"]).toMatch(/^\d+$/);
  });

  it("answers 503 provider_unavailable within SCALEKIT_TIMEOUT_MS while Scalekit answers UNAVAILABLE", async () => {
    const { testApp, scalekit } = await start({ env: { SCALEKIT_TIMEOUT_MS: "500" } });
    scalekit.failWith("unavailable");
    const startedAt = performance.now();

    const response = await sendTo(createBrowser(testApp));

    expectCatalogueError(response, 503, "provider_unavailable");
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("answers 503 provider_unavailable within SCALEKIT_TIMEOUT_MS when Scalekit hangs", async () => {
    const { testApp, scalekit } = await start({ env: { SCALEKIT_TIMEOUT_MS: "300" } });
    scalekit.failWith("hang");
    const startedAt = performance.now();

    const response = await sendTo(createBrowser(testApp));

    expectCatalogueError(response, 503, "provider_unavailable");
    expect(performance.now() - startedAt).toBeLessThan(1500);
  });

  it("answers 503 provider_unavailable when Scalekit hangs on a magic link, and the link works afterwards", async () => {
    const { testApp, scalekit } = await start({ env: { SCALEKIT_TIMEOUT_MS: "300" } });
    const browser = createBrowser(testApp);
    const { mail } = await startSignIn(testApp, browser, "alice@example.com");
    scalekit.failWith("hang", { times: 1 });

    const during = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));
    const after = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

    expectCatalogueError(during, 503, "provider_unavailable");
    expect(after.statusCode).toBe(200);
  });

  it("answers 503 provider_unavailable when the dashboard's passwordless type differs from PASSWORDLESS_TYPE", async () => {
    const { testApp } = await start({ scalekit: { passwordlessType: "OTP" } });

    const response = await sendTo(createBrowser(testApp));

    expectCatalogueError(response, 503, "provider_unavailable");
  });
});

describe("Latchkey's protections on top of Scalekit", () => {
  it("asks Scalekit nothing when a link is opened in another browser, until the person confirms", async () => {
    const { testApp, scalekit } = await start();
    const { mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");
    const otherBrowser = createBrowser(testApp);

    const unconfirmed = await otherBrowser.post("/api/auth/verify-magic-link", linkParamsOf(mail));
    const verifiesBeforeConfirm = callsTo(scalekit, "VerifyPasswordlessEmail").length;
    const confirmed = await otherBrowser.post("/api/auth/verify-magic-link", {
      ...linkParamsOf(mail),
      confirm: true,
    });

    expect(unconfirmed.statusCode).toBe(409);
    expect(verifiesBeforeConfirm).toBe(0);
    expect(confirmed.statusCode).toBe(200);
    expect(callsTo(scalekit, "VerifyPasswordlessEmail")).toHaveLength(1);
  });

  it("refuses a second send within Latchkey's cooldown without asking Scalekit", async () => {
    const { testApp, scalekit } = await start();
    const browser = createBrowser(testApp);
    await sendTo(browser);

    const response = await sendTo(browser);

    expect(response.statusCode).toBe(429);
    expect(callsTo(scalekit, "SendPasswordlessEmail")).toHaveLength(1);
  });

  it("refuses a magic link base outside the allow-list without asking Scalekit", async () => {
    const { testApp, scalekit } = await start();

    const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
      email: "alice@example.com",
      magiclink_auth_uri: "https://evil.example/verify",
    });

    expect(response.statusCode).toBe(400);
    expect(scalekit.calls).toHaveLength(0);
  });

  it("stops passing codes to Scalekit once Latchkey's attempt limit is reached", async () => {
    const { testApp, scalekit } = await start({ env: { MAX_ATTEMPTS: "3" } });
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const wrongCode = mail.code === "000000" ? "111111" : "000000";
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await browser.post("/api/auth/verify-otp", { auth_request_id: authRequestId, code: wrongCode });
    }

    const right = await browser.post("/api/auth/verify-otp", {
      auth_request_id: authRequestId,
      code: mail.code,
    });

    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe("too_many_attempts");
    expect(callsTo(scalekit, "VerifyPasswordlessEmail")).toHaveLength(3);
  });

  it("refuses the link of one sign-in presented with the request id of another", async () => {
    const { testApp } = await start();
    const browser = createBrowser(testApp);
    const { mail: alice } = await startSignIn(testApp, browser, "alice@example.com");
    const { mail: bob } = await startSignIn(testApp, browser, "bob@example.com");

    const crossed = await browser.post("/api/auth/verify-magic-link", {
      link_token: linkParamsOf(bob).link_token,
      auth_request_id: linkParamsOf(alice).auth_request_id,
    });
    const own = await browser.post("/api/auth/verify-magic-link", linkParamsOf(alice));

    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().code).toBe("invalid_link_token");
    expect(own.statusCode).toBe(200);
  });

  it("refuses a made-up link token next to a real request id in another browser: no address, no session, and the real link still signs in", async () => {
    const { testApp } = await start();
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const attacker = createBrowser(testApp);
    const madeUp = { auth_request_id: authRequestId, link_token: "B".repeat(43) };

    // Scalekit cannot check a token without using it up, so before the person confirms
    // the answer is the same 409 as for a real link, and names nothing.
    const unconfirmed = await attacker.post("/api/auth/verify-magic-link", madeUp);
    const confirmed = await attacker.post("/api/auth/verify-magic-link", { ...madeUp, confirm: true });
    const attackerSession = await attacker.get("/api/auth/session");
    const real = await browser.post("/api/auth/verify-magic-link", linkParamsOf(mail));

    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json()).toEqual({
      detail: errorCatalogue.confirmation_required.detail,
      code: "confirmation_required",
    });
    expectCatalogueError(confirmed, 400, "invalid_link_token");
    expect(attacker.jar.access_token).toBeUndefined();
    expect(attackerSession.json()).toEqual({ email: null });
    expect(real.statusCode).toBe(200);
    expect((await browser.get("/api/auth/session")).json().email).toBe("alice@example.com");
  });

  it("keeps a waiting sign-in alive when a made-up link token next to its real request id picks a wrong number", async () => {
    const { testApp } = await start();
    const laptop = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, laptop, "alice@example.com");
    const shown = (await laptop.get(`/api/auth/auth-requests/${authRequestId}`)).json().approval_number;
    const attacker = createBrowser(testApp);

    const madeUp = await attacker.post("/api/auth/approve-magic-link", {
      auth_request_id: authRequestId,
      link_token: "B".repeat(43),
      approval_number: shown === 99 ? 98 : shown + 1,
    });
    const status = await laptop.get(`/api/auth/auth-requests/${authRequestId}`);
    const approval = await createBrowser(testApp).post("/api/auth/approve-magic-link", {
      ...linkParamsOf(mail),
      approval_number: shown,
    });
    const completed = await laptop.post("/api/auth/complete-approval", { auth_request_id: authRequestId });

    expectCatalogueError(madeUp, 400, "invalid_link_token");
    expect(status.json().status).toBe("pending");
    expect(approval.statusCode).toBe(200);
    expect(completed.statusCode).toBe(200);
    expect(completed.json().email).toBe("alice@example.com");
  });
});

describe("what Scalekit is told", () => {
  it("gets the allowed page with Latchkey's own request id as the magic link base", async () => {
    const { testApp, scalekit } = await start();

    const { authRequestId, mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");

    expect(callsTo(scalekit, "SendPasswordlessEmail")[0]?.request).toEqual({
      email: "alice@example.com",
      template: "SIGNIN",
      expires_in: 300,
      magiclink_auth_uri: `${PUBLIC_URL}/verify-magic-link?auth_request_id=${authRequestId}`,
    });
    expect(linkParamsOf(mail).auth_request_id).toBe(authRequestId);
  });

  it("keeps a client's allowed page and its query, adding Latchkey's request id", async () => {
    const { testApp, scalekit } = await start();

    const { authRequestId } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com", {
      magiclink_auth_uri: `${PUBLIC_URL}/welcome/verify?lang=en`,
    });

    expect(callsTo(scalekit, "SendPasswordlessEmail")[0]?.request.magiclink_auth_uri).toBe(
      `${PUBLIC_URL}/welcome/verify?lang=en&auth_request_id=${authRequestId}`,
    );
  });

  it("never shows a client Scalekit's own request id", async () => {
    const { testApp, scalekit } = await start();
    const browser = createBrowser(testApp);
    const sent = await sendTo(browser);
    testApp.clock.advanceSeconds(31);
    const resent = await browser.post("/api/auth/resend-passwordless", {
      auth_request_id: sent.json().auth_request_id,
    });

    const scalekitIds = scalekit.calls
      .filter(
        (call) => call.method === "VerifyPasswordlessEmail" || call.method === "ResendPasswordlessEmail",
      )
      .map((call) => call.request.auth_request_id);

    expect(resent.json().auth_request_id).toBe(sent.json().auth_request_id);
    expect(scalekitIds).not.toContain(sent.json().auth_request_id);
  });

  it("verifies links with Scalekit's request id, so a dashboard that enforces the same browser works", async () => {
    const { testApp } = await start({ scalekit: { sameBrowserEnforced: true } });
    const { mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com");

    const response = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
      ...linkParamsOf(mail),
      confirm: true,
    });

    expect(response.statusCode).toBe(200);
  });

  it("works code-only when both the dashboard and PASSWORDLESS_TYPE say OTP", async () => {
    const { testApp } = await start({
      env: { PASSWORDLESS_TYPE: "OTP" },
      scalekit: { passwordlessType: "OTP" },
    });
    const browser = createBrowser(testApp);

    const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
    const response = await browser.post("/api/auth/verify-otp", {
      auth_request_id: authRequestId,
      code: mail.code,
    });

    expect(mail.link).toBeUndefined();
    expect(response.statusCode).toBe(200);
    expect(response.json().passwordless_type).toBe("OTP");
  });
});

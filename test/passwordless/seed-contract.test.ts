import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";

/** The reference backend's own test suite, ported to HTTP tests that sign in for real. */
describe("seed contract", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it("send-passwordless returns the four fields", async () => {
    const browser = createBrowser(testApp);
    const response = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual([
      "auth_request_id",
      "expires_at",
      "expires_in",
      "passwordless_type",
    ]);
    expect(body.expires_in).toBe(300);
    expect(body.passwordless_type).toBe("LINK_OTP");
    expect(Number.isInteger(body.expires_at)).toBe(true);
  });

  it("verify-otp without authRequestId answers 422 naming authRequestId", async () => {
    const response = await createBrowser(testApp).post("/api/auth/verify-otp", { code: "123456" });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_error");
    expect(response.json().detail[0].loc).toEqual(["body", "authRequestId"]);
  });

  it("verify-magic-link with an unknown token answers 400 invalid link token", async () => {
    const response = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
      link_token: "A".repeat(43),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain("invalid link token");
    expect(response.json().code).toBe("invalid_link_token");
  });

  it("a bad email answers 422 whose detail mentions email", async () => {
    const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
      email: "not-an-email",
    });
    expect(response.statusCode).toBe(422);
    expect(JSON.stringify(response.json().detail)).toContain("email");
  });

  it("a foreign magiclink_auth_uri answers 400 invalid_redirect_uri", async () => {
    const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
      email: "alice@example.com",
      magiclink_auth_uri: "https://evil.example/verify",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid_redirect_uri");
    expect(response.json().detail).toContain("magiclink_auth_uri");
  });

  it("send-passwordless while signed in answers 409 Already authenticated", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const response = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/^Already authenticated/);
  });

  it("session without a cookie is {email: null}", async () => {
    const response = await createBrowser(testApp).get("/api/auth/session");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email: null });
  });

  it("session after signing in names the email", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "Alice@Example.COM");
    const response = await browser.get("/api/auth/session");
    expect(response.json().email).toBe("alice@example.com");
  });

  it("protected answers 401 Not authenticated without a session", async () => {
    const response = await createBrowser(testApp).get("/api/auth/protected");
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: "Not authenticated", code: "not_authenticated" });
  });

  it("protected answers Protected content when signed in", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const response = await browser.get("/api/auth/protected");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email: "alice@example.com", message: "Protected content" });
  });

  it("db-ping answers ok after a real query", async () => {
    const response = await createBrowser(testApp).get("/api/auth/db-ping");
    expect(response.json()).toEqual({ ok: true });
  });

  it("verify by magic link in the same browser signs in", async () => {
    const browser = createBrowser(testApp);
    const { mail } = await startSignIn(testApp, browser, "bob@example.com");
    const token = new URL(mail.link!).searchParams.get("link_token");
    const response = await browser.post("/api/auth/verify-magic-link", { link_token: token });
    expect(response.statusCode).toBe(200);
    expect(response.json().email).toBe("bob@example.com");
    expect((await browser.get("/api/auth/session")).json().email).toBe("bob@example.com");
  });

  it("logout ends the session and clears the cookies", async () => {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const stolenCookie = { ...browser.jar };
    const response = await browser.post("/api/auth/logout");
    expect(response.json()).toEqual({ message: "Logged out" });
    expect(browser.jar.access_token).toBeUndefined();
    const replay = await testApp.app.inject({
      method: "GET",
      url: "/api/auth/protected",
      headers: { cookie: `access_token=${stolenCookie.access_token}` },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("session_revoked");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";
import { bearer, getWith, postWith, setCookie, signInForTokens } from "./helpers.js";

describe("non-browser (Bearer) clients", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it('verify-otp with token_delivery "body" returns the token pair and sets no session cookies', async () => {
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "app@example.com");
    const response = await postWith(testApp, "/api/auth/verify-otp", {
      code: mail.code,
      auth_request_id: authRequestId,
      token_delivery: "body",
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ email: "app@example.com", token_type: "Bearer", expires_in: 900 });
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(setCookie(response, "access_token")).toBeUndefined();
    expect(setCookie(response, "refresh_token")).toBeUndefined();
  });

  it("the camelCase alias tokenDelivery works too", async () => {
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "app@example.com");
    const response = await postWith(testApp, "/api/auth/verify-otp", {
      code: mail.code,
      authRequestId,
      tokenDelivery: "body",
    });
    expect(response.json().access_token).toEqual(expect.any(String));
  });

  it("SECURITY 15: a cookie client never sees a token in the JSON body", async () => {
    const browser = createBrowser(testApp);
    const response = await signIn(testApp, browser, "alice@example.com");
    expect(response.json().access_token).toBeUndefined();
    expect(response.json().refresh_token).toBeUndefined();
    expect(response.body).not.toContain(browser.jar.access_token);
    expect(response.body).not.toContain(browser.jar.refresh_token);
    const refresh = await browser.post("/api/auth/refresh", {});
    expect(Object.keys(refresh.json())).toEqual(["expires_in"]);
  });

  it("Authorization: Bearer works on /protected", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await getWith(testApp, "/api/auth/protected", bearer(tokens.access_token));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email: "app@example.com", message: "Protected content" });
  });

  it("Authorization: Bearer works on /session and /sessions", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const session = await getWith(testApp, "/api/auth/session", bearer(tokens.access_token));
    expect(session.json().email).toBe("app@example.com");
    const list = await getWith(testApp, "/api/auth/sessions", bearer(tokens.access_token));
    expect(list.statusCode).toBe(200);
    expect(list.json().sessions).toHaveLength(1);
    expect(list.json().sessions[0].current).toBe(true);
  });

  it("refresh with {refresh_token} in the body returns the new pair in the body", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    testApp.clock.advanceSeconds(60);
    const response = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    expect(body.refresh_token).not.toBe(tokens.refresh_token);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(response.headers["set-cookie"]).toBeUndefined();
    const protectedResponse = await getWith(testApp, "/api/auth/protected", bearer(body.access_token));
    expect(protectedResponse.statusCode).toBe(200);
  });

  it("SECURITY 19: a body client's old refresh token is dead after the grace window", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    testApp.clock.advanceSeconds(21);
    const replay = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("invalid_refresh_token");
  });

  it("a body refresh inside the grace window returns an access token and no refresh token", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    const second = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(second.statusCode).toBe(200);
    expect(second.json().access_token).toEqual(expect.any(String));
    expect(second.json().refresh_token).toBeUndefined();
  });

  it("SECURITY 25: a refresh token used as a Bearer access token is refused 401", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await getWith(testApp, "/api/auth/protected", bearer(tokens.refresh_token));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
  });

  it("SECURITY 25: an access token posted as a refresh token is refused 401 invalid_refresh_token", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.access_token });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 25: an access token in the refresh cookie is refused 401 invalid_refresh_token", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/refresh",
      headers: { cookie: `refresh_token=${tokens.access_token}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 16: ?access_token= in the URL is never honoured", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await getWith(testApp, `/api/auth/protected?access_token=${tokens.access_token}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
    const session = await getWith(testApp, `/api/auth/session?access_token=${tokens.access_token}`);
    expect(session.json()).toEqual({ email: null });
  });

  it("a Bearer client logs out with its access token", async () => {
    const tokens = await signInForTokens(testApp, "app@example.com");
    const response = await postWith(testApp, "/api/auth/logout", {}, bearer(tokens.access_token));
    expect(response.statusCode).toBe(200);
    const after = await getWith(testApp, "/api/auth/protected", bearer(tokens.access_token));
    expect(after.json().code).toBe("session_revoked");
    const refresh = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(refresh.statusCode).toBe(401);
  });

  it("a Bearer client revokes its other sessions with logout-all", async () => {
    const phone = await signInForTokens(testApp, "app@example.com");
    testApp.clock.advanceSeconds(31);
    const cli = await signInForTokens(testApp, "app@example.com");
    const response = await postWith(
      testApp,
      "/api/auth/logout-all",
      { keep_current: true },
      bearer(cli.access_token),
    );
    expect(response.json()).toEqual({ revoked: 1 });
    expect((await getWith(testApp, "/api/auth/protected", bearer(phone.access_token))).json().code).toBe(
      "session_revoked",
    );
    expect((await getWith(testApp, "/api/auth/protected", bearer(cli.access_token))).statusCode).toBe(200);
  });

  it("the Bearer scheme name is case-insensitive (RFC 9110 §11.1)", async () => {
    const { access_token: token } = await signInForTokens(testApp, "alice@example.com");
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const response = await getWith(testApp, "/api/auth/protected", { authorization: `${scheme} ${token}` });
      expect(response.statusCode).toBe(200);
    }
  });

  it("a malformed Authorization header is refused 401 not_authenticated", async () => {
    for (const value of ["Bearer ", "Bearer not.a.jwt", "Bearer a.b", `Bearer ${"a".repeat(5000)}`]) {
      const response = await getWith(testApp, "/api/auth/protected", { authorization: value });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("not_authenticated");
    }
  });
});

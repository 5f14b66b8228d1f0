import { afterEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";
import { bearer, getWith, postWith, setCookie, setCookieLines, signInForTokens } from "./helpers.js";

const PRODUCTION_LIKE = { COOKIE_SECURE: "true", COOKIE_PREFIX: "__Host-" };

function attributesOf(line: string): { name: string; attributes: Map<string, string> } {
  const [pair = "", ...rest] = line.split(";").map((part) => part.trim());
  const attributes = new Map(
    rest.map((part) => {
      const [key = "", value = ""] = part.split("=");
      return [key.toLowerCase(), value] as const;
    }),
  );
  return { name: pair.split("=")[0] ?? "", attributes };
}

describe("session cookies", () => {
  let testApp: TestApp;
  afterEach(async () => testApp.close());

  it("SECURITY 15: the access cookie is HttpOnly, SameSite=Lax, Path=/ and has no Domain", async () => {
    testApp = await createTestApp();
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    const line = setCookieLines(response).find((value) => value.startsWith("access_token="))!;
    const { attributes } = attributesOf(line);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("domain")).toBe(false);
    expect(Number(attributes.get("max-age"))).toBe(900);
  });

  it("SECURITY 15: the refresh cookie is HttpOnly, SameSite=Lax, Path=/api/auth and has no Domain", async () => {
    testApp = await createTestApp();
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    const line = setCookieLines(response).find((value) => value.startsWith("refresh_token="))!;
    const { attributes } = attributesOf(line);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/api/auth");
    expect(attributes.has("domain")).toBe(false);
  });

  it("SECURITY 15: the refresh cookie's Max-Age is no longer than the idle timeout or the session's life", async () => {
    testApp = await createTestApp();
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    const maxAge = setCookie(response, "refresh_token")!.maxAge!;
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(testApp.config.sessions.idleTimeoutSeconds);
    expect(maxAge).toBeLessThanOrEqual(testApp.config.sessions.absoluteLifetimeSeconds);
  });

  it("SECURITY 15: cookies are not Secure on a plain-http development URL", async () => {
    testApp = await createTestApp();
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    for (const line of setCookieLines(response))
      expect(attributesOf(line).attributes.has("secure")).toBe(false);
  });

  it("SECURITY 15: with production cookie settings the names are __Host-access_token and __Secure-refresh_token, all Secure", async () => {
    testApp = await createTestApp({ env: PRODUCTION_LIKE });
    const browser = createBrowser(testApp);
    const response = await signIn(testApp, browser, "alice@example.com");
    const cookies = setCookieLines(response).map(attributesOf);
    const names = cookies.map((cookie) => cookie.name);
    expect(names).toContain("__Host-access_token");
    expect(names).toContain("__Secure-refresh_token");
    expect(names).not.toContain("access_token");
    for (const cookie of cookies) expect(cookie.attributes.has("secure")).toBe(true);
    const access = cookies.find((cookie) => cookie.name === "__Host-access_token")!;
    expect(access.attributes.get("path")).toBe("/");
    expect(access.attributes.has("domain")).toBe(false);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(200);
  });

  it("SECURITY 15: with production cookie settings the unprefixed seed name is ignored", async () => {
    testApp = await createTestApp({ env: PRODUCTION_LIKE });
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const token = browser.jar["__Host-access_token"]!;
    const response = await testApp.app.inject({
      method: "GET",
      url: "/api/auth/protected",
      headers: { cookie: `access_token=${token}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it("SECURITY 15: every session cookie's name and value stay under 4096 bytes", async () => {
    testApp = await createTestApp({ env: PRODUCTION_LIKE });
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    for (const cookie of response.cookies) {
      expect(Buffer.byteLength(`${cookie.name}=${cookie.value}`)).toBeLessThan(4096);
    }
  });

  it("SECURITY 16: values planted in the cookies before sign-in are replaced", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    browser.jar.access_token = "planted-access";
    browser.jar.refresh_token = "planted-refresh";
    await signIn(testApp, browser, "alice@example.com");
    expect(browser.jar.access_token).not.toBe("planted-access");
    expect(browser.jar.refresh_token).not.toBe("planted-refresh");
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("SECURITY 16: every sign-in gets a fresh session id and refresh token", async () => {
    testApp = await createTestApp();
    const seen = new Set<string>();
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      const browser = createBrowser(testApp);
      await signIn(testApp, browser, email);
      seen.add(browser.jar.refresh_token!);
      seen.add((await browser.get("/api/auth/session")).json().session_id);
    }
    expect(seen.size).toBe(6);
  });

  it("SECURITY 16: refresh tokens and session ids carry at least 128 random bits", async () => {
    testApp = await createTestApp();
    const tokens = await signInForTokens(testApp, "app@example.com");
    const [sessionId = "", ...secret] = tokens.refresh_token.split(".");
    expect(sessionId).toMatch(/^[\w-]{22,}$/);
    expect(secret.join("")).toMatch(/^[\w-]{43,}$/);
  });

  it("SECURITY 8: the refresh token is stored only as a keyed hash", async () => {
    testApp = await createTestApp();
    const tokens = await signInForTokens(testApp, "app@example.com");
    const row = await testApp.database.db.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const part of tokens.refresh_token.split(".").slice(1)) expect(stored).not.toContain(part);
  });
});

describe("caching of auth responses", () => {
  let testApp: TestApp;
  afterEach(async () => testApp.close());

  it("SECURITY 21: /session, /protected and /sessions send Cache-Control: no-store", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    for (const url of ["/api/auth/session", "/api/auth/protected", "/api/auth/sessions"]) {
      const response = await browser.get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
    }
  });

  it("SECURITY 21: verify-otp and refresh send Cache-Control: no-store", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    const verify = await signIn(testApp, browser, "alice@example.com");
    expect(verify.headers["cache-control"]).toBe("no-store");
    const refresh = await browser.post("/api/auth/refresh", {});
    expect(refresh.headers["cache-control"]).toBe("no-store");
  });

  it("SECURITY 21: verify-magic-link and a body refresh send Cache-Control: no-store", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    const { mail } = await startSignIn(testApp, browser, "bob@example.com");
    const token = new URL(mail.link!).searchParams.get("link_token");
    const verify = await browser.post("/api/auth/verify-magic-link", {
      link_token: token,
      token_delivery: "body",
    });
    expect(verify.statusCode).toBe(200);
    expect(verify.headers["cache-control"]).toBe("no-store");
    const refresh = await postWith(testApp, "/api/auth/refresh", {
      refresh_token: verify.json().refresh_token,
    });
    expect(refresh.headers["cache-control"]).toBe("no-store");
    const session = await getWith(testApp, "/api/auth/session", bearer(refresh.json().access_token));
    expect(session.headers["cache-control"]).toBe("no-store");
  });

  it("SECURITY 21: refused auth answers are not cached either", async () => {
    testApp = await createTestApp();
    const response = await getWith(testApp, "/api/auth/protected");
    expect(response.statusCode).toBe(401);
    expect(response.headers["cache-control"]).toBe("no-store");
  });
});

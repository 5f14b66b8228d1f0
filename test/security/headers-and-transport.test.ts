import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import {
  builtWebRoot,
  createBrowser,
  createTestApp,
  linkTokenOf,
  PUBLIC_URL,
  startSignIn,
  TEST_SECRET_KEY,
  type TestApp,
} from "../support/harness.js";

/** CORS, transport and security headers (SECURITY.md 13, 29-31). */

const PRODUCTION_ENV = {
  NODE_ENV: "production",
  MAIL_FROM: "Acme <no-reply@acme.example>",
  PUBLIC_URL: "https://auth.example.com",
  SMTP_URL: "smtp://mail.example.com:587",
};

const API_SAMPLES = [
  ["GET", "/api/auth/session"],
  ["GET", "/api/auth/protected"],
  ["POST", "/api/auth/send-passwordless"],
  ["POST", "/api/auth/verify-otp"],
  ["GET", "/api/auth/no-such-route"],
  ["GET", "/api/auth/sessions"],
  ["GET", "/api/auth/audit"],
  ["PUT", "/api/auth/session"],
] as const;

function injectSample(testApp: TestApp, method: "GET" | "POST" | "PUT", url: string) {
  return testApp.app.inject({
    method,
    url,
    headers: method === "POST" ? { "content-type": "application/json", origin: PUBLIC_URL } : {},
    ...(method === "POST" ? { payload: JSON.stringify({ email: "alice@example.com" }) } : {}),
  });
}

describe("headers and transport", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  describe("SECURITY 31: security headers on every API response", () => {
    it.each(API_SAMPLES)(
      "SECURITY 31: %s %s sends nosniff, a locked CSP, no-store and a charset",
      async (method, url) => {
        testApp = await createTestApp();
        const response = await injectSample(testApp, method, url);
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        const policy = String(response.headers["content-security-policy"]);
        expect(policy).toContain("frame-ancestors 'none'");
        expect(policy).toContain("object-src 'none'");
        expect(policy).toContain("base-uri 'none'");
        expect(policy).toContain("default-src 'none'");
        expect(response.headers["referrer-policy"]).toBe("no-referrer");
        expect(response.headers["cache-control"]).toBe("no-store");
        expect(response.headers["content-type"]).toMatch(/^application\/json; charset=utf-8$/);
        expect(response.headers["x-powered-by"]).toBeUndefined();
        expect(response.headers.server).toBeUndefined();
      },
    );

    it.each([
      ["DELETE", "/api/auth/send-passwordless", "POST"],
      ["PUT", "/api/auth/verify-otp", "POST"],
      ["PATCH", "/api/auth/session", "GET, HEAD"],
      ["POST", "/api/auth/session", "GET, HEAD"],
    ] as const)("SECURITY 31: %s %s answers 405 with Allow: %s", async (method, url, allow) => {
      testApp = await createTestApp();
      const response = await testApp.app.inject({ method, url, headers: { origin: PUBLIC_URL } });
      expect(response.statusCode).toBe(405);
      expect(response.json().code).toBe("method_not_allowed");
      expect(String(response.headers.allow).split(", ").sort()).toEqual(allow.split(", ").sort());
    });

    it("SECURITY 31: TRACE is refused and echoes nothing back", async () => {
      testApp = await createTestApp();
      for (const url of ["/api/auth/session", "/", "/api/auth/send-passwordless"]) {
        const response = await testApp.app.inject({
          method: "TRACE",
          url,
          headers: { cookie: "access_token=secret-cookie-value", "x-probe": "echo-me" },
        });
        expect([404, 405]).toContain(response.statusCode);
        expect(response.body).not.toContain("secret-cookie-value");
        expect(response.body).not.toContain("echo-me");
      }
    });

    it("SECURITY 31: no version banner anywhere: no Server, no X-Powered-By", async () => {
      testApp = await createTestApp();
      for (const url of ["/", "/healthz", "/openapi.json", "/docs", "/verify-magic-link"]) {
        const response = await testApp.app.inject({ method: "GET", url });
        expect(response.headers.server).toBeUndefined();
        expect(response.headers["x-powered-by"]).toBeUndefined();
      }
    });
  });

  describe("SECURITY 13, 31: the link landing page", () => {
    it("SECURITY 13: the link page sends no Referer, is never cached and loads nothing third-party", async () => {
      testApp = await createTestApp({ webRoot: builtWebRoot() });
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "alice@example.com");
      const link = new URL(mail.link!);
      const response = await testApp.app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.body).not.toContain(linkTokenOf(mail));
      for (const source of response.body.match(/(?:src|href)="([^"]+)"/g) ?? []) {
        expect(source).toMatch(/="\/(?!\/)/);
      }
    });

    it("SECURITY 31: pages get a CSP with object-src, base-uri, frame-ancestors and no inline script", async () => {
      testApp = await createTestApp({ webRoot: builtWebRoot() });
      const response = await testApp.app.inject({ method: "GET", url: "/verify-magic-link" });
      const policy = String(response.headers["content-security-policy"]);
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("base-uri 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      const scriptSource = /script-src ([^;]+)/.exec(policy)?.[1] ?? "";
      expect(scriptSource).not.toContain("unsafe-inline");
      expect(scriptSource).not.toContain("unsafe-eval");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
    });
  });

  describe("SECURITY 13: secrets appear only in the email", () => {
    it("SECURITY 13: neither send nor verify answers carry the code or the link token", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const send = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" });
      const mail = await testApp.mailbox.waitFor("alice@example.com");
      const verify = await browser.post("/api/auth/verify-otp", {
        code: mail.code,
        auth_request_id: send.json().auth_request_id,
      });
      for (const response of [send, verify]) {
        const everything = `${response.body} ${JSON.stringify(response.headers)}`;
        expect(everything).not.toContain(linkTokenOf(mail));
        expect(response.body).not.toContain(mail.code);
      }
    });

    it("SECURITY 13: the development mailbox is absent in production", async () => {
      testApp = await createTestApp({ env: PRODUCTION_ENV });
      const response = await testApp.app.inject({ method: "GET", url: "/dev/mailbox" });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("not_found");
    });
  });

  describe("SECURITY 30: https only in production", () => {
    it("SECURITY 30: production responses carry HSTS for a year with subdomains", async () => {
      testApp = await createTestApp({ env: PRODUCTION_ENV });
      for (const url of ["/api/auth/session", "/healthz", "/api/auth/no-such-route"]) {
        const response = await testApp.app.inject({ method: "GET", url });
        const hsts = String(response.headers["strict-transport-security"]);
        expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
        expect(hsts).toContain("includeSubDomains");
      }
    });

    it("SECURITY 30: development over http sends no HSTS", async () => {
      testApp = await createTestApp();
      const response = await testApp.app.inject({ method: "GET", url: "/api/auth/session" });
      expect(response.headers["strict-transport-security"]).toBeUndefined();
    });

    it("SECURITY 30: an http PUBLIC_URL in production is a startup error", () => {
      expect(() =>
        loadConfig({ ...PRODUCTION_ENV, SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL: "http://auth.example.com" }),
      ).toThrow(/PUBLIC_URL: must use https/);
    });

    it("SECURITY 30: behind a trusted proxy, a plain-http API call is refused, not redirected", async () => {
      testApp = await createTestApp({ env: { ...PRODUCTION_ENV, TRUST_PROXY: "1" } });
      const plain = await testApp.app.inject({
        method: "GET",
        url: "/api/auth/session",
        headers: { "x-forwarded-proto": "http" },
      });
      expect(plain.statusCode).toBe(403);
      expect(plain.json().code).toBe("https_required");
      expect(plain.headers.location).toBeUndefined();
      const secure = await testApp.app.inject({
        method: "GET",
        url: "/api/auth/session",
        headers: { "x-forwarded-proto": "https" },
      });
      expect(secure.statusCode).toBe(200);
      const probe = await testApp.app.inject({
        method: "GET",
        url: "/healthz",
        headers: { "x-forwarded-proto": "http" },
      });
      expect(probe.statusCode).toBe(200);
    });
  });

  describe("SECURITY 29: CORS allows only listed origins", () => {
    const corsEnv = { CORS_ORIGINS: "http://localhost:5173" };

    it("SECURITY 29: a listed origin is echoed exactly, with credentials and Vary: Origin", async () => {
      testApp = await createTestApp({ env: corsEnv });
      const response = await testApp.app.inject({
        method: "GET",
        url: "/api/auth/session",
        headers: { origin: "http://localhost:5173" },
      });
      expect(response.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
      expect(response.headers["access-control-allow-credentials"]).toBe("true");
      expect(String(response.headers.vary)).toMatch(/Origin/);
    });

    it.each([
      "https://evil.example",
      "http://localhost:5173.evil.example",
      "http://localhost:5174",
      "null",
      "HTTP://LOCALHOST:5173",
    ])("SECURITY 29: origin %s gets no CORS grant and is never reflected", async (origin) => {
      testApp = await createTestApp({ env: corsEnv });
      for (const method of ["GET", "OPTIONS"] as const) {
        const response = await testApp.app.inject({
          method,
          url: "/api/auth/session",
          headers: { origin, "access-control-request-method": "GET" },
        });
        expect(response.headers["access-control-allow-origin"]).toBeUndefined();
        expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
        expect(response.headers["access-control-allow-methods"]).toBeUndefined();
        expect(String(response.headers.vary)).toMatch(/Origin/);
      }
    });

    it("SECURITY 29: a preflight allows only the methods and headers in use, never *", async () => {
      testApp = await createTestApp({ env: corsEnv });
      const response = await testApp.app.inject({
        method: "OPTIONS",
        url: "/api/auth/send-passwordless",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(response.statusCode).toBe(204);
      const methods = String(response.headers["access-control-allow-methods"]).split(/,\s*/).sort();
      expect(methods).toEqual(["DELETE", "GET", "POST"]);
      const headers = String(response.headers["access-control-allow-headers"]).split(/,\s*/).sort();
      expect(headers).toEqual(["authorization", "content-type"]);
      for (const value of Object.values(response.headers)) expect(value).not.toBe("*");
    });
  });
});

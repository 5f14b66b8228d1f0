import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { parseAllowedRedirect } from "../../src/passwordless/redirect.js";
import {
  createBrowser,
  createTestApp,
  linkTokenOf,
  startSignIn,
  TEST_SECRET_KEY,
  type TestApp,
} from "../support/harness.js";
import { rowCount } from "./support.js";

/** Host-header poisoning and open redirects through the magic link (SECURITY.md 11, 12). */

const SEND = "/api/auth/send-passwordless";

const HOSTILE_REDIRECTS: [string, string][] = [
  ["userinfo", "http://user:pass@localhost:8000/verify-magic-link"],
  ["userinfo hiding the real host", "http://localhost:8000@evil.example/verify-magic-link"],
  ["userinfo with the allowed host", "http://evil.example@localhost:8000/verify-magic-link"],
  ["backslash authority", "http://localhost:8000\\@evil.example/verify-magic-link"],
  ["backslashes as slashes", "http:\\\\evil.example\\verify-magic-link"],
  ["NUL", "http://localhost:8000/verify\u0000-magic-link"],
  ["CR LF", "http://localhost:8000/verify\r\nLocation: https://evil.example"],
  ["tab", "http://local\thost:8000/verify-magic-link"],
  ["line separator", "http://localhost:8000/verify\u2028"],
  ["javascript:", "javascript:alert(document.cookie)"],
  ["javascript: with a host", "javascript://localhost:8000/%0aalert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["file:", "file:///etc/passwd"],
  ["protocol-relative", "//evil.example/verify-magic-link"],
  ["relative", "/verify-magic-link"],
  ["look-alike subdomain", "http://localhost:8000.evil.example/verify-magic-link"],
  ["look-alike prefix", "http://localhost.evil.example:8000/verify-magic-link"],
  ["other port", "http://localhost:8001/verify-magic-link"],
  ["default port", "http://localhost/verify-magic-link"],
  ["other scheme on the same host", "https://localhost:8000/verify-magic-link"],
  ["loopback address instead of the name", "http://127.0.0.1:8000/verify-magic-link"],
  ["hex loopback", "http://0x7f.0.0.1:8000/verify-magic-link"],
  ["IDN look-alike (Cyrillic o)", "http://l\u043ecalhost:8000/verify-magic-link"],
  ["punycode look-alike", "http://xn--lcalhost-9of.com:8000/verify-magic-link"],
  ["fragment", "http://localhost:8000/verify-magic-link#@evil.example"],
  ["unparseable", "http://[::1:8000/verify-magic-link"],
];

describe("redirects", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  describe("SECURITY 12: magiclink_auth_uri must match the allow-list exactly", () => {
    it.each(HOSTILE_REDIRECTS)(
      "SECURITY 12: %s is refused with 400 and no mail is sent",
      async (_kind, uri) => {
        testApp = await createTestApp();
        const response = await createBrowser(testApp).post(SEND, {
          email: "alice@example.com",
          magiclink_auth_uri: uri,
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe("invalid_redirect_uri");
        expect(await rowCount(testApp, "auth_requests")).toBe(0);
        expect(await rowCount(testApp, "mail_outbox")).toBe(0);
        expect(testApp.mailbox.messages()).toEqual([]);
      },
    );

    it("SECURITY 12: an over-long redirect is refused with no mail", async () => {
      testApp = await createTestApp();
      const response = await createBrowser(testApp).post(SEND, {
        email: "alice@example.com",
        magiclink_auth_uri: `http://localhost:8000/${"a".repeat(2100)}`,
      });
      expect([400, 422]).toContain(response.statusCode);
      expect(await rowCount(testApp, "mail_outbox")).toBe(0);
    });

    it("SECURITY 12: an allowed redirect is used, normalized, with exactly one real link_token", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const { mail } = await startSignIn(testApp, browser, "alice@example.com", {
        magiclink_auth_uri: "HTTP://LOCALHOST:8000/verify-magic-link?from=mail&link_token=planted",
      });
      const link = new URL(mail.link!);
      expect(link.origin).toBe("http://localhost:8000");
      expect(link.pathname).toBe("/verify-magic-link");
      expect(link.searchParams.get("from")).toBe("mail");
      expect(link.searchParams.getAll("link_token")).toEqual([linkTokenOf(mail)]);
      expect(linkTokenOf(mail)).not.toBe("planted");
    });

    it("SECURITY 12: ALLOWED_REDIRECT_ORIGINS replaces the default list exactly", async () => {
      testApp = await createTestApp({ env: { ALLOWED_REDIRECT_ORIGINS: "http://localhost:5173" } });
      const allowed = await createBrowser(testApp).post(SEND, {
        email: "alice@example.com",
        magiclink_auth_uri: "http://localhost:5173/verify-magic-link",
      });
      expect(allowed.statusCode).toBe(200);
      const publicUrl = await createBrowser(testApp).post(SEND, {
        email: "bob@example.com",
        magiclink_auth_uri: "http://localhost:8000/verify-magic-link",
      });
      expect(publicUrl.json().code).toBe("invalid_redirect_uri");
    });

    describe("SECURITY 12: ALLOWED_REDIRECT_URIS path prefixes", () => {
      const prefixOptions = {
        allowedOrigins: [] as string[],
        allowedPrefixes: [new URL("https://app.example.com/auth/")],
        isProduction: true,
      };
      const check = (uri: string) => () => parseAllowedRedirect(uri, prefixOptions);

      it.each([
        ["the prefix itself", "https://app.example.com/auth/"],
        ["a page under it", "https://app.example.com/auth/verify?tenant=acme"],
        ["a default port spelled out", "https://app.example.com:443/auth/verify"],
        ["an upper-case host", "https://APP.example.com/auth/verify"],
      ])("SECURITY 12: accepts %s", (_kind, uri) => {
        expect(check(uri)()).toBeInstanceOf(URL);
      });

      it.each([
        ["another path on the origin", "https://app.example.com/admin"],
        ["a sibling sharing the prefix's letters", "https://app.example.com/authority/x"],
        ["a dot-dot escape", "https://app.example.com/auth/../admin"],
        ["an encoded dot-dot escape", "https://app.example.com/auth/%2e%2e/admin"],
        ["an encoded slash", "https://app.example.com/auth%2F..%2Fadmin"],
        ["encoded slashes under the prefix", "https://app.example.com/auth/%2F..%2F..%2Fadmin"],
        ["an encoded backslash under the prefix", "https://app.example.com/auth/..%5C..%5Cadmin"],
        ["another host", "https://app.example.com.evil.example/auth/"],
        ["another port", "https://app.example.com:8443/auth/"],
        ["http", "http://app.example.com/auth/"],
      ])("SECURITY 12: refuses %s", (_kind, uri) => {
        expect(check(uri)).toThrow();
      });

      it("SECURITY 12: a send under a configured prefix mails a link there", async () => {
        testApp = await createTestApp({ env: { ALLOWED_REDIRECT_URIS: "http://localhost:3000/auth/" } });
        const { mail } = await startSignIn(testApp, createBrowser(testApp), "alice@example.com", {
          magiclink_auth_uri: "http://localhost:3000/auth/verify",
        });
        expect(mail.link?.startsWith("http://localhost:3000/auth/verify?link_token=")).toBe(true);
        const outside = await createBrowser(testApp).post(SEND, {
          email: "bob@example.com",
          magiclink_auth_uri: "http://localhost:3000/other",
        });
        expect(outside.json().code).toBe("invalid_redirect_uri");
      });
    });

    it("SECURITY 12: plain http is allowed only for localhost, and never in production", () => {
      const allowedOrigins = ["http://app.example.com", "http://localhost:3000", "https://app.example.com"];
      const refuse = (uri: string, isProduction: boolean) => () =>
        parseAllowedRedirect(uri, { allowedOrigins, isProduction });
      expect(refuse("http://app.example.com/verify", false)).toThrow();
      expect(refuse("http://localhost:3000/verify", true)).toThrow();
      expect(refuse("https://app.example.com/verify", true)()).toBeInstanceOf(URL);
      expect(refuse("http://localhost:3000/verify", false)()).toBeInstanceOf(URL);
    });

    it("SECURITY 12: in production an https allow-list refuses downgrades and other ports", async () => {
      testApp = await createTestApp({
        env: {
          NODE_ENV: "production",
          MAIL_FROM: "Acme <no-reply@acme.example>",
          PUBLIC_URL: "https://auth.example.com",
          SMTP_URL: "smtp://mail.example.com:587",
          ALLOWED_REDIRECT_ORIGINS: "https://app.example.com",
        },
      });
      const origin = { origin: "https://auth.example.com" };
      const post = (email: string, uri: string) =>
        createBrowser(testApp, origin).post(SEND, { email, magiclink_auth_uri: uri });
      expect((await post("a@example.com", "http://app.example.com/verify")).json().code).toBe(
        "invalid_redirect_uri",
      );
      expect((await post("b@example.com", "https://app.example.com:8443/verify")).json().code).toBe(
        "invalid_redirect_uri",
      );
      expect((await post("c@example.com", "https://app.example.com.evil.example/verify")).json().code).toBe(
        "invalid_redirect_uri",
      );
      const allowed = await post("d@example.com", "https://app.example.com/verify");
      expect(allowed.statusCode).toBe(200);
      const mail = await testApp.mailbox.waitFor("d@example.com");
      expect(mail.link).toMatch(/^https:\/\/app\.example\.com\/verify\?link_token=[A-Za-z0-9_-]{43}$/);
    });
  });

  describe("SECURITY 11: links come from PUBLIC_URL, never from request headers", () => {
    it.each([
      ["Host", { host: "evil.example" }],
      ["X-Forwarded-Host", { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }],
      ["Forwarded", { forwarded: "host=evil.example;proto=https" }],
    ])("SECURITY 11: a poisoned %s header does not change the link", async (_kind, headers) => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const response = await browser.post(SEND, { email: "alice@example.com" }, headers);
      expect(response.statusCode).toBe(200);
      const mail = await testApp.mailbox.waitFor("alice@example.com");
      expect(new URL(mail.link!).origin).toBe("http://localhost:8000");
      expect(mail.text).not.toContain("evil.example");
      expect(mail.html).not.toContain("evil.example");
    });

    it("SECURITY 11: behind a trusted proxy a forwarded host still does not change the link", async () => {
      testApp = await createTestApp({ env: { TRUST_PROXY: "1" } });
      const response = await createBrowser(testApp).post(
        SEND,
        { email: "alice@example.com" },
        {
          "x-forwarded-host": "evil.example",
          "x-forwarded-proto": "https",
          "x-forwarded-for": "198.51.100.1",
        },
      );
      expect(response.statusCode).toBe(200);
      const mail = await testApp.mailbox.waitFor("alice@example.com");
      expect(new URL(mail.link!).origin).toBe("http://localhost:8000");
    });

    it("SECURITY 11: production refuses an http PUBLIC_URL at startup", () => {
      expect(() =>
        loadConfig({
          NODE_ENV: "production",
          MAIL_FROM: "Acme <no-reply@acme.example>",
          SECRET_KEY: TEST_SECRET_KEY,
          SMTP_URL: "smtp://mail.example.com:587",
          PUBLIC_URL: "http://auth.example.com",
        }),
      ).toThrow(/PUBLIC_URL/);
    });
  });
});

import { describe, expect, it } from "vitest";
import { loadConfig, parseDatabaseUrl } from "../../src/config.js";
import { parseSender } from "../../src/mail/addresses.js";
import { problemsFor } from "../support/config.js";

const SECRET = "a-development-secret-that-is-long-enough";

describe("configuration", () => {
  it("starts with no variables at all in development, on SQLite and the dev mailbox", () => {
    const config = loadConfig({});
    expect(config.database).toMatchObject({ dialect: "sqlite", location: "./data/latchkey.db" });
    expect(config.mail.useDevMailbox).toBe(true);
    expect(config.server.port).toBe(8000);
    expect(config.server.publicUrl.origin).toBe("http://localhost:8000");
    expect(config.passwordless).toMatchObject({
      type: "LINK_OTP",
      otpLength: 6,
      challengeTtlSeconds: 300,
      maxAttempts: 5,
    });
    expect(config.tokens.accessTokenTtlSeconds).toBe(900);
  });

  it("names every bad variable at once, one line each", () => {
    const problems = problemsFor({
      PORT: "eighty",
      OTP_LENGTH: "4",
      CHALLENGE_TTL: "3600",
      PASSWORDLESS_TYPE: "SMS",
    });
    expect(problems).toHaveLength(4);
    for (const name of ["PORT", "OTP_LENGTH", "CHALLENGE_TTL", "PASSWORDLESS_TYPE"]) {
      expect(problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    }
  });

  it("names a bad value and every missing production variable in the same run", () => {
    const problems = problemsFor({ NODE_ENV: "production", PORT: "eighty" });
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(":"))).sort()).toEqual([
      "MAIL_FROM",
      "PORT",
      "PUBLIC_URL",
      "SECRET_KEY",
      "SMTP_URL",
    ]);
  });

  it("names cross-field problems beside bad values", () => {
    const problems = problemsFor({
      OTP_LENGTH: "nine",
      SESSION_IDLE_TIMEOUT: "864000",
      SESSION_ABSOLUTE_LIFETIME: "86400",
      CORS_ORIGINS: "ftp://files.example",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OTP_LENGTH:/),
      expect.stringMatching(/^CORS_ORIGINS:/),
      expect.stringMatching(/^SESSION_IDLE_TIMEOUT: must not exceed/),
    ]);
  });

  it("reports a bad variable once, not again as missing", () => {
    const problems = problemsFor({
      NODE_ENV: "production",
      MAIL_FROM: "Acme <no-reply@acme.example>",
      SECRET_KEY: SECRET,
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "ftp://auth.example.com",
    });
    expect(problems).toEqual([expect.stringMatching(/^PUBLIC_URL:/)]);
  });

  it("refuses a localhost sender in production, and names the missing MAIL_FROM", () => {
    const production = {
      NODE_ENV: "production",
      SECRET_KEY: SECRET,
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "https://auth.example.com",
    };
    expect(problemsFor(production)).toEqual([expect.stringMatching(/^MAIL_FROM: required in production/)]);
    expect(problemsFor({ ...production, MAIL_FROM: "Acme <no-reply@localhost>" })).toEqual([
      expect.stringMatching(/^MAIL_FROM: a localhost sender is refused/),
    ]);
    expect(problemsFor({ ...production, MAIL_FROM: "Acme <no-reply@acme.example>" })).toEqual([]);
  });

  it("refuses a MAIL_FROM that is not one address, in every environment", () => {
    for (const from of [
      "ops@acme.example, boss@acme.example",
      "Acme",
      "Team: a@acme.example;",
      "Acme <a@acme.example>\r\nBcc: x@evil.example",
    ]) {
      expect(problemsFor({ MAIL_FROM: from })).toEqual([
        expect.stringMatching(/^MAIL_FROM: must be one address/),
      ]);
    }
    expect(problemsFor({ MAIL_FROM: '"Acme, Inc." <no-reply@acme.example>' })).toEqual([]);
  });

  it("refuses an APP_NAME with a line break, which would reach the development sender's header", () => {
    expect(problemsFor({ APP_NAME: "Acme\r\nBcc: x@evil.example" })).toEqual([
      expect.stringMatching(/^APP_NAME: must not contain control characters/),
    ]);
  });

  it("gives a product name with a comma or quote a development sender that is still one address", () => {
    const config = loadConfig({ APP_NAME: 'Acme, "Inc."' });
    expect(config.mail.from).toBe('"Acme, \\"Inc.\\"" <no-reply@localhost>');
    expect(parseSender(config.mail.from)).toEqual({ name: 'Acme, "Inc."', address: "no-reply@localhost" });
  });

  it("names mail and passkeys after APP_NAME unless told otherwise", () => {
    const config = loadConfig({ APP_NAME: "Acme" });
    expect(config.branding.appName).toBe("Acme");
    expect(config.mail.from).toBe("Acme <no-reply@localhost>");
    expect(config.webauthn.rpName).toBe("Acme");
  });

  it("refuses a logo address whose host could break out of the pages' security policy", () => {
    for (const logo of ["https://cdn.example;sandbox/logo.png", "https://cdn.example%3Bsandbox/logo.png"]) {
      expect(problemsFor({ APP_LOGO_URL: logo })).toEqual([expect.stringMatching(/^APP_LOGO_URL:/)]);
    }
    expect(problemsFor({ APP_LOGO_URL: "https://cdn.acme.example:8443/logo.svg" })).toEqual([]);
  });

  it("refuses an accent colour that is not #rrggbb and a logo that is not an http(s) address", () => {
    const problems = problemsFor({
      APP_ACCENT_COLOR: "red;background:url(x)",
      APP_LOGO_URL: "javascript:alert(1)",
    });
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(":"))).sort()).toEqual([
      "APP_ACCENT_COLOR",
      "APP_LOGO_URL",
    ]);
  });

  it("refuses to start in production without SECRET_KEY, SMTP_URL and an https PUBLIC_URL", () => {
    const problems = problemsFor({ NODE_ENV: "production", PUBLIC_URL: "http://auth.example.com" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SECRET_KEY:/),
        expect.stringMatching(/^SMTP_URL:/),
        expect.stringMatching(/^PUBLIC_URL: must use https/),
      ]),
    );
  });

  it("refuses a short or placeholder JWT_SECRET in production", () => {
    const base = {
      NODE_ENV: "production",
      MAIL_FROM: "Acme <no-reply@acme.example>",
      SECRET_KEY: SECRET,
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "https://a.example",
    };
    expect(problemsFor({ ...base, JWT_SECRET: "short" })).toEqual([expect.stringMatching(/^JWT_SECRET:/)]);
    expect(problemsFor({ ...base, JWT_SECRET: "x".repeat(40) })).toEqual([]);
  });

  it("refuses a SECRET_KEY shorter than 32 bytes", () => {
    expect(problemsFor({ SECRET_KEY: "too-short" })).toEqual([
      expect.stringMatching(/^SECRET_KEY: must be at least 32 bytes/),
    ]);
  });

  it("uses __Host- and __Secure- cookies and HSTS-ready settings in production", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      MAIL_FROM: "Acme <no-reply@acme.example>",
      SECRET_KEY: SECRET,
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "https://auth.example.com",
    });
    expect(config.sessions.secureCookies).toBe(true);
    expect(config.sessions.cookieNames.access).toBe("__Host-access_token");
    expect(config.mail.useDevMailbox).toBe(false);
  });

  it("accepts the seed's sqlite:/// form and PostgreSQL URLs", () => {
    expect(parseDatabaseUrl("sqlite:///./app.db")).toMatchObject({ dialect: "sqlite", location: "./app.db" });
    expect(parseDatabaseUrl("sqlite:./data/x.db")).toMatchObject({
      dialect: "sqlite",
      location: "./data/x.db",
    });
    expect(parseDatabaseUrl("postgres://u@h:5432/db")).toMatchObject({ dialect: "postgres" });
    expect(problemsFor({ DATABASE_URL: "mysql://x" })).toEqual([expect.stringMatching(/^DATABASE_URL:/)]);
  });

  it("defaults the redirect allow-list to PUBLIC_URL's origin and CORS_ORIGINS", () => {
    const config = loadConfig({
      PUBLIC_URL: "http://localhost:8000",
      CORS_ORIGINS: "http://localhost:3000/, https://app.example",
    });
    expect(config.passwordless.allowedRedirectOrigins).toEqual([
      "http://localhost:8000",
      "http://localhost:3000",
      "https://app.example",
    ]);
  });

  it("refuses an origin list entry that is not an http(s) origin", () => {
    expect(problemsFor({ CORS_ORIGINS: "javascript:alert(1)" })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS:/),
    ]);
  });

  it("is frozen", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.passwordless)).toBe(true);
  });
});

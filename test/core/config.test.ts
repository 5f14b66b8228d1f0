import { describe, expect, it } from "vitest";
import { loadConfig, parseDatabaseUrl } from "../../src/config.js";
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

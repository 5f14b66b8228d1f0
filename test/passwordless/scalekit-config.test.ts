import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { problemsFor } from "../support/config.js";

const SCALEKIT = {
  PASSWORDLESS_PROVIDER: "scalekit",
  SCALEKIT_ENVIRONMENT_URL: "https://acme.scalekit.example",
  SCALEKIT_CLIENT_ID: "skc_0123456789",
  SCALEKIT_CLIENT_SECRET: "test_0123456789abcdef",
};

describe("configuring the Scalekit provider", () => {
  it("refuses to start without the three Scalekit variables, naming each", () => {
    expect(problemsFor({ PASSWORDLESS_PROVIDER: "scalekit" })).toEqual([
      "SCALEKIT_ENVIRONMENT_URL: required when PASSWORDLESS_PROVIDER=scalekit",
      "SCALEKIT_CLIENT_ID: required when PASSWORDLESS_PROVIDER=scalekit",
      "SCALEKIT_CLIENT_SECRET: required when PASSWORDLESS_PROVIDER=scalekit",
    ]);
  });

  it("refuses to start with only some of them", () => {
    expect(problemsFor({ ...SCALEKIT, SCALEKIT_CLIENT_SECRET: "" })).toEqual([
      "SCALEKIT_CLIENT_SECRET: required when PASSWORDLESS_PROVIDER=scalekit",
    ]);
  });

  it.each(["ftp://acme.scalekit.example", "acme.scalekit.example", "javascript:alert(1)"])(
    "refuses an environment URL that is not http(s): %s",
    (url) => {
      expect(problemsFor({ ...SCALEKIT, SCALEKIT_ENVIRONMENT_URL: url })).toEqual([
        "SCALEKIT_ENVIRONMENT_URL: must be an http(s) URL",
      ]);
    },
  );

  it("refuses a cleartext environment URL in production", () => {
    const problems = problemsFor({
      ...SCALEKIT,
      SCALEKIT_ENVIRONMENT_URL: "http://acme.scalekit.example",
      NODE_ENV: "production",
      MAIL_FROM: "Acme <no-reply@acme.example>",
      SECRET_KEY: "a-production-secret-that-is-long-enough",
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "https://auth.example.com",
    });

    expect(problems).toEqual(["SCALEKIT_ENVIRONMENT_URL: must use https in production"]);
  });

  it("refuses a code length other than Scalekit's 6 digits", () => {
    expect(problemsFor({ ...SCALEKIT, OTP_LENGTH: "8" })).toEqual([
      "OTP_LENGTH: must be 6 with PASSWORDLESS_PROVIDER=scalekit",
    ]);
  });

  it("groups the variables with the per-call timeout, default 5 s", () => {
    const config = loadConfig({ ...SCALEKIT, SCALEKIT_ENVIRONMENT_URL: "http://127.0.0.1:9000" });

    expect(config.passwordless.provider).toBe("scalekit");
    expect(config.scalekit).toEqual({
      environmentUrl: "http://127.0.0.1:9000",
      clientId: SCALEKIT.SCALEKIT_CLIENT_ID,
      clientSecret: SCALEKIT.SCALEKIT_CLIENT_SECRET,
      timeoutMs: 5000,
    });
  });

  it("needs none of them with the built-in provider", () => {
    const config = loadConfig({});

    expect(config.passwordless.provider).toBe("builtin");
    expect(config.scalekit).toBeUndefined();
  });
});

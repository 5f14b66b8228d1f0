import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";

describe("the sign-in settings a UI reads", () => {
  let testApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  async function publicConfig(env: Record<string, string>, headers: Record<string, string> = {}) {
    testApp = await createTestApp({ env });
    const response = await testApp.app.inject({ method: "GET", url: "/api/auth/config", headers });
    expect(response.statusCode).toBe(200);
    return { body: response.json(), headers: response.headers };
  }

  it("carries the operator's name, logo, colour and support address", async () => {
    const { body } = await publicConfig({
      APP_NAME: "Acme",
      APP_LOGO_URL: "https://acme.example/logo.svg",
      APP_ACCENT_COLOR: "#0A7A3B",
      SUPPORT_EMAIL: "help@acme.example",
    });
    expect(body).toMatchObject({
      app_name: "Acme",
      logo_url: "https://acme.example/logo.svg",
      accent_color: "#0a7a3b",
      support_email: "help@acme.example",
    });
  });

  it("says Latchkey and nothing else when no brand is configured", async () => {
    const { body } = await publicConfig({});
    expect(body).toMatchObject({
      app_name: "Latchkey",
      logo_url: null,
      accent_color: null,
      support_email: null,
    });
  });

  it("gives the code's length, lifetime, attempts and resend cooldown from the server's settings", async () => {
    const { body } = await publicConfig({
      OTP_LENGTH: "8",
      CHALLENGE_TTL: "300",
      MAX_ATTEMPTS: "3",
      SEND_COOLDOWN_SECONDS: "45",
      PASSWORDLESS_TYPE: "LINK_OTP",
    });
    expect(body).toMatchObject({
      code_length: 8,
      code_ttl_seconds: 300,
      max_attempts: 3,
      resend_cooldown_seconds: 45,
      passwordless_type: "LINK_OTP",
    });
  });

  it("answers a German browser in German, and says the answer varies by language", async () => {
    const { body, headers } = await publicConfig({}, { "accept-language": "de-DE,de;q=0.9,en;q=0.8" });
    expect(body.locale).toBe("de");
    expect(body.locales).toEqual(["en", "de"]);
    expect(String(headers.vary)).toMatch(/accept-language/i);
  });
});

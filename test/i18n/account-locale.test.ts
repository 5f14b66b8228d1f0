import { afterEach, describe, expect, it } from "vitest";
import { type Browser, createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

const GERMAN = { "accept-language": "de-DE,de;q=0.9,en;q=0.5" };
const ENGLISH = { "accept-language": "en-US,en;q=0.9" };

async function sendCode(browser: Browser, email: string, headers: Record<string, string>) {
  const before = testApp!.mailbox.lastFor(email)?.id ?? 0;
  const response = await browser.post("/api/auth/send-passwordless", { email }, headers);
  expect(response.statusCode).toBe(200);
  const mail = await testApp!.mailbox.waitFor(email, { afterId: before });
  return { authRequestId: response.json().auth_request_id as string, mail };
}

async function signUpIn(browser: Browser, email: string, headers: Record<string, string>) {
  const { authRequestId, mail } = await sendCode(browser, email, headers);
  const response = await browser.post(
    "/api/auth/verify-otp",
    { code: mail.code, auth_request_id: authRequestId },
    headers,
  );
  expect(response.statusCode).toBe(200);
}

async function localeOf(browser: Browser, headers: Record<string, string>) {
  return (await browser.get("/api/auth/config", headers)).json().locale;
}

describe("the account's language", () => {
  it("is the language of the browser that created the account", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signUpIn(browser, "anna@example.com", GERMAN);
    expect(await localeOf(browser, ENGLISH)).toBe("de");
  });

  it("can be changed, and then wins over the browser's", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "ben@example.com");
    expect(await localeOf(browser, ENGLISH)).toBe("en");
    const response = await browser.put("/api/auth/locale", { locale: "de" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ locale: "de" });
    expect(await localeOf(browser, ENGLISH)).toBe("de");
  });

  it("must be one we have catalogues for", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "cleo@example.com");
    const response = await browser.put("/api/auth/locale", { locale: "fr" });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("unsupported_locale");
  });

  it("needs a signed-in account", async () => {
    testApp = await createTestApp();
    const response = await createBrowser(testApp).put("/api/auth/locale", { locale: "de" });
    expect(response.statusCode).toBe(401);
  });

  it("is not anyone else's business: signed out, the browser's language decides", async () => {
    testApp = await createTestApp();
    expect(await localeOf(createBrowser(testApp), GERMAN)).toBe("de");
    expect(await localeOf(createBrowser(testApp), ENGLISH)).toBe("en");
  });
});

describe("the language of the mail", () => {
  it("follows a German browser for an address without an account", async () => {
    testApp = await createTestApp();
    const { mail } = await sendCode(createBrowser(testApp), "dora@example.com", GERMAN);
    expect(mail.subject).toBe(`Latchkey-Anmeldecode ${mail.code}`);
    expect(mail.html).toContain('<html lang="de"');
    expect(mail.headers["Content-Language"]).toBe("de");
  });

  it("is the account's stored language, whatever the asking browser prefers", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signUpIn(browser, "emil@example.com", GERMAN);
    const { mail } = await sendCode(createBrowser(testApp), "emil@example.com", ENGLISH);
    expect(mail.subject).toBe(`Latchkey-Anmeldecode ${mail.code}`);
  });

  it("carries the operator's product name and never Latchkey", async () => {
    testApp = await createTestApp({ env: { APP_NAME: "Acme" } });
    const { mail } = await sendCode(createBrowser(testApp), "fritz@example.com", ENGLISH);
    expect(mail.subject).toBe(`Acme sign-in code ${mail.code}`);
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/latchkey/i);
    expect(mail.headers["Auto-Submitted"]).toBe("auto-generated");
  });

  it("names the browser that asked", async () => {
    testApp = await createTestApp();
    const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const { mail } = await sendCode(createBrowser(testApp), "gina@example.com", {
      ...ENGLISH,
      "user-agent": firefox,
    });
    expect(mail.text).toContain("Browser: Firefox on Windows");
  });
});

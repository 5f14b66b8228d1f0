import { afterEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { setCookie, setCookieLines } from "./helpers.js";

/** The UI's "this browser holds a session" hint: it lets a signed-out page skip /refresh. */
describe("signed-in hint cookie", () => {
  let testApp: TestApp;
  afterEach(async () => testApp.close());

  const hintLine = (lines: string[]) => lines.find((line) => line.startsWith("lk_signed_in="));

  it("a sign-in sets lk_signed_in=1 for every path, readable by the page, living as long as the refresh cookie", async () => {
    testApp = await createTestApp();
    const response = await signIn(testApp, createBrowser(testApp), "alice@example.com");
    const hint = setCookie(response, "lk_signed_in");
    expect(hint?.value).toBe("1");
    expect(hint?.path).toBe("/");
    expect(hint?.httpOnly).toBeFalsy();
    expect(hint?.sameSite).toBe("Lax");
    expect(hint?.maxAge).toBe(setCookie(response, "refresh_token")?.maxAge);
  });

  it("signing out clears the hint with the session cookies", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const response = await browser.post("/api/auth/logout", {});
    expect(response.statusCode).toBe(200);
    expect(hintLine(setCookieLines(response))).toMatch(
      /^lk_signed_in=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
    );
  });

  it("a refused refresh (the session was ended elsewhere) clears the hint", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const other = createBrowser(testApp);
    await signIn(testApp, other, "alice@example.com");
    expect((await other.post("/api/auth/logout-all", {})).statusCode).toBe(200);
    const response = await browser.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(401);
    expect(hintLine(setCookieLines(response))).toMatch(/^lk_signed_in=;/);
  });

  it("a refresh sets the hint again, so it lasts as long as the session", async () => {
    testApp = await createTestApp();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "alice@example.com");
    const response = await browser.post("/api/auth/refresh", {});
    expect(response.statusCode).toBe(200);
    expect(setCookie(response, "lk_signed_in")?.value).toBe("1");
  });
});

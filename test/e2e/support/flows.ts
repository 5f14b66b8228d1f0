import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Visitor } from "./browser.js";
import { type E2e, SEND_COOLDOWN_SECONDS } from "./environment.js";
import { type ReceivedMail, readCode } from "./smtp-sink.js";

/** What the person at the keyboard does and sees, in the words on the screen. */

let counter = 0;

/** A fresh address per use, so per-email limits never carry over between tests. */
export function newEmail(name: string): string {
  counter += 1;
  return `${name}-${counter}-${Date.now().toString(36)}@example.com`;
}

const lastSendAt = new Map<string, number>();

/** The server allows one email per address per cooldown: wait it out like a patient person. */
async function waitForSendCooldown(email: string) {
  const last = lastSendAt.get(email);
  const wait = last === undefined ? 0 : last + SEND_COOLDOWN_SECONDS * 1000 + 200 - Date.now();
  if (wait > 0) await new Promise((wake) => setTimeout(wake, wait));
}

/** Polls until `read()` gives `expected` (bounded), then asserts it. */
export async function expectSoon<T>(read: () => Promise<T> | T, expected: T, timeoutMs = 10_000) {
  await expect.poll(read, { timeout: timeoutMs, interval: 50 }).toEqual(expected);
}

export const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? "").trim();

/**
 * Opens the sign-in page, asks for a code for `email` and waits for the "Check your email"
 * screen and for the mail to arrive in the SMTP sink.
 */
export async function askForEmail(e2e: E2e, page: Page, email: string): Promise<ReceivedMail> {
  await waitForSendCooldown(email);
  if (new URL(page.url()).pathname !== "/" || !(await page.getByLabel("Email address").isVisible())) {
    await page.goto(`${e2e.baseUrl}/`);
  }
  const index = e2e.sink.mailsTo(email).length;
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in code" }).click();
  lastSendAt.set(email, Date.now());
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  return e2e.sink.waitForMail(email, index);
}

/** Types the code digit by digit; the page submits by itself after the last one. */
export async function typeCode(page: Page, code: string) {
  await page.getByLabel(`${code.length}-digit code`).pressSequentially(code);
}

/** The dashboard with this person's email on it. */
export async function expectDashboard(page: Page, email: string) {
  await page.waitForURL((url) => url.pathname === "/dashboard");
  await page.locator(".account-email").filter({ hasText: email }).waitFor();
  expect(await text(page, ".account-email")).toBe(email);
}

/** The sign-in page's first step, as a signed-out visitor sees it. */
export async function expectSignInPage(page: Page) {
  await page.waitForURL((url) => url.pathname === "/");
  await page.getByLabel("Email address").waitFor();
}

export async function signInWithCode(e2e: E2e, visitor: Visitor, email: string) {
  const mail = await askForEmail(e2e, visitor.page, email);
  await typeCode(visitor.page, readCode(mail));
  await expectDashboard(visitor.page, email);
}

/** The session cookies this browser holds (names only; the values never leave the test). */
export async function sessionCookieNames(visitor: Visitor): Promise<string[]> {
  const cookies = await visitor.context.cookies();
  return cookies
    .map((cookie) => cookie.name)
    .filter((name) => /(^|-)(access_token|refresh_token)$/.test(name))
    .sort();
}

/**
 * Web Storage holds only the UI's non-secret keys (the pending sign-in's request id and
 * address, the remembered address, the language), script sees no cookie but the
 * `lk_signed_in=1` hint, and no cookie value of this browser appears in any of them:
 * tokens live in HttpOnly cookies only.
 */
export async function expectNoStoredSecrets(page: Page) {
  const seen = await page.evaluate(() => ({
    localStorage: Object.fromEntries(Object.entries(localStorage)),
    sessionStorage: Object.fromEntries(Object.entries(sessionStorage)),
    cookie: document.cookie,
  }));
  expect(
    Object.keys(seen.localStorage).filter((key) => !["latchkey.email", "latchkey.locale"].includes(key)),
  ).toEqual([]);
  expect(Object.keys(seen.sessionStorage).filter((key) => key !== "latchkey.pending-sign-in")).toEqual([]);
  expect(["", "lk_signed_in=1"]).toContain(seen.cookie);
  const stored = JSON.stringify(seen);
  for (const cookie of await page.context().cookies()) {
    if (cookie.value.length >= 16) expect(stored).not.toContain(cookie.value);
  }
}

import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium } from "./support/browser.js";
import { useE2e } from "./support/environment.js";
import {
  askForEmail,
  expectDashboard,
  expectSignInPage,
  expectSoon,
  newEmail,
  sessionCookieNames,
  text,
} from "./support/flows.js";
import { readLink } from "./support/smtp-sink.js";

const signInButton = (page: Page) => page.getByRole("button", { name: "Sign in", exact: true });
const signInHere = (page: Page) => page.getByRole("button", { name: "Sign in on this device" });
const approveOther = (page: Page) => page.getByRole("button", { name: "Approve sign-in on my other device" });

/** Every API call a page makes from now on, as "METHOD /path". */
function recordApiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) calls.push(`${request.method()} ${url.pathname}`);
  });
  return calls;
}

describe.skipIf(!hasChromium)("sign-in with the emailed link", () => {
  const e2e = useE2e();

  it("the link page takes the token out of the address bar at once and sends nothing until a click", async () => {
    const asker = await e2e.visitor();
    const email = newEmail("address-bar");
    const link = readLink(await askForEmail(e2e, asker.page, email));
    const token = new URL(link).searchParams.get("link_token");
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const { page } = await e2e.visitor();
    const calls = recordApiCalls(page);
    const leaks: string[] = [];
    page.on("request", (request) => {
      const referer = request.headers().referer ?? "";
      if (request.url() !== link && (request.url().includes(token!) || referer.includes(token!))) {
        leaks.push(request.url());
      }
    });
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("no-store");
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    await signInButton(page).waitFor();
    expect(page.url()).toBe(`${e2e.baseUrl}/verify-magic-link`);
    expect(await page.evaluate(() => window.location.href)).not.toContain(token);
    expect(await page.title()).toBe("Sign-in link · Latchkey");
    await page.waitForTimeout(1000);
    // Only the public settings (name, language, code shape); nothing about the link.
    expect(calls).toEqual(["GET /api/auth/config"]);
    expect(leaks).toEqual([]);
  });

  it("in the browser that asked, one click on Sign in signs in and opens the dashboard", async () => {
    const { page, context } = await e2e.visitor();
    const email = newEmail("same-browser");
    const link = readLink(await askForEmail(e2e, page, email));
    // A mail client opens the link in a new tab of the same browser.
    const tab = await context.newPage();
    const calls = recordApiCalls(tab);
    await tab.goto(link);
    await signInButton(tab).click();
    await expectDashboard(tab, email);
    expect(calls.filter((call) => call.startsWith("POST"))).toEqual(["POST /api/auth/verify-magic-link"]);
    // The first tab, still on "Check your email", notices and follows.
    await expectDashboard(page, email);
  });

  it("in another browser, the link asks first, then Sign in on this device signs in there", async () => {
    const asker = await e2e.visitor();
    const email = newEmail("other-browser");
    const link = readLink(await askForEmail(e2e, asker.page, email));

    const other = await e2e.visitor();
    await other.page.goto(link);
    await signInButton(other.page).click();
    await other.page.getByRole("heading", { name: "Finish signing in" }).waitFor();
    expect(await text(other.page, ".lead strong")).toBe(email);
    expect(await sessionCookieNames(other)).toEqual([]);

    await signInHere(other.page).click();
    await expectDashboard(other.page, email);
    expect(await sessionCookieNames(other)).toEqual(["access_token", "refresh_token"]);
  });

  it("approving on another device signs in the browser waiting on the code screen, and not this one", async () => {
    const waiting = await e2e.visitor();
    const email = newEmail("approve");
    const link = readLink(await askForEmail(e2e, waiting.page, email));

    await waiting.page.locator(".approval-number strong").waitFor({ timeout: 10_000 });
    const number = (await waiting.page.locator(".approval-number strong").textContent())?.trim() ?? "";
    const phone = await e2e.visitor();
    await phone.page.goto(link);
    await signInButton(phone.page).click();
    await approveOther(phone.page).click();
    await phone.page.getByRole("button", { name: number, exact: true }).click();
    await phone.page.getByRole("heading", { name: "Sign-in approved" }).waitFor();
    expect(await text(phone.page, "[role=status]")).toBe(
      `Approved — return to your other device to continue as ${email}. This device stays signed out.`,
    );

    // Nobody touches the first browser: it learns of the approval by itself.
    await expectDashboard(waiting.page, email);
    expect(await sessionCookieNames(phone)).toEqual([]);
    await phone.page.goto(`${e2e.baseUrl}/dashboard`);
    await expectSignInPage(phone.page);
  });

  it("a mail scanner that opens the link and waits 10 s gets no session, and the link still works afterwards", async () => {
    const person = await e2e.visitor();
    const email = newEmail("scanner");
    const link = readLink(await askForEmail(e2e, person.page, email));

    // A scanner that fetches the link without running scripts…
    const fetched = await fetch(link, { redirect: "manual", signal: AbortSignal.timeout(5000) });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("set-cookie")).toBeNull();
    // …and one that runs them in a real browser, and waits.
    const scanner = await e2e.visitor();
    const calls = recordApiCalls(scanner.page);
    await scanner.page.goto(link);
    await signInButton(scanner.page).waitFor();
    await scanner.page.waitForTimeout(10_000);
    // Only the public settings (name, language, code shape); nothing about the link.
    expect(calls).toEqual(["GET /api/auth/config"]);
    expect(await sessionCookieNames(scanner)).toEqual([]);
    expect(await signInButton(scanner.page).isVisible()).toBe(true);

    const tab = await person.context.newPage();
    await tab.goto(link);
    await signInButton(tab).click();
    await expectDashboard(tab, email);
    await expectSoon(() => sessionCookieNames(person), ["access_token", "refresh_token"]);
  });

  it("signs in from the link with the keyboard only: the Sign in button has focus, Enter", async () => {
    const { page, context } = await e2e.visitor();
    const email = newEmail("keyboard-link");
    const link = readLink(await askForEmail(e2e, page, email));
    const tab = await context.newPage();
    await tab.goto(link);
    await signInButton(tab).waitFor();
    await expectSoon(() => tab.evaluate(() => document.activeElement?.textContent), "Sign in");
    await tab.keyboard.press("Enter");
    await expectDashboard(tab, email);
  });
});

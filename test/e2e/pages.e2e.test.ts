import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, userAgents } from "./support/browser.js";
import { SEND_COOLDOWN_SECONDS, useE2e } from "./support/environment.js";
import { expectSignInPage } from "./support/flows.js";
import { repoRoot } from "./support/server.js";
import { type ReceivedMail, readCode, readLink } from "./support/smtp-sink.js";

/**
 * Every page, checked for CSP violations and photographed. The screenshots go to
 * test-results/screenshots/ (an artifact); with LATCHKEY_UPDATE_SCREENSHOTS=1 the set is
 * also copied to docs/screenshots/, which the README shows.
 */
const artifacts = join(repoRoot, "test-results/screenshots");
const committed = join(repoRoot, "docs/screenshots");

const sizes = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 360, height: 740 },
} as const;

/** `name-desktop.png` and `name-mobile.png` (with `-dark` when asked) of what the page shows now. */
async function photograph(page: Page, name: string, options: { dark?: boolean } = {}) {
  await page.emulateMedia({ colorScheme: options.dark ? "dark" : "light" });
  await page.mouse.move(0, 0); // no hover colour where the last click was
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: join(artifacts, `${name}-${size}${options.dark ? "-dark" : ""}.png`),
      fullPage: true,
      animations: "disabled",
    });
  }
  await page.setViewportSize(sizes.desktop);
  await page.emulateMedia({ colorScheme: "light" });
}

describe.skipIf(!hasChromium)("every page", () => {
  const e2e = useE2e({ devMailbox: true });

  it("every page loads under the server's CSP with no violation or script error", async () => {
    const visitor = await e2e.visitor();
    const { page } = visitor;
    const pages = [
      { url: `${e2e.baseUrl}/`, heading: "Sign in" },
      { url: `${e2e.baseUrl}/verify-magic-link`, heading: "Open the link from your email" },
      {
        url: `${e2e.baseUrl}/verify-magic-link?link_token=AAAAAAAAAAAAAAAAAAAAAAAA`,
        heading: "Sign in to your account",
      },
      { url: `${e2e.baseUrl}/dashboard`, heading: "Sign in" },
      { url: `${e2e.devServer.baseUrl}/dev/mailbox`, heading: "Dev mailbox" },
    ];
    for (const { url, heading } of pages) {
      const response = await page.goto(url);
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self';");
      await page.getByRole("heading", { name: heading, exact: true }).waitFor();
    }
    // The signed-in pages and every flow are checked the same way after each test; prove
    // here that a violation would be seen.
    expect(visitor.problems).toEqual([]);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.inlineScriptRan = true";
      document.body.append(script);
    });
    await expect.poll(() => visitor.problems.length, { timeout: 5000 }).toBe(1);
    expect(visitor.problems[0]).toMatch(/Content Security Policy/);
    expect(await page.evaluate(() => "inlineScriptRan" in window)).toBe(false);
    visitor.problems.length = 0;
  });

  it("photographs every page at 1280×800 and 360×740, light and dark, in English and German", async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });

    const mails: Record<string, ReceivedMail> = {};
    for (const locale of ["en", "de"] as const) {
      const suffix = locale === "en" ? "" : "-de";
      const browserLocale = locale === "en" ? "en-US" : "de-DE";
      const email = locale === "en" ? "ada@example.com" : "grete@example.com";

      const laptop = await e2e.visitor({ locale: browserLocale });
      await laptop.page.goto(`${e2e.baseUrl}/`);
      await laptop.page.locator("#email").waitFor();
      await photograph(laptop.page, `sign-in${suffix}`);
      await photograph(laptop.page, `sign-in${suffix}`, { dark: true });
      const index = e2e.sink.mailsTo(email).length;
      await laptop.page.locator("#email").fill(email);
      await laptop.page.locator("form button[type=submit]").click();
      await laptop.page.locator("#code").waitFor();
      const mail = await e2e.sink.waitForMail(email, index);
      mails[locale] = mail;
      await laptop.page.locator("body").click({ position: { x: 5, y: 5 } }); // no focus ring on the code box
      const shownNumber = laptop.page.locator(".approval-number strong");
      await shownNumber.waitFor({ timeout: 10_000 });
      await photograph(laptop.page, `code${suffix}`);
      await photograph(laptop.page, `code${suffix}`, { dark: true });
      const approvalNumber = (await shownNumber.textContent())?.trim() ?? "";

      const phone = await e2e.visitor({ locale: browserLocale, userAgent: userAgents.phone });
      await phone.page.goto(readLink(mail));
      const primary = phone.page.locator("main .button-primary");
      await primary.waitFor();
      if (locale === "en") await photograph(phone.page, "verify-link");
      await primary.click();
      const approveElsewhere = phone.page.locator("main .stack .button-secondary");
      await approveElsewhere.waitFor();
      if (locale === "en") await photograph(phone.page, "verify-link-confirm");
      await approveElsewhere.click();
      await phone.page.locator(".request-facts").waitFor();
      await photograph(phone.page, `verify-link-number${suffix}`);
      await photograph(phone.page, `verify-link-number${suffix}`, { dark: true });
      await phone.page.locator(".number-choices button", { hasText: approvalNumber }).click();
      await phone.page.locator("[role=status]").filter({ hasText: email }).waitFor();
      if (locale === "en") await photograph(phone.page, "verify-link-approved");

      await laptop.page.waitForURL((url) => url.pathname === "/dashboard");
      await laptop.page.locator(".account-email").filter({ hasText: email }).waitFor();
      const tablet = await e2e.visitor({ locale: browserLocale, userAgent: userAgents.phone });
      await tablet.page.goto(`${e2e.baseUrl}/`);
      const second = e2e.sink.mailsTo(email).length;
      await new Promise((wake) => setTimeout(wake, SEND_COOLDOWN_SECONDS * 1000 + 200));
      await tablet.page.locator("#email").fill(email);
      await tablet.page.locator("form button[type=submit]").click();
      await tablet.page
        .locator("#code")
        .pressSequentially(readCode(await e2e.sink.waitForMail(email, second)));
      await tablet.page.waitForURL((url) => url.pathname === "/dashboard");
      await laptop.page.reload();
      await laptop.page.locator("[aria-labelledby=sessions-title] .list-item").nth(1).waitFor();
      await laptop.page.locator("[aria-labelledby=events-title] li").first().waitFor();
      await photograph(laptop.page, `dashboard${suffix}`);
      await photograph(laptop.page, `dashboard${suffix}`, { dark: true });

      // The app's own 404 page, reached inside the app (the server's HTML 404 is tested elsewhere).
      await laptop.page.evaluate(() => {
        window.history.pushState(null, "", "/no-such-page");
        window.dispatchEvent(new PopStateEvent("popstate"));
      });
      await laptop.page.locator("main .button-primary[href='/']").waitFor();
      await photograph(laptop.page, `not-found${suffix}`);
    }

    // The mail as a mail client shows its HTML part, at a desktop and a phone width.
    const reader = await e2e.visitor();
    for (const [locale, mail] of Object.entries(mails)) {
      await reader.page.setContent(mail.html);
      await photograph(reader.page, `mail-${locale}`);
      await photograph(reader.page, `mail-${locale}`, { dark: true });
    }

    // The dev mailbox lives on a server without SMTP_URL.
    const newcomer = await e2e.visitor();
    await newcomer.page.goto(`${e2e.devServer.baseUrl}/`);
    for (const address of ["grace@example.com", "ada@example.com"]) {
      await newcomer.page.getByLabel("Email address").fill(address);
      await newcomer.page.getByRole("button", { name: "Email me a sign-in code" }).click();
      await newcomer.page.getByRole("heading", { name: "Check your email" }).waitFor();
      await newcomer.page.getByRole("button", { name: "Use a different email" }).click();
    }
    await newcomer.page.goto(`${e2e.devServer.baseUrl}/dev/mailbox`);
    await newcomer.page.getByText("2 messages").waitFor();
    await photograph(newcomer.page, "dev-mailbox");
    await newcomer.page.goto(`${e2e.devServer.baseUrl}/dashboard`);
    await expectSignInPage(newcomer.page);

    const taken = readdirSync(artifacts).filter((file) => file.endsWith(".png"));
    expect(taken).toHaveLength(52);
    if (process.env.LATCHKEY_UPDATE_SCREENSHOTS === "1") {
      // Replace this test's own set (`*-desktop*.png`, `*-mobile*.png`); keep docs/screenshots/before/
      // and the mail previews other tests put there.
      mkdirSync(committed, { recursive: true });
      for (const file of readdirSync(committed)) {
        if (/-(desktop|mobile)(-dark)?\.png$/.test(file)) rmSync(join(committed, file));
      }
      for (const file of taken) copyFileSync(join(artifacts, file), join(committed, file));
      console.log(`copied ${taken.length} screenshots to docs/screenshots/`);
    }
  });
});

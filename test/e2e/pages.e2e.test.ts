import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, userAgents } from "./support/browser.js";
import { useE2e } from "./support/environment.js";
import { askForEmail, expectDashboard, expectSignInPage, signInWithCode } from "./support/flows.js";
import { repoRoot } from "./support/server.js";
import { readLink } from "./support/smtp-sink.js";

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

  it("photographs every page at 1280×800 and 360×740, light and dark", async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    const email = "ada@example.com";

    const laptop = await e2e.visitor();
    await laptop.page.goto(`${e2e.baseUrl}/`);
    await laptop.page.getByLabel("Email address").waitFor();
    await photograph(laptop.page, "sign-in");
    await photograph(laptop.page, "sign-in", { dark: true });
    const link = readLink(await askForEmail(e2e, laptop.page, email));
    await laptop.page.locator("body").click({ position: { x: 5, y: 5 } }); // no focus ring on the code box
    await photograph(laptop.page, "code");

    const phone = await e2e.visitor({ userAgent: userAgents.phone });
    await phone.page.goto(link);
    await phone.page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await photograph(phone.page, "verify-link");
    await phone.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await phone.page.getByRole("button", { name: "Approve sign-in on my other device" }).waitFor();
    await photograph(phone.page, "verify-link-confirm");
    await phone.page.getByRole("button", { name: "Approve sign-in on my other device" }).click();
    await phone.page.getByRole("heading", { name: "Sign-in approved" }).waitFor();
    await photograph(phone.page, "verify-link-approved");

    await expectDashboard(laptop.page, email);
    const tablet = await e2e.visitor({ userAgent: userAgents.phone });
    await signInWithCode(e2e, tablet, email);
    await laptop.page.reload();
    await expectDashboard(laptop.page, email);
    await laptop.page.locator("[aria-labelledby=sessions-title] .list-item").nth(1).waitFor();
    await laptop.page.locator("[aria-labelledby=events-title] li").first().waitFor();
    await photograph(laptop.page, "dashboard");
    await photograph(laptop.page, "dashboard", { dark: true });

    // The dev mailbox lives on a server without SMTP_URL.
    const newcomer = await e2e.visitor();
    for (const address of ["grace@example.com", "ada@example.com"]) {
      await newcomer.page.goto(`${e2e.devServer.baseUrl}/`);
      await newcomer.page.getByLabel("Email address").fill(address);
      await newcomer.page.getByRole("button", { name: "Email me a sign-in code" }).click();
      await newcomer.page.getByRole("heading", { name: "Check your email" }).waitFor();
    }
    await newcomer.page.goto(`${e2e.devServer.baseUrl}/dev/mailbox`);
    await newcomer.page.getByText("2 messages").waitFor();
    await photograph(newcomer.page, "dev-mailbox");
    await newcomer.page.goto(`${e2e.devServer.baseUrl}/dashboard`);
    await expectSignInPage(newcomer.page);

    const taken = readdirSync(artifacts).filter((file) => file.endsWith(".png"));
    expect(taken).toHaveLength(18);
    if (process.env.LATCHKEY_UPDATE_SCREENSHOTS === "1") {
      rmSync(committed, { recursive: true, force: true });
      mkdirSync(committed, { recursive: true });
      for (const file of taken) copyFileSync(join(artifacts, file), join(committed, file));
      console.log(`copied ${taken.length} screenshots to docs/screenshots/`);
    }
  });
});

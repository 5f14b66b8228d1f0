import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium } from "./support/browser.js";
import { useE2e } from "./support/environment.js";
import { askForEmail, expectDashboard, newEmail, sessionCookieNames, text } from "./support/flows.js";
import { readLink } from "./support/smtp-sink.js";

/** The number the waiting "Check your email" page shows for cross-device approval. */
async function shownNumber(page: Page): Promise<string> {
  const number = page.locator(".approval-number strong");
  await number.waitFor({ timeout: 10_000 });
  return (await number.textContent())?.trim() ?? "";
}

/** Opens the emailed link on another device and chooses to approve the waiting browser. */
async function openApproval(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Approve sign-in on my other device" }).click();
  await page.getByRole("heading", { name: "Is this you signing in?" }).waitFor();
}

describe.skipIf(!hasChromium)("cross-device approval with number matching", () => {
  const e2e = useE2e();

  it("shows what asks to sign in, and picking the waiting browser's number signs it in", async () => {
    const waiting = await e2e.visitor();
    const email = newEmail("number-match");
    const link = readLink(await askForEmail(e2e, waiting.page, email));
    const number = await shownNumber(waiting.page);
    expect(number).toMatch(/^[1-9][0-9]$/);

    const phone = await e2e.visitor();
    await openApproval(phone.page, link);
    expect(await text(phone.page, ".request-facts")).toMatch(/Chrom(e|ium)/);
    const choices = await phone.page.locator(".number-choices button").allTextContents();
    expect(choices).toHaveLength(3);
    expect(choices).toContain(number);
    await phone.page.getByRole("button", { name: number, exact: true }).click();
    await phone.page.getByRole("heading", { name: "Sign-in approved" }).waitFor();

    await expectDashboard(waiting.page, email);
    expect(await sessionCookieNames(phone)).toEqual([]);
  });

  it("This wasn't me refuses the sign-in, and the waiting browser says so", async () => {
    const waiting = await e2e.visitor();
    const email = newEmail("not-me");
    const link = readLink(await askForEmail(e2e, waiting.page, email));
    await shownNumber(waiting.page);

    const phone = await e2e.visitor();
    await openApproval(phone.page, link);
    await phone.page.getByRole("button", { name: "This wasn't me" }).click();
    await phone.page.getByRole("heading", { name: "Sign-in refused" }).waitFor();

    await waiting.page.locator("[role=alert]").filter({ hasText: "refused" }).waitFor({ timeout: 10_000 });
    expect(await sessionCookieNames(waiting)).toEqual([]);
  });

  it("a wrong number stops the sign-in, with the reason in an alert", async () => {
    const waiting = await e2e.visitor();
    const email = newEmail("wrong-number");
    const link = readLink(await askForEmail(e2e, waiting.page, email));
    const number = await shownNumber(waiting.page);

    const phone = await e2e.visitor();
    await openApproval(phone.page, link);
    const choices = await phone.page.locator(".number-choices button").allTextContents();
    const wrong = choices.find((choice) => choice !== number) ?? "";
    await phone.page.getByRole("button", { name: wrong, exact: true }).click();
    await phone.page.getByRole("heading", { name: "Sign-in stopped" }).waitFor();
    expect(await text(phone.page, "[role=alert]")).toContain("not the number shown on the other device");
    await waiting.page.locator("[role=alert]").filter({ hasText: "refused" }).waitFor({ timeout: 10_000 });
  });
});

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, userAgents } from "./support/browser.js";
import { useE2e } from "./support/environment.js";
import {
  askForEmail,
  expectDashboard,
  expectSoon,
  newEmail,
  signInWithCode,
  text,
  typeCode,
} from "./support/flows.js";
import { readCode, readLink } from "./support/smtp-sink.js";

/**
 * The sign-in experience of issue 15 on a server that is not Latchkey's default: another
 * product name, eight-digit codes, a support address, an accent colour.
 */
const branding = {
  APP_NAME: "Acme",
  OTP_LENGTH: "8",
  SUPPORT_EMAIL: "help@acme.example",
  APP_ACCENT_COLOR: "#0a7d55",
};

/** Every word the page shows, with its title. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => `${document.title}\n${document.body.textContent}`);
}

describe.skipIf(!hasChromium)("the sign-in experience", () => {
  const e2e = useE2e({ env: branding });

  it("reloading the code step keeps it, and the emailed code then signs in", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("reload");
    const mail = await askForEmail(e2e, page, email);
    await page.reload();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await text(page, ".lead strong")).toBe(email);
    await typeCode(page, readCode(mail));
    await expectDashboard(page, email);
  });

  it("Back from the code step shows the email step, Forward the code step again", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("history");
    await askForEmail(e2e, page, email);
    await page.goBack();
    await page.getByLabel("Email address").waitFor();
    expect(new URL(page.url()).origin).toBe(e2e.baseUrl);
    await page.goForward();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
  });

  it("with OTP_LENGTH=8 the page asks for an 8-digit code, and the eight digits sign in", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("eight");
    const mail = await askForEmail(e2e, page, email);
    const code = readCode(mail);
    expect(code).toMatch(/^\d{8}$/);
    expect(await text(page, ".lead")).toContain("We sent a 8-digit code");
    expect(await page.getByLabel("8-digit code").getAttribute("pattern")).toBe("[0-9]{8}");
    await typeCode(page, code);
    await expectDashboard(page, email);
  });

  it("APP_NAME=Acme names pages, titles and mail, and 'Latchkey' appears nowhere", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("acme");
    await page.goto(`${e2e.baseUrl}/`);
    await page.getByLabel("Email address").waitFor();
    expect(await page.title()).toBe("Sign in · Acme");
    expect(await text(page, ".brand")).toBe("Acme");
    expect(await page.getByRole("link", { name: "help@acme.example" }).getAttribute("href")).toBe(
      "mailto:help@acme.example",
    );
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--brand-accent").trim(),
    );
    expect(accent).toBe("#0a7d55");
    const seen = [await visibleText(page)];
    const mail = await askForEmail(e2e, page, email);
    seen.push(await visibleText(page));
    await typeCode(page, readCode(mail));
    await expectDashboard(page, email);
    seen.push(await visibleText(page));
    await page.goto(`${e2e.baseUrl}/verify-magic-link`);
    await page.getByRole("heading", { name: "Open the link from your email" }).waitFor();
    seen.push(await visibleText(page));
    expect(seen.join("\n")).toContain("Acme");
    expect(seen.join("\n")).not.toMatch(/latchkey/i);
    expect(mail.subject).toBe(`Acme sign-in code ${readCode(mail)}`);
    expect(mail.text).toContain("Acme");
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toMatch(/latchkey/i);
  });

  it("a German browser gets German pages and German mail, and the footer switches to English", async () => {
    const { page } = await e2e.visitor({ locale: "de-DE" });
    const email = newEmail("deutsch");
    await page.goto(`${e2e.baseUrl}/`);
    await page.getByRole("heading", { name: "Anmelden" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(await page.title()).toBe("Anmelden · Acme");
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Anmeldecode per E-Mail senden" }).click();
    await page.getByRole("heading", { name: "Sehen Sie in Ihr Postfach" }).waitFor();
    expect(await text(page, ".lead")).toContain("8-stelligen Code");
    const mail = await e2e.sink.waitForMail(email, 0);
    expect(mail.subject).toBe(`Acme-Anmeldecode ${readCode(mail)}`);
    expect(mail.html).toMatch(/<html[^>]* lang="de"/);

    await page.getByLabel("Sprache").selectOption("en");
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
  });

  it("a browser asking for an unknown address gets the 404 page, with status 404 and a way back", async () => {
    const { page } = await e2e.visitor();
    const response = await page.goto(`${e2e.baseUrl}/login`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.title()).toBe("Page not found · Acme");
    await page.getByRole("link", { name: "Go to sign in" }).click();
    await page.getByLabel("Email address").waitFor();
  });

  it("the approving device names the requesting browser, system and time, and 'This wasn't me' stops the sign-in", async () => {
    const laptop = await e2e.visitor();
    const email = newEmail("approval");
    const link = readLink(await askForEmail(e2e, laptop.page, email));

    const phone = await e2e.visitor({ userAgent: userAgents.phone });
    await phone.page.goto(link);
    await phone.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await phone.page.getByRole("button", { name: "Approve sign-in on my other device" }).click();
    await phone.page.getByRole("heading", { name: "Is this you signing in?" }).waitFor();
    const facts = await text(phone.page, ".request-facts");
    expect(facts).toContain("Chrome on Linux");
    expect(facts).toMatch(/Time.*\d{1,2}:\d{2}/s);
    await phone.page.getByRole("button", { name: "This wasn't me" }).click();
    await phone.page.getByRole("heading", { name: "Sign-in refused" }).waitFor();

    await expectSoon(
      () => text(laptop.page, "#code-error"),
      "This sign-in was refused from the email link. Start again if it was you.",
    );
  });

  it("wrong codes typed by someone else show on the owner's dashboard, explained", async () => {
    const email = newEmail("owner");
    const owner = await e2e.visitor();
    await signInWithCode(e2e, owner, email);

    const stranger = await e2e.visitor({ userAgent: userAgents.phone });
    const mail = await askForEmail(e2e, stranger.page, email);
    const wrong = readCode(mail) === "00000000" ? "11111111" : "00000000";
    await typeCode(stranger.page, wrong);
    await expectSoon(() => text(stranger.page, "#code-error"), "That code is not right. 4 attempts left.");

    await owner.page.reload();
    const events = owner.page.locator("[aria-labelledby=events-title]");
    const wrongCode = events.locator("li[data-event=code_failed]");
    await wrongCode.first().waitFor();
    expect(await wrongCode.first().textContent()).toMatch(/^Wrong code entered.*Chrome on Android/);
    expect(await events.locator("li[data-event=challenge_started]").first().textContent()).toMatch(
      /^Sign-in code requested.*Chrome on Android/,
    );
    expect(await events.textContent()).toContain("can be someone else typing your address");
  });

  it("a signed-out page load asks no /refresh, and a link opened after a code sign-in says 'already signed in'", async () => {
    const { page } = await e2e.visitor();
    const asked: string[] = [];
    page.on("request", (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(`${e2e.baseUrl}/`);
    await page.getByLabel("Email address").waitFor();
    expect(asked).not.toContain("/api/auth/refresh");

    const email = newEmail("already");
    const mail = await askForEmail(e2e, page, email);
    await typeCode(page, readCode(mail));
    await expectDashboard(page, email);
    await page.goto(readLink(mail));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "You are already signed in" }).waitFor();
    expect(await text(page, ".lead strong")).toBe(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectDashboard(page, email);
  });
});

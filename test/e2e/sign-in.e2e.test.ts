import { describe, expect, it } from "vitest";
import { hasChromium } from "./support/browser.js";
import { SEND_COOLDOWN_SECONDS, useE2e } from "./support/environment.js";
import {
  askForEmail,
  expectDashboard,
  expectNoStoredSecrets,
  expectSoon,
  newEmail,
  sessionCookieNames,
  text,
  typeCode,
} from "./support/flows.js";
import { readCode, readLink } from "./support/smtp-sink.js";

describe.skipIf(!hasChromium)("sign-in with the emailed code", () => {
  const e2e = useE2e();

  it("typing the code from the email signs in and shows the dashboard with the email", async () => {
    const { page, ...visitor } = await e2e.visitor();
    const email = newEmail("code");
    const mail = await askForEmail(e2e, page, email);
    expect(await text(page, ".lead strong")).toBe(email);
    expect(mail.subject).toBe(`Latchkey sign-in code ${readCode(mail)}`);
    await typeCode(page, readCode(mail));
    await expectDashboard(page, email);
    expect(await sessionCookieNames({ page, ...visitor })).toEqual(["access_token", "refresh_token"]);
  });

  it("a wrong code shows that it is not right and how many attempts are left", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("wrong");
    const mail = await askForEmail(e2e, page, email);
    const code = readCode(mail);
    const wrong = code === "000000" ? "111111" : "000000";
    await typeCode(page, wrong);
    await expectSoon(() => text(page, "#code-error"), "That code is not right. 4 attempts left.");
    expect(await page.getByLabel(/^\d-digit code$/).inputValue()).toBe("");
    await typeCode(page, code);
    await expectDashboard(page, email);
  });

  it("the resend button counts down the server's cooldown, then sends a new email whose code works", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("resend");
    const first = await askForEmail(e2e, page, email);
    const resend = page.getByRole("button", { name: /^Resend/ });
    // The countdown follows the server's X-Resend-After (SEND_COOLDOWN_SECONDS on this server).
    expect(await resend.textContent()).toMatch(new RegExp(`^Resend in 0:0[0-${SEND_COOLDOWN_SECONDS}]$`));
    expect(await resend.getAttribute("aria-disabled")).toBe("true");

    await resend.click({ force: true }); // a click while it counts down does nothing
    expect(e2e.sink.mailsTo(email)).toHaveLength(1);

    await expectSoon(() => resend.textContent(), "Resend email", (SEND_COOLDOWN_SECONDS + 5) * 1000);
    expect(await resend.getAttribute("aria-disabled")).toBeNull();

    await resend.click();
    const second = await e2e.sink.waitForMail(email, 1);
    await expectSoon(() => text(page, "[role=status].message-status"), `We sent a new email to ${email}.`);
    expect(await resend.textContent()).toMatch(/^Resend in 0:0\d$/);
    expect(readCode(second)).not.toBe(readCode(first));
    await typeCode(page, readCode(second));
    await expectDashboard(page, email);
  });

  it("a resend the server refuses says a code was just sent, and counts down from the server's Retry-After", async () => {
    const visitor = await e2e.visitor();
    const { page } = visitor;
    await visitor.context.clock.install();
    const email = newEmail("retry-after");
    await askForEmail(e2e, page, email);
    // The page's own 30 s pass in an instant; the server's cooldown has not.
    await visitor.context.clock.fastForward(30_000);
    const resend = page.getByRole("button", { name: /^Resend/ });
    await expectSoon(() => resend.textContent(), "Resend email");
    await resend.click();
    await expectSoon(
      async () =>
        /^We just sent a code — enter it, or resend in 0:0\d\.$/.test(
          await text(page, "[role=status].message-status"),
        ),
      true,
    );
    expect(await text(page, "#code-error")).toBe("");
    expect(await resend.textContent()).toMatch(/^Resend in 0:0[1-9]$/);
    expect(e2e.sink.mailsTo(email)).toHaveLength(1);
  });

  it("signs in with the keyboard only: Tab to the email, Enter, type the code", async () => {
    const { page } = await e2e.visitor();
    const email = newEmail("keyboard");
    const index = e2e.sink.mailsTo(email).length;
    await page.goto(`${e2e.baseUrl}/`);
    await page.getByLabel("Email address").waitFor();
    for (let presses = 0; presses < 5; presses += 1) {
      if ((await page.evaluate(() => document.activeElement?.id)) === "email") break;
      await page.keyboard.press("Tab");
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const code = readCode(await e2e.sink.waitForMail(email, index));
    // The code box has focus when the screen opens.
    await expectSoon(() => page.evaluate(() => document.activeElement?.id), "code");
    await page.keyboard.type(code);
    await expectDashboard(page, email);
  });

  it("keeps no token in localStorage or sessionStorage, and the session cookies are HttpOnly", async () => {
    const visitor = await e2e.visitor();
    const { page, context } = visitor;
    const email = newEmail("storage");
    const mail = await askForEmail(e2e, page, email);
    await expectNoStoredSecrets(page);
    await page.goto(readLink(mail));
    await expectNoStoredSecrets(page);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expectDashboard(page, email);
    await expectNoStoredSecrets(page);
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual([
      "access_token",
      "lk_binding",
      "lk_device",
      "lk_passkey",
      "lk_signed_in",
      "refresh_token",
    ]);
    for (const cookie of cookies.filter((cookie) => cookie.name !== "lk_signed_in")) {
      expect({ [cookie.name]: cookie.httpOnly }).toEqual({ [cookie.name]: true });
    }
    // The one script-readable cookie says only "signed in".
    expect(cookies.find((cookie) => cookie.name === "lk_signed_in")?.value).toBe("1");
  });
});

import { describe, expect, it } from "vitest";
import { hasChromium, userAgents } from "./support/browser.js";
import { useE2e } from "./support/environment.js";
import {
  expectDashboard,
  expectSignInPage,
  expectSoon,
  newEmail,
  sessionCookieNames,
  signInWithCode,
  text,
} from "./support/flows.js";

describe.skipIf(!hasChromium)("the dashboard", () => {
  const e2e = useE2e();

  it("lists both browsers; revoking the other one signs it out on its next request", async () => {
    const email = newEmail("revoke");
    const laptop = await e2e.visitor({ userAgent: userAgents.desktop });
    const phone = await e2e.visitor({ userAgent: userAgents.phone, viewport: { width: 360, height: 740 } });
    await signInWithCode(e2e, phone, email);
    await signInWithCode(e2e, laptop, email);

    const sessions = laptop.page.locator("[aria-labelledby=sessions-title] .list-item");
    await expectSoon(() => sessions.count(), 2);
    expect(
      await text(laptop.page, "[aria-labelledby=sessions-title] .list-item:has(.badge) .list-title"),
    ).toBe("Chrome on LinuxThis device");
    await laptop.page.getByRole("button", { name: "Revoke Chrome on Android" }).click();
    // One click asks; the answer has the focus.
    await expectSoon(
      () => laptop.page.evaluate(() => document.activeElement?.textContent),
      "Yes, sign it out",
    );
    await laptop.page.keyboard.press("Enter");
    await expectSoon(
      () => text(laptop.page, "#sessions-title ~ [role=status]"),
      "Signed out Chrome on Android.",
    );
    await expectSoon(() => sessions.count(), 1);

    const next = await phone.context.request.get(`${e2e.baseUrl}/api/auth/protected`);
    expect([next.status(), (await next.json()).code]).toEqual([401, "session_revoked"]);
    await phone.page.reload();
    await expectSignInPage(phone.page);
    // The laptop is still signed in.
    await laptop.page.reload();
    await expectDashboard(laptop.page, email);
  });

  it("Sign out everywhere signs out this browser and every other one", async () => {
    const email = newEmail("everywhere");
    const first = await e2e.visitor();
    const second = await e2e.visitor({ userAgent: userAgents.phone });
    await signInWithCode(e2e, first, email);
    await signInWithCode(e2e, second, email);

    await first.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await first.page.getByText("Sign out on every device, including this one?").waitFor();
    expect(await sessionCookieNames(second)).toEqual(["access_token", "refresh_token"]);
    await first.page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
    await expectSignInPage(first.page);
    await expectSoon(() => text(first.page, "[role=status]"), "You are signed out on every device.");
    expect(await sessionCookieNames(first)).toEqual([]);

    await second.page.reload();
    await expectSignInPage(second.page);
    // The other browser is told why, not just sent to sign-in.
    await expectSoon(
      () => text(second.page, "[role=status]"),
      "You were signed out from another device. Sign in again to continue.",
    );
    await first.page.goto(`${e2e.baseUrl}/dashboard`);
    await expectSignInPage(first.page);
  });

  it("Sign out signs out this browser only", async () => {
    const email = newEmail("sign-out");
    const first = await e2e.visitor();
    const second = await e2e.visitor({ userAgent: userAgents.phone });
    await signInWithCode(e2e, first, email);
    await signInWithCode(e2e, second, email);

    await first.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expectSignInPage(first.page);
    await expectSoon(() => text(first.page, "[role=status]"), "You are signed out.");
    await second.page.reload();
    await expectDashboard(second.page, email);
  });
});

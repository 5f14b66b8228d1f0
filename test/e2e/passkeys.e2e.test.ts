import type { Browser, CDPSession } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, openVisitor, type Visitor } from "./support/browser.js";
import type { E2e } from "./support/environment.js";
import {
  expectDashboard,
  expectSignInPage,
  expectSoon,
  newEmail,
  signInWithCode,
  text,
} from "./support/flows.js";
import { findFreePort, type LatchkeyServer, startLatchkey } from "./support/server.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

/**
 * Passkeys in Chromium with a virtual platform authenticator (CDP WebAuthn domain). The
 * server runs at `localhost`: WebAuthn refuses an IP address as the relying-party id.
 */
describe.skipIf(!hasChromium)("passkeys in the browser", () => {
  let sink: SmtpSink;
  let server: LatchkeyServer;
  let browser: Browser;
  let baseUrl: string;
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    const port = await findFreePort();
    baseUrl = `http://localhost:${port}`;
    sink = await startSmtpSink();
    [server, browser] = await Promise.all([
      startLatchkey({
        smtpUrl: sink.url,
        env: {
          PORT: String(port),
          PUBLIC_URL: baseUrl,
          SEND_COOLDOWN_SECONDS: "3",
          SENDS_PER_IP_PER_MINUTE: "1000",
          VERIFIES_PER_IP_PER_MINUTE: "1000",
          REFRESHES_PER_IP_PER_MINUTE: "1000",
        },
      }),
      launchChromium(),
    ]);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") console.error(`server output:\n${server.output()}`);
    const problems = visitors.flatMap((visitor) => visitor.problems);
    await Promise.all(visitors.map((visitor) => visitor.context.close()));
    visitors.length = 0;
    expect(problems, "CSP violations, script errors or non-local requests").toEqual([]);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop(), sink?.close()]);
  });

  const e2e = (): E2e => ({
    baseUrl,
    sink,
    browser,
    get devServer(): never {
      throw new Error("no dev server in this file");
    },
    visitor: () => Promise.reject(new Error("use openVisitor")),
  });

  /** A browser profile with a platform authenticator: resident keys, user verification, always approving. */
  async function visitorWithAuthenticator() {
    const visitor = await openVisitor(browser);
    visitors.push(visitor);
    const cdp: CDPSession = await visitor.context.newCDPSession(visitor.page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const plugIn = async () =>
      (
        await cdp.send("WebAuthn.addVirtualAuthenticator", {
          options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        })
      ).authenticatorId;
    let authenticatorId = await plugIn();
    const credentials = async () =>
      (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
    return {
      visitor,
      credentialCount: async () => (await credentials()).length,
      /**
       * The virtual authenticator answers passkey autofill at once. To reach the button,
       * the page loads while the authenticator is away (autofill stays pending), then it
       * comes back with the same passkeys.
       */
      async whileAway(action: () => Promise<void>) {
        const kept = await credentials();
        await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
        await action();
        authenticatorId = await plugIn();
        for (const credential of kept)
          await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
      },
    };
  }

  const alertText = (visitor: Visitor) => text(visitor.page, "[role=alert]:not(:empty)");

  async function signOut(visitor: Visitor) {
    await visitor.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expectSignInPage(visitor.page);
  }

  it("adds a passkey after an email sign-in, signs in with it, and refuses it once removed", async () => {
    const email = newEmail("passkey");
    const { visitor, credentialCount, whileAway } = await visitorWithAuthenticator();
    const { page } = visitor;
    await page.goto(`${baseUrl}/`);
    expect(await page.getByLabel("Email address").getAttribute("autocomplete")).toBe("username webauthn");
    await signInWithCode(e2e(), visitor, email);

    // Add a passkey.
    await page.getByRole("button", { name: "Add a passkey" }).click();
    const items = page.locator("[aria-labelledby=passkeys-title] .list-item");
    await expectSoon(() => items.count(), 1);
    expect(await text(page, "[aria-labelledby=passkeys-title] .list-title")).toBe(
      "Chrome on LinuxThis device only",
    );
    expect(await credentialCount()).toBe(1);

    // The same authenticator again: excluded, and the page says so.
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expectSoon(() => alertText(visitor), "This passkey is already registered to your account.");
    expect(await items.count()).toBe(1);
    expect(await credentialCount()).toBe(1);

    // Sign out, then in with the button: it aborts the pending autofill request first (a
    // browser allows one), and the session says how it was proven.
    await whileAway(() => signOut(visitor));
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expectDashboard(page, email);
    expect(await page.locator("[data-amr]").getAttribute("data-amr")).toBe("hwk user");
    const session = await visitor.context.request.get(`${baseUrl}/api/auth/session`);
    expect((await session.json()).amr).toEqual(["hwk", "user"]);

    // Remove it, after confirming.
    await page.getByRole("button", { name: "Remove", exact: true }).click();
    await page.getByRole("button", { name: "Yes, remove it" }).click();
    await expectSoon(() => items.count(), 0);

    // The authenticator still offers it; the server refuses it with a clear message, and
    // the page tells the authenticator to forget it where the browser can.
    await whileAway(() => signOut(visitor));
    expect(await credentialCount()).toBe(1);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expectSoon(
      () => alertText(visitor),
      "This passkey was removed from your account; sign in with email.",
    );
    expect(new URL(page.url()).pathname).toBe("/");
    const canSignal = await page.evaluate(() => "signalUnknownCredential" in PublicKeyCredential);
    if (canSignal) await expectSoon(() => credentialCount(), 0);

    // Email remains the way back in.
    await signInWithCode(e2e(), visitor, email);
  });

  it("passkey autofill on the email field signs in when the person picks the passkey", async () => {
    const email = newEmail("autofill");
    const { visitor } = await visitorWithAuthenticator();
    await signInWithCode(e2e(), visitor, email);
    await visitor.page.getByRole("button", { name: "Add a passkey" }).click();
    await expectSoon(() => visitor.page.locator("[aria-labelledby=passkeys-title] .list-item").count(), 1);
    // The virtual authenticator picks the offered passkey at once, as a person choosing it
    // would: the sign-in page may be gone before a test could see it, so what proves the new
    // sign-in is the dashboard saying it was made with the passkey.
    const amr = () =>
      visitor.page
        .locator("[data-amr]")
        .getAttribute("data-amr", { timeout: 1_000 })
        .catch(() => null);
    expect(await amr()).not.toBe("hwk user");
    await visitor.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expectSoon(amr, "hwk user");
    await expectDashboard(visitor.page, email);
  });
});

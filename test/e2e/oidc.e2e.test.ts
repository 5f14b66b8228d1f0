import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelyingParty, startRelyingParty } from "../../examples/oidc-relying-party/server.js";
import { hasChromium, launchChromium, openVisitor, type Visitor } from "./support/browser.js";
import { SEND_COOLDOWN_SECONDS } from "./support/environment.js";
import { newEmail, text, typeCode } from "./support/flows.js";
import { type LatchkeyServer, repoRoot, startLatchkey } from "./support/server.js";
import { readCode, type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

interface AddedClient {
  client_id: string;
  client_secret: string;
}

/**
 * The example relying party (openid-client 6) against the built server in Chromium: the
 * person signs in through Latchkey's own pages, and the library validates what comes back.
 */
describe.skipIf(!hasChromium)("Sign in with Latchkey (OpenID Connect)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "latchkey-oidc-e2e-"));
  const env = {
    DATABASE_URL: `sqlite:${join(dataDir, "latchkey.db")}`,
    SECRET_KEY: randomBytes(32).toString("base64url"),
  };
  let sink: SmtpSink;
  let server: LatchkeyServer;
  let browser: Browser;
  let visitor: Visitor;
  let page: Page;
  let docs: RelyingParty;
  let wiki: RelyingParty;
  let docsClient: AddedClient;
  const email = newEmail("oidc");

  /** `latchkey clients add …` with the built CLI, against the server's database. */
  function addClient(...args: string[]): AddedClient {
    const result = spawnSync(
      process.execPath,
      [join(repoRoot, "dist/cli.js"), "clients", "add", ...args, "--json"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: "development",
          PUBLIC_URL: server.baseUrl,
          DATA_DIR: dataDir,
          ...env,
        },
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`clients add failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as AddedClient;
  }

  async function signInByCode() {
    const before = sink.mailsTo(email).length;
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await sink.waitForMail(email, before);
    await typeCode(page, readCode(mail));
  }

  /**
   * Waits until the app's callback page shows who signed in, and returns that email.
   * Latchkey's own sign-in page has an `#email` field too, so the app's address is checked first.
   */
  async function emailShownBy(app: RelyingParty): Promise<string> {
    await page.waitForURL((url) => url.origin === app.url && url.pathname === "/callback");
    return text(page, "#email");
  }

  async function tokenEndpoint(path: string, body: Record<string, string>) {
    return fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${docsClient.client_id}:${docsClient.client_secret}`).toString("base64")}`,
      },
      body: new URLSearchParams(body),
    });
  }

  const userinfoStatus = async (accessToken: string) =>
    (await fetch(`${server.baseUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } }))
      .status;

  beforeAll(async () => {
    sink = await startSmtpSink();
    [server, browser] = await Promise.all([
      startLatchkey({
        smtpUrl: sink.url,
        env: {
          ...env,
          RATE_LIMITS: "on",
          SEND_COOLDOWN_SECONDS: String(SEND_COOLDOWN_SECONDS),
          SENDS_PER_IP_PER_MINUTE: "1000",
          VERIFIES_PER_IP_PER_MINUTE: "1000",
        },
      }),
      launchChromium(),
    ]);
    // Loopback redirect URIs: the example apps may listen on any port (RFC 8252).
    docsClient = addClient(
      "--name",
      "Acme Docs",
      "--redirect-uri",
      "http://127.0.0.1/callback",
      "--post-logout-redirect-uri",
      "http://127.0.0.1/",
    );
    const wikiClient = addClient(
      "--name",
      "Acme Wiki",
      "--first-party",
      "--redirect-uri",
      "http://127.0.0.1/callback",
      "--post-logout-redirect-uri",
      "http://127.0.0.1/",
    );
    docs = await startRelyingParty({
      issuer: server.baseUrl,
      clientId: docsClient.client_id,
      clientSecret: docsClient.client_secret,
      authorizationParameters: { prompt: "consent" },
    });
    wiki = await startRelyingParty({
      issuer: server.baseUrl,
      clientId: wikiClient.client_id,
      clientSecret: wikiClient.client_secret,
      scope: "openid email",
    });
    visitor = await openVisitor(browser);
    page = visitor.page;
  });

  afterAll(async () => {
    await Promise.allSettled([visitor?.context.close(), docs?.close(), wiki?.close()]);
    await Promise.allSettled([browser?.close(), server?.stop(), sink?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs in by email code during /authorize, asks consent, and the app validates the ID token", async () => {
    await page.goto(`${docs.url}/login`);
    await signInByCode();
    await page.getByRole("heading", { name: "Allow Acme Docs to access your account?" }).waitFor();
    await page.getByRole("button", { name: "Allow" }).click();
    expect(await emailShownBy(docs)).toBe(email);
    const state = docs.state();
    expect(state.claims).toMatchObject({ iss: server.baseUrl, aud: docsClient.client_id, amr: ["otp"] });
    expect(typeof state.claims?.auth_time).toBe("number");
    expect(state.userinfo).toMatchObject({ email, email_verified: true });
    expect(state.refreshToken).toBeTruthy();
  });

  it("the refresh token rotates, and the rotated-out one is refused", async () => {
    const before = docs.state().refreshToken ?? "";
    await page.goto(`${docs.url}/refresh`);
    await page.getByText("Refreshed.").waitFor();
    const after = docs.state().refreshToken ?? "";
    expect(after).not.toBe(before);
    const replay = await tokenEndpoint("/oidc/token", { grant_type: "refresh_token", refresh_token: before });
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe("invalid_grant");
  });

  it("a revoked access token is refused at once", async () => {
    await page.goto(`${docs.url}/login`);
    await page.getByRole("button", { name: "Allow" }).click();
    expect(await emailShownBy(docs)).toBe(email);
    const accessToken = docs.state().accessToken ?? "";
    expect(await userinfoStatus(accessToken)).toBe(200);
    expect((await tokenEndpoint("/oidc/token/revocation", { token: accessToken })).status).toBe(200);
    expect(await userinfoStatus(accessToken)).toBe(401);
  });

  it("a second app signs the person in without another email (single sign-on)", async () => {
    const mails = sink.mailsTo(email).length;
    await page.goto(`${wiki.url}/login`);
    expect(await emailShownBy(wiki)).toBe(email);
    expect(sink.mailsTo(email).length).toBe(mails);
  });

  it("after signing out of Latchkey, prompt=none gives login_required", async () => {
    await page.goto(`${server.baseUrl}/dashboard`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`${wiki.url}/login?prompt=none`);
    await page.locator("#error").waitFor();
    expect(await text(page, "#error")).toBe("login_required");
  });

  it("RP-initiated logout asks, then signs the person out of Latchkey too", async () => {
    await new Promise((wake) => setTimeout(wake, SEND_COOLDOWN_SECONDS * 1000 + 200));
    await page.goto(`${wiki.url}/login`);
    await signInByCode();
    expect(await emailShownBy(wiki)).toBe(email);
    await page.goto(`${wiki.url}/logout`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin === wiki.url && url.pathname === "/");
    await page.goto(`${server.baseUrl}/api/auth/session`);
    const session = JSON.parse((await page.locator("body").textContent()) ?? "{}");
    expect(session).toEqual({ email: null });
  });
});

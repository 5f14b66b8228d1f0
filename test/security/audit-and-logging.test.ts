import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredMail } from "../../src/mail/transports.js";
import { cleanUp } from "../../src/maintenance.js";
import { createBuiltinProvider } from "../../src/passwordless/index.js";
import { auditEventTypes } from "../../src/security/audit.js";
import { createKeyring } from "../../src/security/crypto.js";
import {
  type Browser,
  createBrowser,
  createTestApp,
  linkTokenOf,
  startSignIn,
  TEST_SECRET_KEY,
  type TestApp,
} from "../support/harness.js";
import { columnsContaining, createSecurityApp, dumpDatabase, emailHashOf } from "./support.js";

/** Who did what, when and from where — and never a secret (SECURITY.md 8, 43-45). */

const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) LatchkeyTest/1.0";
const VERIFY_OTP = "/api/auth/verify-otp";

async function auditRows(testApp: TestApp) {
  return testApp.database.db.selectFrom("audit_events").selectAll().orderBy("at").execute();
}

function requestIdOf(response: LightMyRequestResponse): string {
  return String(response.headers["x-request-id"]);
}

/** Waits until the outbox worker has recorded `count` deliveries. */
async function waitForAudit(testApp: TestApp, type: string, count = 1) {
  for (let tries = 0; tries < 200; tries++) {
    const rows = (await auditRows(testApp)).filter((row) => row.type === type);
    if (rows.length >= count) return rows;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${type} audit row`);
}

/** Everything a full sign-in hands out: the secrets that must never be logged or stored. */
interface Secrets {
  email: string;
  code: string;
  linkToken: string;
  accessToken: string;
  refreshToken: string;
  binding: string;
}

/** The secrets of one sign-in: its mail and the cookies the browser now holds. */
function secretsOf(email: string, mail: StoredMail, browser: Browser): Secrets {
  return {
    email,
    code: mail.code ?? "",
    linkToken: linkTokenOf(mail),
    accessToken: browser.jar.access_token ?? "",
    refreshToken: browser.jar.refresh_token ?? "",
    binding: browser.jar.lk_binding ?? "",
  };
}

/** Signs in by code in one browser and by link in another, refreshes, and logs out. */
async function fullSignIn(testApp: TestApp): Promise<{ secrets: Secrets[]; browser: Browser }> {
  const secrets: Secrets[] = [];
  const browser = createBrowser(testApp);
  const headers = { "user-agent": USER_AGENT };
  const byCode = await startSignIn(testApp, browser, "alice@example.com");
  const verified = await browser.post(
    VERIFY_OTP,
    { code: byCode.mail.code, auth_request_id: byCode.authRequestId },
    headers,
  );
  expect(verified.statusCode).toBe(200);
  const refreshed = await browser.post("/api/auth/refresh", undefined, headers);
  expect(refreshed.statusCode).toBe(200);
  secrets.push(secretsOf("alice@example.com", byCode.mail, browser));
  const other = createBrowser(testApp);
  const byLink = await startSignIn(testApp, other, "bob@example.com");
  const link = new URL(byLink.mail.link!);
  await testApp.app.inject({ method: "GET", url: `${link.pathname}${link.search}`, headers });
  const linked = await other.post(
    "/api/auth/verify-magic-link",
    { link_token: linkTokenOf(byLink.mail) },
    headers,
  );
  expect(linked.statusCode).toBe(200);
  secrets.push(secretsOf("bob@example.com", byLink.mail, other));
  await other.get("/api/auth/protected", { authorization: `Bearer ${other.jar.access_token}` });
  await other.post("/api/auth/logout", undefined, headers);
  return { secrets, browser };
}

/** Where each secret turns up in `text`: one entry per leak. */
function leaksIn(text: string, secrets: Secrets[], { allowEmail = false } = {}): string[] {
  const leaks: string[] = [];
  for (const each of secrets) {
    if (new RegExp(`(?<![0-9])${each.code}(?![0-9])`).test(text)) leaks.push(`code ${each.code}`);
    for (const [name, value] of [
      ["link token", each.linkToken],
      ["access token", each.accessToken],
      ["refresh token", each.refreshToken],
      ["binding cookie", each.binding],
    ] as const) {
      if (value && text.includes(value)) leaks.push(name);
    }
    if (!allowEmail && text.toLowerCase().includes(each.email)) leaks.push(`email ${each.email}`);
  }
  if (text.includes(TEST_SECRET_KEY)) leaks.push("SECRET_KEY");
  return leaks;
}

describe("audit and logging", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  describe("SECURITY 43: every authentication event is audited", () => {
    it("SECURITY 43: a sign-in leaves challenge_started, mail_sent and signed_up rows with who, when and where", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const headers = { "user-agent": USER_AGENT };
      const send = await browser.post("/api/auth/send-passwordless", { email: "alice@example.com" }, headers);
      const mail = await testApp.mailbox.waitFor("alice@example.com");
      const verify = await browser.post(
        VERIFY_OTP,
        { code: mail.code, auth_request_id: send.json().auth_request_id },
        headers,
      );
      expect(verify.statusCode).toBe(200);
      await waitForAudit(testApp, "mail_sent");
      const rows = await auditRows(testApp);
      const user = await testApp.database.db.selectFrom("users").select("id").executeTakeFirstOrThrow();
      const emailHash = emailHashOf("alice@example.com");

      const started = rows.find((row) => row.type === "challenge_started");
      expect(started).toMatchObject({
        ip: "127.0.0.1",
        user_agent: USER_AGENT,
        request_id: requestIdOf(send),
        email_hash: emailHash,
        user_id: null,
      });
      const signedUp = rows.find((row) => row.type === "signed_up");
      expect(signedUp).toMatchObject({
        ip: "127.0.0.1",
        user_agent: USER_AGENT,
        request_id: requestIdOf(verify),
        email_hash: emailHash,
        user_id: user.id,
      });
      expect(rows.find((row) => row.type === "mail_sent")).toBeDefined();
      for (const row of rows) {
        expect(auditEventTypes).toContain(row.type);
        expect(Number(row.at)).toBe(testApp.clock.now()); // UTC epoch milliseconds from the server clock
        expect(JSON.stringify(row)).not.toContain("alice@example.com");
      }
      expect(emailHash).not.toBe("alice@example.com");
      expect(emailHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it("SECURITY 43: a second sign-in is signed_in, and failures are audited too", async () => {
      testApp = await createTestApp();
      const first = createBrowser(testApp);
      const one = await startSignIn(testApp, first, "alice@example.com");
      await first.post(VERIFY_OTP, { code: one.mail.code, auth_request_id: one.authRequestId });
      testApp.clock.advanceSeconds(31);
      const second = createBrowser(testApp);
      const two = await startSignIn(testApp, second, "alice@example.com");
      const wrong = two.mail.code === "000000" ? "111111" : "000000";
      await second.post(VERIFY_OTP, { code: wrong, auth_request_id: two.authRequestId });
      await second.post("/api/auth/verify-magic-link", { link_token: linkTokenOf(two.mail) });
      const types = (await auditRows(testApp)).map((row) => row.type);
      expect(types).toContain("signed_up");
      expect(types).toContain("code_failed");
      expect(types).toContain("signed_in");
      expect(types.filter((type) => type === "challenge_started")).toHaveLength(2);
    });

    it("SECURITY 43: GET /api/auth/audit lists only the caller's events, with UTC ISO times", async () => {
      testApp = await createTestApp();
      const alice = createBrowser(testApp);
      const bob = createBrowser(testApp);
      for (const [browser, email] of [
        [alice, "alice@example.com"],
        [bob, "bob@example.com"],
      ] as const) {
        const { authRequestId, mail } = await startSignIn(testApp, browser, email);
        await browser.post(
          VERIFY_OTP,
          { code: mail.code, auth_request_id: authRequestId },
          { "user-agent": email },
        );
      }
      const aliceEvents = (await alice.get("/api/auth/audit")).json().events as Record<string, string>[];
      const bobEvents = (await bob.get("/api/auth/audit")).json().events as Record<string, string>[];
      expect(aliceEvents.map((event) => event.type)).toEqual(["signed_up"]);
      expect(bobEvents.map((event) => event.type)).toEqual(["signed_up"]);
      expect(aliceEvents[0]?.user_agent).toBe("alice@example.com");
      expect(bobEvents[0]?.user_agent).toBe("bob@example.com");
      expect(aliceEvents[0]?.at).toBe(new Date(testApp.clock.now()).toISOString());
      expect(aliceEvents[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const unauthenticated = await createBrowser(testApp).get("/api/auth/audit");
      expect(unauthenticated.statusCode).toBe(401);
    });

    it("SECURITY 43: audit rows older than AUDIT_RETENTION_DAYS are pruned, newer ones kept", async () => {
      testApp = await createTestApp({ env: { AUDIT_RETENTION_DAYS: "90" } });
      const browser = createBrowser(testApp);
      await browser.post("/api/auth/send-passwordless", { email: "old@example.com" });
      testApp.clock.advanceSeconds(60 * 86_400);
      await browser.post("/api/auth/send-passwordless", { email: "newer@example.com" });
      testApp.clock.advanceSeconds(31 * 86_400);
      const latchkey = testApp.services;
      await cleanUp({
        keys: latchkey.keys,
        outbox: latchkey.outbox,
        audit: latchkey.audit,
        db: testApp.database.db,
        clock: testApp.clock,
        config: testApp.config,
      });
      const rows = await auditRows(testApp);
      const hashes = rows.filter((row) => row.type === "challenge_started").map((row) => row.email_hash);
      expect(hashes).toEqual([emailHashOf("newer@example.com")]);
      expect(rows.every((row) => Number(row.at) >= testApp.clock.now() - 90 * 86_400_000)).toBe(true);
    });
  });

  describe("SECURITY 44: no secret in a log line, an audit row or the database", () => {
    it("SECURITY 44: the log of a full sign-in holds no code, token, cookie, secret key or raw email", async () => {
      const logLines: string[] = [];
      testApp = await createSecurityApp({ logLines });
      const { secrets } = await fullSignIn(testApp);
      await waitForAudit(testApp, "mail_sent", 2);
      expect(logLines.length).toBeGreaterThan(5);
      expect(logLines.some((line) => line.includes("/verify-magic-link"))).toBe(true);
      expect(leaksIn(logLines.join("\n"), secrets)).toEqual([]);
    });

    it("SECURITY 44: the audit table holds no secret and no raw email", async () => {
      testApp = await createTestApp();
      const { secrets } = await fullSignIn(testApp);
      const rows = await auditRows(testApp);
      expect(rows.length).toBeGreaterThan(5);
      expect(leaksIn(JSON.stringify(rows), secrets)).toEqual([]);
    });

    it("SECURITY 8: a dump of every table holds no plaintext code, link token, refresh or access token", async () => {
      testApp = await createTestApp();
      const { secrets } = await fullSignIn(testApp);
      await waitForAudit(testApp, "mail_sent", 2);
      const dump = await dumpDatabase(testApp);
      expect(dump.size).toBeGreaterThan(20);
      const everything = JSON.stringify([...dump.entries()]);
      expect(leaksIn(everything, secrets, { allowEmail: true })).toEqual([]);
    });

    it("SECURITY 44: the raw email is stored only where the account and its sign-in need it", async () => {
      testApp = await createTestApp();
      const { secrets } = await fullSignIn(testApp);
      await waitForAudit(testApp, "mail_sent", 2);
      const dump = await dumpDatabase(testApp);
      for (const { email } of secrets) {
        const columns = columnsContaining(dump, email).sort();
        // mail_outbox.recipient: the worker needs the address until the mail is sent (see the report).
        expect(columns.filter((column) => column !== "mail_outbox.recipient")).toEqual([
          "auth_requests.email",
          "users.email",
        ]);
      }
    });

    it("SECURITY 8: stored secrets are keyed hashes that the plaintext alone does not reproduce", async () => {
      testApp = await createTestApp();
      const browser = createBrowser(testApp);
      const { authRequestId, mail } = await startSignIn(testApp, browser, "alice@example.com");
      const row = await testApp.database.db
        .selectFrom("auth_requests")
        .select(["code_hash", "link_hash", "browser_hash"])
        .where("id", "=", authRequestId)
        .executeTakeFirstOrThrow();
      const { createHash } = await import("node:crypto");
      const unkeyed = (value: string) => createHash("sha256").update(value).digest("base64url");
      expect(row.code_hash).not.toBe(unkeyed(mail.code ?? ""));
      expect(row.code_hash).not.toBe(unkeyed(`${authRequestId}:${mail.code}`));
      expect(row.link_hash).not.toBe(unkeyed(linkTokenOf(mail)));
      const keys = createKeyring(TEST_SECRET_KEY);
      const provider = createBuiltinProvider({ codeKey: keys.codeKey, linkKey: keys.linkKey, otpLength: 6 });
      const found = await provider.findLinkChallenge(testApp.database.db, { linkToken: linkTokenOf(mail) });
      expect(found?.id).toBe(authRequestId);
    });
  });

  describe("SECURITY 45: log injection and unexpected errors", () => {
    it("SECURITY 45: an unexpected error answers a generic 500, logged with the request id", async () => {
      const logLines: string[] = [];
      testApp = await createSecurityApp({
        logLines,
        provider: () => ({
          name: "builtin",
          provesLinkOnLookup: true,
          issue: async () => {
            throw new Error("internal detail: connection to 10.0.0.7 refused for user latchkey_admin");
          },
          reissue: async () => {
            throw new Error("unused");
          },
          checkCode: async () => false,
          findLinkChallenge: async () => undefined,
          redeemLink: async () => false,
        }),
      });
      const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
        email: "alice@example.com",
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        detail: "Something went wrong on our side.",
        code: "internal_error",
      });
      expect(response.body).not.toContain("10.0.0.7");
      const errors = logLines.map((line) => JSON.parse(line)).filter((line) => line.level >= 50);
      expect(
        errors.some(
          (line) => line.reqId === requestIdOf(response) && JSON.stringify(line).includes("10.0.0.7"),
        ),
      ).toBe(true);
    });

    it("SECURITY 45: forged log lines in headers and URLs stay inside one JSON line", async () => {
      const logLines: string[] = [];
      testApp = await createSecurityApp({ logLines });
      const forged = '\n{"level":60,"msg":"forged"}';
      await testApp.app.inject({
        method: "POST",
        url: "/api/auth/send-passwordless?x=%0A%7B%22level%22%3A60%7D",
        headers: { "content-type": "application/json", "user-agent": `agent${forged.replace("\n", " ")}` },
        payload: JSON.stringify({ email: "alice@example.com", state: forged.replace("\n", " ") }),
      });
      await testApp.app.inject({ method: "GET", url: "/api/auth/nowhere%0A%7B%22level%22%3A60%7D" });
      const text = logLines.join("");
      const lines = text.split("\n").filter(Boolean);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(lines.map((line) => JSON.parse(line)).filter((line) => line.msg === "forged")).toEqual([]);
      const rows = await auditRows(testApp);
      expect(rows.find((row) => row.type === "challenge_started")?.user_agent).toContain("agent");
    });
  });
});

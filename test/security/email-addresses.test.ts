import { describe, expect, it } from "vitest";
import { createBrowser, startSignIn } from "../support/harness.js";
import { rowCount, useAppAndBrowser } from "./support.js";

/**
 * Header injection and Unicode look-alikes in the address (SECURITY.md 38, 39): a refused
 * address sends nothing; an accepted one is mailed to exactly the string stored.
 */

const SEND = "/api/auth/send-passwordless";

const REFUSED: [string, string][] = [
  ["dotless i", "al\u0131ce@example.com"],
  ["dotted capital I", "AL\u0130CE@example.com"],
  ["sharp s", "stra\u00dfe@example.com"],
  ["Kelvin sign", "\u212Aelvin@example.com"],
  ["fullwidth at sign", "alice\uff20example.com"],
  ["combining accent", "ali\u0301ce@example.com"],
  ["RTL override", "\u202emoc.elpmaxe@ecila"],
  ["RTL override in the domain", "alice@exam\u202eple.com"],
  ["zero-width space", "al\u200bice@example.com"],
  ["CR LF Bcc injection", "alice@example.com\r\nBcc: mallory@evil.example"],
  ["LF injection", "alice@example.com\nBcc: mallory@evil.example"],
  ["NUL", "alice@example.com\u0000mallory@evil.example"],
  ["two addresses", "alice@example.com,mallory@evil.example"],
  ["semicolon list", "alice@example.com;mallory@evil.example"],
  ["display name", "Alice <alice@example.com>"],
  ["quoted local part", '"alice@evil.example"@example.com'],
  ["IP literal", "alice@[127.0.0.1]"],
  ["a path after the domain", "alice@evil.com/.example.com"],
  ["a query after the domain", "alice@evil.com?.example.com"],
  ["a fragment after the domain", "alice@evil.com#.example.com"],
  ["a percent-encoded domain", "alice@ex%61mple.com"],
  ["a backslash in the domain", "alice@evil.com\\.example.com"],
  ["a fullwidth domain letter (silently mapped)", "alice@\uff45xample.com"],
  ["a fullwidth dot (silently mapped)", "alice@example\u3002com"],
  ["a zero-width space in the domain (silently dropped)", "alice@exam\u200bple.com"],
  [
    "an encoded-word local part (a reader shows another address)",
    "=?utf-8?q?ceo=40bank.example=3e_?=@attacker.example",
  ],
  ["an encoded-word local part hiding CR LF", "=?us-ascii?q?a=0d=0abcc=3a_x=40evil.example?=@example.com"],
  ["local part over 64", `${"a".repeat(65)}@example.com`],
  ["address over 254", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com`],
];

const CANONICALIZED: [string, string, string][] = [
  ["mixed case", "Alice@Example.COM", "alice@example.com"],
  ["surrounding spaces", "  alice@example.com ", "alice@example.com"],
  ["IDN domain", "alice@stra\u00dfe.de", "alice@xn--strae-oqa.de"],
  ["Kelvin sign in the domain", "alice@\u212Aelvin.com", "alice@kelvin.com"],
  ["combining accent in the domain", "alice@exa\u0301mple.com", "alice@xn--exmple-qta.com"],
];

describe("email addresses", () => {
  const setup = useAppAndBrowser();

  it.each(REFUSED)("SECURITY 38: %s is refused with 422 and nothing is sent", async (_kind, email) => {
    const response = await setup.browser.post(SEND, { email });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_error");
    expect(response.json().detail[0].loc).toEqual(["body", "email"]);
    expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    expect(await rowCount(setup.testApp, "mail_outbox")).toBe(0);
  });

  it.each([
    ["an array of addresses", ["alice@example.com", "mallory@evil.example"]],
    ["an object", { address: "alice@example.com" }],
    ["a number", 42],
    ["null", null],
  ])("SECURITY 38: %s instead of one address is refused with 422", async (_kind, email) => {
    const response = await setup.browser.post(SEND, { email });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_error");
  });

  it.each(CANONICALIZED)(
    "SECURITY 39: %s is canonicalized, and the address mailed is byte-identical to the one stored",
    async (_kind, email, canonical) => {
      const response = await setup.browser.post(SEND, { email });
      expect(response.statusCode).toBe(200);
      const mail = await setup.testApp.mailbox.waitFor(canonical);
      const challenge = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select("email")
        .where("id", "=", response.json().auth_request_id)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(mail.to, "utf8").equals(Buffer.from(challenge.email, "utf8"))).toBe(true);
      const verified = await setup.browser.post("/api/auth/verify-otp", {
        code: mail.code,
        auth_request_id: response.json().auth_request_id,
      });
      expect(verified.statusCode).toBe(200);
      expect(verified.json().email).toBe(canonical);
      const users = await setup.testApp.database.db.selectFrom("users").select("email").execute();
      expect(users.map((user) => user.email)).toEqual([mail.to]);
    },
  );

  it("SECURITY 38: Alice@Example.COM and alice@example.com are one account", async () => {
    const ids: string[] = [];
    for (const email of ["Alice@Example.COM", "alice@example.com"]) {
      const each = createBrowser(setup.testApp);
      const { authRequestId, mail } = await startSignIn(setup.testApp, each, email);
      const verified = await each.post("/api/auth/verify-otp", {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(verified.statusCode).toBe(200);
      ids.push((await each.get("/api/auth/session")).json().user_id);
      setup.testApp.clock.advanceSeconds(31);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it("SECURITY 39: a look-alike address never reaches the real account's mailbox", async () => {
    for (const email of ["al\u0131ce@example.com", "\u212Alice@example.com", "ALİCE@example.com"]) {
      await setup.browser.post(SEND, { email });
    }
    expect(setup.testApp.mailbox.messages()).toEqual([]);
    expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { MailTransport } from "../../src/mail/transports.js";
import { createBrowser, createTestApp, type TestApp } from "../support/harness.js";

/** A mail server refusing the recipient, quoting the address the way real servers do. */
const rejectingTransport: MailTransport = {
  name: "rejecting",
  async send(mail) {
    throw Object.assign(new Error(`550 5.1.1 <${mail.to}>: Recipient address rejected`), {
      code: "EENVELOPE",
      responseCode: 550,
    });
  },
  async close() {},
};

/** Polls (bounded: 2 s) until `find` returns something. */
async function eventually<T>(find: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("gave up waiting");
}

const failedMail = (testApp: TestApp) =>
  eventually(() =>
    testApp.database.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("failed_at", "is not", null)
      .executeTakeFirst(),
  );

describe("outbox privacy", () => {
  let testApp: TestApp;
  afterEach(async () => testApp.close());

  it("SECURITY 44: a refused mail records the failure as codes, never the server's text with the address", async () => {
    testApp = await createTestApp({ mailTransport: rejectingTransport, env: { MAIL_MAX_ATTEMPTS: "1" } });
    await createBrowser(testApp).post("/api/auth/send-passwordless", { email: "bob@example.com" });
    const row = await failedMail(testApp);
    expect(row.error).toBe("EENVELOPE 550");
  });

  it("SECURITY 43: the mail_failed audit row names the address only by its keyed hash", async () => {
    testApp = await createTestApp({ mailTransport: rejectingTransport, env: { MAIL_MAX_ATTEMPTS: "1" } });
    await createBrowser(testApp).post("/api/auth/send-passwordless", { email: "bob@example.com" });
    await eventually(() =>
      testApp.database.db
        .selectFrom("audit_events")
        .select("id")
        .where("type", "=", "mail_failed")
        .executeTakeFirst(),
    );
    const events = await testApp.database.db.selectFrom("audit_events").selectAll().execute();
    const started = events.find((event) => event.type === "challenge_started");
    const failed = events.find((event) => event.type === "mail_failed");
    expect(failed?.email_hash).toBe(started?.email_hash);
    expect(JSON.stringify(events)).not.toContain("bob@example.com");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failAuditWrites } from "../support/failing-audit.js";
import { createBrowser, createTestApp, startSignIn, type TestApp } from "../support/harness.js";

const count = async (testApp: TestApp, table: "auth_requests" | "mail_outbox") =>
  Number(
    (
      await testApp.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow()
    ).count,
  );

describe("a sign-in mail and its audit rows", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  it("a send whose challenge_started row cannot be written fails and leaves no challenge and no mail", async () => {
    const restore = await failAuditWrites(testApp, "challenge_started");
    const browser = createBrowser(testApp);
    const failed = await browser.post("/api/auth/send-passwordless", { email: "no-trail@example.com" });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().code).toBe("internal_error");
    expect(await count(testApp, "auth_requests")).toBe(0);
    expect(await count(testApp, "mail_outbox")).toBe(0);
    await restore();
    const { mail } = await startSignIn(testApp, browser, "no-trail@example.com");
    expect(mail.code).toMatch(/^\d+$/);
  });

  it("a mail whose mail_sent row cannot be written is still marked sent, and goes out once", async () => {
    const restore = await failAuditWrites(testApp, "mail_sent");
    await startSignIn(testApp, createBrowser(testApp), "once@example.com");
    const isSent = async () =>
      (
        await testApp.database.db
          .selectFrom("mail_outbox")
          .select("sent_at")
          .where("recipient", "=", "once@example.com")
          .executeTakeFirstOrThrow()
      ).sent_at !== null;
    await expect.poll(isSent, { timeout: 5000 }).toBe(true);
    await restore();
    // Past any lease: mail left unmarked would be claimed and sent again now.
    testApp.clock.advanceSeconds(600);
    await testApp.services.outbox.deliverDue();
    expect(testApp.mailbox.messages().filter((mail) => mail.to === "once@example.com")).toHaveLength(1);
  });
});

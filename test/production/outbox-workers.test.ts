import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailTransport, OutgoingMail } from "../../src/mail/transports.js";
import { createSteppableClock } from "../support/clock.js";
import { createPostgresSchema, type TestDatabase, testDatabaseKind } from "../support/database.js";
import { createBrowser, type TestApp } from "../support/harness.js";
import { createInstance } from "./support/app.js";

const MAILS = 100;

/** A transport that takes a few milliseconds per message and remembers who sent what. */
function createCountingTransport() {
  const delivered: { to: string; worker: string }[] = [];
  const transportFor = (worker: string): MailTransport => ({
    name: `counting-${worker}`,
    async send(mail: OutgoingMail) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      delivered.push({ to: mail.to, worker });
    },
    async close() {},
  });
  return { delivered, transportFor };
}

describe.runIf(testDatabaseKind === "postgres")("two instances' outbox workers on one database", () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  const counting = createCountingTransport();
  beforeAll(async () => {
    database = await createPostgresSchema();
    const clock = createSteppableClock();
    // Workers are driven by hand below, all at once, to make them race for the same rows.
    for (const worker of ["a", "b"]) {
      apps.push(
        await createInstance({
          database,
          clock,
          env: { RATE_LIMITS: "off" },
          mailTransport: counting.transportFor(worker),
          runBackgroundJobs: false,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it("never sends one mail twice when both claim at the same time", async () => {
    const [first, second] = apps as [TestApp, TestApp];
    const browser = createBrowser(first);
    const emails = Array.from({ length: MAILS }, (_, index) => `race${index}@example.com`);
    for (const email of emails) {
      expect((await browser.post("/api/auth/send-passwordless", { email })).statusCode).toBe(200);
    }

    const claimed = await Promise.all(
      [first, second, first, second].map((app) => app.services.outbox.deliverDue()),
    );

    expect(claimed.reduce((sum, count) => sum + count, 0)).toBe(MAILS);
    expect(counting.delivered.map((mail) => mail.to).sort()).toEqual([...emails].sort());
    expect(await first.services.outbox.status()).toMatchObject({ pending: 0, sent: MAILS });
  });
});

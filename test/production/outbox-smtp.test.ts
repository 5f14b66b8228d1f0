import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSmtpTransport } from "../../src/mail/transports.js";
import { eventually } from "../support/eventually.js";
import { createBrowser, type TestApp } from "../support/harness.js";
import { createInstance } from "./support/app.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

const STEP_MS = 5_000;

/** Mail that is due (not sent, not failed, next attempt not in the future) by the app's clock. */
async function countDue(app: TestApp): Promise<number> {
  const row = await app.database.db
    .selectFrom("mail_outbox")
    .select((select) => select.fn.countAll<number>().as("count"))
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("next_attempt_at", "<=", app.clock.now())
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Lets the worker (polling every 20 ms) try everything due now, then moves the clock on. */
async function travel(app: TestApp, totalMs: number) {
  for (let travelled = 0; travelled < totalMs; travelled += STEP_MS) {
    await eventually(async () => (await countDue(app)) === 0, { what: "due mail attempted" });
    app.clock.advance(STEP_MS);
  }
  await eventually(async () => (await countDue(app)) === 0, { what: "due mail attempted" });
}

describe("mail through SMTP", () => {
  let sink: SmtpSink;
  let app: TestApp;
  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await app?.close();
    await sink.close();
  });

  async function startApp(env: Record<string, string> = {}) {
    app = await createInstance({
      env: { SEND_COOLDOWN_SECONDS: "0", ...env },
      mailTransport: createSmtpTransport({ smtpUrl: sink.url, from: "Latchkey <no-reply@latchkey.test>" }),
    });
    return app;
  }

  it("sends Auto-Submitted: auto-generated, so autoresponders stay quiet", async () => {
    await startApp();
    const sent = await createBrowser(app).post("/api/auth/send-passwordless", { email: "auto@example.com" });
    expect(sent.statusCode).toBe(200);
    expect((await sink.waitFor("auto@example.com")).autoSubmitted).toBe("auto-generated");
  });

  it("delivers every mail accepted during a 60 s SMTP outage exactly once after it recovers", async () => {
    await startApp();
    sink.setMode("refuse");
    const browser = createBrowser(app);
    const emails = Array.from({ length: 6 }, (_, index) => `outage${index}@example.com`);
    for (const email of emails) {
      const response = await browser.post("/api/auth/send-passwordless", { email });
      expect(response.statusCode).toBe(200);
    }
    const outageStartedAt = app.clock.now();
    await travel(app, 60_000);
    expect(sink.mails).toHaveLength(0);
    expect(sink.attempts()).toBeGreaterThanOrEqual(emails.length * 4);

    sink.setMode("accept");
    const recoveredAt = app.clock.now();
    for (let step = 0; step < 40 && sink.mails.length < emails.length; step += 1) await travel(app, STEP_MS);
    const deliveredAfterMs = app.clock.now() - recoveredAt;
    await travel(app, 15 * 60_000);

    expect(sink.mails.map((mail) => mail.to).sort()).toEqual(emails);
    expect(sink.mails.every((mail) => mail.code && mail.link)).toBe(true);
    expect(await app.services.outbox.status()).toMatchObject({
      pending: 0,
      failed: 0,
      sent: emails.length,
    });
    // Production back-off (2 s doubling, ±20 %): after a 60 s outage the last retry lands well within 80 s.
    expect(deliveredAfterMs).toBeLessThanOrEqual(80_000);
    console.info(
      `[measure] SMTP outage of ${(recoveredAt - outageStartedAt) / 1000} s (steppable clock): ` +
        `all ${emails.length} mails delivered ${deliveredAfterMs / 1000} s after recovery, each exactly once`,
    );
  });

  it("sends the mail waiting out its back-off as soon as one delivery gets through again", async () => {
    await startApp();
    sink.setMode("refuse");
    const browser = createBrowser(app);
    const waiting = ["wait0@example.com", "wait1@example.com", "wait2@example.com"];
    for (const email of waiting) await browser.post("/api/auth/send-passwordless", { email });
    await travel(app, 60_000);
    expect(sink.mails).toHaveLength(0);

    sink.setMode("accept");
    // A new sign-in after the mail server is back: its mail goes at once, and takes the queue with it.
    await browser.post("/api/auth/send-passwordless", { email: "fresh@example.com" });
    await sink.waitFor("fresh@example.com");
    for (const email of waiting) await sink.waitFor(email, 2000);
    expect(sink.mails).toHaveLength(4);
  });

  it("marks a mail the server rejects permanently (5xx) as failed after one attempt, with a mail_failed audit event", async () => {
    await startApp({ MAIL_MAX_ATTEMPTS: "3" });
    sink.setMode("reject");
    const response = await createBrowser(app).post("/api/auth/send-passwordless", {
      email: "nobody@example.com",
    });
    expect(response.statusCode).toBe(200);
    await travel(app, 60_000);

    const row = await app.database.db.selectFrom("mail_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.failed_at).not.toBeNull();
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.error).toMatch(/550/);
    const audit = await app.database.db
      .selectFrom("audit_events")
      .select(["type", "detail"])
      .where("type", "=", "mail_failed")
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toMatchObject({ attempts: 1 });
    expect(audit[0]?.detail).not.toContain("nobody@example.com");
    expect(sink.mails).toHaveLength(0);
  });

  it("answers send-passwordless the same whether SMTP is up or down", async () => {
    await startApp();
    const browser = createBrowser(app);
    const shape = (body: Record<string, unknown>) => ({
      ...body,
      auth_request_id: typeof body.auth_request_id,
    });
    const up = await browser.post("/api/auth/send-passwordless", { email: "up@example.com" });
    await sink.close();
    const down = await browser.post("/api/auth/send-passwordless", { email: "down@example.com" });
    sink = await startSmtpSink();
    expect(up.statusCode).toBe(200);
    expect(down.statusCode).toBe(200);
    expect(shape(down.json())).toEqual(shape(up.json()));
    expect(Object.keys(down.headers).sort()).toEqual(Object.keys(up.headers).sort());
  });
});

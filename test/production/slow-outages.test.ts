import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpBrowser, SHARED_PUBLIC_URL } from "./support/http-browser.js";
import { type ServerProcess, startServer } from "./support/server-process.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

/**
 * The outages of outbox-smtp and crash-recovery again, in real time against a real server
 * process with production back-off. Minutes long, so only with LATCHKEY_SLOW_TESTS=1:
 *   LATCHKEY_SLOW_TESTS=1 npx vitest run --project sqlite test/production/slow-outages.test.ts
 */
const isEnabled = process.env.LATCHKEY_SLOW_TESTS === "1";
const OUTAGE_MS = 60_000;
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe.runIf(isEnabled)("outages in real time (LATCHKEY_SLOW_TESTS=1)", () => {
  let sink: SmtpSink | undefined;
  let server: ServerProcess | undefined;
  let directory = "";
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "latchkey-slow-"));
  });
  afterEach(async () => {
    await server?.stop("SIGKILL");
    await sink?.close();
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function startBehind(mode: "refuse" | "stall", name: string) {
    sink = await startSmtpSink(mode);
    server = await startServer({
      DATABASE_URL: `sqlite:${join(directory, `${name}.db`)}`,
      SMTP_URL: sink.url,
      PUBLIC_URL: SHARED_PUBLIC_URL,
      SEND_COOLDOWN_SECONDS: "0",
    });
    return { sink, server };
  }

  async function sendAll(target: ServerProcess, emails: string[]) {
    for (const email of emails) {
      const response = await createHttpBrowser().post(target.url, "/api/auth/send-passwordless", { email });
      expect(response.status).toBe(200);
    }
  }

  it(
    "delivers every mail accepted during a 60 s SMTP outage exactly once, by its own retries",
    async () => {
      const { sink, server } = await startBehind("refuse", "outage-idle");
      const emails = Array.from({ length: 5 }, (_, index) => `idle${index}@example.com`);
      await sendAll(server, emails);
      await pause(OUTAGE_MS);
      sink.setMode("accept");
      const recoveredAt = Date.now();
      const refused = sink.attempts();
      for (const email of emails) await sink.waitFor(email, 120_000);
      const lastAt = Math.max(...sink.mails.map((mail) => mail.receivedAt));
      await pause(5000);
      expect(sink.mails.map((mail) => mail.to).sort()).toEqual(emails);
      console.info(
        `[measure] real ${OUTAGE_MS / 1000} s SMTP outage (${refused} refused attempts), no new sign-ins: ` +
          `all ${emails.length} mails delivered within ${lastAt - recoveredAt} ms of recovery, each once`,
      );
    },
    OUTAGE_MS + 180_000,
  );

  it(
    "delivers the queue at once when someone signs in after a 60 s SMTP outage",
    async () => {
      const { sink, server } = await startBehind("refuse", "outage-busy");
      const emails = Array.from({ length: 5 }, (_, index) => `busy${index}@example.com`);
      await sendAll(server, emails);
      await pause(OUTAGE_MS);
      sink.setMode("accept");
      const recoveredAt = Date.now();
      await pause(1000);
      await sendAll(server, ["next@example.com"]);
      for (const email of emails) await sink.waitFor(email, 120_000);
      const lastAt = Math.max(...sink.mails.map((mail) => mail.receivedAt));
      await pause(2000);
      expect(sink.mails.map((mail) => mail.to).sort()).toEqual([...emails, "next@example.com"].sort());
      console.info(
        `[measure] real ${OUTAGE_MS / 1000} s SMTP outage, a new sign-in 1 s after recovery: ` +
          `all ${emails.length} queued mails delivered within ${lastAt - recoveredAt} ms of recovery, each once`,
      );
    },
    OUTAGE_MS + 180_000,
  );

  it("delivers a mail whose sender was killed mid-transfer, after its lease runs out", async () => {
    const { sink, server: first } = await startBehind("stall", "stall");
    await sendAll(first, ["midflight@example.com"]);
    const deadline = Date.now() + 10_000;
    while (sink.attempts() === 0 && Date.now() < deadline) await pause(20);
    await pause(200);
    await first.stop("SIGKILL");
    sink.setMode("accept");
    const restartedAt = Date.now();
    server = await startServer({
      DATABASE_URL: `sqlite:${join(directory, "stall.db")}`,
      SMTP_URL: sink.url,
      PUBLIC_URL: SHARED_PUBLIC_URL,
    });
    const mail = await sink.waitFor("midflight@example.com", 60_000);
    console.info(
      `[measure] SIGKILL mid-transfer: mail delivered ${mail.receivedAt - restartedAt} ms after restart`,
    );
  }, 120_000);
});

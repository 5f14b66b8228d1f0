import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { migrateToLatest, openDatabase } from "../../src/db/database.js";
import { createServices } from "../../src/services.js";
import { PUBLIC_URL, TEST_SECRET_KEY } from "../support/harness.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A development server with its default mail choice, the dev mailbox, keeping its files in `dataDir`. */
async function devServer(dataDir: string, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: "development",
    PUBLIC_URL,
    SECRET_KEY: TEST_SECRET_KEY,
    DATA_DIR: dataDir,
    DATABASE_URL: "sqlite::memory:",
    LOG_LEVEL: "silent",
    ...env,
  });
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  const services = await createServices(config, { database, outboxPollIntervalMs: 20 });
  await services.start();
  const app = await buildApp(services);
  closers.push(async () => {
    await app.close();
    await services.close();
    await database.close();
  });
  return app;
}

const local = { remoteAddress: "127.0.0.1" };

async function mailboxOf(app: FastifyInstance) {
  const response = await app.inject({ method: "GET", url: "/dev/mailbox", ...local });
  expect(response.statusCode).toBe(200);
  return response.json().messages as { id: number; to: string; subject: string; html: string }[];
}

async function sendAndWait(app: FastifyInstance, email: string) {
  const sent = await app.inject({
    method: "POST",
    url: "/api/auth/send-passwordless",
    headers: { origin: PUBLIC_URL, "content-type": "application/json" },
    payload: JSON.stringify({ email }),
    ...local,
  });
  expect(sent.statusCode).toBe(200);
  for (let tries = 0; tries < 200; tries++) {
    const mail = (await mailboxOf(app)).find((message) => message.to === email);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no mail to ${email}`);
}

const dataDir = () => mkdtempSync(join(tmpdir(), "dev-mailbox-"));

describe("the development mailbox", () => {
  it("lists each message with its HTML part", async () => {
    const app = await devServer(dataDir());
    const mail = await sendAndWait(app, "ada@example.com");
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    const page = await app.inject({ method: "GET", url: `/dev/mailbox/${mail.id}/html`, ...local });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(mail.html);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
  });

  it("keeps its messages across a restart", async () => {
    const dir = dataDir();
    const first = await devServer(dir);
    await sendAndWait(first, "bo@example.com");
    await closers.pop()!();
    const second = await devServer(dir);
    expect((await mailboxOf(second)).map((mail) => mail.to)).toEqual(["bo@example.com"]);
  });

  it("answers only this machine unless DEV_MAILBOX_PUBLIC is set", async () => {
    const remote = { remoteAddress: "192.0.2.7" };
    const closed = await devServer(dataDir());
    for (const url of ["/dev/mailbox", "/dev/mail-preview", "/dev/mail-preview/sign-in/en"]) {
      expect((await closed.inject({ method: "GET", url, ...remote })).statusCode).toBe(404);
    }
    const open = await devServer(dataDir(), { DEV_MAILBOX_PUBLIC: "true" });
    expect((await open.inject({ method: "GET", url: "/dev/mailbox", ...remote })).statusCode).toBe(200);
  });

  it("refuses what a proxy on this machine forwards, though it connects from loopback", async () => {
    const app = await devServer(dataDir());
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"]) {
      const response = await app.inject({
        method: "GET",
        url: "/dev/mailbox",
        headers: { [header]: "203.0.113.5" },
        ...local,
      });
      expect(response.statusCode).toBe(404);
    }
  });

  it("refuses a page that rebinds its own domain to 127.0.0.1 (a Host that is not loopback)", async () => {
    const app = await devServer(dataDir());
    const rebound = await app.inject({
      method: "GET",
      url: "/dev/mailbox",
      headers: { host: "rebind.example:8000" },
      ...local,
    });
    expect(rebound.statusCode).toBe(404);
    const direct = await app.inject({
      method: "GET",
      url: "/dev/mailbox",
      headers: { host: "127.0.0.1:8000" },
      ...local,
    });
    expect(direct.statusCode).toBe(200);
  });

  it("cannot be opened to the network in production", () => {
    expect(() =>
      loadConfig({
        NODE_ENV: "production",
        PUBLIC_URL: "https://auth.example.com",
        SECRET_KEY: TEST_SECRET_KEY,
        SMTP_URL: "smtp://127.0.0.1:2525",
        MAIL_FROM: "Acme <no-reply@acme.example>",
        DEV_MAILBOX_PUBLIC: "true",
      }),
    ).toThrow(/DEV_MAILBOX_PUBLIC/);
  });
});

describe("the mail previews", () => {
  it("list every purpose in every language with its subject", async () => {
    const app = await devServer(dataDir(), { APP_NAME: "Acme" });
    const index = await app.inject({ method: "GET", url: "/dev/mail-preview", ...local });
    expect(index.statusCode).toBe(200);
    for (const purpose of ["sign-in", "sign-up", "no-account"]) {
      for (const locale of ["en", "de"])
        expect(index.body).toContain(`/dev/mail-preview/${purpose}/${locale}"`);
    }
    expect(index.body).toContain("Acme-Anmeldecode 042137");
  });

  it("render a mail as HTML and as text", async () => {
    const app = await devServer(dataDir());
    const html = await app.inject({ method: "GET", url: "/dev/mail-preview/sign-up/de", ...local });
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain('<html lang="de"');
    const text = await app.inject({
      method: "GET",
      url: "/dev/mail-preview/sign-up/de?format=text",
      ...local,
    });
    expect(text.headers["content-type"]).toContain("text/plain");
    expect(text.body).toMatch(/^Subject: Latchkey-Bestätigungscode 042137\n/);
  });

  it("answer 404 for a purpose or language that does not exist", async () => {
    const app = await devServer(dataDir());
    for (const url of ["/dev/mail-preview/welcome/en", "/dev/mail-preview/sign-in/fr"]) {
      expect((await app.inject({ method: "GET", url, ...local })).statusCode).toBe(404);
    }
  });
});

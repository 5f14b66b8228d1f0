import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { startupWarnings } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import { migrateToLatest, openDatabase } from "../../src/db/database.js";
import { createServices } from "../../src/services.js";
import { createTestApp, PUBLIC_URL, TEST_SECRET_KEY, type TestApp } from "../support/harness.js";

const PRODUCTION = {
  NODE_ENV: "production",
  MAIL_FROM: "Acme <no-reply@acme.example>",
  SECRET_KEY: TEST_SECRET_KEY,
  SMTP_URL: "smtp://127.0.0.1:2525",
  PUBLIC_URL: "https://auth.example.com",
};

/** The server's own wiring with its default mail choice: no SMTP_URL outside production means the dev mailbox. */
async function serverWithDefaultMail(env: Record<string, string>) {
  const config = loadConfig({
    SECRET_KEY: TEST_SECRET_KEY,
    DATABASE_URL: "sqlite::memory:",
    LOG_LEVEL: "silent",
    ...env,
  });
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  const services = await createServices(config, { database });
  return {
    services,
    async buildApp() {
      await services.start({ runBackgroundJobs: false });
      return buildApp(services);
    },
    async close() {
      await services.close();
      await database.close();
    },
  };
}

describe("SECURITY 13: the development mailbox stays on this machine", () => {
  it("answers a loopback client and refuses any other address with 404", async () => {
    const server = await serverWithDefaultMail({ NODE_ENV: "development", PUBLIC_URL });
    const app = await server.buildApp();
    try {
      const local = await app.inject({ method: "GET", url: "/dev/mailbox", remoteAddress: "127.0.0.1" });
      expect(local.statusCode).toBe(200);
      const remote = await app.inject({ method: "GET", url: "/dev/mailbox", remoteAddress: "192.0.2.7" });
      expect(remote.statusCode).toBe(404);
      expect(remote.json().code).toBe("not_found");
    } finally {
      await app.close();
      await server.close();
    }
  });

  it("is refused when PUBLIC_URL is https: the server does not start without SMTP_URL", async () => {
    const server = await serverWithDefaultMail({
      NODE_ENV: "development",
      PUBLIC_URL: "https://auth.example.com",
    });
    try {
      await expect(server.buildApp()).rejects.toThrow(/PUBLIC_URL is https but SMTP_URL is not set/);
    } finally {
      await server.close();
    }
  });
});

describe("what production exposes", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  it("production serves no /docs and no /openapi.json unless DOCS_PUBLIC=true", async () => {
    testApp = await createTestApp({ env: PRODUCTION });
    expect((await testApp.app.inject({ method: "GET", url: "/docs" })).statusCode).toBe(404);
    expect((await testApp.app.inject({ method: "GET", url: "/openapi.json" })).statusCode).toBe(404);
  });

  it("DOCS_PUBLIC=true serves the docs in production", async () => {
    testApp = await createTestApp({ env: { ...PRODUCTION, DOCS_PUBLIC: "true" } });
    expect((await testApp.app.inject({ method: "GET", url: "/openapi.json" })).statusCode).toBe(200);
  });

  it("COOKIE_SECURE=false and DOCS_PUBLIC=true in production are each named in a startup warning", () => {
    const quiet = loadConfig(PRODUCTION);
    expect(startupWarnings(quiet)).toEqual([]);
    const loose = loadConfig({
      ...PRODUCTION,
      COOKIE_SECURE: "false",
      COOKIE_PREFIX: "none",
      DOCS_PUBLIC: "true",
    });
    expect(startupWarnings(loose)).toEqual([
      expect.stringMatching(/^COOKIE_SECURE=false in production/),
      expect.stringMatching(/^DOCS_PUBLIC=true/),
    ]);
  });
});

describe("log redaction", () => {
  it("keeps an error's code (ECONNREFUSED, a SQLSTATE) visible in the log", async () => {
    const logLines: string[] = [];
    const testApp = await createTestApp({ logLines });
    try {
      testApp.database.ping = async () => {
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      };
      await testApp.app.inject({ method: "GET", url: "/readyz" });
      expect(logLines.join("\n")).toContain('"code":"ECONNREFUSED"');
    } finally {
      await testApp.close();
    }
  });
});

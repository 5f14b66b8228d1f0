import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { signInForTokens } from "./sessions/helpers.js";
import { createPostgresSchema, testDatabaseKind } from "./support/database.js";
import { createTestApp, PUBLIC_URL, TEST_SECRET_KEY, type TestApp } from "./support/harness.js";

/** A database the CLI and a test app share, as an operator's shell and a running server do. */
async function createSharedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDatabaseKind === "postgres") return createPostgresSchema();
  const directory = mkdtempSync(join(tmpdir(), "latchkey-cli-"));
  return {
    url: `sqlite:${join(directory, "latchkey.db")}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

function capture() {
  const lines = { info: [] as string[], error: [] as string[] };
  return {
    lines,
    output: {
      info: (line: string) => lines.info.push(line),
      error: (line: string) => lines.error.push(line),
    },
  };
}

describe("latchkey CLI", () => {
  let shared: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    shared = await createSharedDatabase();
    env = {
      NODE_ENV: "test",
      SECRET_KEY: TEST_SECRET_KEY,
      PUBLIC_URL,
      DATABASE_URL: shared.url,
      LOG_LEVEL: "silent",
    };
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await shared.drop();
  });

  async function run(...argv: string[]) {
    const { lines, output } = capture();
    const code = await runCli(argv, env, output);
    return { code, ...lines };
  }

  /** A running server on the shared database, with a clock that agrees with the CLI's. */
  async function startServer(extraEnv: Record<string, string> = {}) {
    const testApp = await createTestApp({
      env: { DATABASE_URL: shared.url, ...extraEnv },
      clockStart: Date.now(),
    });
    apps.push(testApp);
    return testApp;
  }

  it("migrate applies the migrations once, then reports the database up to date", async () => {
    const first = await run("migrate");
    expect(first.code).toBe(0);
    expect(first.info).toEqual([expect.stringMatching(/^migrate: applied 0001_/)]);
    const second = await run("migrate");
    expect(second.code).toBe(0);
    expect(second.info).toEqual(["migrate: the database is up to date"]);
  });

  it("keys list shows the active key, one line each, without key material", async () => {
    const testApp = await startServer();
    const { kid } = testApp.services.keys.currentSigningKey();
    const result = await run("keys", "list");
    expect(result.code).toBe(0);
    expect(result.info).toEqual([
      expect.stringMatching(new RegExp(`^${kid}  EdDSA  active +created \\S+Z  retired -$`)),
    ]);
  });

  it("keys list on a fresh database says there are no keys yet, and creates none", async () => {
    const first = await run("keys", "list");
    expect(first.code).toBe(0);
    expect(first.info).toEqual(["no signing keys yet: the server creates one when it starts"]);
    const second = await run("keys", "list");
    expect(second.info).toEqual(["no signing keys yet: the server creates one when it starts"]);
  });

  it("keys list never connects to Redis, even with REDIS_URL set", async () => {
    const connections: Socket[] = [];
    const fakeRedis = createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => fakeRedis.listen(0, "127.0.0.1", resolve));
    env.REDIS_URL = `redis://127.0.0.1:${(fakeRedis.address() as AddressInfo).port}`;
    try {
      const result = await run("keys", "list");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(result.code).toBe(0);
      expect(connections).toHaveLength(0);
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => fakeRedis.close(resolve));
    }
  });

  it("keys rotate: the JWKS then holds two keys and new tokens carry the new kid", async () => {
    const testApp = await startServer();
    const before = await signInForTokens(testApp, "alice@example.com");
    const result = await run("keys", "rotate");
    expect(result.code).toBe(0);
    expect(result.info).toHaveLength(1);
    const newKid = /^rotated: (\S+) signs new tokens; retired keys \(1\) stay published/.exec(
      result.info[0] ?? "",
    )?.[1];
    expect(newKid).toEqual(expect.any(String));
    await testApp.services.keys.ensureCurrent(); // what every server does every KEY_RELOAD_SECONDS
    const jwks = (await testApp.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json();
    expect(jwks.keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
      [decodeProtectedHeader(before.access_token).kid, newKid].sort(),
    );
    testApp.clock.advanceSeconds(31);
    const after = await signInForTokens(testApp, "alice@example.com");
    expect(decodeProtectedHeader(after.access_token).kid).toBe(newKid);
    const old = await testApp.app.inject({
      method: "GET",
      url: "/api/auth/protected",
      headers: { authorization: `Bearer ${before.access_token}` },
    });
    expect(old.statusCode).toBe(200);
    const list = await run("keys", "list");
    expect(list.info.map((line) => line.split("  ")[2]?.trim())).toEqual(["active", "retired"]);
  });

  it("keys rotate in HS256 mode fails with a clear message", async () => {
    env.JWT_SECRET = "a-jwt-secret-that-is-at-least-32-bytes-long";
    const result = await run("keys", "rotate");
    expect(result.code).toBe(1);
    expect(result.error).toEqual([
      expect.stringMatching(/^latchkey keys rotate: HS256 mode .* rotate by changing JWT_SECRET$/),
    ]);
  });

  it("outbox status counts pending, failed and sent mail", async () => {
    const testApp = await startServer();
    await signInForTokens(testApp, "alice@example.com");
    const result = await run("outbox", "status");
    expect(result.code).toBe(0);
    expect(result.info).toEqual(["outbox: 0 pending, 0 failed, 1 sent; oldest pending -"]);
  });

  it("outbox retry queues failed messages again", async () => {
    const testApp = await startServer();
    await testApp.database.db
      .insertInto("mail_outbox")
      .values({
        id: "failed-message-1",
        auth_request_id: null,
        recipient: "alice@example.com",
        sealed_message: "sealed",
        next_attempt_at: 0,
        locked_until: null,
        created_at: Date.now(),
        sent_at: null,
        failed_at: Date.now(),
        error: "550 mailbox unavailable",
      })
      .execute();
    const retry = await run("outbox", "retry");
    expect(retry.code).toBe(0);
    expect(retry.info).toEqual(["outbox: 1 failed message queued for retry"]);
    expect((await run("outbox", "status")).info[0]).toMatch(/^outbox: 1 pending, 0 failed/);
  });

  it("an unknown command exits 2 with the usage", async () => {
    const result = await run("keys", "destroy");
    expect(result.code).toBe(2);
    expect(result.error[0]).toBe('latchkey: unknown command "keys destroy"');
    expect(result.error).toContain("usage: latchkey <command>");
  });

  it("help lists every command", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    for (const command of ["migrate", "keys rotate", "keys list", "outbox status", "outbox retry"]) {
      expect(result.info.some((line) => line.trimStart().startsWith(command))).toBe(true);
    }
  });

  it("a bad configuration exits 1 naming every bad variable", async () => {
    env.SECRET_KEY = "short";
    env.JWT_CLOCK_SKEW_SECONDS = "600";
    const result = await run("keys", "list");
    expect(result.code).toBe(1);
    expect(result.error).toEqual([
      expect.stringMatching(/^config error: JWT_CLOCK_SKEW_SECONDS/),
      "config error: SECRET_KEY: must be at least 32 bytes",
    ]);
  });

  it("an unreachable database exits 1 with a message", async () => {
    env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";
    env.DATABASE_TIMEOUT_MS = "500";
    const result = await run("migrate");
    expect(result.code).toBe(1);
    expect(result.error).toHaveLength(1);
    expect(result.error[0]).toMatch(/^latchkey migrate: /);
  });
});

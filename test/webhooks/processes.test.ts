import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { type ServerProcess, startServer } from "../production/support/server-process.js";
import { createSharedDatabase, testDatabaseKind } from "../support/database.js";
import { TEST_SECRET_KEY } from "../support/harness.js";
import { type Receiver, startReceiver } from "./receiver.js";

/** The lease a killed worker may leave on a delivery it was making (src/webhooks/service.ts). */
const LEASE_MS = 15_000;

/** Runs a CLI command against the servers' database; returns its JSON output. */
async function cli(env: Record<string, string>, ...argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runCli(argv, env, {
    info: (line) => lines.push(line),
    error: (line) => errors.push(line),
  });
  if (code !== 0) throw new Error(`latchkey ${argv.join(" ")} failed: ${errors.join("\n")}`);
  return JSON.parse(lines.join("\n")) as Record<string, string>;
}

async function createUser(server: ServerProcess, key: string, email: string) {
  const response = await fetch(`${server.url}/api/admin/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(201);
}

describe("webhooks delivered by real server processes", () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: Receiver;
  const servers: ServerProcess[] = [];
  let env: Record<string, string>;

  async function setUp() {
    database = await createSharedDatabase();
    receiver = await startReceiver();
    env = { DATABASE_URL: database.url, DATA_DIR: tmpdir(), LOG_LEVEL: "info" };
    const cliEnv = { ...env, NODE_ENV: "development", SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: "silent" };
    await cli(cliEnv, "migrate").catch(() => undefined);
    const { key } = await cli(cliEnv, "admin-keys", "create", "--name", "ops", "--json");
    await cli(cliEnv, "webhooks", "add", "--url", receiver.url, "--event", "user.created", "--json");
    return key ?? "";
  }

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop("SIGKILL");
    await receiver?.close();
    await database?.drop();
  });

  it(
    "delivers after a SIGKILL mid-delivery, once restarted, with the same webhook-id",
    async () => {
      const key = await setUp();
      let server = await startServer(env);
      servers.push(server);
      receiver.setStatus(0);
      await createUser(server, key, "killed@example.com");
      await receiver.waitUntil(() => receiver.attempts.length === 1);
      process.kill(server.pid, "SIGKILL");
      expect(await server.stop()).toBe("SIGKILL");
      servers.splice(0);

      receiver.setStatus(204);
      const restartedAt = Date.now();
      server = await startServer(env);
      servers.push(server);
      await receiver.waitUntil(() => receiver.accepted().length === 1, LEASE_MS + 15_000);
      const delivered = receiver.accepted()[0];
      expect(delivered?.headers["webhook-id"]).toBe(receiver.attempts[0]?.headers["webhook-id"]);
      console.info(
        `[measure] ${testDatabaseKind}: webhook held by a SIGKILLed sender delivered ${(delivered?.at ?? 0) - restartedAt} ms after the restart began (lease ${LEASE_MS} ms)`,
      );
    },
    LEASE_MS + 60_000,
  );

  it.runIf(testDatabaseKind === "postgres")(
    "two instances deliver each event exactly once",
    async () => {
      const key = await setUp();
      const first = await startServer(env);
      const second = await startServer(env);
      servers.push(first, second);
      const emails = Array.from({ length: 30 }, (_, index) => `pair${index}@example.com`);
      await Promise.all(emails.map((email, index) => createUser(index % 2 ? first : second, key, email)));
      await receiver.waitUntil(() => receiver.accepted().length >= emails.length, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const ids = receiver.attempts.map((attempt) => attempt.headers["webhook-id"]);
      expect(new Set(ids).size).toBe(emails.length);
      expect(ids).toHaveLength(emails.length);
    },
    60_000,
  );
});

describe.runIf(process.env.LATCHKEY_SLOW_TESTS === "1")(
  "a 60 s receiver outage (LATCHKEY_SLOW_TESTS=1)",
  () => {
    it("delivers once the receiver is back, and says how long after", async () => {
      const database = await createSharedDatabase();
      const receiver = await startReceiver();
      const env = { DATABASE_URL: database.url, DATA_DIR: tmpdir(), LOG_LEVEL: "info" };
      const cliEnv = { ...env, NODE_ENV: "development", SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: "silent" };
      const { key } = await cli(cliEnv, "admin-keys", "create", "--name", "ops", "--json");
      await cli(cliEnv, "webhooks", "add", "--url", receiver.url, "--event", "user.created", "--json");
      const server = await startServer(env);
      try {
        receiver.setStatus(503);
        await createUser(server, key ?? "", "outage@example.com");
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        receiver.setStatus(204);
        const recoveredAt = Date.now();
        await receiver.waitUntil(() => receiver.accepted().length === 1, 120_000);
        const delay = (receiver.accepted()[0]?.at ?? 0) - recoveredAt;
        console.info(
          `[measure] ${testDatabaseKind}: webhook delivered ${delay} ms after a 60 s receiver outage ended (${receiver.attempts.length} attempts)`,
        );
        expect(new Set(receiver.attempts.map((attempt) => attempt.headers["webhook-id"])).size).toBe(1);
      } finally {
        await server.stop("SIGKILL");
        await receiver.close();
        await database.drop();
      }
    }, 200_000);
  },
);

import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/database.js";
import { isDatabaseUnavailable } from "../../src/db/errors.js";
import { createPostgresSchema, type TestDatabase, testDatabaseKind } from "../support/database.js";
import { createTestApp, type TestApp } from "../support/harness.js";

/** The error a failing promise rejected with. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected the database call to fail");
}

describe.runIf(testDatabaseKind === "sqlite")("SQLite outages are told from bugs by result code", () => {
  let directory: string;
  let location: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "latchkey-sqlite-"));
    location = join(directory, "latchkey.db");
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("a database file that cannot be opened (SQLITE_CANTOPEN) counts as unavailable", () => {
    let error: unknown;
    try {
      new SQLite(directory); // a folder, not a database file
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).toMatch(/^SQLITE_CANTOPEN/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("a wrong query (SQLITE_ERROR) is a bug, not an outage", async () => {
    const database = openDatabase({ dialect: "sqlite", location, timeoutMs: 1000 });
    const error = await failureOf(sql`select * from no_such_table`.execute(database.db));
    await database.close();
    expect((error as { code?: string }).code).toBe("SQLITE_ERROR");
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("a write still locked out after DATABASE_TIMEOUT_MS fails as SQLITE_BUSY, an outage", async () => {
    const database = openDatabase({ dialect: "sqlite", location, timeoutMs: 200 });
    await sql`create table t (x integer)`.execute(database.db);
    const other = new SQLite(location);
    other.prepare("begin immediate").run();
    const error = await failureOf(sql`insert into t values (1)`.execute(database.db));
    other.prepare("rollback").run();
    other.close();
    await database.close();
    expect((error as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("a write waiting for another process's lock keeps the event loop turning, then succeeds", async () => {
    const database = openDatabase({ dialect: "sqlite", location, timeoutMs: 2000 });
    await sql`create table t (x integer)`.execute(database.db);
    const other = new SQLite(location);
    other.prepare("begin immediate").run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    setTimeout(() => other.prepare("commit").run(), 300);
    const started = performance.now();
    await sql`insert into t values (1)`.execute(database.db);
    const waitedMs = performance.now() - started;
    clearInterval(ticker);
    other.close();
    await database.close();
    expect(waitedMs).toBeGreaterThanOrEqual(250);
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it("/readyz answers 503 once the database file is deleted under a running server", async () => {
    const testApp = await createTestApp({ env: { DATABASE_URL: `sqlite:${location}` } });
    try {
      expect((await testApp.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
      unlinkSync(location);
      const response = await testApp.app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe("database_unavailable");
    } finally {
      await testApp.close();
    }
  });
});

describe.runIf(testDatabaseKind === "postgres")(
  "PostgreSQL outages are told from bugs by SQLSTATE and errno",
  () => {
    let schema: TestDatabase;
    let database: DatabaseHandle;
    beforeEach(async () => {
      schema = await createPostgresSchema();
      database = openDatabase({ ...schema.config, timeoutMs: 1000 });
    });
    afterEach(async () => {
      await database.close();
      await schema.drop();
    });

    it("a refused connection (ECONNREFUSED) counts as unavailable", async () => {
      const nowhere = openDatabase({
        dialect: "postgres",
        location: "postgres://nobody@127.0.0.1:1/none",
        timeoutMs: 500,
      });
      const error = await failureOf(nowhere.ping());
      await nowhere.close();
      expect(isDatabaseUnavailable(error)).toBe(true);
    });

    it("a server-side shutdown of the connection (57P01) counts as unavailable", async () => {
      const error = await failureOf(sql`select pg_terminate_backend(pg_backend_pid())`.execute(database.db));
      expect(isDatabaseUnavailable(error)).toBe(true);
    });

    it("a connection lost between two queries of a transaction fails the transaction as unavailable, not the process", async () => {
      const other = openDatabase({ ...schema.config, timeoutMs: 1000 });
      const error = await failureOf(
        database.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(other.db);
          // The server's goodbye reaches the client while no query is running on it.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await sql`select 1`.execute(trx);
        }),
      );
      await other.close();
      expect(isDatabaseUnavailable(error)).toBe(true);
      await database.ping(); // the pool replaced the lost connection
    });

    it("a statement timeout (57014) counts as unavailable", async () => {
      const error = await failureOf(sql`select pg_sleep(3)`.execute(database.db));
      expect(isDatabaseUnavailable(error)).toBe(true);
    });

    it("a wrong query (42P01) and a broken constraint (23505) are bugs, not outages", async () => {
      const missing = await failureOf(sql`select * from no_such_table`.execute(database.db));
      expect((missing as { code?: string }).code).toBe("42P01");
      expect(isDatabaseUnavailable(missing)).toBe(false);
      await migrateToLatest(database.db);
      const row = {
        kid: "k",
        alg: "EdDSA",
        public_jwk: "{}",
        private_jwk: "x",
        created_at: 0,
        retired_at: null,
      };
      await database.db.insertInto("signing_keys").values(row).execute();
      const duplicate = await failureOf(database.db.insertInto("signing_keys").values(row).execute());
      expect((duplicate as { code?: string }).code).toBe("23505");
      expect(isDatabaseUnavailable(duplicate)).toBe(false);
    });
  },
);

describe("a 5xx is logged with its cause and the request id", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  it("a database outage answers 503 and logs a warning naming the error code and request id", async () => {
    const logLines: string[] = [];
    testApp = await createTestApp({ logLines });
    const unavailable = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      code: "ECONNREFUSED",
    });
    testApp.database.ping = async () => {
      throw unavailable;
    };
    const response = await testApp.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    const requestId = response.headers["x-request-id"];
    const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.level >= 40 && entry.err);
    expect(logged).toMatchObject({ reqId: requestId, err: { code: "ECONNREFUSED" } });
  });
});

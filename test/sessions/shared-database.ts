import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli.js";
import { createPostgresSchema, testDatabaseKind } from "../support/database.js";
import { PUBLIC_URL, TEST_SECRET_KEY } from "../support/harness.js";

/**
 * One database that several connections reach, as two server processes (or a server and
 * the CLI) do: a new PostgreSQL schema, or a SQLite file (`:memory:` is per connection).
 */
export async function createSharedDatabase() {
  if (testDatabaseKind === "postgres") {
    const schema = await createPostgresSchema();
    return { url: schema.url, dialect: "postgres" as const, location: schema.url, drop: schema.drop };
  }
  const directory = mkdtempSync(join(tmpdir(), "latchkey-shared-"));
  const location = join(directory, "latchkey.db");
  return {
    url: `sqlite:${location}`,
    dialect: "sqlite" as const,
    location,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** Runs `latchkey <argv>` as an operator's shell would, against the database at `databaseUrl`. */
export async function runCliAgainst(databaseUrl: string, ...argv: string[]) {
  const lines = { info: [] as string[], error: [] as string[] };
  const environment = { NODE_ENV: "test", SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL, LOG_LEVEL: "silent" };
  const code = await runCli(
    argv,
    { ...environment, DATABASE_URL: databaseUrl },
    {
      info: (line) => lines.info.push(line),
      error: (line) => lines.error.push(line),
    },
  );
  return { code, ...lines };
}

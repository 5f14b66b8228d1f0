import pg from "pg";
import { type DatabaseConfig, parseDatabaseUrl } from "../../src/config.js";
import { randomId } from "../../src/security/crypto.js";

/** Which database the suite runs on: `TEST_DATABASE=postgres` for the PostgreSQL pass. */
export const testDatabaseKind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
export const postgresUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  url: string;
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test app: an in-memory SQLite file, or a new PostgreSQL
 * schema (selected through the connection's search_path) so runs never collide.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind === "sqlite") {
    const url = "sqlite::memory:";
    return { url, config: parseDatabaseUrl(url)!, drop: async () => {} };
  }
  const schema = `t_${randomId()
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase()}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${postgresUrl}${postgresUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    config: parseDatabaseUrl(url)!,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

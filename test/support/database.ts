import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type DatabaseConfig, parseDatabaseUrl } from "../../src/config.js";
import { randomId } from "../../src/security/crypto.js";

/** Which database the suite runs on: `TEST_DATABASE=postgres` for the PostgreSQL pass (vitest.config.ts). */
export const testDatabaseKind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
export const postgresUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** Set by vitest.config.ts only when Redis answered its probe; tests that need Redis skip without it. */
export const testRedisUrl: string | undefined = process.env.LATCHKEY_TEST_REDIS_URL || undefined;

export interface TestDatabase {
  url: string;
  config: DatabaseConfig;
  drop(): Promise<void>;
}

const ADMIN_TIMEOUT_MS = 5000;

async function withAdmin(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: ADMIN_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A unique lowercase name for a schema, a database or a Redis key prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomId()
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase()}`;
}

/**
 * A connection URL that selects `schema` through the connection's search_path. Commits
 * do not wait for the WAL flush: a test database needs no crash durability, only speed.
 */
export function withSearchPath(baseUrl: string, schema: string): string {
  const options = encodeURIComponent(`-c search_path=${schema} -c synchronous_commit=off`);
  return `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}options=${options}`;
}

/** A new, empty PostgreSQL schema on `baseUrl`, whatever pass this is. */
export async function createPostgresSchema(
  baseUrl = postgresUrl,
): Promise<TestDatabase & { schema: string }> {
  const schema = uniqueName("t_");
  await withAdmin(baseUrl, `create schema ${schema}`);
  const url = withSearchPath(baseUrl, schema);
  return {
    schema,
    url,
    config: parseDatabaseUrl(url)!,
    drop: () => withAdmin(baseUrl, `drop schema if exists ${schema} cascade`),
  };
}

/**
 * A fresh database for one test app: an in-memory SQLite file, or a new PostgreSQL
 * schema so runs (and people running tests side by side) never collide.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind === "sqlite") {
    const url = "sqlite::memory:";
    return { url, config: parseDatabaseUrl(url)!, drop: async () => {} };
  }
  return createPostgresSchema();
}

/** A database several processes (servers, the CLI) share: a SQLite file, or a fresh PostgreSQL schema. */
export async function createSharedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDatabaseKind === "postgres") return createPostgresSchema();
  const directory = mkdtempSync(join(tmpdir(), "latchkey-shared-"));
  return {
    url: `sqlite:${join(directory, "latchkey.db")}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresAdapter, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../config.js";
import { migrationProvider } from "./migrations/index.js";
import { CurrentSchemaPostgresDialect } from "./postgres-introspector.js";
import type { Database } from "./tables.js";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: DatabaseConfig["dialect"];
  /** One round trip; throws when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

function openSqlite(config: DatabaseConfig): DatabaseHandle {
  if (config.location !== ":memory:") mkdirSync(dirname(config.location), { recursive: true });
  const connection = new SQLite(config.location, { timeout: config.timeoutMs });
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma(`busy_timeout = ${Math.floor(config.timeoutMs)}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    db,
    dialect: "sqlite",
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

// PostgreSQL returns BIGINT as a string; our BIGINTs are millisecond timestamps well
// inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

function openPostgres(config: DatabaseConfig): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: config.location,
    max: 10,
    connectionTimeoutMillis: config.timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.timeoutMs,
    query_timeout: config.timeoutMs,
  });
  // An idle client losing its connection (server restart) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  return config.dialect === "postgres" ? openPostgres(config) : openSqlite(config);
}

/**
 * On PostgreSQL the migration bookkeeping lives in the connection's current schema, named
 * explicitly: Kysely otherwise accepts its tables from any schema of the database, sees
 * another schema's (another app, another Latchkey) and skips creating its own.
 */
async function migrationSchemaOf(db: Db): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/** Applies every pending migration; throws on the first failure. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrationTableSchema = await migrationSchemaOf(db);
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? [])
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}

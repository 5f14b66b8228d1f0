import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresAdapter,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteDialect,
  sql,
} from "kysely";
import type * as Pg from "pg";
import type { DatabaseConfig } from "../config.js";
import { loadOnFirstUse } from "../load-on-first-use.js";
import { DatabaseConnectionError, isDatabaseUnavailable } from "./errors.js";
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

/**
 * better-sqlite3 waits for a lock synchronously, freezing the event loop for the whole
 * busy timeout. SQLite therefore waits only a moment (SQLITE_LOCK_WAIT_MS) and a busy or
 * locked statement is retried here, asynchronously, until DATABASE_TIMEOUT_MS has passed.
 */
const SQLITE_LOCK_WAIT_MS = 5;
const SQLITE_RETRY_PAUSE_MS = [5, 10, 20, 50];

function isLockContention(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

async function retryWhileLocked<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isLockContention(error) || Date.now() >= giveUpAt) throw error;
      await sleep(SQLITE_RETRY_PAUSE_MS[Math.min(retry, SQLITE_RETRY_PAUSE_MS.length - 1)]);
    }
  }
}

/**
 * Kysely prepares every statement anew, and preparing (parsing and planning the SQL) cost as
 * much CPU as running it. Latchkey's statements come from a fixed set of query builders, so
 * the prepared statements are kept, by SQL text, up to STATEMENT_CACHE_SIZE (least recently
 * used dropped first). A statement is reused only after its previous run has returned: they
 * run synchronously and Latchkey never streams (iterate) a query.
 */
const STATEMENT_CACHE_SIZE = 256;

export function cachingStatements(connection: SQLite.Database, size = STATEMENT_CACHE_SIZE) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sqlText: string): SQLite.Statement {
      let statement = statements.get(sqlText);
      if (statement) {
        statements.delete(sqlText);
      } else {
        statement = connection.prepare(sqlText);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sqlText, statement);
      return statement;
    },
    close() {
      statements.clear();
      connection.close();
    },
  };
}

class AsyncRetrySqliteDialect extends SqliteDialect {
  constructor(
    database: SQLite.Database,
    private readonly timeoutMs: number,
  ) {
    super({ database: cachingStatements(database) });
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const timeoutMs = this.timeoutMs;
    const acquireConnection = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async (): Promise<DatabaseConnection> => {
      const connection = await acquireConnection();
      return {
        executeQuery: (query) => retryWhileLocked(() => connection.executeQuery(query), timeoutMs),
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
    };
    return driver;
  }
}

/**
 * A new SQLite file (and its folder) readable by this user only: it holds addresses, IPs
 * and user agents. SQLite gives the -wal and -shm files the same mode. An existing file
 * keeps the mode its operator chose.
 */
function createPrivately(location: string) {
  mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
  if (!existsSync(location)) writeFileSync(location, "", { mode: 0o600, flag: "a" });
}

/**
 * SQLite's own default page cache. better-sqlite3 raises it to 16 MB, which a server kept
 * for good: after a login storm it held 7 MB more at idle and 5 MB more at its peak, with no
 * measurable CPU per login saved. Pages it drops are read back from the OS's file cache.
 */
const SQLITE_PAGE_CACHE_KIB = 2000;

function openSqlite(config: DatabaseConfig): DatabaseHandle {
  const isFile = config.location !== ":memory:";
  if (isFile) createPrivately(config.location);
  const connection = new SQLite(config.location, { timeout: SQLITE_LOCK_WAIT_MS });
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma(`cache_size = -${SQLITE_PAGE_CACHE_KIB}`);
  const db = new Kysely<Database>({ dialect: new AsyncRetrySqliteDialect(connection, config.timeoutMs) });
  return {
    db,
    dialect: "sqlite",
    ping: async () => {
      // An open connection keeps working on a deleted file, and loses every write with it.
      if (isFile && !existsSync(config.location)) {
        throw new DatabaseConnectionError(`the SQLite database file ${config.location} is gone`);
      }
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** pg, loaded only when the database is PostgreSQL. */
function loadPg(): typeof Pg {
  const pg = loadOnFirstUse<typeof Pg>("pg");
  // PostgreSQL returns BIGINT as a string; our BIGINTs are millisecond timestamps well
  // inside Number's exact range.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  return pg;
}

/** Swallows the 'error' a checked-out client emits when its server goes away (see below). */
function ignoreLostConnection() {}

/**
 * pg reports what the server said as a DatabaseError with a SQLSTATE `code`; a checkout
 * that timed out, a connection that ended mid-query or a query that got no answer come
 * without a code. Those become DatabaseConnectionError, so db/errors.ts decides by type
 * and code alone.
 */
function classifyingPool(pg: typeof Pg, pool: Pg.Pool): PostgresPool {
  const classify = (error: unknown) =>
    error instanceof pg.DatabaseError || isDatabaseUnavailable(error)
      ? error
      : new DatabaseConnectionError("the PostgreSQL connection failed", { cause: error });
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch((error: unknown) => {
        throw classify(error);
      });
      // pg-pool listens for errors only on idle clients. A checked-out client whose server
      // goes away between two queries (inside a transaction, say) emits an 'error' nobody
      // hears, which would crash the process; the next query fails with the ended client.
      client.on("error", ignoreLostConnection);
      const query = (text: string, parameters: ReadonlyArray<unknown>) =>
        client.query(text, parameters as unknown[]).catch((error: unknown) => {
          throw classify(error);
        });
      // Latchkey never streams, so Kysely's cursor overload of `query` is not needed.
      return {
        query,
        release: (destroy?: boolean) => {
          client.removeListener("error", ignoreLostConnection);
          client.release(destroy);
        },
      } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

function openPostgres(config: DatabaseConfig): DatabaseHandle {
  const pg = loadPg();
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
  const db = new Kysely<Database>({
    dialect: new CurrentSchemaPostgresDialect({ pool: classifyingPool(pg, pool) }),
  });
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

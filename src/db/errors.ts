/**
 * Telling "the database could not be reached" (503, retry) from "the query was wrong"
 * (500, a bug) by what the drivers say in `code`, never by message text.
 */

/** Node's socket errors: the database host did not answer. */
const NETWORK_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), class 53 (insufficient
 * resources: too many connections, disk full, out of memory), class 57P (the server is
 * shutting down or starting), 57014 (statement timeout: the server is overloaded).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    /^08[0-9A-Z]{3}$/.test(code) ||
    /^53[0-9A-Z]{3}$/.test(code) ||
    /^57P0[1-4]$/.test(code) ||
    code === "57014"
  );
}

/** SQLite primary result codes (extended codes such as SQLITE_BUSY_SNAPSHOT share the prefix). */
const SQLITE_UNAVAILABLE = ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_FULL"];

/**
 * The connection itself failed: a checkout that timed out, a connection that ended in the
 * middle of a query, a query that got no answer in time, a database file that is gone.
 * database.ts raises it where the driver reports such failures without a code.
 */
export class DatabaseConnectionError extends Error {
  readonly code = "LATCHKEY_DB_CONNECTION";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "DatabaseConnectionError";
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when an error means the database could not be reached, not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseConnectionError) return true;
  const code = codeOf(error);
  if (code === undefined) return false;
  if (NETWORK_ERRNOS.has(code) || isUnavailableSqlState(code)) return true;
  return SQLITE_UNAVAILABLE.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
}

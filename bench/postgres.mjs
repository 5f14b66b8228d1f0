// Scratch PostgreSQL databases for the -pg targets, created fresh and dropped after the run.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server version string, or null when PostgreSQL is not reachable. */
export async function postgresVersion() {
  try {
    return await withAdmin(
      async (client) => (await client.query("SHOW server_version")).rows[0].server_version,
    );
  } catch {
    return null;
  }
}

/** Creates an empty database; resolves with its URL and a function dropping it. */
export async function createScratchDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

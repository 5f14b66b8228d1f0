import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, loadConfig, withSecretKey } from "./config.js";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "./db/database.js";
import { randomToken } from "./security/crypto.js";

/**
 * In development a missing SECRET_KEY is generated once and kept in the data directory,
 * so sessions survive restarts. Production refuses to start without one (config.ts).
 */
function resolveSecretKey(config: Config): { secretKey: string; generatedAt?: string } {
  if (config.secretKey) return { secretKey: config.secretKey };
  const path = join(config.server.dataDir, "secret.key");
  if (existsSync(path)) return { secretKey: readFileSync(path, "utf8").trim() };
  mkdirSync(config.server.dataDir, { recursive: true, mode: 0o700 });
  const secretKey = randomToken(48);
  writeFileSync(path, `${secretKey}\n`, { mode: 0o600 });
  return { secretKey, generatedAt: path };
}

export interface Bootstrapped {
  /** The validated config with the root secret resolved. */
  config: Config;
  /** Open and migrated; the caller closes it. */
  database: DatabaseHandle;
  /** Migrations applied by this start, oldest first. */
  appliedMigrations: string[];
  /** Where a development SECRET_KEY was just generated, if it was. */
  generatedSecretAt: string | undefined;
}

/**
 * What every process entry (the server, the `latchkey` CLI) does first: load the config,
 * resolve the root secret, open the database and migrate it. Throws ConfigError naming
 * every bad variable; closes the database again if migrating fails.
 */
export async function bootstrap(env: Record<string, string | undefined>): Promise<Bootstrapped> {
  const loaded = loadConfig(env);
  const { secretKey, generatedAt } = resolveSecretKey(loaded);
  const config = withSecretKey(loaded, secretKey);
  const database = openDatabase(config.database);
  try {
    const appliedMigrations = await migrateToLatest(database.db);
    return { config, database, appliedMigrations, generatedSecretAt: generatedAt };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** Settings that are allowed but weaken a production deployment; run-server.ts logs each at start. */
export function startupWarnings(config: Config): string[] {
  if (!config.isProduction) return [];
  const warnings: string[] = [];
  if (!config.sessions.secureCookies) {
    warnings.push("COOKIE_SECURE=false in production: session cookies are also sent over plain http");
  }
  if (config.server.isDocsPublic) warnings.push("DOCS_PUBLIC=true: /docs and /openapi.json are served");
  return warnings;
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "./app.js";
import { type Config, ConfigError, loadConfig, readEnvironment, withSecretKey } from "./config.js";
import { migrateToLatest, openDatabase } from "./db/database.js";
import { randomToken } from "./security/crypto.js";

/**
 * In development a missing SECRET_KEY is generated once and kept in the data directory,
 * so sessions survive restarts. Production refuses to start without one (config.ts).
 */
function resolveSecretKey(config: Config): { secretKey: string; generatedAt?: string } {
  if (config.secretKey) return { secretKey: config.secretKey };
  const path = join(config.server.dataDir, "secret.key");
  if (existsSync(path)) return { secretKey: readFileSync(path, "utf8").trim() };
  mkdirSync(config.server.dataDir, { recursive: true });
  const secretKey = randomToken(48);
  writeFileSync(path, `${secretKey}\n`, { mode: 0o600 });
  return { secretKey, generatedAt: path };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config error: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const { secretKey, generatedAt } = resolveSecretKey(config);
  config = withSecretKey(config, secretKey);
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  const app = await buildApp(config, { database });
  if (generatedAt)
    app.log.warn(`SECRET_KEY not set: generated one and saved it to ${generatedAt} (development only)`);

  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    app.log.info({ signal }, "shutting down: finishing in-flight requests and mail");
    const forceExit = setTimeout(() => process.exit(1), 15_000);
    forceExit.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ host: config.server.host, port: config.server.port });
  const mailMode = config.mail.useDevMailbox ? "dev mailbox at /dev/mailbox" : "SMTP";
  app.log.info(
    `Latchkey ready at ${config.server.publicUrl.origin} (${config.database.dialect}, ${mailMode}, docs at /docs)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

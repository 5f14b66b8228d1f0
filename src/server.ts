import { buildApp } from "./app.js";
import { type Bootstrapped, bootstrap } from "./bootstrap.js";
import { ConfigError, readEnvironment } from "./config.js";

async function main() {
  let started: Bootstrapped;
  try {
    started = await bootstrap(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config error: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const { config, database, generatedSecretAt: generatedAt } = started;
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
    let exitCode = 0;
    try {
      await app.close();
      await database.close();
    } catch (error) {
      app.log.error({ err: error }, "shutdown did not finish cleanly");
      exitCode = 1;
    } finally {
      process.exit(exitCode);
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

import { buildApp } from "./app.js";
import { type Bootstrapped, bootstrap, startupWarnings } from "./bootstrap.js";
import { flushCompileCache } from "./compile-cache.js";
import { ConfigError } from "./config.js";
import { readEnvironment } from "./environment.js";
import { describeListenError } from "./http/listen-error.js";
import { flushLog, flushLogBeforeExit } from "./http/logger.js";
import { findWebRoot } from "./http/web-ui.js";
import { createServices } from "./services.js";

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
  const services = await createServices(config, { database });
  flushLogBeforeExit(services.log);
  await services.start();
  const app = await buildApp(services, { webRoot: findWebRoot() });
  if (generatedAt)
    app.log.warn(`SECRET_KEY not set: generated one and saved it to ${generatedAt} (development only)`);
  for (const warning of startupWarnings(config)) app.log.warn(warning);

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
      await services.close();
      await database.close();
    } catch (error) {
      app.log.error({ err: error }, "shutdown did not finish cleanly");
      exitCode = 1;
    } finally {
      await flushLog(app.log);
      process.exit(exitCode);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  try {
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    const problem = describeListenError(error, config.server.host, config.server.port);
    if (!problem) throw error;
    console.error(problem);
    await flushLog(app.log);
    process.exit(1);
  }
  const mailMode = config.mail.useDevMailbox ? "dev mailbox at /dev/mailbox" : "SMTP";
  const docs = config.server.isDocsPublic ? ", docs at /docs" : "";
  app.log.info(
    `Latchkey ready at ${config.server.publicUrl.origin} (${config.database.dialect}, ${mailMode}${docs})`,
  );
  // The start-up lines go out now, not when the log buffer fills.
  await flushLog(app.log);
  flushCompileCache();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

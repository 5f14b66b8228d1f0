// Starting one server under test: a free port, a data directory of its own, its log in there.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { freePort, scratchDataDir, startServer } from "./processes.mjs";
import { serverEnv } from "./targets.mjs";

const START_TIMEOUT_MS = 20_000;

/**
 * Starts `target` with the shared server environment (`serverEnv`; `envOptions` adds `redisUrl`,
 * `extra`, `rateLimits`), on SQLite in its data directory unless `databaseUrl` names another
 * database. The directory is removed at cleanup. Resolves with the server and its environment.
 */
export async function launchTarget(
  target,
  { sink, prefix = target.name, databaseUrl, secretKey = randomBytes(32).toString("hex"), envOptions = {} },
) {
  const dataDir = scratchDataDir(prefix);
  const env = serverEnv({
    port: await freePort(),
    smtpUrl: sink.url,
    dataDir,
    databaseUrl: databaseUrl ?? `sqlite:${join(dataDir, `${target.name}.db`)}`,
    secretKey,
    ...envOptions,
  });
  const server = await startServer({
    ...target,
    env,
    timeoutMs: START_TIMEOUT_MS,
    logFile: join(dataDir, "server.log"),
  });
  return { ...server, env };
}

const ENVIRONMENT_WORD = /^[A-Z_][A-Z0-9_]*=/;

/**
 * A variant of the server to compare (`scripts/paired-runs.mjs --variant`): `name=words`, where a
 * word `NAME=value` goes into the server's environment, `@path` runs that build's server.js, and
 * every other word is a Node.js flag.
 */
export function parseVariant(text) {
  const separator = text.indexOf("=");
  if (separator <= 0) throw new Error(`--variant ${text}: expected name=flags`);
  const words = text
    .slice(separator + 1)
    .split(/\s+/)
    .filter(Boolean);
  const isEnvironment = (word) => ENVIRONMENT_WORD.test(word);
  const isEntry = (word) => word.startsWith("@");
  const env = Object.fromEntries(words.filter(isEnvironment).map((word) => word.split(/=(.*)/s).slice(0, 2)));
  return {
    name: text.slice(0, separator),
    env,
    entry: words.find(isEntry)?.slice(1),
    flags: words.filter((word) => !isEnvironment(word) && !isEntry(word)),
  };
}

#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { buildApp, type Latchkey } from "./app.js";
import { type Bootstrapped, bootstrap } from "./bootstrap.js";
import { ConfigError, readEnvironment } from "./config.js";

/**
 * `latchkey`: operator commands against the same config and database as the server
 * (`npm run latchkey -- keys rotate`, or the `latchkey` bin). One line per result; a
 * non-zero exit code with a clear message on failure.
 */

export interface CliOutput {
  info(line: string): void;
  error(line: string): void;
}

const USAGE = [
  "usage: latchkey <command>",
  "  migrate         apply pending database migrations",
  "  keys rotate     sign with a new key from now on; older keys stay published until their tokens expire",
  "  keys list       the signing keys: kid, status, created, retired",
  "  outbox status   pending, failed and sent mail",
  "  outbox retry    queue every failed message for delivery again",
];

const iso = (milliseconds: number | null) =>
  milliseconds === null ? "-" : new Date(milliseconds).toISOString();
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

type Command = (latchkey: Latchkey, output: CliOutput) => Promise<void>;

const appCommands: Record<string, Command> = {
  async "keys rotate"({ keys, config }, output) {
    if (keys.algorithm === "HS256") {
      throw new Error("HS256 mode (JWT_SECRET is set) has no key pairs: rotate by changing JWT_SECRET");
    }
    const kid = await keys.rotate();
    const retired = (await keys.list()).filter((key) => key.status === "retired").length;
    output.info(
      `rotated: ${kid} signs new tokens; retired keys (${retired}) stay published until their tokens expire; running servers switch within ${config.tokens.keyReloadSeconds} s`,
    );
  },
  async "keys list"({ keys }, output) {
    const list = await keys.list();
    if (list.length === 0) output.info("no signing keys yet: the server creates one when it starts");
    for (const key of list) {
      const origin = key.algorithm === "HS256" ? "  (JWT_SECRET)" : "";
      output.info(
        `${key.kid}  ${key.algorithm}  ${key.status.padEnd(7)}  created ${iso(key.createdAt)}  retired ${iso(key.retiredAt)}${origin}`,
      );
    }
  },
  async "outbox status"({ outbox }, output) {
    const status = await outbox.status();
    output.info(
      `outbox: ${status.pending} pending, ${status.failed} failed, ${status.sent} sent; oldest pending ${iso(status.oldestPendingAt)}`,
    );
  },
  async "outbox retry"({ outbox }, output) {
    const count = await outbox.retryFailed();
    output.info(`outbox: ${plural(count, "failed message")} queued for retry`);
  },
};

/** Runs one command; resolves to the process exit code. Never calls `process.exit`. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  output: CliOutput,
): Promise<number> {
  const name = argv.slice(0, argv[0] === "migrate" ? 1 : 2).join(" ");
  if (argv.length === 0 || ["help", "--help", "-h"].includes(argv[0] ?? "")) {
    for (const line of USAGE) output.info(line);
    return 0;
  }
  const command = appCommands[name];
  if ((name !== "migrate" && !command) || argv.length > name.split(" ").length) {
    output.error(`latchkey: unknown command "${argv.join(" ")}"`);
    for (const line of USAGE) output.error(line);
    return 2;
  }
  let started: Bootstrapped;
  try {
    // Server logs would drown the one-line results; LOG_LEVEL still wins when set.
    started = await bootstrap({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? "warn" });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.error(`config error: ${problem}`);
    } else {
      output.error(`latchkey ${name}: ${messageOf(error)}`);
    }
    return 1;
  }
  const { config, database, appliedMigrations } = started;
  try {
    if (!command) {
      output.info(
        appliedMigrations.length === 0
          ? "migrate: the database is up to date"
          : `migrate: applied ${appliedMigrations.join(", ")}`,
      );
      return 0;
    }
    const app = await buildApp(config, { database, runBackgroundJobs: false });
    try {
      await command(app.latchkey, output);
    } finally {
      await app.close();
    }
    return 0;
  } catch (error) {
    output.error(`latchkey ${name}: ${messageOf(error)}`);
    return 1;
  } finally {
    await database.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const output: CliOutput = {
    info: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
  };
  runCli(process.argv.slice(2), readEnvironment(), output).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      output.error(`latchkey: ${messageOf(error)}`);
      process.exitCode = 1;
    },
  );
}

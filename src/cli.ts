#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { adminCommands } from "./admin/cli-commands.js";
import { type Bootstrapped, bootstrap } from "./bootstrap.js";
import { type CliOutput, type Command, UsageError } from "./cli-command.js";
import { ConfigError } from "./config.js";
import { readEnvironment } from "./environment.js";
import { clientCommands } from "./oidc/cli-commands.js";
import { createServices, type Services } from "./services.js";

/**
 * `latchkey`: operator commands against the same config and database as the server
 * (`npm run latchkey -- keys rotate`, or the `latchkey` bin). One line per result; a
 * non-zero exit code with a clear message on failure.
 */

export type { CliOutput } from "./cli-command.js";

const iso = (milliseconds: number | null) =>
  milliseconds === null ? "-" : new Date(milliseconds).toISOString();
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/**
 * Every command, by the words that name it. A command gets the services (built on first
 * use: `keys list` opens the database only, never Redis, SMTP or the HTTP app). To add
 * one, add an entry here.
 */
const commands: Record<string, Command> = {
  migrate: {
    summary: "apply pending database migrations",
    async run({ appliedMigrations, output }) {
      output.info(
        appliedMigrations.length === 0
          ? "migrate: the database is up to date"
          : `migrate: applied ${appliedMigrations.join(", ")}`,
      );
    },
  },
  "keys rotate": {
    summary: "sign with a new key from now on; older keys stay published until their tokens expire",
    async run({ services: { keys, config }, output }) {
      if (keys.algorithm === "HS256") {
        throw new Error("HS256 mode (JWT_SECRET is set) has no key pairs: rotate by changing JWT_SECRET");
      }
      const kid = await keys.rotate();
      const retired = (await keys.list()).filter((key) => key.status === "retired").length;
      output.info(
        `rotated: ${kid} signs new tokens; retired keys (${retired}) stay published until their tokens expire; running servers switch within ${config.tokens.keyReloadSeconds} s`,
      );
    },
  },
  "keys revoke": {
    summary: "withdraw a leaked key at once: out of the JWKS, its tokens refused, a new key signs",
    arguments: "KID",
    async run({ services: { keys }, args, output }) {
      const [kid] = args;
      if (!kid || args.length > 1) throw new UsageError("keys revoke takes one KID");
      if (!(await keys.revoke(kid))) throw new Error(`no ${keys.algorithm} signing key has the kid "${kid}"`);
      output.info(
        `revoked: ${kid} is out of the JWKS and its tokens are refused (every instance within a second); ${keys.currentSigningKey().kid} signs`,
      );
    },
  },
  "keys list": {
    summary: "the signing keys: kid, status, created, retired",
    async run({ services: { keys }, output }) {
      await keys.reload();
      const list = await keys.list();
      if (list.length === 0) output.info("no signing keys yet: the server creates one when it starts");
      for (const key of list) {
        const origin = key.algorithm === "HS256" ? "  (JWT_SECRET)" : "";
        output.info(
          `${key.kid}  ${key.algorithm}  ${key.status.padEnd(7)}  created ${iso(key.createdAt)}  retired ${iso(key.retiredAt)}${origin}`,
        );
      }
    },
  },
  "outbox status": {
    summary: "pending, failed and sent mail",
    async run({ services: { outbox }, output }) {
      const status = await outbox.status();
      output.info(
        `outbox: ${status.pending} pending, ${status.failed} failed, ${status.sent} sent; oldest pending ${iso(status.oldestPendingAt)}`,
      );
    },
  },
  "outbox retry": {
    summary: "queue every failed message for delivery again",
    async run({ services: { outbox }, output }) {
      const count = await outbox.retryFailed();
      output.info(`outbox: ${plural(count, "failed message")} queued for retry`);
    },
  },
  ...clientCommands,
  ...adminCommands,
};

const synopsis = (name: string) => [name, commands[name]?.arguments].filter(Boolean).join(" ");

/** A synopsis longer than this gets its summary on the next line. */
const SYNOPSIS_WIDTH = 32;

function usage(): string[] {
  return [
    "usage: latchkey <command>",
    ...Object.entries(commands).flatMap(([name, command]) => {
      const line = synopsis(name);
      return line.length <= SYNOPSIS_WIDTH
        ? [`  ${line.padEnd(SYNOPSIS_WIDTH + 2)}${command.summary}`]
        : [`  ${line}`, `  ${" ".repeat(SYNOPSIS_WIDTH + 2)}${command.summary}`];
    }),
  ];
}

/**
 * The command whose name starts `argv` (the longest match) and the words after it. A command
 * that takes no arguments matches only when nothing follows its name.
 */
function findCommand(
  argv: readonly string[],
): { name: string; command: Command; args: string[] } | undefined {
  for (let words = Math.min(argv.length, 2); words > 0; words--) {
    const name = argv.slice(0, words).join(" ");
    const command = commands[name];
    const args = argv.slice(words);
    if (command && (command.arguments || args.length === 0)) return { name, command, args };
  }
  return undefined;
}

/** Runs one command; resolves to the process exit code. Never calls `process.exit`. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  output: CliOutput,
): Promise<number> {
  if (argv.length === 0 || ["help", "--help", "-h"].includes(argv[0] ?? "")) {
    for (const line of usage()) output.info(line);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    output.error(`latchkey: unknown command "${argv.join(" ")}"`);
    for (const line of usage()) output.error(line);
    return 2;
  }
  const { name, command, args } = found;
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
  let services: Services | undefined;
  try {
    services = await createServices(config, { database });
    await command.run({ services, args, appliedMigrations, output });
    return 0;
  } catch (error) {
    output.error(`latchkey ${name}: ${messageOf(error)}`);
    if (!(error instanceof UsageError)) return 1;
    for (const line of usage()) output.error(line);
    return 2;
  } finally {
    await services?.close();
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

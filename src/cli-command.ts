import type { Services } from "./services.js";

/** Where a command's lines go: one line per result. */
export interface CliOutput {
  info(line: string): void;
  error(line: string): void;
}

export interface CommandContext {
  services: Services;
  /** The words after the command's name (options and their values). */
  args: string[];
  /** Migrations applied while starting this command, oldest first. */
  appliedMigrations: string[];
  output: CliOutput;
}

/** One `latchkey` command. Features export theirs; src/cli.ts lists them all. */
export interface Command {
  /** What `latchkey help` prints beside the command's name. */
  summary: string;
  /** The arguments it takes, for `latchkey help` (e.g. `KID`); a command without takes none. */
  arguments?: string;
  run(context: CommandContext): Promise<void>;
}

/** Thrown by a command whose arguments are missing or malformed: exit code 2 and the usage. */
export class UsageError extends Error {}

/** A command's work, given the part of the services it needs. */
export type CommandHandler<Part> = (part: Part, args: string[], output: CliOutput) => Promise<void>;

/**
 * Command-table entries for a feature's handlers: `synopses` gives each its arguments (for
 * help; none when undefined) and summary, `part` picks what the handlers work on.
 */
export function toCommands<Part>(
  part: (services: Services) => Part,
  handlers: Record<string, CommandHandler<Part>>,
  synopses: Record<string, readonly [string | undefined, string]>,
): Record<string, Command> {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => {
      const [args, summary] = synopses[name] ?? [undefined, ""];
      const command: Command = {
        summary,
        ...(args ? { arguments: args } : {}),
        run: ({ services, output, args: words }) => handler(part(services), words, output),
      };
      return [name, command];
    }),
  );
}

import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A backend may have exited since it was listed. */
function signalIfAlive(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

const COMMAND_TIMEOUT_MS = 60_000;

/** The newest installed PostgreSQL's bin directory, or undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/** A port nobody listens on right now (the kernel picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: run the server's commands as the `postgres` OS user then. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function runPostgres(bin: string, tool: string, args: string[]) {
  const [command, fullArgs] = asPostgresUser(join(bin, tool), args);
  return run(command, fullArgs, { timeout: COMMAND_TIMEOUT_MS });
}

/**
 * A throwaway PostgreSQL server this test owns: initdb in a temp directory, listening
 * on 127.0.0.1 and a spare port, so a test can stop and restart it at will.
 */
export async function startPostgresCluster() {
  const bin = findPostgresBin();
  if (!bin) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
  const directory = mkdtempSync(join(tmpdir(), "latchkey-pg-"));
  const dataDir = join(directory, "data");
  if (process.getuid?.() === 0) await run("chown", ["-R", "postgres", directory]);
  await runPostgres(bin, "initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  const port = await findFreePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${directory}`,
    "-c fsync=off",
    "-c max_connections=50",
  ].join(" ");
  const start = () =>
    runPostgres(bin, "pg_ctl", [
      "-D",
      dataDir,
      "-o",
      options,
      "-l",
      join(directory, "log"),
      "-w",
      "-t",
      "30",
      "start",
    ]);
  await start();
  // A test worker that dies must not leave its PostgreSQL server behind.
  const [command, args] = asPostgresUser(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "stop"]);
  const stopAtExit = () => spawnSync(command, args, { timeout: 10_000, stdio: "ignore" });
  process.once("exit", stopAtExit);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    /** `fast`: connections are closed with an error; the server is down until start(). */
    stop: () => runPostgres(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]),
    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the server and its backends: a database that hangs.
     * The postmaster stops first, so no backend it forks can be missed by the list that follows.
     */
    async freeze(isFrozen: boolean) {
      const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      const signal = isFrozen ? "SIGSTOP" : "SIGCONT";
      if (isFrozen) process.kill(postmaster, signal);
      const { stdout } = await run("pgrep", ["-P", String(postmaster)], { timeout: 5000 }).catch(() => ({
        stdout: "",
      }));
      for (const pid of stdout.split("\n").filter(Boolean).map(Number)) signalIfAlive(pid, signal);
      if (!isFrozen) process.kill(postmaster, signal);
    },
    async destroy() {
      process.off("exit", stopAtExit);
      await runPostgres(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]).catch(
        () => {},
      );
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export type PostgresCluster = Awaited<ReturnType<typeof startPostgresCluster>>;

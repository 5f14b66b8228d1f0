import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../../..");
export const serverEntry = join(repoRoot, "dist/server.js");
export const webIndex = join(repoRoot, "dist/web/index.html");

/** Why the built server cannot run, or undefined when `npm run build` has produced it. */
export function findMissingBuild(): string | undefined {
  const missing = [serverEntry, webIndex].filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  return `the e2e tests run the built server, but ${missing.map((path) => path.slice(repoRoot.length + 1)).join(" and ")} ${missing.length === 1 ? "is" : "are"} missing: run \`npm run build\` first`;
}

export interface LatchkeyServer {
  readonly baseUrl: string;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * `node dist/server.js` on a free port of 127.0.0.1 with a fresh SQLite file, resolved
 * once /readyz answers 200. Without `smtpUrl` the server keeps mail in its dev mailbox.
 * The child gets only the variables given here (and PATH), and runs in a temporary
 * directory so no stray `.env` is read.
 */
export async function startLatchkey(options: {
  smtpUrl?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<LatchkeyServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "latchkey-e2e-"));
  const port = Number(options.env?.PORT ?? 0) || (await findFreePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, "latchkey.db")}`,
    SECRET_KEY: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  };
  let printed = "";
  const child = spawn(process.execPath, [serverEntry], {
    cwd: dataDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  // If the test process dies first, do not leave a server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    child.kill("SIGTERM");
    if (!(await waitForExit(child, 5000))) {
      child.kill("SIGKILL");
      await waitForExit(child, 2000);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (true) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(
        `the Latchkey server exited with code ${child.exitCode} before it was ready:\n${printed}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Latchkey server was not ready at ${baseUrl}/readyz in time:\n${printed}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return { baseUrl, output: () => printed, stop };
}

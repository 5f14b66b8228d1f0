import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { describeListenError } from "../../src/http/listen-error.js";
import { TEST_SECRET_KEY } from "../support/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXIT_TIMEOUT_MS = 30_000;

/** Runs the server entry (current sources, through tsx) to its exit; resolves with its output. */
function runServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", SECRET_KEY: TEST_SECRET_KEY, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function occupyPort(): Promise<Server> {
  const blocker = createServer();
  return new Promise((resolve) => blocker.listen(0, "127.0.0.1", () => resolve(blocker)));
}

describe("starting on a port that is taken", () => {
  let blocker: Server | undefined;
  let dataDir: string | undefined;
  afterEach(() => {
    blocker?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("exits 1 with one line naming PORT and HOST, and no stack trace", async () => {
    blocker = await occupyPort();
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    dataDir = mkdtempSync(join(tmpdir(), "latchkey-port-"));

    const { code, stderr } = await runServer({ HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir });

    expect(code).toBe(1);
    // oidc-provider warns once on an end-of-life Node.js (20); that line is not ours.
    const ours = stderr
      .trim()
      .split("\n")
      .filter((line) => !line.startsWith("oidc-provider WARNING: Unsupported runtime"));
    expect(ours).toEqual([
      `cannot listen: PORT=${port} on HOST=127.0.0.1 is already in use; stop the other process or set PORT to a free port`,
    ]);
  }, 40_000);
});

describe("describeListenError", () => {
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it("names PORT for a port below 1024 without privileges", () => {
    expect(describeListenError(failure("EACCES"), "0.0.0.0", 80)).toMatch(/PORT=80 on HOST=0\.0\.0\.0/);
  });

  it("names HOST for an address the machine does not have", () => {
    expect(describeListenError(failure("EADDRNOTAVAIL"), "10.9.9.9", 8000)).toMatch(
      /^cannot listen: HOST=10\.9\.9\.9/,
    );
  });

  it("leaves any other error alone", () => {
    expect(describeListenError(new Error("boom"), "0.0.0.0", 8000)).toBeUndefined();
  });
});

import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileCacheDirectory, enableCompileCache } from "../../src/compile-cache.js";
import { TEST_SECRET_KEY } from "../support/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** Starts the server entry, waits for "ready", then stops it with SIGINT like an operator. */
async function startAndStop(dataDir: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "development",
      SECRET_KEY: TEST_SECRET_KEY,
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not get ready")), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("Latchkey ready at")) return;
      clearTimeout(timer);
      resolve();
    });
  }).finally(() => child.kill("SIGINT"));
  await exited;
}

// Node.js 20 has no compile cache: the server starts as it always did, and these tests skip.
describe.skipIf(!hasCompileCache)("the compile cache (Node.js 22.1+)", () => {
  let dataDir = "";
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "latchkey-compile-cache-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("a start leaves compiled code in DATA_DIR/.compile-cache, a folder only this user can open", async () => {
    await startAndStop(dataDir);
    const directory = compileCacheDirectory(dataDir);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(readdirSync(directory, { recursive: true }).length).toBeGreaterThan(0);
  }, 60_000);

  it("a cache folder left open to others is closed to them before the server uses it", async () => {
    const directory = compileCacheDirectory(dataDir);
    mkdirSync(directory, { mode: 0o777 });
    chmodSync(directory, 0o777);
    await startAndStop(dataDir);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
  }, 60_000);

  it("a cache folder that is a symbolic link is not used", async () => {
    const elsewhere = join(dataDir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, compileCacheDirectory(dataDir));
    await startAndStop(dataDir);
    expect(readdirSync(elsewhere)).toEqual([]);
  }, 60_000);

  it("a DATA_DIR where no folder can be made leaves the server without a cache, not without a start", () => {
    const notAFolder = join(dataDir, "file");
    writeFileSync(notAFolder, "");
    expect(() => enableCompileCache(compileCacheDirectory(notAFolder))).not.toThrow();
  });
});

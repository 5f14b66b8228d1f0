import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer } from "../production/support/server-process.js";

const RECORDER = fileURLToPath(new URL("./support/record-loaded-modules.mjs", import.meta.url));

/** Packages only some deployments use; each holds megabytes of memory once loaded (docs/performance.md). */
const LOADED_ON_FIRST_USE = [
  "nodemailer",
  "prom-client",
  "oidc-provider",
  "@simplewebauthn/server",
  "ioredis",
  "pg",
  "@aws-sdk/client-sesv2",
];

function packagesAmong(modules: string[]): Set<string> {
  const names = modules.flatMap((module) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module);
    return match?.[1] ? [match[1]] : [];
  });
  return new Set(names);
}

describe("a server's start-up", () => {
  let dataDir = "";
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "latchkey-footprint-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Starts the server with `env` until it listens, stops it, and names the packages it loaded. */
  async function packagesLoadedWith(env: Record<string, string>): Promise<Set<string>> {
    const list = join(dataDir, "loaded-modules.txt");
    const server = await startServer({
      DATA_DIR: dataDir,
      LOADED_MODULES_FILE: list,
      NODE_OPTIONS: `--import ${RECORDER}`,
      ...env,
    });
    await fetch(`${server.url}/readyz`);
    await server.stop();
    return packagesAmong(readFileSync(list, "utf8").split("\n"));
  }

  it("on the defaults loads none of the packages only some deployments use", async () => {
    const loaded = await packagesLoadedWith({});
    expect(loaded).toContain("fastify");
    expect(LOADED_ON_FIRST_USE.filter((name) => loaded.has(name))).toEqual([]);
  }, 60_000);

  it("with metrics on loads the metrics package", async () => {
    const loaded = await packagesLoadedWith({ METRICS_TOKEN: "a-metrics-token-of-some-length" });
    expect(loaded).toContain("prom-client");
  }, 60_000);
});

// Child servers: spawn pinned to the server core, wait for readiness, and never outlive the driver.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startSmtpSink } from "./smtp-sink.mjs";

const SERVER_CORE = "0";
const DRIVER_CORE = "1";
const READY_POLL_MS = 5;
const STOP_GRACE_MS = 3000;
const OUTPUT_TAIL_CHARS = 4000;

const children = new Set();
const cleanups = [];

// Evaluated at import, before pinDriver() narrows this process to one core.
export const canPin =
  availableParallelism() >= 2 && spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;

/** Moves every thread of the driver (load generator and SMTP sink) onto the driver core. */
export function pinDriver() {
  if (canPin) execFileSync("taskset", ["-a", "-cp", DRIVER_CORE, String(process.pid)], { stdio: "ignore" });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Registers work to run once on exit, in reverse order, whether the run ends normally or not. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

export async function runCleanups() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

/** A data directory of one server's own, removed at cleanup. */
export function scratchDataDir(prefix) {
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/**
 * How every measuring run starts: servers stopped and cleanups run on exit and on signals, the
 * driver pinned to its core, and an SMTP sink for the servers' mail. Resolves with the sink.
 */
export async function startDriver() {
  installExitHandlers();
  pinDriver();
  const sink = await startSmtpSink();
  onCleanup(sink.close);
  return sink;
}

export function installExitHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      console.error(`\n${signal}: stopping servers`);
      await Promise.all([...children].map(stopChild));
      await runCleanups();
      process.exit(130);
    });
  }
  // Last resort when the driver dies abruptly: synchronous kills only.
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
}

function tailOf(logFile) {
  try {
    return readFileSync(logFile, "utf8").slice(-OUTPUT_TAIL_CHARS).trim();
  } catch {
    return "";
  }
}

/**
 * Spawns `node [nodeFlags] <script>` on the server core and polls `readyPath` until it answers 200. Its stdout and
 * stderr go straight to `logFile`, as with `npm start > latchkey.log`: the server writes its request log
 * to a file, not into a pipe the driver would have to drain. Resolves with the running server and its
 * spawn-to-ready time; rejects with the tail of the server's output on failure.
 */
export async function startServer({ name, script, nodeFlags = [], env, readyPath, timeoutMs, logFile }) {
  const command = canPin ? ["taskset", "-c", SERVER_CORE, process.execPath] : [process.execPath];
  const startedAt = performance.now();
  const log = openSync(logFile, "a");
  const child = spawn(command[0], [...command.slice(1), ...nodeFlags, ...profileFlags(name), script], {
    env,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  children.add(child);
  child.once("exit", () => children.delete(child));

  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  try {
    await waitUntilReady(child, `${baseUrl}${readyPath}`, timeoutMs);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${name} did not start: ${error.message}\n--- ${name} output ---\n${tailOf(logFile)}`);
  }
  return {
    pid: child.pid,
    baseUrl,
    readyMs: performance.now() - startedAt,
    /** Throws, with the server's last output, if it has died since it became ready. */
    assertRunning() {
      if (hasExited(child)) {
        throw new Error(
          `${name} ${exitDescription(child)} during the run\n--- ${name} output ---\n${tailOf(logFile)}`,
        );
      }
    },
    stop: () => stopChild(child),
  };
}

/**
 * `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of every server into `<dir>` (one `.cpuprofile` per
 * start, named by target), for `node scripts/cpu-profile-top.mjs <file> 25` or Chrome's DevTools.
 */
function profileFlags(name) {
  const directory = process.env.BENCH_CPU_PROF;
  if (!directory) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${directory}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

async function waitUntilReady(child, url, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (hasExited(child)) throw new Error(exitDescription(child));
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${url} not 200 within ${timeoutMs} ms`);
}

function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function exitDescription(child) {
  return child.signalCode ? `was killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;
}

async function stopChild(child) {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

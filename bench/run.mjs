// Benchmark driver: `node bench/run.mjs [--quick] [--only a,b] [--duration seconds]`.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createScratchDatabase, postgresVersion } from "./postgres.mjs";
import { withServerStats } from "./proc-stats.mjs";
import {
  canPin,
  freePort,
  installExitHandlers,
  onCleanup,
  pinDriver,
  runCleanups,
  startServer,
} from "./processes.mjs";
import { commandLine, environment, renderMarkdown, renderNotes, renderTable } from "./report.mjs";
import { runLogins, signIn } from "./scenarios/login.mjs";
import { runSessionLoad } from "./scenarios/session.mjs";
import { startSmtpSink } from "./smtp-sink.mjs";
import { median, summarize } from "./stats.mjs";
import { SESSION_EMAIL, serverEnv, skipReason, TARGETS } from "./targets.mjs";

const START_TIMEOUT_MS = 20_000;
const PROFILES = {
  full: { durationS: 10, warmupS: 2, repeats: 3, coldStarts: 3 },
  quick: { durationS: 0.5, warmupS: 0.2, repeats: 1, coldStarts: 1 },
};

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      duration: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log("usage: node bench/run.mjs [--quick] [--only name,...] [--duration seconds]");
    console.log(`targets: ${TARGETS.map((t) => t.name).join(", ")}`);
    process.exit(0);
  }
  const profile = { ...PROFILES[values.quick ? "quick" : "full"], quick: values.quick };
  if (values.duration !== undefined) {
    profile.durationS = Number(values.duration);
    if (!(profile.durationS > 0)) throw new Error(`--duration must be a positive number of seconds`);
  }
  const only = values.only?.split(",").map((name) => name.trim());
  const unknown = only?.filter((name) => !TARGETS.some((t) => t.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown target(s): ${unknown.join(", ")}`);
  profile.targets = only ? TARGETS.filter((t) => only.includes(t.name)) : TARGETS;
  return profile;
}

/** A scratch PostgreSQL database for the whole target, or undefined for SQLite targets. */
async function postgresUrlFor(target) {
  if (target.database !== "postgres") return undefined;
  const db = await createScratchDatabase(`${target.name.replaceAll("-", "_")}_bench`);
  onCleanup(db.drop);
  return db.url;
}

/** Starts the target on a fresh data dir, which also holds its SQLite file unless it uses PostgreSQL. */
async function launch(target, sink, { postgresUrl, secretKey }) {
  const dataDir = mkdtempSync(join(tmpdir(), `${target.name}-bench-`));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = serverEnv({
    port: await freePort(),
    smtpUrl: sink.url,
    dataDir,
    databaseUrl: postgresUrl ?? `sqlite:${join(dataDir, `${target.name}.db`)}`,
    secretKey,
  });
  return startServer({ ...target, env, timeoutMs: START_TIMEOUT_MS });
}

/** Warm-up, then `repeats` measured runs of `load(durationS)` with the server's CPU and memory. */
async function measure(label, server, load, profile) {
  await load(profile.warmupS);
  const runs = [];
  for (let i = 1; i <= profile.repeats; i++) {
    const run = await withServerStats(server.pid, () => load(profile.durationS));
    server.assertRunning();
    console.log(`  ${label} ${i}/${profile.repeats}: ${describeRun(run)}`);
    runs.push(run);
  }
  return summarize(runs);
}

function describeRun(run) {
  const pct = (value) => `${value.toFixed(0)} %`;
  return [
    `${Math.round(run.rate)}/s`,
    `p50 ${run.p50.toFixed(1)} ms`,
    `p99 ${run.p99.toFixed(1)} ms`,
    `errors ${run.errors}`,
    `server cpu ${pct(run.cpuPercent)}`,
    `rss ${run.peakRssMb.toFixed(0)} MB`,
    `driver cpu ${pct(run.driverCpuPercent)}`,
    `other cpu ${pct(run.otherCpuPercent)}`,
  ].join(", ");
}

/** The cookie of SESSION_EMAIL signed in through the real flow; bare servers need none. */
async function sessionCookie(target, server, sink) {
  if (!target.flow) return "";
  const { jar } = await signIn({ baseUrl: server.baseUrl, flow: target.flow, sink, email: SESSION_EMAIL });
  return jar.header();
}

async function benchTarget(target, sink, profile) {
  // Restarts keep the secret: data written by one start (e.g. encrypted signing keys) must stay readable.
  const storage = { postgresUrl: await postgresUrlFor(target), secretKey: randomBytes(32).toString("hex") };
  const readyMs = [];
  for (let i = 1; i < profile.coldStarts; i++) {
    const probe = await launch(target, sink, storage);
    readyMs.push(probe.readyMs);
    await probe.stop();
  }
  const server = await launch(target, sink, storage);
  readyMs.push(server.readyMs);
  console.log(`${target.name}: ready in ${Math.round(server.readyMs)} ms (pid ${server.pid})`);
  try {
    const rows = [];
    const cookie = await sessionCookie(target, server, sink);
    const session = (durationS) =>
      runSessionLoad({
        baseUrl: server.baseUrl,
        path: target.sessionPath,
        cookie,
        email: SESSION_EMAIL,
        durationS,
      });
    rows.push({
      scenario: "session",
      ...(await measure(`${target.name} session`, server, session, profile)),
    });
    if (target.flow) {
      const login = (durationS) => runLogins({ baseUrl: server.baseUrl, flow: target.flow, sink, durationS });
      rows.push({ scenario: "login", ...(await measure(`${target.name} login`, server, login, profile)) });
    }
    return { coldStartMs: median(readyMs), rows };
  } finally {
    await server.stop();
  }
}

async function main() {
  process.chdir(fileURLToPath(new URL("..", import.meta.url)));
  const profile = parseOptions();
  installExitHandlers();
  pinDriver();
  const sink = await startSmtpSink();
  onCleanup(sink.close);
  const postgres = await postgresVersion();

  const rows = [];
  const coldStarts = [];
  const skipped = [];
  const failed = [];
  for (const target of profile.targets) {
    const reason = skipReason(target, { postgresReachable: postgres !== null });
    if (reason) {
      console.log(`${target.name}: SKIPPED — ${reason}`);
      skipped.push({ target: target.name, reason });
      continue;
    }
    try {
      const result = await benchTarget(target, sink, profile);
      coldStarts.push({ target: target.name, ms: result.coldStartMs });
      for (const row of result.rows)
        rows.push({ target: target.name, compareWith: target.compareWith, ...row });
    } catch (error) {
      console.error(`${target.name}: FAILED — ${error.message}`);
      failed.push({ target: target.name, reason: error.message });
    }
  }

  const errorSamples = rows
    .filter((row) => row.errors > 0)
    .map((row) => ({
      label: `${row.target} ${row.scenario}`,
      message: row.firstError,
    }));
  const table = renderTable(rows);
  const notes = renderNotes({ rows, coldStarts, skipped, failed, errorSamples });
  console.log(`\n${table}\n\n${notes}`);

  const env = environment({ postgres, pinned: canPin });
  const command = commandLine();
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    `bench/results/${env.date.replaceAll(":", "-")}${profile.quick ? "-quick" : ""}.json`,
    JSON.stringify({ env, command, profile, rows, coldStarts, skipped, failed }, null, 2),
  );
  if (!profile.quick) {
    writeFileSync("BENCHMARKS.md", renderMarkdown({ env, command, table, notes }));
    console.log("\nwrote BENCHMARKS.md");
  }
  return failed.length > 0 || errorSamples.length > 0 ? 1 : 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error.stack ?? error);
} finally {
  await runCleanups();
}
process.exit(exitCode);

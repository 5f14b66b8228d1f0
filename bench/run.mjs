// Benchmark driver: `node bench/run.mjs [--quick] [--only name,...] [--duration seconds]`.
// `--only` takes target names (bare-node, latchkey, …) and/or scenario names (session, oidc, …).
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureServiceCosts, startPrivateRedis } from "./costs.mjs";
import { call } from "./http.mjs";
import { launchTarget } from "./launch.mjs";
import { OPEN_LOOP_SHARES, P99_LIMIT_MS, searchMaxRate } from "./open-loop.mjs";
import { pairedShares, runPairedRounds } from "./paired-session.mjs";
import { createScratchDatabase, postgresVersion } from "./postgres.mjs";
import { residentMb, withServerStats } from "./proc-stats.mjs";
import { canPin, freePort, onCleanup, runCleanups, startDriver } from "./processes.mjs";
import { commandLine, environment, errorSamplesOf, renderMarkdown, renderReport } from "./report.mjs";
import { runLogins, signIn } from "./scenarios/login.mjs";
import { prepareRefreshers, prepareUserinfoLoad, runOidcLogins, runRefreshes } from "./scenarios/oidc.mjs";
import { loginOpenLoop, sessionOpenLoop } from "./scenarios/open-loop.mjs";
import { preparePasskeyUsers, runPasskeySignIns } from "./scenarios/passkey.mjs";
import { runSessionLoad } from "./scenarios/session.mjs";
import { median, summarize } from "./stats.mjs";
import { PAIRED_SESSION_TARGETS, SCENARIOS, SESSION_EMAIL, skipReason, TARGETS } from "./targets.mjs";

const SEARCH_RANGE = [0.2, 1.5]; // shares of capacity the search bisects
const PROFILES = {
  full: {
    durationS: 10,
    warmupS: 2,
    repeats: 3,
    coldStarts: 3,
    openDurationS: 5,
    searchDurationS: 3,
    searchSteps: 6,
    // PostgreSQL flushes a backend's statistics at the latest ~10 s after it goes idle.
    statsSettleMs: 11_000,
    idleSettleMs: 5_000,
    // V8 gives freed heap pages back some seconds after the load stops: idle RSS is read twice.
    settledIdleMs: 30_000,
    // Between open-loop runs, so one run's stragglers do not meet the next run's arrivals.
    pauseMs: 1_000,
    // Under the default per-IP windows (20 sends a minute), with the session user's sign-in.
    costLogins: 15,
    costChecks: 1_000,
    pairedRounds: 6,
    pairedDurationS: 5,
  },
  quick: {
    durationS: 1,
    warmupS: 0.2,
    repeats: 1,
    coldStarts: 1,
    openDurationS: 0.3,
    searchDurationS: 0.3,
    searchSteps: 2,
    statsSettleMs: 1_000,
    idleSettleMs: 300,
    settledIdleMs: 300,
    pauseMs: 100,
    costLogins: 2,
    costChecks: 50,
    pairedRounds: 1,
    pairedDurationS: 0.5,
  },
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
    console.log(`scenarios: ${SCENARIOS.join(", ")}`);
    process.exit(0);
  }
  const profile = { ...PROFILES[values.quick ? "quick" : "full"], quick: values.quick };
  if (values.duration !== undefined) {
    profile.durationS = Number(values.duration);
    if (!(profile.durationS > 0)) throw new Error(`--duration must be a positive number of seconds`);
  }
  const only = values.only?.split(",").map((name) => name.trim()) ?? [];
  const unknown = only.filter((name) => !TARGETS.some((t) => t.name === name) && !SCENARIOS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown target(s) or scenario(s): ${unknown.join(", ")}`);
  const targetNames = only.filter((name) => TARGETS.some((t) => t.name === name));
  const scenarioNames = only.filter((name) => SCENARIOS.includes(name));
  profile.targets = targetNames.length > 0 ? TARGETS.filter((t) => targetNames.includes(t.name)) : TARGETS;
  profile.scenarios = scenarioNames.length > 0 ? scenarioNames : SCENARIOS;
  profile.isPartial = only.length > 0;
  return profile;
}

/** A scratch PostgreSQL database for the whole target, or undefined for SQLite targets. */
async function postgresUrlFor(target) {
  if (target.database !== "postgres") return undefined;
  const db = await createScratchDatabase(`${target.name.replaceAll("-", "_")}_bench`);
  onCleanup(db.drop);
  return db.url;
}

/** Starts the target on a fresh data dir, which also holds its SQLite file and its log file. */
function launch(target, context, { rateLimits = false } = {}) {
  const { sink, storage } = context;
  return launchTarget(target, {
    sink,
    prefix: `${target.name}-bench`,
    databaseUrl: storage.postgresUrl,
    secretKey: storage.secretKey,
    envOptions: { redisUrl: target.redis ? context.redis.url : undefined, extra: target.env, rateLimits },
  });
}

/** Warm-up, then `repeats` measured runs of `load(durationS)` with the server's CPU and memory. */
async function measure(label, server, load, profile) {
  await load(profile.warmupS);
  const runs = [];
  for (let i = 1; i <= profile.repeats; i++) {
    const run = await withServerStats(server.pid, () => load(profile.durationS));
    server.assertRunning();
    if (run.count === 0) {
      // A run where nothing completed measured nothing: report it rather than a rate of 0.
      run.errors += 1;
      run.firstError ??= `no operation completed within ${profile.durationS} s`;
    }
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
async function sessionHeaders(target, server, sink) {
  if (!target.flow) return {};
  const { jar } = await signIn({ baseUrl: server.baseUrl, flow: target.flow, sink, email: SESSION_EMAIL });
  return { cookie: jar.header() };
}

/**
 * The open-loop view of a scenario: fixed rates at shares of the closed-loop capacity, then a
 * bisection for the highest rate whose p99 stays under P99_LIMIT_MS.
 */
async function openLoop(label, server, runner, capacity, profile) {
  const runs = [];
  try {
    for (const share of OPEN_LOOP_SHARES) {
      const rate = Math.max(1, Math.round(capacity * share));
      await sleep(profile.pauseMs);
      const run = await withServerStats(server.pid, () => runner.run(rate, profile.openDurationS));
      server.assertRunning();
      console.log(
        `  ${label} open ${rate}/s: achieved ${Math.round(run.achievedRate)}/s, p50 ${run.p50.toFixed(1)} ms, ` +
          `p99 ${run.p99.toFixed(1)} ms, p99.9 ${run.p999.toFixed(1)} ms, errors ${run.errors}`,
      );
      runs.push({ share, ...run });
    }
    const search = await searchMaxRate({
      low: Math.max(1, Math.round(capacity * SEARCH_RANGE[0])),
      high: Math.max(2, Math.round(capacity * SEARCH_RANGE[1])),
      steps: profile.searchSteps,
      p99LimitMs: P99_LIMIT_MS,
      measure: async (rate) => {
        await sleep(profile.pauseMs);
        return runner.run(rate, profile.searchDurationS);
      },
    });
    server.assertRunning();
    console.log(`  ${label} highest rate with p99 < ${P99_LIMIT_MS} ms: ${search.maxRate ?? "none"}/s`);
    return { capacity, runs, search };
  } finally {
    runner.close();
  }
}

async function sessionScenarios(target, server, context, results) {
  const { sink, profile } = context;
  const headers = await sessionHeaders(target, server, sink);
  const base = { baseUrl: server.baseUrl, path: target.sessionPath, headers, email: SESSION_EMAIL };
  let capacity;
  if (context.wants(target, "session")) {
    const row = await measure(
      `${target.name} session`,
      server,
      (durationS) => runSessionLoad({ ...base, durationS }),
      profile,
    );
    results.rows.push({ scenario: "session", ...row });
    capacity = row.rate;
  }
  if (context.wants(target, "session-open")) {
    capacity ??= (await runSessionLoad({ ...base, durationS: profile.durationS })).rate;
    const open = await openLoop(`${target.name} session`, server, sessionOpenLoop(base), capacity, profile);
    results.open.push({ scenario: "session", ...open });
  }
}

async function loginScenarios(target, server, context, results) {
  const { sink, profile } = context;
  const base = { baseUrl: server.baseUrl, flow: target.flow, sink };
  let capacity;
  if (context.wants(target, "login")) {
    const row = await measure(
      `${target.name} login`,
      server,
      (durationS) => runLogins({ ...base, durationS }),
      profile,
    );
    results.rows.push({ scenario: "login", ...row });
    capacity = row.rate;
    // Idle memory: what the process keeps once the storm is over and the heap has settled.
    await sleep(profile.idleSettleMs);
    const idleMb = residentMb(server.pid);
    await sleep(profile.settledIdleMs - profile.idleSettleMs);
    results.memory = { loginPeakMb: row.peakRssMb, idleMb, settledIdleMb: residentMb(server.pid) };
  }
  if (context.wants(target, "login-open")) {
    capacity ??= (await runLogins({ ...base, durationS: profile.durationS })).rate;
    const open = await openLoop(`${target.name} login`, server, loginOpenLoop(base), capacity, profile);
    results.open.push({ scenario: "login", ...open });
  }
}

async function oidcScenarios(target, server, context, results) {
  const { sink, profile } = context;
  const client = await target.flow.registerClient({ env: server.env, baseUrl: server.baseUrl, sink });
  const base = { baseUrl: server.baseUrl, flow: target.flow, sink, client };
  const logins = await measure(
    `${target.name} oidc login`,
    server,
    (durationS) => runOidcLogins({ ...base, durationS }),
    profile,
  );
  results.rows.push({ scenario: "oidc login", ...logins });

  const holders = await prepareRefreshers({ ...base, count: 16 });
  const refreshes = await measure(
    `${target.name} oidc refresh`,
    server,
    (durationS) => runRefreshes({ ...base, holders, durationS }),
    profile,
  );
  results.rows.push({ scenario: "oidc refresh", ...refreshes });

  const userinfo = await prepareUserinfoLoad({ ...base, email: "userinfo@bench.test" });
  results.rows.push({
    scenario: "oidc userinfo",
    ...(await measure(`${target.name} oidc userinfo`, server, userinfo, profile)),
  });
}

async function passkeyScenario(target, server, context, results) {
  const { sink, profile } = context;
  const holders = await preparePasskeyUsers({ baseUrl: server.baseUrl, flow: target.flow, sink });
  const signIns = (durationS) => runPasskeySignIns({ baseUrl: server.baseUrl, holders, durationS });
  results.rows.push({
    scenario: "passkey",
    ...(await measure(`${target.name} passkey`, server, signIns, profile)),
  });
}

/**
 * PostgreSQL and Redis work per login and per session check, on a separate start in the default
 * configuration (rate limits on: their windows are part of a login's cost). Sequential and few, so
 * the per-IP limits are not reached.
 */
async function costsScenario(target, context, results) {
  const { sink, profile, storage } = context;
  const server = await launch(target, context, { rateLimits: true });
  try {
    const base = { baseUrl: server.baseUrl, flow: target.flow, sink };
    const serviceCosts = (run) =>
      measureServiceCosts({
        postgresUrl: storage.postgresUrl,
        redis: target.redis ? context.redis : undefined,
        settleMs: profile.statsSettleMs,
        run,
      });
    const login = await serviceCosts(async () => {
      for (let i = 0; i < profile.costLogins; i++) await signIn({ ...base, email: `cost-${i}@bench.test` });
      return { count: profile.costLogins };
    });
    const { jar } = await signIn({ ...base, email: SESSION_EMAIL });
    const session = await serviceCosts(async () => {
      for (let i = 0; i < profile.costChecks; i++)
        await call(server.baseUrl, { path: target.sessionPath }, jar);
      return { count: profile.costChecks };
    });
    server.assertRunning();
    console.log(`  ${target.name} costs: login ${JSON.stringify(login)}; session ${JSON.stringify(session)}`);
    results.costs = { login, session };
  } finally {
    await server.stop();
  }
}

/** Runs the target's scenarios, filling `results` as it goes so a failure keeps what was measured. */
async function benchTarget(target, context, results) {
  const { profile } = context;
  // Restarts keep the secret: data written by one start (e.g. encrypted signing keys) must stay readable.
  context.storage = { postgresUrl: await postgresUrlFor(target), secretKey: randomBytes(32).toString("hex") };
  const readyMs = [];
  for (let i = 1; i < profile.coldStarts; i++) {
    const probe = await launch(target, context);
    readyMs.push(probe.readyMs);
    await probe.stop();
  }
  const server = await launch(target, context);
  readyMs.push(server.readyMs);
  console.log(`${target.name}: ready in ${Math.round(server.readyMs)} ms (pid ${server.pid})`);
  results.coldStartMs = median(readyMs);
  try {
    await sessionScenarios(target, server, context, results);
    if (target.flow) await loginScenarios(target, server, context, results);
    if (context.wants(target, "oidc")) await oidcScenarios(target, server, context, results);
    if (context.wants(target, "passkey")) await passkeyScenario(target, server, context, results);
  } finally {
    await server.stop();
  }
  if (context.wants(target, "costs")) await costsScenario(target, context, results);
}

/**
 * The session check of bare node:http and Latchkey (default logging and LOG_LEVEL=warn) on servers
 * started side by side and measured in alternating rounds: the host's speed drifts within minutes,
 * and shares taken within a round do not inherit that drift.
 */
async function pairedSessionPhase(context) {
  const { profile, sink } = context;
  const targets = PAIRED_SESSION_TARGETS.map((name) =>
    profile.targets.find((target) => target.name === name),
  );
  if (targets.some((target) => !target || skipReason(target, {}))) {
    console.log(`session-paired: SKIPPED — needs ${PAIRED_SESSION_TARGETS.join(", ")}`);
    return undefined;
  }
  const entries = [];
  try {
    for (const target of targets) {
      context.storage = { secretKey: randomBytes(32).toString("hex") };
      const server = await launch(target, context);
      const headers = await sessionHeaders(target, server, sink);
      const load = { baseUrl: server.baseUrl, path: target.sessionPath, headers, email: SESSION_EMAIL };
      entries.push({ name: target.name, server, load });
    }
    for (const { load } of entries) await runSessionLoad({ ...load, durationS: profile.warmupS });
    const rounds = await runPairedRounds({
      entries,
      rounds: profile.pairedRounds,
      measure: async ({ server, load }) => {
        const run = await withServerStats(server.pid, () =>
          runSessionLoad({ ...load, durationS: profile.pairedDurationS }),
        );
        server.assertRunning();
        return run;
      },
      log: (round, name, run) =>
        console.log(`  session-paired round ${round}/${profile.pairedRounds} ${name}: ${describeRun(run)}`),
    });
    const errors = rounds.flatMap((round) => Object.values(round)).reduce((sum, run) => sum + run.errors, 0);
    return {
      rounds,
      errors,
      durationS: profile.pairedDurationS,
      shares: pairedShares(rounds, targets[0].name),
    };
  } finally {
    for (const { server } of entries) await server.stop();
  }
}

async function startRedisIfNeeded(targets) {
  if (!targets.some((target) => target.redis)) return null;
  try {
    const redis = await startPrivateRedis(await freePort());
    onCleanup(redis.stop);
    return redis;
  } catch (error) {
    console.log(`private Redis: ${error.message}`);
    return null;
  }
}

async function main() {
  process.chdir(fileURLToPath(new URL("..", import.meta.url)));
  const profile = parseOptions();
  const sink = await startDriver();
  const postgres = await postgresVersion();
  const redis = await startRedisIfNeeded(profile.targets);
  const context = {
    sink,
    profile,
    redis,
    wants: (target, scenario) => target.scenarios.includes(scenario) && profile.scenarios.includes(scenario),
  };

  const results = { rows: [], open: [], memory: [], costs: [], coldStarts: [], skipped: [], failed: [] };
  if (profile.scenarios.includes("session-paired")) {
    try {
      results.paired = await pairedSessionPhase(context);
    } catch (error) {
      console.error(`session-paired: FAILED — ${error.stack ?? error.message}`);
      results.failed.push({ target: "session-paired", reason: error.message });
    }
  }
  for (const target of profile.targets) {
    if (!target.scenarios.some((scenario) => profile.scenarios.includes(scenario))) continue;
    const reason = skipReason(target, {
      postgresReachable: postgres !== null,
      redisAvailable: redis !== null,
    });
    if (reason) {
      console.log(`${target.name}: SKIPPED — ${reason}`);
      results.skipped.push({ target: target.name, reason });
      continue;
    }
    const result = { rows: [], open: [] };
    try {
      await benchTarget(target, context, result);
    } catch (error) {
      console.error(`${target.name}: FAILED — ${error.stack ?? error.message}`);
      results.failed.push({ target: target.name, reason: error.message });
    }
    const tag = { target: target.name, compareWith: target.compareWith };
    if (result.coldStartMs !== undefined)
      results.coldStarts.push({ target: target.name, ms: result.coldStartMs });
    for (const row of result.rows) results.rows.push({ ...tag, ...row });
    for (const open of result.open) results.open.push({ ...tag, ...open });
    if (result.memory) results.memory.push({ ...tag, ...result.memory });
    if (result.costs) results.costs.push({ ...tag, ...result.costs });
  }

  const errorSamples = errorSamplesOf(results);
  const report = renderReport({ ...results, errorSamples });
  console.log(`\n${report}`);

  const env = environment({ postgres, pinned: canPin });
  const command = commandLine();
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    `bench/results/${env.date.replaceAll(":", "-")}${profile.quick ? "-quick" : ""}.json`,
    JSON.stringify({ env, command, profile, ...results }, null, 2),
  );
  if (!profile.quick && !profile.isPartial) {
    writeFileSync("BENCHMARKS.md", renderMarkdown({ env, command, report }));
    console.log("\nwrote BENCHMARKS.md");
  }
  const pairedErrors = results.paired?.errors ?? 0;
  return results.failed.length > 0 || errorSamples.length > 0 || pairedErrors > 0 ? 1 : 0;
}

let exitCode = 1;
const startedAt = performance.now();
try {
  exitCode = await main();
} catch (error) {
  console.error(error.stack ?? error);
} finally {
  await runCleanups();
}
console.log(`bench finished in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
process.exit(exitCode);

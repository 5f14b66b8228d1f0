// Server-side cost of Latchkey under the benchmark's load, with the knobs the benchmark fixes:
//   node scripts/profile-server.mjs [--db sqlite|postgres] [--log-level info] [--session 5] [--logins 10] [--passkeys 0] [--oidc 0]
//                                   [--cpu-prof DIR] [--bare] [--node-options "..."] [--node-flags "..."] [--entry dist/server.js]
// Starts dist/server.js (pinned like the benchmark), runs the session scenario, then the login storm,
// then passkey sign-ins (--passkeys seconds), OIDC refreshes and userinfo calls (--oidc seconds), then idles, and prints the rate, server CPU per operation and resident memory of each phase.
// With --cpu-prof the server writes a V8 CPU profile of the login storm into DIR on shutdown
// (print its top entries with scripts/cpu-profile-top.mjs). --bare also measures bench/peers/bare-node.mjs
// in the same run, for the session ratio. See docs/performance.md.
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchTarget } from "../bench/launch.mjs";
import { createScratchDatabase } from "../bench/postgres.mjs";
import { cpuSeconds, residentMb, withServerStats } from "../bench/proc-stats.mjs";
import { onCleanup, runCleanups, startDriver } from "../bench/processes.mjs";
import { runLogins, signIn } from "../bench/scenarios/login.mjs";
import { prepareRefreshers, prepareUserinfoLoad, runRefreshes } from "../bench/scenarios/oidc.mjs";
import { preparePasskeyUsers, runPasskeySignIns } from "../bench/scenarios/passkey.mjs";
import { runSessionLoad } from "../bench/scenarios/session.mjs";
import { SESSION_EMAIL, TARGETS } from "../bench/targets.mjs";

const { values: options } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    "log-level": { type: "string", default: "info" },
    session: { type: "string", default: "5" },
    logins: { type: "string", default: "10" },
    passkeys: { type: "string", default: "0" },
    oidc: { type: "string", default: "0" },
    idle: { type: "string", default: "5" },
    "cpu-prof": { type: "string" },
    "node-options": { type: "string", default: "" },
    // The Node.js flags on the command line; npm start's when not given ("" for none).
    "node-flags": { type: "string" },
    bare: { type: "boolean", default: false },
    entry: { type: "string", default: "dist/server.js" },
  },
});

function line(label, run) {
  return `${label}: ${Math.round(run.rate)}/s, server CPU ${run.cpuPerOpUs.toFixed(0)} µs/op (${run.cpuPercent.toFixed(0)} %), peak RSS ${run.peakRssMb.toFixed(0)} MB, errors ${run.errors}${run.firstError ? ` (${run.firstError})` : ""}`;
}

/** `extra`: environment beyond the benchmark's. On PostgreSQL, a scratch database dropped at cleanup. */
async function launch(target, sink, extra) {
  let databaseUrl;
  if (options.db === "postgres") {
    const db = await createScratchDatabase("latchkey_profile");
    onCleanup(db.drop);
    databaseUrl = db.url;
  }
  return launchTarget(target, { sink, prefix: "latchkey-profile", databaseUrl, envOptions: { extra } });
}

async function measureBare(sink) {
  const bare = TARGETS.find((target) => target.name === "bare-node");
  const server = await launch(bare, sink, {});
  try {
    const load = (durationS) =>
      runSessionLoad({
        baseUrl: server.baseUrl,
        path: bare.sessionPath,
        email: SESSION_EMAIL,
        durationS,
      });
    await load(1);
    const run = await withServerStats(server.pid, () => load(Number(options.session)));
    console.log(line("bare-node session", run));
    return run.rate;
  } finally {
    await server.stop();
  }
}

/** OIDC refresh-token grants, then userinfo calls, `--oidc` seconds each. */
async function measureOidc(server, target, sink) {
  const client = await target.flow.registerClient({ env: server.env, baseUrl: server.baseUrl, sink });
  const base = { baseUrl: server.baseUrl, flow: target.flow, sink, client };
  const holders = await prepareRefreshers({ ...base, count: 16 });
  const refreshes = (durationS) => runRefreshes({ ...base, holders, durationS });
  await refreshes(1);
  console.log(
    line("latchkey oidc refresh", await withServerStats(server.pid, () => refreshes(Number(options.oidc)))),
  );
  const userinfo = await prepareUserinfoLoad({ ...base, email: "userinfo@bench.test" });
  await userinfo(1);
  console.log(
    line("latchkey oidc userinfo", await withServerStats(server.pid, () => userinfo(Number(options.oidc)))),
  );
}

async function measureLatchkey(sink) {
  const target = TARGETS.find((t) => t.name === (options.db === "postgres" ? "latchkey-pg" : "latchkey"));
  const script = options["cpu-prof"] ? "scripts/profiled-server.mjs" : options.entry;
  const nodeFlags = options["node-flags"]?.split(/\s+/).filter(Boolean) ?? target.nodeFlags;
  const server = await launch({ ...target, script, nodeFlags }, sink, {
    LATCHKEY_ENTRY: options.entry,
    LOG_LEVEL: options["log-level"],
    NODE_OPTIONS: options["node-options"],
    CPU_PROFILE_DIR: options["cpu-prof"] ?? "",
  });
  console.log(
    `latchkey (${options.db}, LOG_LEVEL=${options["log-level"]}): ready in ${Math.round(server.readyMs)} ms (${Math.round(cpuSeconds(server.pid) * 1000)} ms CPU), RSS ${residentMb(server.pid).toFixed(0)} MB`,
  );
  try {
    const { jar } = await signIn({ baseUrl: server.baseUrl, flow: target.flow, sink, email: SESSION_EMAIL });
    const session = (durationS) =>
      runSessionLoad({
        baseUrl: server.baseUrl,
        path: target.sessionPath,
        headers: { cookie: jar.header() },
        email: SESSION_EMAIL,
        durationS,
      });
    let sessionRate = Number.NaN;
    if (Number(options.session) > 0) {
      await session(1);
      const run = await withServerStats(server.pid, () => session(Number(options.session)));
      console.log(line("latchkey session", run));
      sessionRate = run.rate;
    }
    if (Number(options.logins) > 0) {
      const logins = (durationS) =>
        runLogins({ baseUrl: server.baseUrl, flow: target.flow, sink, durationS });
      await logins(1);
      const run = await withServerStats(server.pid, () => logins(Number(options.logins)));
      console.log(line("latchkey login", run));
    }
    if (Number(options.passkeys) > 0) {
      const holders = await preparePasskeyUsers({ baseUrl: server.baseUrl, flow: target.flow, sink });
      const signIns = (durationS) => runPasskeySignIns({ baseUrl: server.baseUrl, holders, durationS });
      await signIns(1);
      const run = await withServerStats(server.pid, () => signIns(Number(options.passkeys)));
      console.log(line("latchkey passkey", run));
    }
    if (Number(options.oidc) > 0) {
      await measureOidc(server, target, sink);
      // oidc-provider runs requests in AsyncLocalStorage: on Node.js 20 that turns on promise
      // hooks for the whole process from then on. The session check again shows what it costs.
      if (Number(options.session) > 0) {
        const run = await withServerStats(server.pid, () => session(Number(options.session)));
        console.log(line("latchkey session after OIDC", run));
      }
    }
    await sleep(Number(options.idle) * 1000);
    console.log(`idle ${options.idle} s after the load: RSS ${residentMb(server.pid).toFixed(0)} MB`);
    return sessionRate;
  } finally {
    await server.stop();
  }
}

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const sink = await startDriver();
try {
  const bareRate = options.bare ? await measureBare(sink) : undefined;
  const sessionRate = await measureLatchkey(sink);
  if (bareRate) console.log(`session vs bare-node: ${((100 * sessionRate) / bareRate).toFixed(0)} %`);
} finally {
  await runCleanups();
}
process.exit(0);

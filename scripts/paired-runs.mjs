// Login storms (or session checks) against Latchkey servers that differ only in their Node.js flags,
// their environment or their build, side by side, in alternating rounds, so a change in the host's
// speed lands on every variant alike:
//   node scripts/paired-runs.mjs --variant 'default=' --variant 'pool1=--v8-pool-size=1' [--rounds 10] [--seconds 3]
//   node scripts/paired-runs.mjs --variant 'default=' --variant 'arenas=GLIBC_TUNABLES=glibc.malloc.arena_max=2'
//   node scripts/paired-runs.mjs --scenario session --variant 'now=' --variant 'before=@/tmp/old/dist/server.js'
// A variant is `name=words`: words of the form NAME=value go into the server's environment, a word
// `@path` runs that build's server.js instead of dist/server.js, the rest are Node.js flags added to
// npm start's. Prints each variant's CPU per operation (median and rounds), rate, peak RSS and RSS
// after an idle period, and the per-round CPU ratio of each variant to the first.
// See docs/performance.md.
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchTarget, parseVariant } from "../bench/launch.mjs";
import { residentMb, statusKb, withServerStats } from "../bench/proc-stats.mjs";
import { runCleanups, startDriver } from "../bench/processes.mjs";
import { runLogins, signIn } from "../bench/scenarios/login.mjs";
import { runSessionLoad } from "../bench/scenarios/session.mjs";
import { median } from "../bench/stats.mjs";
import { SESSION_EMAIL, TARGETS } from "../bench/targets.mjs";

const { values: options } = parseArgs({
  options: {
    variant: { type: "string", multiple: true, default: [] },
    scenario: { type: "string", default: "login" },
    rounds: { type: "string", default: "10" },
    seconds: { type: "string", default: "3" },
    idle: { type: "string", default: "20" },
    "log-level": { type: "string", default: "info" },
  },
});

function launch(target, sink, variant) {
  const script = variant.entry ?? target.script;
  const nodeFlags = [...target.nodeFlags, ...variant.flags];
  return launchTarget(
    { ...target, script, nodeFlags },
    {
      sink,
      prefix: "latchkey-paired",
      envOptions: { extra: { LOG_LEVEL: options["log-level"], ...variant.env } },
    },
  );
}

/** The load of one round: login storms, or session checks with one signed-in user's cookies. */
async function loadFor(target, server, sink) {
  if (options.scenario === "login") {
    return (durationS) => runLogins({ baseUrl: server.baseUrl, flow: target.flow, sink, durationS });
  }
  if (options.scenario !== "session") throw new Error("--scenario is login or session");
  const { jar } = await signIn({ baseUrl: server.baseUrl, flow: target.flow, sink, email: SESSION_EMAIL });
  const headers = { cookie: jar.header() };
  return (durationS) =>
    runSessionLoad({
      baseUrl: server.baseUrl,
      path: target.sessionPath,
      headers,
      email: SESSION_EMAIL,
      durationS,
    });
}

const megabytes = (kb) => `${(kb / 1024).toFixed(1)} MB`;

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const variants = options.variant.map(parseVariant);
if (variants.length < 2) throw new Error("give at least two --variant name=flags");
const sink = await startDriver();
try {
  const target = TARGETS.find((candidate) => candidate.name === "latchkey");
  const runs = [];
  for (const variant of variants) {
    const server = await launch(target, sink, variant);
    const storm = await loadFor(target, server, sink);
    await storm(1);
    runs.push({ variant, server, storm, cpu: [], rate: [], peakMb: 0 });
  }
  for (let round = 0; round < Number(options.rounds); round++) {
    for (const run of runs) {
      const result = await withServerStats(run.server.pid, () => run.storm(Number(options.seconds)));
      run.cpu.push(Math.round(result.cpuPerOpUs));
      run.rate.push(Math.round(result.rate));
      run.peakMb = Math.max(run.peakMb, result.peakRssMb);
    }
  }
  await sleep(Number(options.idle) * 1000);
  for (const run of runs) {
    console.log(
      `${run.variant.name}: CPU per ${options.scenario} ${median(run.cpu)} µs (rounds ${run.cpu.join(", ")}), ` +
        `${median(run.rate)}/s, peak RSS ${run.peakMb.toFixed(0)} MB, ` +
        `${options.idle} s after: RSS ${residentMb(run.server.pid).toFixed(0)} MB ` +
        `(file ${megabytes(statusKb(run.server.pid, "RssFile"))}, anonymous ${megabytes(statusKb(run.server.pid, "RssAnon"))})`,
    );
  }
  const [first, ...others] = runs;
  for (const run of others) {
    const ratios = run.cpu.map((cpu, round) => cpu / first.cpu[round]);
    console.log(
      `${run.variant.name} / ${first.variant.name} CPU per ${options.scenario}: median ${median(ratios).toFixed(3)} ` +
        `(rounds ${ratios.map((ratio) => ratio.toFixed(3)).join(", ")})`,
    );
  }
} finally {
  await runCleanups();
}
// Every server is stopped: leave, whatever handles the load generators left open.
process.exit(0);

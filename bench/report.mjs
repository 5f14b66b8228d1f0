// Turns results into one table (stdout and BENCHMARKS.md) with the machine, versions and command.
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { PHASES } from "./scenarios/login.mjs";
import { BARE_BASELINE } from "./targets.mjs";

const NOISY_OTHER_CPU_PERCENT = 10;
const SATURATED_DRIVER_CPU_PERCENT = 90;
const NOISE_CAVEAT =
  "those numbers may be depressed (for PostgreSQL targets this includes PostgreSQL's own processes, which are not pinned).";
const PACKAGES = [
  "better-auth",
  "fastify",
  "better-sqlite3",
  "pg",
  "autocannon",
  "nodemailer",
  "smtp-server",
];

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version;
  } catch {
    return "not installed";
  }
}

export function environment({ postgres, pinned }) {
  const cpuModel = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown";
  const latchkey = JSON.parse(readFileSync("package.json", "utf8")).version;
  return {
    date: new Date().toISOString(),
    // cpus(), not availableParallelism(): the driver has already pinned itself to one core.
    machine: `${cpus().length} CPUs (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`,
    pinning: pinned
      ? "servers pinned to core 0 (taskset -c 0); driver, load generator and SMTP sink on core 1"
      : "no pinning (taskset missing or fewer than 2 CPUs): numbers are noisier",
    versions: [
      `Node ${process.version}`,
      `latchkey ${latchkey}`,
      ...PACKAGES.map((name) => `${name} ${packageVersion(name)}`),
      `PostgreSQL ${postgres ?? "not reachable"}`,
    ].join(", "),
  };
}

export function commandLine() {
  const args = process.argv.slice(2).join(" ");
  const event = process.env.npm_lifecycle_event;
  if (event) return `npm run ${event}${args ? ` -- ${args}` : ""}`;
  return `node bench/run.mjs${args ? ` ${args}` : ""}`;
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
// autocannon records latency in whole milliseconds.
const latency = (value) => (value === 0 ? "<1" : fixed(value, 1));
const rate = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "–");

function ratioCells(row, rows) {
  const find = (target) => rows.find((r) => r.target === target && r.scenario === row.scenario);
  const peer = find(row.compareWith);
  const bare = row.scenario === "session" ? find(BARE_BASELINE) : undefined;
  let vsPeer = "–";
  if (peer && peer !== row) {
    vsPeer = `${fixed(row.rate / peer.rate, 1)}×`;
    if (row.scenario === "login") vsPeer += ` (p99 ${fixed(row.p99 / peer.p99, 2)}×)`;
  }
  const vsBare = bare ? `${fixed((100 * row.rate) / bare.rate, 1)} %` : "–";
  return [vsPeer, vsBare];
}

export function renderTable(rows) {
  const header = [
    "server",
    "scenario",
    "rate /s",
    "p50 ms",
    "p99 ms",
    "errors",
    "server CPU",
    "CPU µs/op",
    "peak RSS MB",
    "driver CPU",
    "vs Better Auth",
    "vs bare node:http",
  ];
  const lines = rows.map((row) => [
    row.target,
    row.scenario,
    rate(row.rate),
    latency(row.p50),
    latency(row.p99),
    String(row.errors),
    `${fixed(row.cpuPercent, 0)} %`,
    fixed(row.cpuPerOpUs, 0),
    fixed(row.peakRssMb, 0),
    `${fixed(row.driverCpuPercent, 0)} %`,
    ...ratioCells(row, rows),
  ]);
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

export function renderNotes({ rows, coldStarts, skipped, failed, errorSamples }) {
  const lines = [];
  if (rows.some((row) => !row.peakIsScoped)) {
    lines.push(
      "Peak RSS could not be reset between runs here (clear_refs refused): it is the process lifetime peak.",
    );
  }
  if (coldStarts.length > 0) {
    lines.push(
      `Cold start (spawn → first 200 from the readiness route, median): ${coldStarts
        .map(({ target, ms }) => `${target} ${Math.round(ms)} ms`)
        .join(", ")}.`,
    );
  }
  const noisy = rows.filter((row) => row.otherCpuPercent > NOISY_OTHER_CPU_PERCENT);
  if (noisy.length > 0) {
    lines.push(
      `WARNING: other processes used CPU during ${noisy
        .map((row) => `${row.target} ${row.scenario} (${fixed(row.otherCpuPercent, 0)} % of a core)`)
        .join(", ")}; ${NOISE_CAVEAT}`,
    );
  }
  const driverBound = rows.filter((row) => row.driverCpuPercent >= SATURATED_DRIVER_CPU_PERCENT);
  if (driverBound.length > 0) {
    lines.push(
      `The driver core was saturated during ${driverBound
        .map((row) => `${row.target} ${row.scenario}`)
        .join(", ")}: those rates are what one core of load generator can push, a floor for the server, ` +
        "so shares of bare node:http overstate the others.",
    );
  }
  const logins = rows.filter((row) => row.phaseP50);
  if (logins.length > 0) {
    const phases = (row) => PHASES.map((p) => fixed(row.phaseP50[p], 1)).join(" / ");
    lines.push(
      `Login phase medians in ms (${PHASES.join(" / ")}; mail = send response → mail in the sink): ${logins
        .map((row) => `${row.target} ${phases(row)}`)
        .join("; ")}.`,
    );
  }
  for (const { target, reason } of skipped) lines.push(`Skipped ${target}: ${reason}.`);
  for (const { target, reason } of failed) lines.push(`FAILED ${target}: ${reason.split("\n")[0]}`);
  for (const { label, message } of errorSamples) lines.push(`First error in ${label}: ${message}`);
  return lines.join("\n\n");
}

const METHOD = `## Method

- Every server runs as its own process pinned to core 0; the driver (autocannon, the login loop and the
  SMTP sink, smtp-server + mailparser) is pinned to core 1. Everything is on 127.0.0.1.
- Environment for every server: \`PORT\`, \`HOST=127.0.0.1\`, \`PUBLIC_URL\`, \`DATA_DIR\` (a fresh temp dir),
  \`DATABASE_URL\` (SQLite file in that dir, or a freshly created PostgreSQL database dropped afterwards), \`SMTP_URL\` (the sink),
  \`SECRET_KEY\`, \`NODE_ENV=development\`, \`LOG_LEVEL=warn\`, \`RATE_LIMITS=off\`.
- **session**: autocannon, 50 keep-alive connections, \`GET\` of the session endpoint with the cookie of a user
  signed in through the real flow (Latchkey \`/api/auth/session\`, Better Auth \`/api/auth/get-session\`; the bare
  servers answer a constant JSON body shaped like a session). Every response is checked: it counts as an error
  unless it is a 200 whose body contains \`"email":"<the signed-in user>"\`; connection errors and timeouts count too.
- **login**: 16 virtual users, each looping over a fresh address (\`user-<vu>-<n>@bench.test\`): send the code →
  await the mail in the sink and take the 6-digit code → verify (JSON, same-origin \`Origin\` header, cookies kept
  like a browser) → session check naming the user. Rate counts complete logins; p50/p99 are per complete login.
- Each scenario is warmed up, then run 3× bounded in time and in count; the table shows the median
  (errors are summed, peak RSS is the highest). Server CPU is utime + stime from \`/proc/<pid>/stat\` over the
  run (100 % = the whole server core); driver CPU is the same for the driver process (near 100 % means the
  rate is bounded by the load generator, not the server); peak RSS is \`VmHWM\`, reset before each run via \`clear_refs\`.
- Better Auth runs with its email-OTP plugin and defaults, rate limiting off, SQLite in WAL mode, and mail sent
  without awaiting delivery (as the plugin's docs advise), through a pooled nodemailer transport.
- Cold start is the time from spawning the process to the first 200 from its readiness route
  (Latchkey \`/readyz\`), on an empty SQLite database (PostgreSQL targets: one database per target, so only
  the first start runs migrations). Latencies from autocannon have 1 ms resolution.
- "Other processes" CPU is the machine's busy time (\`/proc/stat\`) minus the server's and the driver's: other
  work on the machine, and for PostgreSQL targets the database server itself.`;

export function renderMarkdown({ env, command, table, notes }) {
  return `# Benchmarks

Latchkey against Better Auth (email OTP) and the bare Node ceiling, measured in one run by \`npm run bench\`.

- Date: ${env.date}
- Machine: ${env.machine}; ${env.pinning}
- Versions: ${env.versions}
- Command: \`${command}\`

${table}

${notes}

${METHOD}
`;
}

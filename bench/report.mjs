// Turns results into one table (stdout and BENCHMARKS.md) with the machine, versions and command.
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { P99_LIMIT_MS } from "./open-loop.mjs";
import { MACHINE_CORES, POSTGRES_CORES, REDIS_CORES, scalingRows } from "./scaling.mjs";
import { PHASES } from "./scenarios/login.mjs";
import { BARE_BASELINE } from "./targets.mjs";

const SCALING_TARGET = "latchkey-pg";

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
  const logins = rows.filter((row) => row.scenario === "login" && row.phaseP50);
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

const markdownTable = (header, lines) =>
  [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
const ms = (value) => fixed(value, 1);
const mb = (value) => fixed(value, 0);

// Targets the issue set for this round, printed beside the measured values.
const SHARE_TARGETS = { latchkey: 45, "latchkey-warn": 55 };
const PASSKEY_CPU_TARGET_US = 500;

/** The headline figures: session check against bare node:http, passkey CPU, the OIDC comparison. */
export function renderHeadlines(rows) {
  const lines = [];
  const find = (target, scenario) => rows.find((row) => row.target === target && row.scenario === scenario);
  const bare = find(BARE_BASELINE, "session");
  const shares = Object.entries(SHARE_TARGETS)
    .map(([target, goal]) => [find(target, "session"), goal])
    .filter(([row]) => row && bare)
    .map(
      ([row, goal]) =>
        `${row.target === "latchkey" ? "default logging" : "LOG_LEVEL=warn"} ${fixed((100 * row.rate) / bare.rate, 1)} % ` +
        `by rate, ${fixed((100 * bare.cpuPerOpUs) / row.cpuPerOpUs, 1)} % by server CPU per check (target ≥ ${goal} %)`,
    );
  if (shares.length > 0)
    lines.push(`- Latchkey session check as a share of bare node:http: ${shares.join("; ")}.`);
  const logged = find("latchkey", "session");
  const quiet = find("latchkey-warn", "session");
  if (logged && quiet) {
    lines.push(
      `- Server CPU per session check: ${fixed(logged.cpuPerOpUs, 0)} µs with the default request log, ` +
        `${fixed(quiet.cpuPerOpUs, 0)} µs with LOG_LEVEL=warn.`,
    );
  }
  const passkeys = rows.filter((row) => row.scenario === "passkey");
  if (passkeys.length > 0) {
    lines.push(
      `- Server CPU per passkey sign-in: ${passkeys
        .map((row) => `${row.target} ${fixed(row.cpuPerOpUs, 0)} µs`)
        .join(", ")} (target ≤ ${PASSKEY_CPU_TARGET_US} µs).`,
    );
  }
  const oidc = renderOidcHeadline(rows);
  if (oidc) lines.push(oidc);
  return lines.join("\n");
}

// The issue's target for the OIDC comparison: Latchkey at least this many times Better Auth.
const OIDC_TARGETS = { "oidc refresh": 10, "oidc userinfo": 10 };

/**
 * Latchkey's OIDC rates beside Better Auth's OAuth provider from the same run, as rate and server-CPU
 * ratios (by CPU per operation: Better Auth's µs / Latchkey's), or "" when no OIDC row was measured.
 */
export function renderOidcHeadline(rows) {
  const oidc = rows.filter((row) => row.scenario.startsWith("oidc") && row.target !== row.compareWith);
  if (oidc.length === 0) return "";
  const parts = oidc.map((row) => {
    const peer = rows.find((other) => other.target === row.compareWith && other.scenario === row.scenario);
    const own = `${row.target} ${row.scenario.slice(5)} ${rate(row.rate)}/s (${fixed(row.cpuPerOpUs, 0)} µs CPU)`;
    if (!peer) return `${own}, ${row.compareWith} not measured`;
    const goal = OIDC_TARGETS[row.scenario];
    return (
      `${own} vs ${peer.target} ${rate(peer.rate)}/s (${fixed(peer.cpuPerOpUs, 0)} µs): ` +
      `${fixed(row.rate / peer.rate, 1)}× by rate, ${fixed(peer.cpuPerOpUs / row.cpuPerOpUs, 1)}× by server CPU` +
      (goal ? ` (target ≥ ${goal}×)` : "")
    );
  });
  return `- OIDC: ${parts.join("; ")}.`;
}

export function renderOpenLoop(open) {
  if (open.length === 0) return "";
  const runs = open.flatMap((entry) =>
    entry.runs.map((run) => [
      entry.target,
      entry.scenario,
      rate(run.rate),
      `${fixed(100 * run.share, 0)} %`,
      rate(run.achievedRate),
      ms(run.p50),
      ms(run.p99),
      ms(run.p999),
      String(run.errors),
      String(run.incomplete ?? 0),
      `${fixed(run.cpuPercent, 0)} %`,
      `${fixed(run.driverCpuPercent, 0)} %`,
    ]),
  );
  const held = open.map((entry) => [
    entry.target,
    entry.scenario,
    rate(entry.capacity),
    entry.search.maxRate === null
      ? `none ≥ ${rate(Math.min(...entry.search.probes.map((probe) => probe.rate)))}`
      : rate(entry.search.maxRate),
    entry.search.probes
      .map((probe) => `${rate(probe.rate)} ${probe.holds ? "✓" : `✗ (p99 ${ms(probe.p99)})`}`)
      .join(", "),
  ]);
  return [
    "### Open loop (fixed arrival rates, latency from the intended start)",
    markdownTable(
      [
        "server",
        "scenario",
        "offered /s",
        "of capacity",
        "achieved /s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "errors",
        "not completed",
        "server CPU",
        "driver CPU",
      ],
      runs,
    ),
    markdownTable(
      [
        "server",
        "scenario",
        "closed-loop capacity /s",
        `highest rate with p99 < ${P99_LIMIT_MS} ms`,
        "probes",
      ],
      held,
    ),
    renderOpenLoopPhases(open),
  ]
    .filter(Boolean)
    .join("\n\n");
}

/**
 * Where an open-loop login's time went at each rate: every phase's p50 and p99, each timed from
 * its own start (the queue before a sign-in starts is in the run's latency, not here).
 */
export function renderOpenLoopPhases(open) {
  const runs = open.flatMap((entry) =>
    entry.runs.filter((run) => run.phaseP99).map((run) => ({ target: entry.target, run })),
  );
  if (runs.length === 0) return "";
  return [
    "Open-loop logins by phase, p50 / p99 in ms (mail = send response → mail in the sink):",
    markdownTable(
      ["server", "offered /s", ...PHASES],
      runs.map(({ target, run }) => [
        target,
        rate(run.rate),
        ...PHASES.map((phase) => `${ms(run.phaseP50[phase])} / ${ms(run.phaseP99[phase])}`),
      ]),
    ),
  ].join("\n\n");
}

export function renderMemory(memory) {
  if (memory.length === 0) return "";
  return [
    "### Memory",
    markdownTable(
      [
        "server",
        "peak RSS during the login storm MB",
        "idle RSS 5 s after it MB",
        "idle RSS 30 s after it MB",
      ],
      memory.map((entry) => [entry.target, mb(entry.loginPeakMb), mb(entry.idleMb), mb(entry.settledIdleMb)]),
    ),
  ].join("\n\n");
}

function costCells(cost) {
  return [
    fixed(cost.postgres?.transactions, 1),
    fixed(cost.postgres?.rowsWritten, 1),
    fixed(cost.postgres?.cpuUs, 0),
    cost.redis ? fixed(cost.redis.commands, 2) : "–",
    cost.redis ? fixed(cost.redis.cpuUs, 0) : "–",
  ];
}

export function renderCosts(costs) {
  if (costs.length === 0) return "";
  const lines = costs.flatMap((entry) => [
    [entry.target, "login", String(entry.login.count), ...costCells(entry.login)],
    [entry.target, "session check", String(entry.session.count), ...costCells(entry.session)],
  ]);
  const commands = costs
    .filter((entry) => entry.login.redis)
    .map(
      (entry) =>
        `${entry.target} Redis commands per login: ${describeCommands(entry.login.redis.byCommand)}; per session check: ${describeCommands(entry.session.redis.byCommand)}.`,
    );
  return [
    "### Cost per operation in PostgreSQL and Redis (default configuration; Latchkey's rate limits on)",
    markdownTable(
      [
        "server",
        "operation",
        "sample",
        "PostgreSQL transactions",
        "rows written",
        "PostgreSQL backend CPU µs",
        "Redis commands",
        "Redis CPU µs",
      ],
      lines,
    ),
    ...commands,
  ].join("\n\n");
}

function describeCommands(byCommand) {
  const entries = Object.entries(byCommand);
  return entries.length === 0
    ? "none"
    : entries.map(([command, calls]) => `${command} ${fixed(calls, 2)}`).join(", ");
}

/** The scaling table from the PostgreSQL + Redis target's CPU per operation and service costs. */
export function renderScaling(rows, costs) {
  const cost = costs.find((entry) => entry.target === SCALING_TARGET);
  const find = (scenario) => rows.find((row) => row.target === SCALING_TARGET && row.scenario === scenario);
  const login = find("login");
  const session = find("session");
  if (!cost || !login || !session) return "";
  const table = scalingRows({
    login: {
      serverUs: login.cpuPerOpUs,
      postgresUs: cost.login.postgres?.cpuUs,
      redisUs: cost.login.redis?.cpuUs,
    },
    session: {
      serverUs: session.cpuPerOpUs,
      postgresUs: cost.session.postgres?.cpuUs,
      redisUs: cost.session.redis?.cpuUs,
    },
  });
  const count = (value) => (Number.isFinite(value) ? rate(value) : "unbounded");
  return [
    `### Scaling on paper (${SCALING_TARGET}: Latchkey on PostgreSQL + Redis; see Method)`,
    markdownTable(
      [
        "operation",
        "1 core",
        `${MACHINE_CORES}-core machine`,
        `PostgreSQL ceiling (${POSTGRES_CORES} cores)`,
        `Redis ceiling (${REDIS_CORES} core)`,
        "N instances: ceiling",
        "instances to reach it",
        "runs out first",
      ],
      table.map((row) => [
        row.operation,
        rate(row.oneCore),
        rate(row.oneMachine),
        count(row.postgres),
        count(row.redis),
        count(row.cluster),
        Number.isFinite(row.instancesToSaturate) ? String(row.instancesToSaturate) : "–",
        Number.isFinite(row.cluster) ? row.clusterLimit : "Latchkey CPU (add instances)",
      ]),
    ),
  ].join("\n\n");
}

/** The first error of every closed-loop row and open-loop run that had any. */
export function errorSamplesOf({ rows, open }) {
  return [
    ...rows
      .filter((row) => row.errors > 0)
      .map((row) => ({ label: `${row.target} ${row.scenario}`, message: row.firstError })),
    ...open.flatMap((entry) =>
      entry.runs
        .filter((run) => run.errors > 0)
        .map((run) => ({
          label: `${entry.target} ${entry.scenario} open loop at ${run.rate}/s`,
          message: run.firstError,
        })),
    ),
  ];
}

/**
 * The paired session rounds: each Latchkey variant's share of bare node:http taken within each round
 * (median over rounds), with the per-round shares, or "" when the phase did not run.
 */
export function renderPairedSession(paired) {
  if (!paired) return "";
  const label = { latchkey: "default logging", "latchkey-warn": "LOG_LEVEL=warn" };
  const shares = Object.entries(paired.shares).map(
    ([name, share]) =>
      `${label[name] ?? name} ${fixed(share.byCpu, 1)} % by server CPU per check ` +
      `(${fixed(share.cpuPerOpUs, 0)} vs ${fixed(share.baselineCpuPerOpUs, 0)} µs; rounds ` +
      `${share.perRoundByCpu.map((value) => fixed(value, 0)).join(", ")} %), ${fixed(share.byRate, 1)} % by rate ` +
      `(target ≥ ${SHARE_TARGETS[name]} %)`,
  );
  return (
    `- Session check in alternating rounds (bare node:http and both Latchkey variants side by side, ` +
    `${paired.rounds.length} round${paired.rounds.length === 1 ? "" : "s"} of ${paired.durationS} s each; ` +
    `shares taken within each round): ${shares.join("; ")}.`
  );
}

/** Everything the run prints and BENCHMARKS.md shows above its method. */
export function renderReport({
  rows,
  open,
  memory,
  costs,
  coldStarts,
  skipped,
  failed,
  errorSamples,
  paired,
}) {
  return [
    [renderPairedSession(paired), renderHeadlines(rows)].filter(Boolean).join("\n"),
    "### Closed loop",
    renderTable(rows),
    renderOpenLoop(open),
    renderMemory(memory),
    renderCosts(costs),
    renderScaling(rows, costs),
    renderNotes({ rows, coldStarts, skipped, failed, errorSamples }),
  ]
    .filter(Boolean)
    .join("\n\n");
}

const METHOD = `## Method

\`npm run bench\` runs everything below in one process and prints every table; ratios compare numbers of
the same run. \`npm run bench -- --quick\` (CI) runs every scenario once, briefly, and fails only on
errors. \`--only\` takes target names (\`bare-node\`, \`bare-fastify\`, \`latchkey\`, \`latchkey-warn\`,
\`latchkey-pg\`, \`better-auth\`, \`better-auth-pg\`) and/or scenario names (\`session\`, \`session-open\`,
\`login\`, \`login-open\`, \`oidc\`, \`passkey\`, \`costs\`, \`session-paired\`); a partial run does not rewrite this file.

### Set-up

- Every server runs as its own process pinned to core 0; the driver (load generators, login loops, the
  software passkey and the SMTP sink, smtp-server + mailparser) is pinned to core 1. Everything is on
  127.0.0.1. PostgreSQL and the private Redis are not pinned.
- Each server's stdout and stderr go straight to a file in its data directory, as with
  \`npm start > latchkey.log\`: the request log costs what writing a file costs, never a pipe the driver
  drains.
- Environment for every server: \`PORT\`, \`HOST=127.0.0.1\`, \`PUBLIC_URL\`, \`DATA_DIR\` (a fresh temp dir),
  \`DATABASE_URL\` (SQLite file in that dir, or a freshly created PostgreSQL database dropped afterwards),
  \`SMTP_URL\` (the sink), \`SECRET_KEY\`, \`NODE_ENV=development\`, and \`RATE_LIMITS=off\` (every driver
  request comes from one address, so the per-IP windows would stop the storms). Nothing else: **latchkey**
  runs its default configuration, request logging at \`info\` included. **latchkey-warn** is the same with
  \`LOG_LEVEL=warn\` (session check only). **latchkey-pg** uses PostgreSQL and a private \`redis-server\`
  (\`REDIS_URL\`) started by the driver, the set-up for several instances.
- Better Auth (better-auth 1.7.5) runs with its email-OTP plugin and defaults, rate limiting off (which also
  lifts the OAuth plugin's own windows), SQLite in WAL mode, and mail sent without awaiting delivery (as the
  plugin's docs advise), through a pooled nodemailer transport. For OIDC it adds the OAuth 2.1 / OpenID
  Connect provider plugin (@better-auth/oauth-provider 1.7.5, defaults: opaque access and refresh tokens in
  the database, refresh tokens rotated) with the JWT plugin it recommends (ID tokens signed with its default
  EdDSA key; the JWT plugin's own \`/token\` path disabled, as the plugin's docs advise). Latchkey's bench client
  is registered with \`--id-token-alg EdDSA\`, so both servers sign the same Ed25519 ID tokens (RS256, a
  client's default, costs about 240 µs more per token here: docs/performance.md).

### Closed loop

- **session**: autocannon, 50 keep-alive connections, \`GET\` of the session endpoint with the cookie of a user
  signed in through the real flow (Latchkey \`/api/auth/session\`, Better Auth \`/api/auth/get-session\`; the bare
  servers answer a constant JSON body shaped like a session). Every response is checked: it counts as an error
  unless it is a 200 whose body contains \`"email":"<the signed-in user>"\`; connection errors and timeouts count too.
- **login**: 16 virtual users, each looping over a fresh address (\`user-<vu>-<n>@bench.test\`): send the code →
  await the mail in the sink and take the 6-digit code → verify (JSON, same-origin \`Origin\` header, cookies kept
  like a browser) → session check naming the user. Rate counts complete logins; p50/p99 are per complete login.
- **oidc login** (Latchkey): a first-party confidential client registered with \`latchkey clients add
  --first-party --id-token-alg EdDSA\`;
  16 virtual users, each a fresh browser and address: \`/oidc/auth\` (PKCE S256, \`scope=openid email
  offline_access\`, \`prompt=consent\`) → the interaction's details → the emailed-code sign-in → the
  interaction's login (and consent, when asked) → the redirect to the client with a code → \`/oidc/token\`
  (\`client_secret_basic\`). **oidc refresh**: 16 clients each rotating its own refresh token
  (\`grant_type=refresh_token\`; each answer's new refresh token is the next request's). **oidc userinfo**:
  autocannon like the session check, \`GET /oidc/me\` with a Bearer access token, checked for the email.
- **oidc login** (Better Auth): a confidential web client (\`client_secret_basic\`, \`authorization_code\` and
  \`refresh_token\`) registered once per run through the plugin's \`POST /api/auth/oauth2/create-client\` by a
  user signed in with an emailed code (the plugin's admin create-client needs a session as well). Same
  request and 16 virtual users: \`/api/auth/oauth2/authorize\` as a browser navigation → the app's login page
  (played by the driver, never fetched) → the emailed-code sign-in, whose verify call carries the page's
  signed query (\`oauth_query\`, what the plugin's client does) and answers the next URL → the consent page →
  \`POST /api/auth/oauth2/consent\` (\`accept: true\`) → the redirect with a code → \`/api/auth/oauth2/token\`.
  **oidc refresh** and **oidc userinfo** (\`GET /api/auth/oauth2/userinfo\`) as for Latchkey. The redirect
  URI is \`https://client.bench.test/callback\` for both servers: the driver only reads the code from it,
  and Better Auth accepts plain-HTTP loopback redirects for native apps only.
- **passkey** (Latchkey): 16 users each sign in by email and register a software passkey (ES256 P-256 key
  from node:crypto, \`none\` attestation, clientDataJSON and authenticatorData built byte for byte, verified
  by the server's SimpleWebAuthn); then each loops from a fresh browser: authentication options →
  assertion signed by the driver → verify, checked for the user's email. CPU µs/op is the server's CPU per
  complete sign-in (two requests).
- Each closed-loop scenario is warmed up, then run 3× bounded in time and in count; the table shows the median
  (errors are summed, peak RSS is the highest). Server CPU is utime + stime from \`/proc/<pid>/stat\` over the
  run (100 % = the whole server core); driver CPU is the same for the driver process (near 100 % means the
  rate is bounded by the load generator, not the server); peak RSS is \`VmHWM\`, reset before each run via
  \`clear_refs\`. Latencies from autocannon have 1 ms resolution.

### Open loop

- Requests arrive at a fixed rate whatever the server does, at 50 %, 80 % and 100 % of that server's
  closed-loop rate measured just before. Latency is measured from each request's *intended* start
  (start + i / rate), so time a request spends queued behind a slow one counts (no coordinated
  omission). Up to 256 session checks (512 logins) are in flight; later arrivals queue in the driver,
  their wait included. Each run is bounded by its duration and its count (rate × duration); requests
  still queued or in flight 5 s after the last arrival are left out of the latencies and counted as
  "not completed" (a rate with any does not hold); failed answers count as errors.
- Session checks use a lean keep-alive HTTP/1.1 client (one pre-built request, responses framed by
  Content-Length), every answer checked as in the closed loop; a login arrival is a whole login as above.
- **Highest rate with p99 < 100 ms**: bisection between 20 % and 150 % of the closed-loop rate, in
  short runs; when 20 % misses, the rate is halved until one holds, then bisected up again. A rate
  holds when p99 < 100 ms, nothing failed and the achieved rate is ≥ 95 % of the offered one. The
  probes are listed.
- **Logins by phase**: for each fixed-rate login run, the p50 and p99 of each phase of a sign-in, each
  timed from its own start. A mail that waits for a new SMTP connection waits for its greeting, which
  the sink (like many mail servers) sends 100 ms after the connection opens; a connection pool opens
  connections as the load grows and replaces each after 100 messages (docs/performance.md).

### Memory

Peak RSS during the login storm is the highest \`VmHWM\` of the login runs; idle RSS is \`VmRSS\` read
5 s and 30 s after the storm ended (V8 returns freed heap pages to the system some seconds after the
load stops, so the second reading is the one a quiet instance keeps).

### Cost per operation in PostgreSQL and Redis

For the PostgreSQL targets, a separate start in the default configuration (rate limits **on**, since their
windows are part of a login's cost; the Better Auth peer keeps its own off) signs 15 users in one after
the other, then makes 1,000 session checks. Around each part: \`pg_stat_database\` of the target's own
scratch database (transactions committed or rolled back, rows inserted + updated + deleted) and Redis's
\`INFO commandstats\` (the private \`redis-server\`, so nothing else counts), read 11 s after activity
because PostgreSQL publishes a backend's statistics at the latest ~10 s after it goes idle; and, read
right before and after the part, the CPU time of the PostgreSQL backends connected to that database
and of Redis's main thread (\`/proc/<pid>/schedstat\`, in nanoseconds). A service that did no work in the
part is charged no CPU; background work in the window (the mail outbox's polling, key reloads) is
charged to the operations, which is why a session check that sends no query still shows a few µs of
PostgreSQL CPU and a very high PostgreSQL ceiling. \`pg_stat_statements\` is not loaded on the test machine, so statements are
counted as transactions: with autocommit one statement is one transaction, an explicit transaction
counts once. The quick profile waits only 1 s and signs in 2 users: its cost figures are not meaningful.

### Scaling on paper

From latchkey-pg's numbers in this run: Latchkey's server CPU per login and per session check (closed
loop), and the PostgreSQL backend CPU and Redis CPU per operation (costs). One core serves
1 / (CPU per operation); a 4-core machine runs 4 instances (Node.js uses one core per process) and serves
4×. With N instances on their own cores, PostgreSQL (assumed: 4 cores) and Redis (one core: it executes
commands on one thread) cap the total at cores / (their CPU per operation); the table gives that ceiling,
how many instances reach it, and which runs out first. Assumptions, all optimistic: scaling is linear
(no lock or connection-pool contention, enough PostgreSQL connections: each instance keeps a pool);
PostgreSQL's cost is its backends' CPU only (WAL writes, fsync latency, checkpoints and autovacuum are
left out, and disk or commit latency may well bind first on write-heavy logins); one kind of operation
at a time (a real mix divides the budget); the SMTP provider's rate is not a limit; network round trips
add latency, not CPU.

### Noise

"Other processes" CPU is the machine's busy time (\`/proc/stat\`) minus the server's and the driver's: other
work on the machine, and for PostgreSQL targets the database server itself. Cold start is the time from
spawning the process to the first 200 from its readiness route (Latchkey \`/readyz\`), on an empty database
(PostgreSQL targets: one database per target, so only the first start runs migrations).

The share of bare node:http is given by rate (the issue's measure) and by server CPU per check, which
holds up better when other work on the machine takes the server core away for part of a run. The host's
speed also drifts by up to 2× within minutes, so the per-target session rows, measured minutes apart, can
disagree; the alternating rounds (\`session-paired\`: bare node:http, \`latchkey\` and \`latchkey-warn\`
started side by side, each measured once per round, in turn) take each share within a round, where all
three saw the same host, and report the median over rounds.`;

export function renderMarkdown({ env, command, report }) {
  return `# Benchmarks

Latchkey against Better Auth (email OTP) and the bare Node ceiling, measured in one run by \`npm run bench\`.

- Date: ${env.date}
- Machine: ${env.machine}; ${env.pinning}
- Versions: ${env.versions}
- Command: \`${command}\`

${report}

${METHOD}
`;
}

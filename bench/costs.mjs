// What one operation costs the shared services: PostgreSQL transactions, rows written and backend
// CPU, and Redis commands and CPU. Read as deltas of the databases' own counters around a run.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pg from "pg";
import { canPin } from "./processes.mjs";

const REDIS_START_TIMEOUT_MS = 5_000;

/** A private redis-server on `port` (no persistence), so other Redis users do not pollute its counters. */
export async function startPrivateRedis(port) {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  // The driver has pinned itself (and so its children) to its core; Redis, like PostgreSQL, is not pinned.
  const command = canPin ? ["taskset", "-c", `0-${cpus().length - 1}`, "redis-server"] : ["redis-server"];
  const child = spawn(command[0], [...command.slice(1), ...args], { stdio: "ignore" });
  let spawnError;
  child.once("error", (error) => {
    spawnError = error;
  });
  const deadline = performance.now() + REDIS_START_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (spawnError || performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start: ${spawnError?.message ?? "no PONG"}`);
    }
    await sleep(50);
  }
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  client.on("error", () => {}); // a failed INFO rejects on its own
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    client,
    stop: async () => {
      client.disconnect();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("error", () => done(false));
  });
}

/** Total calls per command from INFO commandstats text. */
export function parseCommandStats(info) {
  const calls = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

/** `after - before` per key, dropping zeros. */
export function counterDelta(before, after) {
  const delta = {};
  for (const [key, value] of Object.entries(after)) {
    const change = value - (before[key] ?? 0);
    if (change !== 0) delta[key] = change;
  }
  return delta;
}

// The driver's own queries between the two counter reads (the first read itself and the two backend
// listings, one transaction each) land in the delta; leave them out.
const SNAPSHOT_TRANSACTIONS = 3;
const PG_COUNTERS = [
  "xact_commit",
  "xact_rollback",
  "tup_inserted",
  "tup_updated",
  "tup_deleted",
  "tup_fetched",
];

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client, new URL(url).pathname.slice(1));
  } finally {
    await client.end();
  }
}

const postgresCounters = (url) =>
  withClient(url, async (client, name) => {
    const { rows } = await client.query(
      `SELECT ${PG_COUNTERS.join(", ")} FROM pg_stat_database WHERE datname = $1`,
      [name],
    );
    return Object.fromEntries(PG_COUNTERS.map((key) => [key, Number(rows[0][key])]));
  });

/** The server's PostgreSQL backends (local processes, so their CPU time is in /proc). */
const backendPids = (url) =>
  withClient(url, async (client, name) => {
    const { rows } = await client.query(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name],
    );
    return rows.map((row) => row.pid);
  });

/**
 * CPU seconds of a process's main thread from /proc/<pid>/schedstat (nanoseconds, where utime/stime
 * tick at 10 ms: too coarse for a few logins). PostgreSQL backends are single-threaded and Redis
 * executes commands on its main thread.
 */
function threadCpuSeconds(pid) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
}

/** CPU seconds per pid that is still alive. */
function cpuByPid(pids) {
  const cpu = {};
  for (const pid of pids) {
    try {
      cpu[pid] = threadCpuSeconds(pid);
    } catch {
      // Gone between the query and the read.
    }
  }
  return cpu;
}

function cpuDelta(before, after) {
  let total = 0;
  for (const [pid, seconds] of Object.entries(after)) total += seconds - (before[pid] ?? 0);
  return total;
}

const redisCalls = async (redis) => parseCommandStats(await redis.client.info("commandstats"));

/**
 * Measures `run()` (which resolves with {count}) against the services. CPU times are read right
 * around the run, so idle work (Redis's cron, the settling below) stays out. PostgreSQL's cumulative
 * statistics reach pg_stat_database only when a backend flushes them (at the latest ~10 s after it
 * goes idle), so the counters are read `settleMs` after activity. A service that did no work for the
 * run is charged no CPU (a stray 10 ms tick would otherwise look like a cost).
 */
export async function measureServiceCosts({ postgresUrl, redis, settleMs, run }) {
  await sleep(settleMs);
  const pgBefore = postgresUrl && (await postgresCounters(postgresUrl));
  const redisBefore = redis && (await redisCalls(redis));
  const pidsBefore = postgresUrl ? await backendPids(postgresUrl) : [];
  const cpuBefore = { backends: cpuByPid(pidsBefore), redis: redis && threadCpuSeconds(redis.pid) };
  const { count } = await run();
  const pidsAfter = postgresUrl ? await backendPids(postgresUrl) : [];
  const cpuAfter = {
    backends: cpuByPid(new Set([...pidsBefore, ...pidsAfter])),
    redis: redis && threadCpuSeconds(redis.pid),
  };
  await sleep(settleMs);
  const pgAfter = postgresUrl && (await postgresCounters(postgresUrl));
  const redisAfter = redis && (await redisCalls(redis));
  const per = (value) => value / count;
  const costs = { count };
  if (postgresUrl) {
    const delta = counterDelta(pgBefore, pgAfter);
    const transactions = (delta.xact_commit ?? 0) - SNAPSHOT_TRANSACTIONS + (delta.xact_rollback ?? 0);
    costs.postgres = {
      transactions: per(transactions),
      rowsWritten: per((delta.tup_inserted ?? 0) + (delta.tup_updated ?? 0) + (delta.tup_deleted ?? 0)),
      inserted: per(delta.tup_inserted ?? 0),
      updated: per(delta.tup_updated ?? 0),
      deleted: per(delta.tup_deleted ?? 0),
      cpuUs: transactions > 0 ? per(cpuDelta(cpuBefore.backends, cpuAfter.backends) * 1e6) : 0,
    };
  }
  if (redis) {
    const delta = counterDelta(redisBefore, redisAfter);
    // The first snapshot's INFO lands in the delta; leave it out.
    delta.info = (delta.info ?? 0) - 1;
    if (delta.info === 0) delete delta.info;
    const total = Object.values(delta).reduce((sum, calls) => sum + calls, 0);
    costs.redis = {
      commands: per(total),
      byCommand: Object.fromEntries(Object.entries(delta).map(([command, calls]) => [command, per(calls)])),
      cpuUs: total > 0 ? per((cpuAfter.redis - cpuBefore.redis) * 1e6) : 0,
    };
  }
  return costs;
}

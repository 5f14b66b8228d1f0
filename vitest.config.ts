import { connect } from "node:net";
import pg from "pg";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

/**
 * `npm test` runs the whole suite twice: on SQLite (the `sqlite` project, the default
 * database) and on PostgreSQL (the `postgres` project: one fresh schema per test app).
 * The services are probed once here. Unreachable ones are skipped with a printed reason;
 * LATCHKEY_REQUIRE_SERVICES=1 (set by .ci/run) turns that into a failure.
 */
const postgresUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const isRequired = process.env.LATCHKEY_REQUIRE_SERVICES === "1";
const PROBE_TIMEOUT_MS = 2000;

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A raw PING, so probing needs no client library and never queues. */
function probeRedis(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port) || 6379 });
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) =>
      finish(data.toString().startsWith("+PONG") ? undefined : `unexpected reply ${data}`),
    );
    socket.once("error", (error) => finish(error.message));
  });
}

function reportUnreachable(service: string, url: string, problem: string, consequence: string) {
  const where = `${service} not reachable at ${redact(url)} (${problem})`;
  if (isRequired) throw new Error(`${where}, and LATCHKEY_REQUIRE_SERVICES=1 requires it`);
  console.warn(`\n⚠ ${where}: ${consequence} (set LATCHKEY_REQUIRE_SERVICES=1 to fail instead)\n`);
}

/** Vitest may evaluate this file more than once per run: probe and print once. */
type Probes = Promise<[string | undefined, string | undefined]>;
const probeCache = globalThis as { latchkeyServiceProbes?: Probes };

async function probeServices(): Probes {
  const probes = await Promise.all([probePostgres(postgresUrl), probeRedis(redisUrl)]);
  if (probes[0]) reportUnreachable("PostgreSQL", postgresUrl, probes[0], "skipping the PostgreSQL pass");
  if (probes[1]) reportUnreachable("Redis", redisUrl, probes[1], "skipping the tests that need Redis");
  return probes;
}

export default defineConfig(async () => {
  probeCache.latchkeyServiceProbes ??= probeServices();
  const [postgresProblem, redisProblem] = await probeCache.latchkeyServiceProbes;
  // Tests read LATCHKEY_TEST_REDIS_URL (test/support/database.ts) and skip without it.
  const services = redisProblem ? {} : { LATCHKEY_TEST_REDIS_URL: redisUrl };

  const projects: TestProjectInlineConfiguration[] = [
    {
      extends: true,
      test: {
        name: "sqlite",
        // test/bench/*.test.mjs: the benchmark driver's own logic (plain JavaScript, no database).
        include: ["test/**/*.test.ts", "test/bench/**/*.test.mjs", "web/src/**/*.test.{ts,tsx}"],
        env: { TEST_DATABASE: "sqlite", ...services },
      },
    },
  ];
  if (!postgresProblem) {
    projects.push({
      extends: true,
      test: {
        name: "postgres",
        include: ["test/**/*.test.ts"],
        env: { TEST_DATABASE: "postgres", TEST_DATABASE_URL: postgresUrl, ...services },
      },
    });
  }
  // Browser end-to-end tests (test/e2e/**) stay out of the unit projects above; an `e2e`
  // project with its own include, timeouts and setup goes here.

  return {
    test: {
      exclude: ["test/e2e/**", "node_modules/**"],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      pool: "forks",
      projects,
    },
  };
});

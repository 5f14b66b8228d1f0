import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../src/config.js";
import { testDatabaseKind } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { type Browser, createBrowser, signIn, type TestApp } from "../support/harness.js";
import { createInstance } from "./support/app.js";
import { findPostgresBin, type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster.js";

const DATABASE_TIMEOUT_MS = 1000;
/** Every answer during an outage comes within the database timeout plus this much. */
const ANSWER_BOUND_MS = DATABASE_TIMEOUT_MS + 1000;

const canOwnPostgres = testDatabaseKind === "postgres" && findPostgresBin() !== undefined;

describe.runIf(canOwnPostgres)("while PostgreSQL is unreachable (own server started with pg_ctl)", () => {
  let cluster: PostgresCluster;
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    app = await createInstance({
      // The cluster is this test's own and goes away with it: nothing to drop.
      database: { url: cluster.url, config: parseDatabaseUrl(cluster.url)!, drop: async () => {} },
      env: { DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS) },
    });
    browser = createBrowser(app);
    await signIn(app, browser, "outage@example.com");
  }, 60_000);
  afterAll(async () => {
    await app?.close().catch(() => {});
    await cluster?.destroy();
  });

  async function timed<T>(request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const response = await request();
    expect(performance.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    return response;
  }

  /** The cached session state (1 s TTL) must run out: from then on the database decides. */
  function outliveSessionCache() {
    app.clock.advance(app.config.sessions.cacheTtlMs);
  }

  async function expectUnavailable() {
    const stranger = createBrowser(app);
    const send = await timed(() =>
      stranger.post("/api/auth/send-passwordless", { email: "new@example.com" }),
    );
    expect(send.statusCode).toBe(503);
    expect(send.json()).toMatchObject({ code: "database_unavailable" });
    expect(send.headers["retry-after"]).toMatch(/^[1-9]\d*$/);

    const verify = await timed(() =>
      stranger.post("/api/auth/verify-otp", { code: "123456", auth_request_id: "AAAAAAAAAAAAAAAAAAAAAA" }),
    );
    expect(verify.statusCode).toBe(503);
    expect(verify.json().code).toBe("database_unavailable");

    outliveSessionCache();
    for (const path of ["/api/auth/protected", "/api/auth/session", "/api/auth/sessions"]) {
      const response = await timed(() => browser.get(path));
      expect([401, 503], `${path} answered ${response.statusCode}`).toContain(response.statusCode);
    }

    const ready = await timed(() => browser.get("/readyz"));
    expect(ready.statusCode).toBe(503);
    expect(ready.json().code).toBe("database_unavailable");
    expect((await timed(() => browser.get("/healthz"))).statusCode).toBe(200);
  }

  async function measureRecovery(): Promise<number> {
    const started = performance.now();
    await eventually(async () => (await browser.get("/readyz")).statusCode === 200, {
      timeoutMs: 15_000,
      what: "readiness after the database returned",
    });
    const recoveryMs = performance.now() - started;
    outliveSessionCache();
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    const send = await createBrowser(app).post("/api/auth/send-passwordless", {
      email: `back${Date.now()}@example.com`,
    });
    expect(send.statusCode).toBe(200);
    return recoveryMs;
  }

  it("answers 503 database_unavailable when stopped, fails closed, and recovers by itself after a restart", async () => {
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    await cluster.stop();
    await expectUnavailable();

    const restartIssued = performance.now();
    await cluster.start();
    const serverUpMs = performance.now() - restartIssued;
    const recoveryMs = await measureRecovery();
    console.info(
      `[measure] PostgreSQL restart: server accepting after ${Math.round(serverUpMs)} ms; ` +
        `Latchkey ready ${Math.round(recoveryMs)} ms later (${Math.round(serverUpMs + recoveryMs)} ms from pg_ctl start)`,
    );
    expect(recoveryMs).toBeLessThan(5000);
  }, 60_000);

  it("answers 503 within the timeout while the database hangs, and recovers when it answers again", async () => {
    await cluster.start().catch(() => {});
    await measureRecovery();
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    await cluster.freeze(true);
    try {
      await expectUnavailable();
    } finally {
      await cluster.freeze(false);
    }
    const recoveryMs = await measureRecovery();
    console.info(
      `[measure] PostgreSQL hang (SIGSTOP) ended: Latchkey ready ${Math.round(recoveryMs)} ms later`,
    );
    expect(recoveryMs).toBeLessThan(5000);
  }, 60_000);
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryMailbox } from "../../src/mail/transports.js";
import { createSteppableClock } from "../support/clock.js";
import { createPostgresSchema, testDatabaseKind, testRedisUrl, uniqueName } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { createBrowser, signIn, startSignIn, type TestApp } from "../support/harness.js";
import { createInstance } from "./support/app.js";
import { startRedisServer } from "./support/redis-server.js";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

function redisEnv(url: string, keyPrefix: string, extra: Record<string, string> = {}) {
  return { REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix, REDIS_TIMEOUT_MS: "300", ...extra };
}

async function closeAll(apps: TestApp[]) {
  for (const app of apps.splice(0)) await app.close();
}

describe.skipIf(!testRedisUrl)("with REDIS_URL set (needs Redis)", () => {
  const redisUrl = testRedisUrl as string;
  const apps: TestApp[] = [];
  afterEach(() => closeAll(apps));

  it("refuses the next send for an email once two instances together reach its hourly flood cap", async () => {
    // Separate databases: only Redis can carry the count from one instance to the other.
    const env = redisEnv(redisUrl, `${uniqueName("lkt")}:`, {
      SEND_FLOOD_PER_EMAIL_PER_HOUR: "3",
      SEND_COOLDOWN_SECONDS: "0",
    });
    const first = await createInstance({ env });
    const second = await createInstance({ env });
    apps.push(first, second);
    const email = "limit@example.com";
    const statuses = [];
    for (const app of [first, second, first, second]) {
      const response = await createBrowser(app).post("/api/auth/send-passwordless", { email });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json().code).toBe("rate_limited");
        expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it.runIf(testDatabaseKind === "postgres")(
    "refuses a session on the other instance as soon as it is logged out, without waiting for the cache",
    async () => {
      const database = await createPostgresSchema();
      const clock = createSteppableClock();
      const mailbox = createMemoryMailbox();
      const env = redisEnv(redisUrl, `${uniqueName("lkt")}:`);
      const first = await createInstance({ env, database, clock, mailbox });
      const second = await createInstance({ env, database, clock, mailbox });
      apps.push(first, second);
      try {
        const onFirst = createBrowser(first);
        await signIn(first, onFirst, "bus@example.com");
        const onSecond = createBrowser(second);
        Object.assign(onSecond.jar, onFirst.jar);
        expect((await onSecond.get("/api/auth/protected")).statusCode).toBe(200);

        expect((await onFirst.post("/api/auth/logout", {})).statusCode).toBe(200);
        // The clock does not move, so the second instance's cache entry is still fresh: only the bus can end it.
        const refused = await eventually(
          async () => {
            const response = await onSecond.get("/api/auth/protected");
            return response.statusCode === 401 ? response : undefined;
          },
          { timeoutMs: 1000, what: "session refused on the second instance" },
        );
        expect(refused.json().code).toBe("session_revoked");
      } finally {
        await closeAll(apps);
        await database.drop();
      }
    },
  );
});

describe.skipIf(!testRedisUrl)("while Redis is down (needs redis-server)", () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await app?.close();
    await redis.start();
  });

  async function startApp(extra: Record<string, string> = {}) {
    app = await createInstance({
      env: redisEnv(redis.url, `${uniqueName("lkt")}:`, { METRICS_TOKEN, ...extra }),
    });
    return app;
  }

  async function rateLimitsShared(): Promise<string | undefined> {
    const response = await app.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    return /^latchkey_rate_limits_shared (\d)$/m.exec(response.body)?.[1];
  }

  it("answers sends as usual and still applies the limits", async () => {
    await startApp({ SENDS_PER_EMAIL_PER_HOUR: "2", SEND_COOLDOWN_SECONDS: "0" });
    expect(await rateLimitsShared()).toBe("1");
    await redis.stop();
    const browser = createBrowser(app);
    const statuses = [];
    for (let send = 0; send < 3; send += 1) {
      statuses.push(
        (await browser.post("/api/auth/send-passwordless", { email: "down@example.com" })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(await rateLimitsShared()).toBe("0");
  });

  it("signs in and out with no 5xx", async () => {
    await startApp();
    await redis.stop();
    const browser = createBrowser(app);
    await signIn(app, browser, "nobus@example.com");
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await browser.post("/api/auth/logout", {})).statusCode).toBe(200);
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
  });

  it("shares limits in Redis again by itself once Redis is back", async () => {
    await startApp();
    await redis.stop();
    const browser = createBrowser(app);
    await startSignIn(app, browser, "back@example.com");
    expect(await rateLimitsShared()).toBe("0");
    await redis.start();
    await eventually(
      async () => {
        await browser.post("/api/auth/send-passwordless", { email: `${uniqueName("b")}@example.com` });
        return (await rateLimitsShared()) === "1";
      },
      { timeoutMs: 5000, what: "shared mode again" },
    );
  });
});

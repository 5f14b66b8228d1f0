import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Db, migrateToLatest, openDatabase } from "../../src/db/database.js";
import { createRedisClient, createRedisRateLimitStore } from "../../src/redis/index.js";
import { createSqlRateLimitStore, type RateLimitStore } from "../../src/security/rate-limit.js";
import { createTestDatabase, testRedisUrl, uniqueName } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { createRecordingLogger } from "./support/logger.js";
import { startRedisServer } from "./support/redis-server.js";

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const RULE = { key: "send-ip:203.0.113.7", windowMs: 60_000, limit: 3 };

interface StoreFixture {
  /** Two stores as two instances would hold them: one shared window. */
  first: RateLimitStore;
  second: RateLimitStore;
  close(): Promise<void>;
}

async function openSqlDatabase() {
  const testDatabase = await createTestDatabase();
  const database = openDatabase(testDatabase.config);
  await migrateToLatest(database.db);
  return {
    db: database.db,
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}

async function sqlFixture(): Promise<StoreFixture> {
  const sql = await openSqlDatabase();
  return {
    first: createSqlRateLimitStore(sql.db),
    second: createSqlRateLimitStore(sql.db),
    close: sql.close,
  };
}

function redisStore(url: string, db: Db, keyPrefix: string) {
  const { log, lines } = createRecordingLogger();
  const redis = createRedisClient({ url, name: "test", commandTimeoutMs: 300, log });
  const store = createRedisRateLimitStore({ redis, fallback: createSqlRateLimitStore(db), keyPrefix, log });
  return { store, redis, lines };
}

async function redisFixture(url: string): Promise<StoreFixture> {
  const sql = await openSqlDatabase();
  const keyPrefix = `${uniqueName("lkt")}:`;
  const first = redisStore(url, sql.db, keyPrefix);
  const second = redisStore(url, sql.db, keyPrefix);
  await Promise.all([first.redis, second.redis].map((redis) => eventually(() => redis.status === "ready")));
  return {
    first: first.store,
    second: second.store,
    async close() {
      first.redis.disconnect();
      second.redis.disconnect();
      await sql.close();
    },
  };
}

const stores: { name: string; open: () => Promise<StoreFixture> }[] = [
  { name: "sql", open: sqlFixture },
  ...(testRedisUrl ? [{ name: "redis", open: () => redisFixture(testRedisUrl as string) }] : []),
];

// The same behaviour from every store (STYLE.md 25), so switching REDIS_URL on changes nothing a user sees.
describe.each(stores)("the $name rate-limit store", ({ open }) => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await open();
  });
  afterAll(async () => {
    await fixture?.close();
  });
  const key = () => `${RULE.key}-${uniqueName("")}`;

  it("allows `limit` hits, refuses the next, and says when the window ends", async () => {
    const rule = { ...RULE, key: key() };
    const results = [];
    for (let hit = 0; hit < 4; hit += 1) results.push(await fixture.first.hit(rule, T0 + hit * 1000));
    expect(results.map((result) => result.isAllowed)).toEqual([true, true, true, false]);
    expect(results.map((result) => result.hits)).toEqual([1, 2, 3, 4]);
    expect(results[3]?.retryAfterMs).toBe(60_000 - 3000);
  });

  it("opens the window at the first hit, so a hit after it closes starts a new one", async () => {
    const rule = { ...RULE, key: key(), limit: 1 };
    expect((await fixture.first.hit(rule, T0)).isAllowed).toBe(true);
    expect((await fixture.first.hit(rule, T0 + 59_999)).isAllowed).toBe(false);
    const reopened = await fixture.first.hit(rule, T0 + 60_000);
    expect(reopened).toEqual({ isAllowed: true, hits: 1, retryAfterMs: 60_000 });
  });

  it("counts hits from two instances in one window", async () => {
    const rule = { ...RULE, key: key() };
    await fixture.first.hit(rule, T0);
    await fixture.second.hit(rule, T0 + 1);
    await fixture.first.hit(rule, T0 + 2);
    expect((await fixture.second.hit(rule, T0 + 3)).isAllowed).toBe(false);
  });

  it("counts parallel hits exactly", async () => {
    const rule = { ...RULE, key: key(), limit: 10 };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => (index % 2 ? fixture.first : fixture.second).hit(rule, T0)),
    );
    expect(results.filter((result) => result.isAllowed)).toHaveLength(10);
    expect(results.map((result) => result.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
  });

  it("forgets a key on reset", async () => {
    const rule = { ...RULE, key: key(), limit: 1 };
    await fixture.first.hit(rule, T0);
    await fixture.first.reset(rule.key);
    expect((await fixture.second.hit(rule, T0 + 1)).isAllowed).toBe(true);
  });
});

describe.skipIf(!testRedisUrl)("rate limits while Redis is down (needs redis-server)", () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  let sql: Awaited<ReturnType<typeof openSqlDatabase>>;
  let instance: ReturnType<typeof redisStore> | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    sql = await openSqlDatabase();
  });
  afterEach(async () => {
    instance?.redis.disconnect();
    server.freeze(false);
    await server.start().catch(() => {});
  });
  afterAll(async () => {
    await server?.stop();
    await sql?.close();
  });

  async function connectedStore() {
    const connected = redisStore(server.url, sql.db, `${uniqueName("lkt")}:`);
    instance = connected;
    await eventually(() => connected.redis.status === "ready", { what: "redis ready" });
    return connected;
  }

  it("still refuses over the limit, counting in the database, and never throws", async () => {
    const { store, lines } = await connectedStore();
    const rule = { ...RULE, key: uniqueName("k"), limit: 2 };
    expect((await store.hit(rule, T0)).isAllowed).toBe(true);
    await server.stop();
    const results = [];
    for (let hit = 1; hit <= 3; hit += 1) results.push(await store.hit(rule, T0 + hit));
    expect(store.mode()).toBe("fallback");
    expect(results.map((result) => result.isAllowed)).toEqual([true, true, false]);
    expect(lines.some((line) => line.level === "warn" && /counting in the database/.test(line.message))).toBe(
      true,
    );
  });

  it("goes back to counting in Redis by itself once Redis returns", async () => {
    const { store, redis } = await connectedStore();
    await server.stop();
    await store.hit({ ...RULE, key: uniqueName("k") }, T0);
    expect(store.mode()).toBe("fallback");
    await server.start();
    const reconnectStarted = performance.now();
    await eventually(() => redis.status === "ready", { timeoutMs: 5000, what: "reconnect" });
    const rule = { ...RULE, key: uniqueName("k") };
    await eventually(
      async () => {
        await store.hit(rule, T0);
        return store.mode() === "shared";
      },
      { timeoutMs: 5000 },
    );
    const inspector = new Redis(server.url);
    const stored = await inspector.keys("*");
    inspector.disconnect();
    expect(stored.some((name) => name.endsWith(rule.key))).toBe(true);
    expect(performance.now() - reconnectStarted).toBeLessThan(5000);
  });

  it("answers from the database within the command timeout when Redis hangs", async () => {
    const { store } = await connectedStore();
    server.freeze(true);
    const started = performance.now();
    const result = await store.hit({ ...RULE, key: uniqueName("k") }, T0);
    const elapsedMs = performance.now() - started;
    expect(result.isAllowed).toBe(true);
    expect(store.mode()).toBe("fallback");
    expect(elapsedMs).toBeLessThan(1000);
    // The next hits do not wait on the hung Redis again.
    const next = performance.now();
    await store.hit({ ...RULE, key: uniqueName("k") }, T0);
    expect(performance.now() - next).toBeLessThan(200);
  });
});

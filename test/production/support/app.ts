import { buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../../src/db/database.js";
import { createMemoryMailbox, type MailTransport, type MemoryMailbox } from "../../../src/mail/transports.js";
import { createSteppableClock, type SteppableClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { PUBLIC_URL, TEST_SECRET_KEY, type TestApp } from "../../support/harness.js";

export interface InstanceOptions {
  env?: Record<string, string>;
  /** Where mail goes; default `mailbox`. */
  mailTransport?: MailTransport;
  /** Give several instances one mailbox: any instance's worker may deliver any mail. */
  mailbox?: MemoryMailbox;
  /** Share a database (and its clock) with another instance; default a fresh one. */
  database?: TestDatabase;
  clock?: SteppableClock;
  runBackgroundJobs?: boolean;
}

/**
 * Like the harness's createTestApp, plus what production tests need: a real mail
 * transport (the SMTP sink) and several app instances on one database.
 */
export async function createInstance(options: InstanceOptions = {}): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    SECRET_KEY: TEST_SECRET_KEY,
    PUBLIC_URL,
    DATABASE_URL: testDatabase.url,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const database: DatabaseHandle = openDatabase(config.database);
  await migrateToLatest(database.db);
  const clock = options.clock ?? createSteppableClock();
  const mailbox = options.mailbox ?? createMemoryMailbox();
  const app = await buildApp(config, {
    database,
    clock,
    mailTransport: options.mailTransport ?? mailbox,
    outboxPollIntervalMs: 20,
    runBackgroundJobs: options.runBackgroundJobs,
  });
  await app.ready();
  return {
    app,
    config,
    clock,
    mailbox,
    database,
    async close() {
      await app.close();
      await database.close();
      if (!options.database) await testDatabase.drop();
    },
  };
}

/** Polls `check` every 10 ms until it returns a value, or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 10_000, what = "condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

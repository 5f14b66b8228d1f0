import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterEach, beforeEach } from "vitest";
import { createMemoryMailbox, type MailTransport } from "../../src/mail/transports.js";
import { createKeyring, keyedHash } from "../../src/security/crypto.js";
import {
  type Browser,
  createBrowser,
  createTestApp,
  TEST_SECRET_KEY,
  type TestApp,
  type TestAppOptions,
} from "../support/harness.js";

/** Attacker-first tests use the one harness; the name stays for readability at call sites. */
export const createSecurityApp = (options: TestAppOptions = {}): Promise<TestApp> => createTestApp(options);

/**
 * Gives each test of the enclosing `describe` a fresh app and a browser on it, closed after
 * the test. Read `testApp` and `browser` from the returned object inside the tests.
 */
export function useAppAndBrowser(options: TestAppOptions = {}): { testApp: TestApp; browser: Browser } {
  const context = {} as { testApp: TestApp; browser: Browser };
  beforeEach(async () => {
    context.testApp = await createTestApp(options);
    context.browser = createBrowser(context.testApp);
  });
  afterEach(async () => context.testApp.close());
  return context;
}

/** How many rows `table` holds. */
export async function rowCount(
  testApp: TestApp,
  table: "auth_requests" | "mail_outbox" | "sessions" | "users",
): Promise<number> {
  return (await testApp.database.db.selectFrom(table).select("id").execute()).length;
}

/** The keyed hash the server files an email under (audit rows, limits, the failure budget). */
export function emailHashOf(email: string): string {
  return keyedHash(createKeyring(TEST_SECRET_KEY).emailKey, email);
}

/** A JSON POST with exactly these headers: no cookie jar, no Origin (a script, not a browser). */
export function postJson(
  testApp: TestApp,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return testApp.app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/json", ...headers },
    payload: JSON.stringify(body),
  });
}

/**
 * Every table of this test's database. Not Kysely's introspection: on PostgreSQL it reads
 * every schema, and other test files drop theirs concurrently.
 */
async function tableNames(testApp: TestApp): Promise<string[]> {
  const { db, dialect } = testApp.database;
  const query =
    dialect === "postgres"
      ? sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`
      : sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  return (await query.execute(db)).rows.map((row) => row.name);
}

/** Every row of every table, as `table.column` → values. */
export async function dumpDatabase(testApp: TestApp): Promise<Map<string, unknown[]>> {
  const { db } = testApp.database;
  const columns = new Map<string, unknown[]>();
  for (const table of await tableNames(testApp)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    for (const row of rows.rows) {
      for (const [column, value] of Object.entries(row)) {
        const key = `${table}.${column}`;
        columns.set(key, [...(columns.get(key) ?? []), value]);
      }
    }
  }
  return columns;
}

/** The `table.column`s whose values contain `needle` anywhere. */
export function columnsContaining(dump: Map<string, unknown[]>, needle: string): string[] {
  return [...dump.entries()]
    .filter(([, values]) => values.some((value) => value !== null && String(value).includes(needle)))
    .map(([column]) => column);
}

/**
 * The outbox invariant (SECURITY.md 47): one mail row per send of a challenge — `sends`
 * counts the first send and every resend — and no mail row without its challenge.
 */
export async function outboxMismatches(testApp: TestApp): Promise<string[]> {
  const { db } = testApp.database;
  const challenges = await db.selectFrom("auth_requests").select(["id", "sends"]).execute();
  const mails = await db.selectFrom("mail_outbox").select("auth_request_id").execute();
  const mailsPerChallenge = new Map<string, number>();
  for (const mail of mails) {
    const id = mail.auth_request_id ?? "(none)";
    mailsPerChallenge.set(id, (mailsPerChallenge.get(id) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const challenge of challenges) {
    const count = mailsPerChallenge.get(challenge.id) ?? 0;
    if (count !== Number(challenge.sends))
      problems.push(`${challenge.id}: ${count} mails, ${challenge.sends} sends`);
    mailsPerChallenge.delete(challenge.id);
  }
  for (const [id, count] of mailsPerChallenge) problems.push(`${count} mails for missing challenge ${id}`);
  return problems;
}

/** A transport that holds every message until released: proves the request never waits on mail. */
export function createHeldTransport() {
  const inner = createMemoryMailbox();
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const transport: MailTransport = {
    name: "held",
    async send(mail) {
      await released;
      await inner.send(mail);
    },
    async close() {
      release();
    },
  };
  return { transport, mailbox: inner, release: () => release() };
}

/** A transport that always fails, so every queued message stays pending. */
export const failingTransport: MailTransport = {
  name: "failing",
  async send() {
    throw new Error("smtp down");
  },
  async close() {},
};

export function retryAfterOf(response: LightMyRequestResponse): string | undefined {
  const value = response.headers["retry-after"];
  return typeof value === "string" ? value : undefined;
}

/** The number the waiting browser shows for a challenge, as its person would read it off the screen. */
export async function approvalNumberOf(testApp: TestApp, authRequestId: string): Promise<number> {
  const row = await testApp.database.db
    .selectFrom("auth_requests")
    .select("approval_number")
    .where("id", "=", authRequestId)
    .executeTakeFirstOrThrow();
  if (row.approval_number === null) throw new Error("challenge has no approval number");
  return row.approval_number;
}

/** Approves a magic link from a device other than the waiting browser, picking the right number. */
export async function approveFrom(
  testApp: TestApp,
  device: Browser,
  { authRequestId, linkToken }: { authRequestId: string; linkToken: string },
) {
  return device.post("/api/auth/approve-magic-link", {
    link_token: linkToken,
    approval_number: await approvalNumberOf(testApp, authRequestId),
  });
}

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/database.js";
import {
  createMemoryMailbox,
  type MailTransport,
  type MemoryMailbox,
  type StoredMail,
} from "../../src/mail/transports.js";
import type { PasswordlessProvider } from "../../src/passwordless/index.js";
import type { RateLimitStore } from "../../src/security/rate-limit.js";
import { createServices, type Services } from "../../src/services.js";
import { canonicalizeEmail } from "../../src/users/index.js";
import type { Resolver } from "../../src/webhooks/index.js";
import { createSteppableClock, type SteppableClock } from "./clock.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { eventually } from "./eventually.js";
import { interleaving } from "./interleaving.js";

export const TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789";
export const PUBLIC_URL = "http://localhost:8000";

/** The built UI in dist/web. Tests of the pages fail (never skip) when it was not built. */
export function builtWebRoot(): string {
  const root = fileURLToPath(new URL("../../dist/web/", import.meta.url));
  if (!existsSync(`${root}index.html`)) {
    throw new Error("dist/web/index.html is missing: run `npm run build:web` before the page tests");
  }
  return root;
}

export interface TestApp {
  app: FastifyInstance;
  /** The services the app runs on, for tests that drive background work or inspect state. */
  services: Services;
  config: Config;
  clock: SteppableClock;
  mailbox: MemoryMailbox;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  provider?: (config: Config) => PasswordlessProvider;
  rateLimitStore?: RateLimitStore;
  /** Replaces the in-memory mailbox as the outbox's transport (e.g. the SMTP sink, or one that rejects mail). */
  mailTransport?: MailTransport;
  /** Give several instances one mailbox: any instance's worker may deliver any mail. */
  mailbox?: MemoryMailbox;
  /** Share a database with another instance (it is then not dropped on close); default a fresh one. */
  database?: TestDatabase;
  clock?: SteppableClock;
  /** Where a new steppable clock starts (ms since the epoch); `Date.now()` when real verifiers check tokens. */
  clockStart?: number;
  /** Captures every JSON log line; LOG_LEVEL defaults to `trace` when set. */
  logLines?: string[];
  runBackgroundJobs?: boolean;
  /** Serve the UI built in this folder (`builtWebRoot()`); default none: `/` answers JSON. */
  webRoot?: string;
  /** DNS for webhook deliveries. */
  webhookResolver?: Resolver;
}

/** Builds the real app with fakes only at the edges: an in-memory mailbox and a steppable clock. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    SECRET_KEY: TEST_SECRET_KEY,
    PUBLIC_URL,
    DATABASE_URL: testDatabase.url,
    LOG_LEVEL: options.logLines ? "trace" : "silent",
    ...options.env,
  });
  const database = interleaving(openDatabase(config.database));
  await migrateToLatest(database.db);
  const clock = options.clock ?? createSteppableClock(options.clockStart);
  const mailbox = options.mailbox ?? createMemoryMailbox();
  const logLines = options.logLines;
  const services = await createServices(config, {
    database,
    clock,
    mailTransport: options.mailTransport ?? mailbox,
    outboxPollIntervalMs: 20,
    provider: options.provider?.(config),
    rateLimitStore: options.rateLimitStore,
    webhookResolver: options.webhookResolver,
    ...(logLines ? { logStream: { write: (line: string) => void logLines.push(line) } } : {}),
  });
  await services.start({ runBackgroundJobs: options.runBackgroundJobs });
  const app = await buildApp(services, { webRoot: options.webRoot });
  await app.ready();
  return {
    app,
    services,
    config,
    clock,
    mailbox,
    database,
    async close() {
      await app.close();
      await services.close();
      await database.close();
      if (!options.database) await testDatabase.drop();
    },
  };
}

/** `name=value` pairs from every Set-Cookie header of a response. */
export function cookiesFrom(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]));
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/** A browser-like client: keeps cookies between requests and sends JSON. */
export function createBrowser(testApp: TestApp, { origin = PUBLIC_URL }: { origin?: string } = {}) {
  const jar: Record<string, string> = {};
  async function request(
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await testApp.app.inject({
      method,
      url,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(Object.keys(jar).length > 0 ? { cookie: cookieHeader(jar) } : {}),
        ...(method !== "GET" ? { origin } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    for (const cookie of response.cookies) {
      if (cookie.maxAge === 0 || cookie.value === "") delete jar[cookie.name];
      else jar[cookie.name] = cookie.value;
    }
    return response;
  }
  return {
    jar,
    get: (url: string, headers?: Record<string, string>) => request("GET", url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) =>
      request("POST", url, body, headers),
    put: (url: string, body?: unknown, headers?: Record<string, string>) =>
      request("PUT", url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => request("DELETE", url, undefined, headers),
  };
}

export type Browser = ReturnType<typeof createBrowser>;

/** Starts a sign-in and returns the request id and the mail it produced. */
export async function startSignIn(
  testApp: TestApp,
  browser: Browser,
  email: string,
  body: Record<string, unknown> = {},
): Promise<{ authRequestId: string; mail: StoredMail }> {
  const recipient = canonicalizeEmail(email) ?? email;
  const before = testApp.mailbox.lastFor(recipient)?.id ?? 0;
  const response = await browser.post("/api/auth/send-passwordless", { email, ...body });
  if (response.statusCode !== 200) throw new Error(`send failed: ${response.statusCode} ${response.body}`);
  const mail = await testApp.mailbox.waitFor(recipient, { afterId: before });
  await outboxSettled(testApp, recipient);
  return { authRequestId: response.json().auth_request_id, mail };
}

/**
 * Waits (at most 5 s) until the outbox has marked the recipient's mail sent. The mail reaches
 * the mailbox a moment before its mark commits; a test that then steps the clock past the
 * outbox's lease would otherwise see the worker deliver it again, as it would after a crash.
 */
async function outboxSettled(testApp: TestApp, recipient: string): Promise<void> {
  const isSent = async () =>
    !(await testApp.database.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("recipient", "=", recipient)
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .executeTakeFirst());
  // A test whose outbox cannot mark mail sent (a failing audit log) goes on after the wait.
  await eventually(isSent, { timeoutMs: 5_000, what: "the outbox's sent mark" }).catch(() => undefined);
}

export function linkTokenOf(mail: StoredMail): string {
  const token = mail.link ? new URL(mail.link).searchParams.get("link_token") : null;
  if (!token) throw new Error("mail has no link");
  return token;
}

/** A full sign-in by code in `browser`; returns the verify response. */
export async function signIn(testApp: TestApp, browser: Browser, email: string) {
  const { authRequestId, mail } = await startSignIn(testApp, browser, email);
  const response = await browser.post("/api/auth/verify-otp", {
    code: mail.code,
    auth_request_id: authRequestId,
  });
  if (response.statusCode !== 200) throw new Error(`verify failed: ${response.statusCode} ${response.body}`);
  return response;
}

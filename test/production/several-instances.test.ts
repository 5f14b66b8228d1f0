import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/database.js";
import { createKeyring } from "../../src/security/crypto.js";
import { createSigningKeys } from "../../src/sessions/index.js";
import {
  createPostgresSchema,
  type TestDatabase,
  testDatabaseKind,
  testRedisUrl,
  uniqueName,
} from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { TEST_SECRET_KEY } from "../support/harness.js";
import { createHttpBrowser, type HttpBrowser, SHARED_PUBLIC_URL } from "./support/http-browser.js";
import { type ServerProcess, startServer } from "./support/server-process.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

const PARALLEL_VERIFIES = 32;
const KEY_RELOAD_SECONDS = 1;

function kidOf(jwt: string | undefined): string | undefined {
  const header = jwt?.split(".")[0];
  return header
    ? (JSON.parse(Buffer.from(header, "base64url").toString()) as { kid?: string }).kid
    : undefined;
}

describe.runIf(testDatabaseKind === "postgres" && testRedisUrl)(
  "two server processes on one PostgreSQL and Redis",
  () => {
    let database: TestDatabase;
    let sink: SmtpSink;
    let a: ServerProcess;
    let b: ServerProcess;
    beforeAll(async () => {
      [database, sink] = await Promise.all([createPostgresSchema(), startSmtpSink()]);
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl as string,
        REDIS_KEY_PREFIX: `${uniqueName("lkt")}:`,
        SMTP_URL: sink.url,
        PUBLIC_URL: SHARED_PUBLIC_URL,
        LOG_LEVEL: "info",
        KEY_RELOAD_SECONDS: String(KEY_RELOAD_SECONDS),
        SEND_COOLDOWN_SECONDS: "0",
        SENDS_PER_EMAIL_PER_HOUR: "3",
        SENDS_PER_IP_PER_MINUTE: "1000",
        VERIFIES_PER_IP_PER_MINUTE: "1000",
      };
      // Started together, as an orchestrator would: both migrate and create keys at once.
      [a, b] = await Promise.all([startServer(env), startServer(env)]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await sink?.close();
      await database?.drop();
    });

    async function startOn(browser: HttpBrowser, server: ServerProcess, email: string) {
      const response = await browser.post(server.url, "/api/auth/send-passwordless", { email });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const mail = await sink.waitFor(email);
      return { authRequestId: response.body.auth_request_id as string, code: mail.code ?? "" };
    }

    async function signInOn(browser: HttpBrowser, server: ServerProcess, email: string) {
      const { authRequestId, code } = await startOn(browser, server, email);
      const response = await browser.post(server.url, "/api/auth/verify-otp", {
        code,
        auth_request_id: authRequestId,
      });
      expect(response.status).toBe(200);
    }

    it("signs in with a code sent by one instance and verified on the other", async () => {
      const browser = createHttpBrowser();
      const { authRequestId, code } = await startOn(browser, a, "across@example.com");
      const verified = await browser.post(b.url, "/api/auth/verify-otp", {
        code,
        auth_request_id: authRequestId,
      });
      expect(verified.status).toBe(200);
      expect(verified.body.email).toBe("across@example.com");
      expect((await browser.get(a.url, "/api/auth/protected")).status).toBe(200);
      expect((await browser.get(b.url, "/api/auth/protected")).status).toBe(200);
    });

    it("refuses a browser's send over an email's hourly limit whichever instance gets it", async () => {
      const email = "hourly@example.com";
      const browser = createHttpBrowser();
      const statuses = [];
      for (const server of [a, b, a, b]) {
        const response = await browser.post(server.url, "/api/auth/send-passwordless", { email });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.body.code).toBe("rate_limited");
          expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it(`lets exactly one of ${PARALLEL_VERIFIES} parallel verifies split across both instances win`, async () => {
      const starter = createHttpBrowser();
      const { authRequestId, code } = await startOn(starter, a, "race@example.com");
      const results = await Promise.all(
        Array.from({ length: PARALLEL_VERIFIES }, (_, index) =>
          createHttpBrowser().post(index % 2 ? a.url : b.url, "/api/auth/verify-otp", {
            code,
            auth_request_id: authRequestId,
          }),
        ),
      );
      const winners = results.filter((result) => result.status === 200);
      expect(winners).toHaveLength(1);
      // Every loser is refused with a 4xx: the challenge is used (or, having raced the attempt counter
      // and the failure budget, out of attempts or throttled). Never a second session, never a 5xx.
      const losers = results.filter((result) => result.status !== 200);
      for (const loser of losers) {
        expect(["400 challenge_used", "429 too_many_attempts", "429 rate_limited"]).toContain(
          `${loser.status} ${loser.body.code}`,
        );
      }
    });

    it("refuses a session on one instance within 1 s of its logout on the other", async () => {
      const browser = createHttpBrowser();
      await signInOn(browser, a, "logout@example.com");
      const cookies = new Map(browser.jar);
      expect((await browser.get(b.url, "/api/auth/protected")).status).toBe(200);

      expect((await browser.post(a.url, "/api/auth/logout")).status).toBe(200);
      const loggedOutAt = performance.now();
      // Replay the old cookies against B, as a stolen cookie would be.
      const replay = createHttpBrowser();
      for (const [name, value] of cookies) replay.jar.set(name, value);
      let delayMs = 0;
      await eventually(
        async () => {
          const response = await replay.get(b.url, "/api/auth/protected");
          delayMs = performance.now() - loggedOutAt;
          return response.status === 401;
        },
        { timeoutMs: 1000, what: "logout seen by the other instance" },
      );
      expect(delayMs).toBeLessThan(1000);
      console.info(`[measure] logout on A refused on B after ${delayMs.toFixed(1)} ms (Redis pub/sub)`);
    });

    // Two instances started at the same moment may each create a first key; each then
    // publishes the other's from its next key reload (KEY_RELOAD_SECONDS) on.
    it("publishes the same JWKS on both instances", async () => {
      const jwks = await eventually(
        async () => {
          const fromA = await createHttpBrowser().get(a.url, "/.well-known/jwks.json");
          const fromB = await createHttpBrowser().get(b.url, "/.well-known/jwks.json");
          return JSON.stringify(fromA.body) === JSON.stringify(fromB.body) ? fromA.body : undefined;
        },
        { timeoutMs: KEY_RELOAD_SECONDS * 1000 + 3000, what: "identical JWKS" },
      );
      expect((jwks.keys as unknown[]).length).toBeGreaterThan(0);
    });

    it("sees a key rotated through the shared database on both instances", async () => {
      const handle: DatabaseHandle = openDatabase({
        dialect: "postgres",
        location: database.url,
        timeoutMs: 5000,
      });
      let kid: string;
      try {
        // What `latchkey keys rotate` does: a new key in the shared table.
        const keys = createSigningKeys({
          db: handle.db,
          clock: systemClock,
          encryptionKey: createKeyring(TEST_SECRET_KEY).signingKeyEncryptionKey,
          jwtSecret: undefined,
          rotationDays: 30,
          retiredKeyLifetimeMs: 20 * 60_000,
        });
        kid = await keys.rotate();
      } finally {
        await handle.close();
      }
      const rotatedAt = performance.now();
      await eventually(
        async () => {
          const sets = await Promise.all(
            [a, b].map((server) => createHttpBrowser().get(server.url, "/.well-known/jwks.json")),
          );
          return sets.every((set) => (set.body.keys as { kid: string }[]).some((key) => key.kid === kid));
        },
        { timeoutMs: KEY_RELOAD_SECONDS * 1000 + 3000, what: "rotated key published by both" },
      );
      const seenAfterMs = performance.now() - rotatedAt;

      const browser = createHttpBrowser();
      await signInOn(browser, a, "rotated@example.com");
      expect(kidOf(browser.jar.get("access_token"))).toBe(kid);
      expect((await browser.get(b.url, "/api/auth/protected")).status).toBe(200);
      console.info(`[measure] rotated key served by both instances after ${Math.round(seenAfterMs)} ms`);
    });
  },
);

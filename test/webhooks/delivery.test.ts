import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../admin/support.js";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";
import { type Receiver, startReceiver } from "./receiver.js";

let testApp: TestApp;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await testApp?.close();
  await receiver.close();
});

/** Real time, so the receiver's Standard Webhooks timestamp check (±5 min) holds. */
async function startApp(env: Record<string, string> = {}) {
  testApp = await createTestApp({ env, clockStart: Date.now() });
  return testApp.services.operations.webhooks;
}

function verified(secret: string, attempt: { headers: Record<string, unknown>; body: string }) {
  return new Webhook(secret).verify(attempt.body, attempt.headers as Record<string, string>) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

/** Waits until the worker has recorded the outcome of `attempts` attempts (the row is no longer leased). */
async function deliveryRecorded(attempts: number) {
  for (let tries = 0; tries < 250; tries++) {
    const row = await testApp.database.db.selectFrom("webhook_deliveries").selectAll().executeTakeFirst();
    if (row && row.attempts >= attempts && row.locked_until === null) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`delivery attempt ${attempts} was not recorded`);
}

async function adminKey() {
  return (await testApp.services.operations.adminKeys.create("ops")).key;
}

describe("webhook delivery", () => {
  it("signs a first sign-in's user.created and session.created per Standard Webhooks, with no secret in the payload", async () => {
    const webhooks = await startApp();
    const { secret } = await webhooks.addEndpoint({ url: receiver.url });
    const browser = createBrowser(testApp);
    const { mail, authRequestId } = await startSignIn(testApp, browser, "first@example.com");
    await browser.post("/api/auth/verify-otp", { code: mail.code, auth_request_id: authRequestId });
    await receiver.waitUntil(() => receiver.accepted().length >= 2);

    const events = receiver.accepted().map((attempt) => verified(secret, attempt));
    expect(events.map((event) => event.type).sort()).toEqual(["session.created", "user.created"]);
    const created = events.find((event) => event.type === "user.created");
    expect(created?.data).toMatchObject({ user_id: expect.any(String), email: "first@example.com" });
    expect(events.find((event) => event.type === "session.created")?.data).toMatchObject({ amr: ["otp"] });
    for (const attempt of receiver.accepted()) {
      expect(attempt.headers["webhook-id"]).toMatch(/^msg_/);
      expect(attempt.body).not.toContain(mail.code ?? "no code");
      expect(attempt.body).not.toMatch(/link_token|whsec_|refresh|access_token/);
    }
  });

  it("reaches the receiver for every wired event type", async () => {
    const webhooks = await startApp({ MAX_ATTEMPTS: "2" });
    const { secret } = await webhooks.addEndpoint({ url: receiver.url });
    const key = await adminKey();
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "all@example.com");
    await browser.post("/api/auth/logout");
    testApp.clock.advance(31_000);
    const { authRequestId } = await startSignIn(testApp, createBrowser(testApp), "all@example.com");
    for (let index = 0; index < 2; index++) {
      await browser.post("/api/auth/verify-otp", { code: "000000", auth_request_id: authRequestId });
    }
    const user = await testApp.database.db.selectFrom("users").select("id").executeTakeFirstOrThrow();
    await adminRequest(testApp, key, "POST", `/api/admin/users/${user.id}/block`);
    await adminRequest(testApp, key, "DELETE", `/api/admin/users/${user.id}`);

    const expected = [
      "user.created",
      "session.created",
      "session.revoked",
      "sign_in.failed",
      "user.blocked",
      "user.deleted",
    ];
    await receiver.waitUntil(() => expected.every((type) => receiver.acceptedTypes().includes(type)));
    for (const attempt of receiver.accepted()) expect(() => verified(secret, attempt)).not.toThrow();
    const failed = receiver
      .accepted()
      .map((attempt) => verified(secret, attempt))
      .find((event) => event.type === "sign_in.failed");
    expect(failed?.data).toMatchObject({ reason: "locked" });
  });

  it("sends an endpoint only the event types it subscribed to", async () => {
    const webhooks = await startApp();
    await webhooks.addEndpoint({ url: receiver.url, events: ["session.revoked"] });
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, "only@example.com");
    await browser.post("/api/auth/logout");
    await receiver.waitUntil(() => receiver.accepted().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.acceptedTypes()).toEqual(["session.revoked"]);
  });

  it("retries through a receiver outage with exponential back-off and the same webhook-id", async () => {
    const webhooks = await startApp();
    await webhooks.addEndpoint({ url: receiver.url, events: ["user.created"] });
    receiver.setStatus(503);
    await signIn(testApp, createBrowser(testApp), "outage@example.com");
    await deliveryRecorded(1);
    for (const [index, step] of [5_000, 10_000].entries()) {
      testApp.clock.advance(step * 0.75);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.attempts).toHaveLength(index + 1);
      testApp.clock.advance(step * 0.45);
      await deliveryRecorded(index + 2);
    }
    receiver.setStatus(200);
    testApp.clock.advance(24_000);
    await receiver.waitUntil(() => receiver.accepted().length === 1);
    const row = await deliveryRecorded(4);
    const ids = new Set(receiver.attempts.map((attempt) => attempt.headers["webhook-id"]));
    expect(receiver.attempts.length).toBe(4);
    expect(ids.size).toBe(1);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(4);
  });

  it("does not follow a redirect: the target never hears of it and the delivery counts as failed", async () => {
    const target = await startReceiver();
    try {
      const webhooks = await startApp();
      receiver.setStatus(307, target.url);
      await webhooks.addEndpoint({ url: receiver.url, events: ["user.created"] });
      await signIn(testApp, createBrowser(testApp), "redirect@example.com");
      await receiver.waitUntil(() => receiver.attempts.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(target.attempts).toHaveLength(0);
      const row = await testApp.database.db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(row.sent_at).toBeNull();
      expect(row.error).toBe("http_307");
    } finally {
      await target.close();
    }
  });

  it("signs with the old and the new secret during a rotation's overlap, then with the new one only", async () => {
    const webhooks = await startApp({ WEBHOOK_SECRET_OVERLAP_HOURS: "1" });
    const { id, secret: oldSecret } = await webhooks.addEndpoint({
      url: receiver.url,
      events: ["session.created"],
    });
    const { secret: newSecret } = await webhooks.rotateSecret(id);
    await signIn(testApp, createBrowser(testApp), "rotate@example.com");
    await receiver.waitUntil(() => receiver.accepted().length === 1);
    const [during] = receiver.accepted();
    expect(String(during?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => verified(oldSecret, during!)).not.toThrow();
    expect(() => verified(newSecret, during!)).not.toThrow();

    testApp.clock.advance(3_600_001);
    await signIn(testApp, createBrowser(testApp), "rotate2@example.com");
    await receiver.waitUntil(() => receiver.accepted().length === 2);
    const after = receiver.accepted()[1]!;
    // The receiver checks timestamps against real time: judge the signature header itself.
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
  });

  it("disables an endpoint that failed for the whole retry window, with an audit event", async () => {
    const webhooks = await startApp({ WEBHOOK_DISABLE_AFTER_FAILURES: "3", WEBHOOK_RETRY_HOURS: "24" });
    const { id } = await webhooks.addEndpoint({ url: receiver.url, events: ["user.created"] });
    receiver.setStatus(500);
    await signIn(testApp, createBrowser(testApp), "dead@example.com");
    await deliveryRecorded(1);
    // Back-off reaches its 1 h cap (±20 %) after ten attempts; step 75 min past 24 h.
    for (let step = 0; step < 30; step++) {
      const before = receiver.attempts.length;
      testApp.clock.advance(4_500_000);
      await receiver.waitUntil(() => receiver.attempts.length > before);
      await deliveryRecorded(before + 1);
      const endpoint = (await webhooks.list()).find((entry) => entry.id === id);
      if (endpoint?.disabledAt) break;
    }
    const endpoint = (await webhooks.list()).find((entry) => entry.id === id);
    expect(endpoint?.disabledAt).toBeDefined();
    const audit = await testApp.database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("type", "=", "webhook_endpoint_disabled")
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toMatchObject({ endpoint_id: id });
    const row = await testApp.database.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row.failed_at).not.toBeNull();
  });

  it("writes the delivery in the event's transaction: a rolled-back event sends nothing", async () => {
    const webhooks = await startApp();
    await webhooks.addEndpoint({ url: receiver.url });
    const { db } = testApp.database;
    await expect(
      db.transaction().execute(async (tx) => {
        await testApp.services.audit.record({ type: "user_created", userId: "AAAAAAAAAAAAAAAAAAAAAA" }, tx);
        expect(await tx.selectFrom("webhook_deliveries").selectAll().execute()).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.selectFrom("webhook_deliveries").selectAll().execute()).toHaveLength(0);
  });

  it("stores the signing secret sealed, never in clear", async () => {
    const webhooks = await startApp();
    const { secret } = await webhooks.addEndpoint({ url: receiver.url });
    const rows = await testApp.database.db.selectFrom("webhook_endpoints").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret.slice("whsec_".length, 20));
  });
});
